// Search routes (CONTRACTS §2.6): GET and POST /documents/document-search share one handler
// (mode fulltext, semantic, hybrid, exact or rag; POST defaults to hybrid, GET to fulltext), and
// the "ultimate" POST /documents/documents-list: a listing with paging, sorting and filters that
// searches when global_search is given. GET /documents/ocr-search-hits: one document's hits of a
// query with their page and rectangle, for highlighting in a viewer.
#include <algorithm>
#include <ctime>
#include <regex>

#include "api/context.h"
#include "api/dms_common.h"
#include "core/error.h"
#include "services/dms/documents.h"
#include "services/dms/meta_fields.h"

namespace paperd::api {

using core::Error;
using http::Param;
using http::ParamType;
using http::Request;
using http::Response;

namespace {

std::optional<int64_t> date_ms(const Request& req, const char* key, bool end_of_day) {
  std::string s = req.params.str(key);
  if (s.empty()) return std::nullopt;
  std::smatch m;
  if (!std::regex_match(s, m, std::regex(R"((\d{4})-(\d{2})-(\d{2}).*)")))
    throw Error::invalid_request(std::string("field '") + key + "' must be a date YYYY-MM-DD");
  std::tm tm{};
  tm.tm_year = std::stoi(m[1]) - 1900;
  tm.tm_mon = std::stoi(m[2]) - 1;
  tm.tm_mday = std::stoi(m[3]);
  int64_t ms = static_cast<int64_t>(timegm(&tm)) * 1000;
  return end_of_day ? ms + 86400000 - 1 : ms;
}

services::dms::SearchFilter filter_of(ApiContext& ctx, const Request& req) {
  services::dms::SearchFilter f;
  if (auto id = workspace_scope_of(ctx.db.conn(), req)) f.workspace_ids.push_back(*id);
  f.tag = req.params.str("tag");
  f.mime_type = req.params.str("type", req.params.str("mime_type"));
  f.lifecycle_status = req.params.str("lifecycle_status");
  f.from_ms = date_ms(req, "date_from", false);
  f.to_ms = date_ms(req, "date_to", true);
  // `__document__data__<key>=<value>`: the meta field (alias or canonical key, as document-edit
  // takes it) must hold exactly that value, compared after the same normalisation.
  constexpr std::string_view kDataPrefix = "__document__data__";
  for (const auto& [name, value] : req.params.raw().items()) {
    if (!name.starts_with(kDataPrefix)) continue;
    std::string key = name.substr(kDataPrefix.size());
    auto field = services::dms::meta_field_for(key);
    if (!field)
      throw Error::invalid_request("filter '" + name + "': '" + key +
                                   "' is not a meta field (see document-edit)");
    f.meta_equals.emplace_back(field->field,
                               services::dms::normalize_meta_value(key, *field, value).dump());
  }
  return f;
}

std::string query_of(const Request& req) {
  for (const char* k : {"query", "q", "global_search", "search"})
    if (std::string v = req.params.str(k); !v.empty()) return v;
  return "";
}

bool ascending(const Request& req) {
  std::string o = req.params.str("order", "desc");
  if (o != "asc" && o != "desc") throw Error::invalid_request("field 'order' must be asc or desc");
  return o == "asc";
}

// A number in 0..1 given under one of names (the first present wins), else fallback.
double unit_interval(const Request& req, std::initializer_list<const char*> names,
                     double fallback) {
  for (const char* name : names) {
    if (!req.params.has(name)) continue;
    double v = req.params.number(name, fallback);
    if (!(v >= 0.0 && v <= 1.0))
      throw Error::invalid_request(std::string("field '") + name + "' must be between 0 and 1");
    return v;
  }
  return fallback;
}

constexpr const char* kModes = "fulltext, semantic, hybrid, exact, rag";

// "intelligent" (documents-list's default): full text for what reads as search syntax or an
// identifier (a single token with digits), hybrid for words that may be meant in other words.
std::string intelligent_mode(const std::string& q) {
  static const std::regex kIdentifier(R"(^\S*\d\S*$)");
  return services::dms::has_search_syntax(q) || std::regex_match(q, kIdentifier) ? "fulltext"
                                                                                 : "hybrid";
}

struct SearchMode {
  std::string mode;
  double semantic_weight = 0.5;
};

// mode / search_mode, with documents-list's search_preference (keyword | semantic | balanced)
// as the weight of the semantic side when the caller gave no semantic_weight.
SearchMode mode_of(const Request& req, const std::string& query, const std::string& fallback) {
  SearchMode m;
  m.mode = req.params.str("mode", req.params.str("search_mode", fallback));
  if (m.mode.empty()) m.mode = fallback;
  if (m.mode == "intelligent") m.mode = intelligent_mode(query);
  std::string pref = req.params.str("search_preference");
  if (pref == "keyword")
    m.semantic_weight = 0.25;
  else if (pref == "semantic")
    m.semantic_weight = 0.75;
  else if (!pref.empty() && pref != "balanced")
    throw Error::invalid_request("field 'search_preference': '" + pref +
                                 "' is not one of keyword, semantic, balanced");
  m.semantic_weight = unit_interval(req, {"semantic_weight"}, m.semantic_weight);
  return m;
}

// One handler for every mode (CONTRACTS §2.6). Defaults: POST hybrid, GET fulltext.
Json run_search(ApiContext& ctx, Request& req, const services::dms::SearchFilter& filter,
                const SearchMode& m, const Paging& p, const std::string& default_sort) {
  const std::string& mode = m.mode;
  if (mode == "exact") {
    std::string key = req.params.str("field_key");
    if (key.empty() || !req.params.has("field_value"))
      throw Error::invalid_request("mode=exact needs 'field_key' and 'field_value'");
    return ctx.documents->search_exact(req.principal, key, req.params.raw()["field_value"], filter,
                                       p.limit, p.offset);
  }
  std::string q = query_of(req);
  if (mode == "semantic" || mode == "hybrid" || mode == "rag") {
    std::string language = req.params.str("language");
    if (!language.empty() && language != "de" && language != "en" && language != "fr" &&
        language != "es")
      throw Error::invalid_request("field 'language': '" + language +
                                   "' has no thesaurus; available: de, en, fr, es");
    services::dms::QueryExpansion expansion;
    if (req.params.boolean("expand", true)) expansion = services::dms::expand_query(q, language);
    double min_similarity = unit_interval(req, {"min_similarity", "similarity_threshold"},
                                          mode == "hybrid" ? 0.35 : 0.4);
    if (mode == "semantic")
      return ctx.documents->search_semantic(req.principal, q, filter, p.limit, p.offset,
                                            min_similarity, expansion);
    if (mode == "rag") {
      for (const char* key : {"source_types", "connector_types"})
        for (const auto& t : string_list(req, key))
          if (t != "document" && t != "documents" && t != "dms")
            throw Error::invalid_request(std::string("field '") + key + "': '" + t +
                                         "' is not a source here; available: document");
      return ctx.documents->search_rag(req.principal, q, filter, std::min<int64_t>(p.limit, 20),
                                       min_similarity, req.params.boolean("answer", false));
    }
    return ctx.documents->search_hybrid(req.principal, q, filter, p.limit, p.offset, min_similarity,
                                        m.semantic_weight, expansion);
  }
  if (mode != "fulltext")
    throw Error::invalid_request("field 'mode': '" + mode +
                                 "' is not a search mode; available: " + kModes +
                                 (req.path.ends_with("documents-list") ? ", intelligent" : ""));
  return ctx.documents->search(req.principal, q, filter, p.limit, p.offset,
                               req.params.str("sort", default_sort), ascending(req), "fulltext");
}

Response search(ApiContext& ctx, Request& req) {
  auto p = paging_of(req, 20, 100);
  auto filter = filter_of(ctx, req);
  SearchMode m = mode_of(req, query_of(req), req.method == "GET" ? "fulltext" : "hybrid");
  return Response::json(run_search(ctx, req, filter, m, p, "relevance"));
}

// The "ultimate" listing: without global_search a filtered, sorted, paged listing; with it a
// search in search_mode (intelligent by default) over the same scope. search_scope=all searches
// every workspace the caller reaches, whatever workspace_id says.
Response documents_list(ApiContext& ctx, Request& req) {
  auto p = paging_of(req, 50, 500);
  std::string scope = req.params.str("search_scope", "current");
  if (scope != "current" && scope != "all")
    throw Error::invalid_request("field 'search_scope': '" + scope +
                                 "' is not one of current, all");
  auto filter = filter_of(ctx, req);
  std::string q = query_of(req);
  if (q.empty())
    return Response::json(ctx.documents->list_documents(req.principal, filter, p.limit, p.offset,
                                                        req.params.str("sort", "created_at"),
                                                        ascending(req)));
  if (scope == "all") filter.workspace_ids.clear();
  SearchMode m = mode_of(req, q, "intelligent");
  if (m.mode != "rag" && req.params.str("sort", "relevance") != "relevance" &&
      m.mode != "fulltext" && m.mode != "exact")
    throw Error::invalid_request("field 'sort': search_mode=" + m.mode +
                                 " ranks by relevance only; use search_mode=fulltext to sort");
  Json out = run_search(ctx, req, filter, m, p, "relevance");
  int64_t total = out.value("total", int64_t{0});
  out["search_mode"] = m.mode;
  out["search_scope"] = scope;
  out["page"] = p.page;
  out["pages"] = (total + p.limit - 1) / p.limit;
  out["documents"] = out["results"];
  return Response::json(out);
}

Response search_hits(ApiContext& ctx, Request& req) {
  auto page = req.params.opt_integer("page");
  if (req.params.has("page") && !page)
    throw Error::invalid_request("field 'page' must be an integer");
  return Response::json(ctx.documents->search_hits(
      req.principal, document_ref(req), query_of(req),
      page ? std::optional<int>(static_cast<int>(std::clamp<int64_t>(*page, -1, 1 << 30)))
           : std::nullopt));
}

}  // namespace

void add_document_search_routes(http::Router& router, ApiContext& ctx) {
  std::vector<Param> params = {
      {.name = "query", .description = "words, \"phrases\", prefix*, OR, NOT / -word"},
      {.name = "mode",
       .description = "fulltext (GET default), hybrid (POST default: reciprocal rank fusion of "
                      "full text and meaning), semantic (meaning: embeddings, exact cosine), "
                      "exact (a meta field's value) or rag (the passages that answer a question, "
                      "with context for an LLM)",
       .enum_values = {"fulltext", "semantic", "hybrid", "exact", "rag"}},
      {.name = "search_mode", .description = "alias of mode"},
      {.name = "expand",
       .type = ParamType::kBoolean,
       .description = "semantic/hybrid: expand the query's words with synonyms and hypernyms "
                      "(WordNet, MyThes), weighted below the words (true)"},
      {.name = "language",
       .description = "semantic/hybrid: the query's language for expansion (de, en, fr, es; "
                      "default every one whose thesaurus knows the word)"},
      {.name = "answer",
       .type = ParamType::kBoolean,
       .description = "rag: also an answer from the operator's LLM (llm_url) citing the "
                      "passages as [n]; without one the passages only"},
      {.name = "source_types", .description = "rag: sources to search (document)"},
      {.name = "connector_types", .description = "rag: alias of source_types"},
      {.name = "min_similarity",
       .type = ParamType::kNumber,
       .description = "semantic/hybrid: lowest cosine of a hit, 0..1 (0.4; hybrid 0.35)"},
      {.name = "similarity_threshold",
       .type = ParamType::kNumber,
       .description = "alias of min_similarity"},
      {.name = "semantic_weight",
       .type = ParamType::kNumber,
       .description = "hybrid: weight of the semantic ranking, 0..1 (0.5)"},
      workspace_id_param(),
      {.name = "workspace_name"},
      {.name = "tag"},
      {.name = "type", .description = "MIME type or extension (pdf, docx, ...)"},
      {.name = "lifecycle_status"},
      {.name = "date_from", .description = "YYYY-MM-DD (upload date)"},
      {.name = "date_to", .description = "YYYY-MM-DD"},
      {.name = "field_key", .description = "mode=exact: the meta field (alias or _field)"},
      {.name = "field_value", .type = ParamType::kAny},
      {.name = "limit", .type = ParamType::kInteger, .minimum = 1, .maximum = 100},
      {.name = "offset", .type = ParamType::kInteger},
      {.name = "sort", .enum_values = {"relevance", "created_at", "file_name", "size"}},
      {.name = "order", .enum_values = {"asc", "desc"}}};
  auto handler = [&ctx](Request& req) { return search(ctx, req); };
  router.add({.method = "GET",
              .path = "/documents/document-search",
              .category = kDmsCategory,
              .title = "Search documents (full-text)",
              .summary = "Full-text search (BM25) over file names, meta fields and page text, "
                         "with snippets and the page of each hit; mode=semantic or hybrid "
                         "search by meaning.",
              .params = params,
              .handler = handler});
  router.add({.method = "POST",
              .path = "/documents/document-search",
              .category = kDmsCategory,
              .title = "Search fulltext",
              .summary = "mode=hybrid (default): full text and meaning fused by reciprocal "
                         "rank (semantic_weight); mode=fulltext: BM25 over file names, meta "
                         "fields and page text with snippets; mode=semantic: by meaning "
                         "(embeddings of each page, exact cosine, index_pending while new "
                         "documents are embedded); mode=exact: a meta field equals a value; "
                         "mode=rag: the passages that answer a question with a context string "
                         "for an LLM, and with answer=true the configured LLM's answer citing "
                         "them.",
              .params = params,
              .mcp_name = "po_documents_search",
              .handler = handler});
  std::vector<Param> list_params = params;
  list_params.push_back({.name = "global_search", .description = "search text (optional)"});
  for (auto& p : list_params)
    if (p.name == "mode") p.enum_values.push_back("intelligent");
  for (auto& p : list_params)
    if (p.name == "search_mode")
      p.description =
          "with global_search: intelligent (default: full text for search syntax and "
          "identifiers, else hybrid), hybrid, semantic, fulltext, exact, rag";
  list_params.push_back({.name = "search_preference",
                         .description = "hybrid: semantic weight 0.25 (keyword), 0.5 "
                                        "(balanced, default) or 0.75 (semantic)",
                         .enum_values = {"keyword", "semantic", "balanced"}});
  list_params.push_back({.name = "search_scope",
                         .description = "current (the workspace given, default) or all (every "
                                        "workspace the token reaches)",
                         .enum_values = {"current", "all"}});
  // Further filters are open-ended: __document__data__<meta key>=<value> (see the summary).
  list_params.push_back({.name = "page", .type = ParamType::kInteger});
  for (auto& p : list_params)
    if (p.name == "limit") p.maximum = 500;
  router.add({.method = "POST",
              .path = "/documents/documents-list",
              .category = kDmsCategory,
              .title = "Search documents (ultimate)",
              .summary =
                  "List documents with paging (limit ≤ 500), sorting and filters (workspace, "
                  "tag, type, dates, lifecycle, and __document__data__<meta key>=<value> "
                  "for any document-edit field); with global_search, a full-text search "
                  "over the same scope.",
              .params = list_params,
              .mcp_name = "po_documents_list",
              .handler = [&ctx](Request& req) { return documents_list(ctx, req); }});
  router.add({.method = "GET",
              .path = "/documents/ocr-search-hits",
              .category = kDmsCategory,
              .title = "Find search hits with rectangles",
              .summary = "Every hit of a query (words or a \"phrase\", matched like full-text "
                         "search: stems, diacritics, compound parts) in one document, per page "
                         "with the page size and each hit's rectangle in PDF points, origin "
                         "top-left (x_rel/y_rel/w_rel/h_rel as fractions of the page), for "
                         "highlighting in a viewer.",
              .params = {document_ref_param(),
                         {.name = "query",
                          .description = "required: words or a \"quoted phrase\" (at most 500 "
                                         "characters)"},
                         {.name = "page",
                          .type = ParamType::kInteger,
                          .description = "only this page (1-based)",
                          .minimum = 1}},
              .mcp_name = "po_documents_ocr_search_hits",
              .handler = [&ctx](Request& req) { return search_hits(ctx, req); }});
}

}  // namespace paperd::api
