// The SQLite dialect of the full-text index: one FTS5 table (document_fts, migration 7) with
// the paperd tokenizer (store/fts_tokenizer.h: Unicode words, diacritics folded, Snowball stems
// for en/de/fr/es, German compound parts), ranked by bm25 with the file name weighted over the
// meta text over the page text. Chunk rowids are document_id * kChunksPerDocument + page,
// so a document's chunks are one rowid range (no scan to replace or remove them).
#include <fmt/format.h>

#include <unordered_map>

#include "core/error.h"
#include "services/dms/fulltext.h"

namespace paperd::services::dms {

namespace {

constexpr int64_t kChunksPerDocument = 100000;  // > the 5,000-page limit
constexpr const char* kRank = "bm25(document_fts, 8.0, 3.0, 1.0)";

class SqliteFulltext : public FulltextIndex {
 public:
  void put_document(store::Connection& c, int64_t id, const std::string& file_name,
                    const std::string& meta, const std::vector<IndexedPage>& pages) override {
    remove_document(c, id);
    insert(c, id, 0, file_name, meta, "");
    for (auto& p : pages) insert(c, id, p.page, "", "", p.text);
  }
  void put_meta(store::Connection& c, int64_t id, const std::string& file_name,
                const std::string& meta) override {
    c.exec("DELETE FROM document_fts WHERE rowid = ?", {id * kChunksPerDocument});
    insert(c, id, 0, file_name, meta, "");
  }
  void put_pages(store::Connection& c, int64_t id, const std::vector<IndexedPage>& pages) override {
    c.exec("DELETE FROM document_fts WHERE rowid BETWEEN ? AND ?",
           {id * kChunksPerDocument + 1, id * kChunksPerDocument + kChunksPerDocument - 1});
    for (auto& p : pages) insert(c, id, p.page, "", "", p.text);
  }
  void remove_document(store::Connection& c, int64_t id) override {
    c.exec("DELETE FROM document_fts WHERE rowid BETWEEN ? AND ?",
           {id * kChunksPerDocument, id * kChunksPerDocument + kChunksPerDocument - 1});
  }
  std::string snippet(store::Connection& c, const std::string& query, int64_t id,
                      int page) override {
    auto s = c.query_one(
        "SELECT snippet(document_fts, -1, '<mark>', '</mark>', '…', 16) AS s FROM document_fts "
        "WHERE document_fts MATCH ? AND rowid = ?",
        {to_fts5_query(query), id * kChunksPerDocument + page});
    return s ? s->text("s") : "";
  }
  std::vector<IndexedPage> chunks(store::Connection& c, int64_t id) override {
    std::vector<IndexedPage> out;
    for (auto& r :
         c.query(fmt::format("SELECT rowid % {} AS page, file_name, meta, body FROM "
                             "document_fts WHERE rowid BETWEEN ? AND ? ORDER BY rowid",
                             kChunksPerDocument),
                 {id * kChunksPerDocument, id * kChunksPerDocument + kChunksPerDocument - 1})) {
      int page = static_cast<int>(r.i64("page"));
      out.push_back(
          {page, page == 0 ? r.text("file_name") + "\n" + r.text("meta") : r.text("body")});
    }
    return out;
  }

  SearchPage search(store::Connection& c, const std::string& query, const SearchFilter& f,
                    int limit, int offset, const std::string& sort, bool asc,
                    bool snippets) override {
    std::string match = to_fts5_query(query);
    std::vector<store::Value> params = {match};
    std::string where = document_scope_sql(f, params);
    std::string order = sort == "created_at"  ? "d.created_at_ms"
                        : sort == "file_name" ? "d.file_name"
                        : sort == "size"      ? "d.size"
                                              : "";
    // Ranks of the matching chunks; the best chunk per document (bm25: lower is better).
    std::string base = fmt::format(
        "WITH m AS MATERIALIZED (SELECT rowid / {0} AS doc, rowid % {0} AS page, {1} AS score FROM "
        "document_fts WHERE document_fts MATCH ?), "
        "best AS (SELECT doc, page, MIN(score) AS score FROM m GROUP BY doc) "
        "SELECT best.doc, best.page, best.score, COUNT(*) OVER () AS total FROM best "
        "JOIN documents d ON d.id = best.doc WHERE {2} ",
        kChunksPerDocument, kRank, where);
    std::string dir = asc ? "ASC" : "DESC";
    base += order.empty() ? (asc ? "ORDER BY best.score DESC" : "ORDER BY best.score ASC")
                          : "ORDER BY " + order + " " + dir + ", best.score ASC";
    base += " LIMIT ? OFFSET ?";
    params.push_back(int64_t{limit});
    params.push_back(int64_t{offset});
    SearchPage out;
    std::vector<store::Row> rows;
    try {
      rows = c.query(base, params);
    } catch (const core::Error& e) {
      throw core::Error(400, "INVALID_QUERY",
                        "the search query '" + query + "' cannot be run: " + e.what());
    }
    for (auto& r : rows) {
      out.total = r.i64("total");
      SearchHit h;
      h.document_id = r.i64("doc");
      h.page = static_cast<int>(r.i64("page"));
      h.score = -r.f64("score");  // bm25 is negative; higher = better for clients
      out.hits.push_back(std::move(h));
    }
    if (snippets && !out.hits.empty()) {
      // The hits' chunks in one statement: FTS5 seeks each rowid of the IN list.
      std::vector<store::Value> sp = {match};
      std::string in;
      for (const auto& h : out.hits) {
        in += in.empty() ? "?" : ", ?";
        sp.push_back(h.document_id * kChunksPerDocument + h.page);
      }
      std::unordered_map<int64_t, std::string> by_rowid;
      for (auto& r : c.query("SELECT rowid AS id, snippet(document_fts, -1, '<mark>', '</mark>', "
                             "'…', 16) AS s FROM document_fts WHERE document_fts MATCH ? AND "
                             "rowid IN (" +
                                 in + ")",
                             sp))
        by_rowid.emplace(r.i64("id"), r.text("s"));
      for (auto& h : out.hits)
        if (auto it = by_rowid.find(h.document_id * kChunksPerDocument + h.page);
            it != by_rowid.end())
          h.snippet = std::move(it->second);
    }
    if (rows.empty() && offset > 0) {
      auto n =
          c.query_one(fmt::format("SELECT COUNT(DISTINCT rowid / {}) AS n FROM document_fts WHERE "
                                  "document_fts MATCH ?",
                                  kChunksPerDocument),
                      {match});
      out.total = n ? n->i64("n") : 0;
    }
    return out;
  }

 private:
  static void insert(store::Connection& c, int64_t id, int page, const std::string& name,
                     const std::string& meta, const std::string& body) {
    c.exec(
        "INSERT INTO document_fts (rowid, file_name, meta, body, document_id, page) VALUES (?, "
        "?, ?, ?, ?, ?)",
        {id * kChunksPerDocument + page, name, meta, body, id, int64_t{page}});
  }
};

}  // namespace

std::unique_ptr<FulltextIndex> make_fulltext_index(std::string_view dialect) {
  if (dialect != "sqlite")
    throw core::Error::internal("no full-text index for dialect " + std::string(dialect));
  return std::make_unique<SqliteFulltext>();
}

}  // namespace paperd::services::dms
