// Entity routes (the index rows "Extract Document entities", "Get knowledge graph document
// entities", "Search entities" (listed twice: Analytics AI and DMS, one handler) and "Get
// Canonical entities"): the companies, persons, places, dates, amounts, IBANs, VAT ids, e-mail
// addresses, phone numbers and URLs found in documents, per document and across documents.
#include "api/context.h"
#include "api/dms_common.h"
#include "core/error.h"
#include "services/dms/documents.h"

namespace paperd::api {

using http::Param;
using http::ParamType;
using http::Request;
using http::Response;

namespace {

const char* kTypes =
    "company, person, location, date, amount, iban, bic, vat_id, email, phone, url";

services::dms::SearchFilter scope_of(ApiContext& ctx, const Request& req) {
  services::dms::SearchFilter f;
  if (auto id = workspace_scope_of(ctx.db.conn(), req)) f.workspace_ids.push_back(*id);
  return f;
}

std::vector<std::string> types_of(const Request& req) {
  std::vector<std::string> types = string_list(req, "types");
  for (auto& t : string_list(req, "type")) types.push_back(t);
  return types;
}

Response document_entities(ApiContext& ctx, Request& req) {
  return Response::json(
      ctx.documents->document_entities(req.principal, document_ref(req), types_of(req)));
}

}  // namespace

void add_document_entity_routes(http::Router& router, ApiContext& ctx) {
  std::vector<Param> one = {document_ref_param(),
                            {.name = "types", .description = std::string("only these: ") + kTypes}};
  router.add({.method = "POST",
              .path = "/document_intelligence/entities",
              .category = kDmsCategory,
              .title = "Extract Document entities",
              .summary = std::string("All entities of a document (") + kTypes +
                         "), each with its value (canonical: E.164 phones, compact IBANs, ISO "
                         "dates, amounts with currency), the text as written, page, offset and "
                         "confidence (check digits verified), plus counts and the distinct "
                         "entities. Read now if the document changed since.",
              .params = one,
              .mcp_name = "po_documents_entities",
              .handler = [&ctx](Request& req) { return document_entities(ctx, req); }});
  router.add(
      {.method = "GET",
       .path = "/document_intelligence/entities/search",
       .category = kDmsCategory,
       .title = "Search entities",
       .summary = "Entities across all documents whose value or text contains the "
                  "search term, deduplicated (names folded, identifiers canonical), with "
                  "how many documents hold each and which.",
       .params = {{.name = "q", .description = "required: the search term"},
                  {.name = "query", .description = "alias of q"},
                  {.name = "type", .description = std::string("one of ") + kTypes},
                  workspace_id_param(),
                  workspace_name_param(),
                  {.name = "limit", .type = ParamType::kInteger, .minimum = 1, .maximum = 200},
                  {.name = "offset", .type = ParamType::kInteger}},
       .mcp_name = "po_documents_entities_search",
       .handler = [&ctx](Request& req) {
         auto p = paging_of(req, 50, 200);
         std::string q = req.params.str("q", req.params.str("query"));
         return Response::json(ctx.documents->search_entities(
             req.principal, q, req.params.str("type"), scope_of(ctx, req), p.limit, p.offset));
       }});
  router.add(
      {.method = "GET",
       .path = "/document_intelligence/entities/canonical",
       .category = kDmsCategory,
       .title = "Get Canonical entities",
       .summary = "Deduplicated entities across all documents, those in most documents "
                  "first: value, variants as written, documents_count, occurrences, "
                  "first and last seen, and the documents.",
       .params = {{.name = "type", .description = std::string("one of ") + kTypes},
                  workspace_id_param(),
                  workspace_name_param(),
                  {.name = "min_documents",
                   .type = ParamType::kInteger,
                   .description = "only entities in at least this many documents (1)",
                   .minimum = 1},
                  {.name = "limit", .type = ParamType::kInteger, .minimum = 1, .maximum = 500},
                  {.name = "offset", .type = ParamType::kInteger}},
       .mcp_name = "po_documents_entities_canonical",
       .handler = [&ctx](Request& req) {
         auto p = paging_of(req, 100, 500);
         return Response::json(ctx.documents->canonical_entities(
             req.principal, req.params.str("type"), scope_of(ctx, req),
             req.params.integer("min_documents", 1), p.limit, p.offset));
       }});
  router.add({.method = "GET",
              .path = "/document_intelligence/entities/{document_id}",
              .category = "Analytics AI",
              .title = "Get knowledge graph document entities",
              .summary = "All entities of a document (the same answer as POST "
                         "/document_intelligence/entities).",
              .params = one,
              .mcp_name = "po_documents_entities_get",
              .handler = [&ctx](Request& req) { return document_entities(ctx, req); }});
}

}  // namespace paperd::api
