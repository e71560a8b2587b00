// The entity routes' answers over the entity index (entity_index.h): one document's entities,
// entity search across documents, and the canonical (deduplicated) entities with their counts.
#include <map>
#include <set>

#include "core/error.h"
#include "services/dms/documents.h"

namespace paperd::services::dms {

namespace {

const std::set<std::string>& entity_types() {
  static const std::set<std::string> kTypes = {"amount", "bic",  "company",  "date",
                                               "email",  "iban", "location", "person",
                                               "phone",  "url",  "vat_id"};
  return kTypes;
}

void check_type(const std::string& type) {
  if (type.empty() || entity_types().contains(type)) return;
  std::string known;
  for (const auto& t : entity_types()) known += (known.empty() ? "" : ", ") + t;
  throw core::Error::invalid_request("field 'type': '" + type +
                                     "' is not an entity type; known: " + known);
}

// LIKE pattern matching s anywhere, its wildcards escaped (ESCAPE '\').
std::string contains_pattern(const std::string& s) {
  std::string out = "%";
  for (char ch : s) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "%";
}

Json entity_json(const store::Row& r) {
  Json j = {{"type", r.text("type")},           {"value", r.text("value")},
            {"text", r.text("text")},           {"page", r.i64("page")},
            {"offset", r.i64("start_byte")},    {"length", r.i64("length_bytes")},
            {"confidence", r.f64("confidence")}};
  if (!r.text("currency").empty()) j["currency"] = r.text("currency");
  return j;
}

// Per deduplicated entity: type, key, the value written most often, counts, first and last upload
// of a document holding it, up to 10 variants as written and the 10 documents holding it most.
// where/p: the scope over `documents d` and `document_entities e` in the account. Three queries
// whatever the page size: the total, the page of groups, then the values, variants and documents of
// all its groups at once.
Json groups(store::Connection& c, int64_t account_id, const std::string& where,
            const std::vector<store::Value>& p, const std::string& having, int64_t limit,
            int64_t offset, int64_t& total) {
  // e.account_id (always its document's) lets the groups come off document_entities_key.
  const std::string scope = "e.account_id = ? AND " + where;
  std::vector<store::Value> scoped = p;
  scoped.insert(scoped.begin(), account_id);
  const std::string grouped =
      "SELECT e.type, e.canonical_key, COUNT(DISTINCT e.document_id) AS documents, COUNT(*) AS "
      "occurrences, MIN(d.created_at_ms) AS first_ms, MAX(d.created_at_ms) AS last_ms FROM "
      "document_entities e JOIN documents d ON d.id = e.document_id WHERE " +
      scope + " GROUP BY e.type, e.canonical_key" + having;
  auto n = c.query_one("SELECT COUNT(*) AS n FROM (" + grouped + ") g", scoped);
  total = n ? n->i64("n") : 0;
  std::vector<store::Value> paged = scoped;
  paged.push_back(limit);
  paged.push_back(offset);
  auto page = c.query(grouped +
                          " ORDER BY documents DESC, occurrences DESC, e.type, "
                          "e.canonical_key LIMIT ? OFFSET ?",
                      paged);
  Json out = Json::array();
  if (page.empty()) return out;
  std::map<std::pair<std::string, std::string>, size_t> at;
  std::string keys;
  std::vector<store::Value> q;  // the page's keys, then the scope
  for (auto& g : page) {
    at[{g.text("type"), g.text("canonical_key")}] = out.size();
    keys += keys.empty() ? "(?, ?)" : ", (?, ?)";
    q.push_back(g.text("type"));
    q.push_back(g.text("canonical_key"));
    out.push_back({{"type", g.text("type")},
                   {"value", g.text("canonical_key")},
                   {"canonical_key", g.text("canonical_key")},
                   {"documents_count", g.i64("documents")},
                   {"occurrences", g.i64("occurrences")},
                   {"variants", Json::array()},
                   {"first_seen", iso_ms(g.i64("first_ms"))},
                   {"last_seen", iso_ms(g.i64("last_ms"))},
                   {"documents", Json::array()}});
  }
  q.insert(q.end(), scoped.begin(), scoped.end());
  // The page's occurrences, one index seek per group (a join on the keys; a row-value IN would
  // scan the account's entities). Per group: 'v' its most frequent value, 't' its texts in
  // order, 'd' its documents by occurrences; the rank r within the group orders each list.
  const std::string details =
      "WITH want(type, k) AS (VALUES " + keys +
      "), m AS MATERIALIZED (SELECT e.type, e.canonical_key AS k, e.value, e.text, e.page, d.id "
      "AS doc, d.pofid, d.file_name, d.workspace_id FROM want CROSS JOIN document_entities e ON "
      "e.type = want.type AND e.canonical_key = want.k JOIN documents d ON d.id = e.document_id "
      "WHERE " +
      scope +
      "), "
      "v AS (SELECT type, k, value AS s, ROW_NUMBER() OVER (PARTITION BY type, k ORDER BY COUNT(*) "
      "DESC, value) AS r FROM m GROUP BY type, k, value), "
      "t AS (SELECT type, k, text AS s, ROW_NUMBER() OVER (PARTITION BY type, k ORDER BY text) AS "
      "r FROM m GROUP BY type, k, text), "
      "g AS (SELECT type, k, doc, pofid, file_name, workspace_id, MIN(page) AS page, COUNT(*) AS "
      "n, ROW_NUMBER() OVER (PARTITION BY type, k ORDER BY COUNT(*) DESC, doc) AS r FROM m GROUP "
      "BY type, k, doc) "
      "SELECT 'v' AS kind, type, k, s, 0 AS doc, '' AS file_name, 0 AS workspace_id, 0 AS page, 0 "
      "AS n, r FROM v WHERE r = 1 "
      "UNION ALL SELECT 't', type, k, s, 0, '', 0, 0, 0, r FROM t WHERE r <= 10 "
      "UNION ALL SELECT 'd', type, k, pofid, doc, file_name, workspace_id, page, n, r FROM g WHERE "
      "r <= 10 ORDER BY r";
  for (auto& r : c.query(details, q)) {
    auto it = at.find({r.text("type"), r.text("k")});
    if (it == at.end()) continue;
    Json& group = out[it->second];
    const std::string kind = r.text("kind");
    if (kind == "v") {
      group["value"] = r.text("s");
    } else if (kind == "t") {
      group["variants"].push_back(r.text("s"));
    } else {
      group["documents"].push_back({{"documents_id", r.i64("doc")},
                                    {"pofid", r.text("s")},
                                    {"file_name", r.text("file_name")},
                                    {"workspace_id", r.i64("workspace_id")},
                                    {"page", r.i64("page")},
                                    {"occurrences", r.i64("n")}});
    }
  }
  return out;
}

}  // namespace

Json DocumentStore::document_entities(const Principal& who, const std::string& ref,
                                      const std::vector<std::string>& types) {
  for (const auto& t : types) check_type(t);
  auto& c = db_.conn();
  DocumentRow d = with_current_text(c, who, ref);
  entities_->refresh(c, d.id);
  std::vector<store::Value> p = {d.id};
  std::string sql = "SELECT * FROM document_entities WHERE document_id = ?" +
                    std::string(types.empty() ? "" : " AND type IN (");
  for (size_t i = 0; i < types.size(); ++i) {
    sql += i ? ", ?" : "?";
    p.push_back(types[i]);
  }
  if (!types.empty()) sql += ")";
  Json list = Json::array();
  Json counts = Json::object();
  std::map<std::pair<std::string, std::string>, Json> unique;
  for (auto& r : c.query(sql + " ORDER BY page, start_byte, type", p)) {
    list.push_back(entity_json(r));
    counts[r.text("type")] = counts.value(r.text("type"), 0) + 1;
    Json& u = unique[{r.text("type"), r.text("canonical_key")}];
    if (u.is_null())
      u = {{"type", r.text("type")},
           {"value", r.text("value")},
           {"occurrences", 0},
           {"pages", Json::array()}};
    u["occurrences"] = u["occurrences"].get<int64_t>() + 1;
    if (u["pages"].empty() || u["pages"].back() != r.i64("page"))
      u["pages"].push_back(r.i64("page"));
  }
  Json distinct = Json::array();
  for (auto& [key, u] : unique) distinct.push_back(std::move(u));
  return {{"status", "success"},      {"documents_id", d.id},       {"pofid", d.pofid},
          {"file_name", d.file_name}, {"total", list.size()},       {"counts", counts},
          {"entities", list},         {"unique_entities", distinct}};
}

Json DocumentStore::search_entities(const Principal& who, const std::string& query,
                                    const std::string& type, const SearchFilter& filter,
                                    int64_t limit, int64_t offset) {
  if (query.empty()) throw core::Error::invalid_request("field 'q' (or 'query') is required");
  if (query.size() > 200)
    throw core::Error::invalid_request("field 'q' is longer than 200 characters");
  check_type(type);
  auto& c = db_.conn();
  SearchFilter scope = caller_scope(who, filter);
  std::vector<store::Value> p;
  std::string where = document_scope_sql(scope, p);
  // The value as written or canonical; IBANs and phone numbers also without their spaces.
  std::string compact;
  for (char ch : query)
    if (ch != ' ') compact += ch;
  where +=
      " AND (e.text LIKE ? ESCAPE '\\' OR e.value LIKE ? ESCAPE '\\' OR e.value LIKE ? "
      "ESCAPE '\\')";
  p.push_back(contains_pattern(query));
  p.push_back(contains_pattern(query));
  p.push_back(contains_pattern(compact));
  if (!type.empty()) {
    where += " AND e.type = ?";
    p.push_back(type);
  }
  int64_t total = 0;
  Json results = groups(c, scope.account_id, where, p, "", limit, offset, total);
  return {{"status", "success"},
          {"query", query},
          {"type", type.empty() ? Json(nullptr) : Json(type)},
          {"total", total},
          {"limit", limit},
          {"offset", offset},
          {"index_pending", entities_->pending(c, scope)},
          {"results", results}};
}

Json DocumentStore::canonical_entities(const Principal& who, const std::string& type,
                                       const SearchFilter& filter, int64_t min_documents,
                                       int64_t limit, int64_t offset) {
  check_type(type);
  auto& c = db_.conn();
  SearchFilter scope = caller_scope(who, filter);
  std::vector<store::Value> p;
  std::string where = document_scope_sql(scope, p);
  if (!type.empty()) {
    where += " AND e.type = ?";
    p.push_back(type);
  }
  int64_t total = 0;
  Json results = groups(c, scope.account_id, where, p,
                        " HAVING COUNT(DISTINCT e.document_id) >= " +
                            std::to_string(std::max<int64_t>(1, min_documents)),
                        limit, offset, total);
  Json by_type = Json::object();
  for (auto& r : c.query("SELECT e.type, COUNT(DISTINCT e.canonical_key) AS n FROM "
                         "document_entities e JOIN documents d ON d.id = e.document_id WHERE " +
                             where + " GROUP BY e.type",
                         p))
    by_type[r.text("type")] = r.i64("n");
  return {{"status", "success"},
          {"type", type.empty() ? Json(nullptr) : Json(type)},
          {"total", total},
          {"limit", limit},
          {"offset", offset},
          {"by_type", by_type},
          {"index_pending", entities_->pending(c, scope)},
          {"entities", results},
          {"results", results}};
}

}  // namespace paperd::services::dms
