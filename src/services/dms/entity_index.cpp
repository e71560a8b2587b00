#include "services/dms/entity_index.h"

#include <cctype>

#include "core/clock.h"
#include "engines/extract/entities.h"

namespace paperd::services::dms {

namespace {
constexpr size_t kBatchDocuments = 32;  // per transaction
}  // namespace

std::string entity_key(const std::string& type, const std::string& value) {
  if (type != "company" && type != "person" && type != "location") return value;
  std::string out;
  bool space = false;
  for (unsigned char ch : value) {
    if (ch == '.' || ch == ',' || ch == '\'' || ch == '"') continue;
    if (std::isspace(ch)) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(std::tolower(ch));  // bytes >= 0x80 (UTF-8) unchanged
  }
  return out;
}

void EntityIndex::read_document(store::Connection& c, int64_t id) {
  auto doc = c.query_one("SELECT account_id FROM documents WHERE id = ?", {id});
  auto seq = c.query_one("SELECT seq FROM entity_dirty WHERE document_id = ?", {id});
  std::vector<IndexedPage> chunks = fulltext_.chunks(c, id);
  engines::extract::Options options;
  options.default_region = config_.entities_default_region;
  struct Found {
    int page;
    engines::extract::Entity e;
  };
  std::vector<Found> found;
  for (const auto& ch : chunks)
    for (auto& e : engines::extract::find_entities(ch.text, options)) {
      if (e.type == "postcode_city") e.type = "location";  // the API's name of places
      found.push_back({ch.page, std::move(e)});
    }
  c.transaction([&] {
    c.exec("DELETE FROM document_entities WHERE document_id = ?", {id});
    if (doc)
      for (const auto& f : found)
        c.exec(
            "INSERT INTO document_entities (document_id, account_id, page, type, value, "
            "canonical_key, text, start_byte, length_bytes, currency, confidence) VALUES (?, ?, "
            "?, ?, ?, ?, ?, ?, ?, ?, ?)",
            {id, doc->i64("account_id"), int64_t{f.page}, f.e.type, f.e.value,
             entity_key(f.e.type, f.e.value), f.e.text, static_cast<int64_t>(f.e.offset),
             static_cast<int64_t>(f.e.length), f.e.currency, f.e.confidence});
    // A change that came in while this one was read keeps its mark (its seq is higher).
    if (seq)
      c.exec("DELETE FROM entity_dirty WHERE document_id = ? AND seq = ?", {id, seq->i64("seq")});
  });
}

int EntityIndex::sync(int64_t budget_ms) {
  auto& c = db_.conn();
  const int64_t deadline = core::unix_millis() + budget_ms;
  c.exec("DELETE FROM entity_dirty WHERE document_id NOT IN (SELECT id FROM documents)");
  int read = 0;
  while (core::unix_millis() < deadline) {
    auto rows = c.query(
        "SELECT x.document_id FROM entity_dirty x JOIN documents d ON d.id = x.document_id "
        "WHERE d.deleted_at IS NULL ORDER BY x.document_id LIMIT ?",
        {static_cast<int64_t>(kBatchDocuments)});
    if (rows.empty()) break;
    for (auto& r : rows) {
      read_document(c, r.i64("document_id"));
      ++read;
      if (core::unix_millis() >= deadline) break;
    }
  }
  return read;
}

void EntityIndex::refresh(store::Connection& c, int64_t document_id) {
  if (c.query_one("SELECT 1 AS x FROM entity_dirty WHERE document_id = ?", {document_id}))
    read_document(c, document_id);
}

int64_t EntityIndex::pending(store::Connection& c, const SearchFilter& f) {
  std::vector<store::Value> p;
  std::string where = document_scope_sql(f, p);
  auto r = c.query_one(
      "SELECT COUNT(*) AS n FROM documents d JOIN entity_dirty x ON x.document_id = d.id WHERE " +
          where,
      p);
  return r ? r->i64("n") : 0;
}

}  // namespace paperd::services::dms
