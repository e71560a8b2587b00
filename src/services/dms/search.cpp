// Full-text search over the documents a caller reaches (CONTRACTS §2.6 answer shape): file name,
// meta text and page text through the index, the best page of each document with a snippet.
#include <unordered_map>

#include "core/clock.h"
#include "core/error.h"
#include "services/dms/documents.h"
#include "services/dms/meta_fields.h"

namespace paperd::services::dms {

SearchFilter DocumentStore::caller_scope(const Principal& who, const SearchFilter& filter) const {
  SearchFilter f = filter;
  f.account_id = who.account_id;
  if (who.kind == "gt") f.group = who.group;
  return f;
}

Json DocumentStore::hit_json(store::Connection& c, const SearchHit& h) {
  return hits_json(c, {h})[0];
}

std::vector<Json> DocumentStore::hits_json(store::Connection& c,
                                           const std::vector<SearchHit>& hits) {
  std::vector<Json> out(hits.size(), nullptr);
  if (hits.empty()) return out;
  std::vector<store::Value> p;
  std::string in;
  for (const auto& h : hits) {
    in += in.empty() ? "?" : ", ?";
    p.push_back(h.document_id);
  }
  std::unordered_map<int64_t, std::pair<DocumentRow, std::string>> rows;
  for (auto& row : c.query(std::string("SELECT ") + kDocumentColumns +
                               ", w.name AS workspace FROM documents d JOIN workspaces w ON w.id "
                               "= d.workspace_id WHERE d.id IN (" +
                               in + ")",
                           p)) {
    DocumentRow d = document_from(row);
    rows.emplace(d.id, std::pair{std::move(d), row.text("workspace")});
  }
  for (size_t i = 0; i < hits.size(); ++i) {
    const SearchHit& h = hits[i];
    auto it = rows.find(h.document_id);
    if (it == rows.end()) continue;  // gone since it was found
    const DocumentRow& d = it->second.first;
    out[i] = {{"documents_id", d.id},
              {"id", d.id},
              {"pofid", d.pofid},
              {"filename", d.file_name},
              {"file_name", d.file_name},
              {"score", h.score},
              {"snippet", h.snippet},
              {"workspace_id", d.workspace_id},
              {"workspace", it->second.second},
              {"page", h.page > 0 ? Json(h.page) : Json(nullptr)},
              {"matched_in", h.page > 0 ? "text" : "name_or_meta"},
              {"mime_type", d.mime_type},
              {"lifecycle_status", d.lifecycle_status},
              {"created_at", iso_ms(d.created_at_ms)}};
  }
  return out;
}

bool DocumentStore::merge_index(int64_t budget_ms) {
  auto& c = db_.conn();
  const int64_t until = core::unix_millis() + budget_ms;
  while (core::unix_millis() < until)
    if (!index_->merge_step(c)) return false;
  return true;
}

Json DocumentStore::search(const Principal& who, const std::string& query,
                           const SearchFilter& filter_in, int64_t limit, int64_t offset,
                           const std::string& sort, bool asc, const std::string& mode) {
  if (query.empty()) throw core::Error::invalid_request("field 'query' (or 'q') is required");
  auto& c = db_.conn();
  SearchPage page = index_->search(c, query, caller_scope(who, filter_in), static_cast<int>(limit),
                                   static_cast<int>(offset), sort, asc);
  Json results = Json::array();
  for (Json& j : hits_json(c, page.hits))
    if (!j.is_null()) results.push_back(std::move(j));
  return {{"status", "success"}, {"mode", mode},     {"query", query},    {"total", page.total},
          {"limit", limit},      {"offset", offset}, {"results", results}};
}

}  // namespace paperd::services::dms

namespace paperd::services::dms {

std::string document_scope_sql(const SearchFilter& f, std::vector<store::Value>& p) {
  std::string where = "d.account_id = ? AND d.deleted_at IS NULL";
  p.push_back(f.account_id);
  if (!f.workspace_ids.empty()) {
    where += " AND d.workspace_id IN (";
    for (size_t i = 0; i < f.workspace_ids.size(); ++i) {
      where += i ? ", ?" : "?";
      p.push_back(f.workspace_ids[i]);
    }
    where += ")";
  }
  if (!f.group.empty()) {
    where += " AND d.workspace_id IN (SELECT id FROM workspaces WHERE group_name = ?)";
    p.push_back(f.group);
  }
  if (!f.tag.empty()) {
    where += " AND d.id IN (SELECT document_id FROM document_tags WHERE tag = ?)";
    p.push_back(f.tag);
  }
  if (!f.mime_type.empty()) {
    where += " AND (d.mime_type = ? OR d.pofid LIKE ?)";
    p.push_back(f.mime_type);
    p.push_back("%." + f.mime_type);
  }
  if (!f.lifecycle_status.empty()) {
    where += " AND d.lifecycle_status = ?";
    p.push_back(f.lifecycle_status);
  }
  if (f.from_ms) {
    where += " AND d.created_at_ms >= ?";
    p.push_back(*f.from_ms);
  }
  if (f.to_ms) {
    where += " AND d.created_at_ms <= ?";
    p.push_back(*f.to_ms);
  }
  for (const auto& [field, value] : f.meta_equals) {
    where += " AND d.id IN (SELECT document_id FROM document_meta WHERE field = ? AND value = ?)";
    p.push_back(field);
    p.push_back(value);
  }
  return where;
}

Json DocumentStore::search_exact(const Principal& who, const std::string& key, const Json& value,
                                 const SearchFilter& filter_in, int64_t limit, int64_t offset) {
  auto f = meta_field_for(key);
  if (!f)
    throw core::Error::invalid_request("'" + key + "' is not a meta field (see document-edit)");
  Json want = normalize_meta_value(key, *f, value);
  SearchFilter filter = caller_scope(who, filter_in);
  std::vector<store::Value> p;
  std::string where = document_scope_sql(filter, p);
  where += " AND d.id IN (SELECT document_id FROM document_meta WHERE field = ? AND value = ?)";
  p.push_back(f->field);
  p.push_back(want.dump());
  auto& c = db_.conn();
  auto total = c.query_one("SELECT COUNT(*) AS n FROM documents d WHERE " + where, p);
  p.push_back(limit);
  p.push_back(offset);
  Json results = Json::array();
  for (auto& r : c.query(std::string("SELECT ") + kDocumentColumns + " FROM documents d WHERE " +
                             where + " ORDER BY d.created_at_ms DESC, d.id DESC LIMIT ? OFFSET ?",
                         p)) {
    DocumentRow d = document_from(r);
    Json j = document_json(c, d, false);
    j["score"] = 1.0;
    j["matched_field"] = f->field;
    j["matched_value"] = want;
    results.push_back(j);
  }
  return {{"status", "success"},
          {"mode", "exact"},
          {"field_key", f->field},
          {"field_value", want},
          {"total", total ? total->i64("n") : 0},
          {"limit", limit},
          {"offset", offset},
          {"results", results}};
}

Json DocumentStore::list_documents(const Principal& who, const SearchFilter& filter_in,
                                   int64_t limit, int64_t offset, const std::string& sort,
                                   bool asc) {
  SearchFilter filter = caller_scope(who, filter_in);
  std::vector<store::Value> p;
  std::string where = document_scope_sql(filter, p);
  std::string order = sort == "file_name"    ? "d.file_name"
                      : sort == "size"       ? "d.size"
                      : sort == "updated_at" ? "d.updated_at_ms"
                                             : "d.created_at_ms";
  auto& c = db_.conn();
  auto total = c.query_one("SELECT COUNT(*) AS n FROM documents d WHERE " + where, p);
  p.push_back(limit);
  p.push_back(offset);
  Json results = Json::array();
  for (auto& r :
       c.query(std::string("SELECT ") + kDocumentColumns + " FROM documents d WHERE " + where +
                   " ORDER BY " + order + (asc ? " ASC" : " DESC") + ", d.id DESC LIMIT ? OFFSET ?",
               p))
    results.push_back(document_json(c, document_from(r), false));
  int64_t n = total ? total->i64("n") : 0;
  return {{"status", "success"},
          {"total", n},
          {"page", offset / limit + 1},
          {"limit", limit},
          {"pages", (n + limit - 1) / limit},
          {"documents", results},
          {"results", results}};
}

}  // namespace paperd::services::dms
