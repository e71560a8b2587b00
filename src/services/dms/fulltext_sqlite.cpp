// The SQLite dialect of the full-text index: one FTS5 table (document_fts, migration 7) with
// the paperd tokenizer (store/fts_tokenizer.h: Unicode words, diacritics folded, Snowball stems
// for en/de/fr/es, German compound parts), ranked by bm25 with the file name weighted over the
// meta text over the page text. Chunk rowids are document_id * kChunksPerDocument + page,
// so a document's chunks are one rowid range (no scan to replace or remove them).
#include <fmt/format.h>

#include <algorithm>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "core/clock.h"
#include "core/error.h"
#include "services/dms/fulltext.h"
#include "store/fts_tokenizer.h"

namespace paperd::services::dms {

namespace {

constexpr int64_t kChunksPerDocument = 100000;  // > the 5,000-page limit
constexpr const char* kRank = "bm25(document_fts, 8.0, 3.0, 1.0)";
constexpr int64_t kMergePages = 256;  // a few ms of the write lock per step

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
  std::vector<std::string> snippets(store::Connection& c, const std::string& query,
                                    const std::vector<std::pair<int64_t, int>>& chunks) override {
    if (chunks.empty()) return {};  // (the query may be empty then: hybrid's expanded side)
    return snippets_of(c, to_fts5_query(query), chunks);
  }
  std::vector<int64_t> term_chunks(store::Connection& c,
                                   const std::vector<std::string>& texts) override {
    // fts5vocab reads the index's doclists directly; a temp table lives with its connection.
    c.exec(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.document_fts_rows USING fts5vocab(main, "
        "document_fts, row)");
    store::FtsTerms& fts = store::FtsTerms::of_this_thread();
    std::vector<std::vector<std::vector<std::string>>> tokens;  // text -> token -> terms
    std::unordered_map<std::string, int64_t> rows;
    for (const auto& text : texts) {
      auto& t = tokens.emplace_back();
      for (auto& token : fts.tokens(text, true)) {
        for (const auto& term : token.terms) rows.emplace(term, 0);
        t.push_back(std::move(token.terms));
      }
    }
    const int64_t now = core::unix_millis();
    for (auto& [term, n] : rows) {
      {
        std::lock_guard lock(rows_mutex_);
        auto it = term_rows_.find(term);
        if (it != term_rows_.end() && now - it->second.second < kTermRowsMaxAgeMs) {
          n = it->second.first;
          continue;
        }
      }
      // Counting reads the term's whole doclist: a common word's takes milliseconds.
      auto r = c.query_one("SELECT doc FROM temp.document_fts_rows WHERE term = ?", {term});
      n = r ? r->i64("doc") : 0;
      std::lock_guard lock(rows_mutex_);
      if (term_rows_.size() >= kTermRowsKept) term_rows_.clear();
      term_rows_[term] = {n, now};
    }
    std::vector<int64_t> out;
    for (const auto& t : tokens) {
      std::optional<int64_t> rarest;
      for (const auto& terms : t) {
        int64_t n = 0;
        for (const auto& term : terms) n = std::max(n, rows.at(term));  // mostly the same
        rarest = std::min(rarest.value_or(n), n);
      }
      out.push_back(rarest.value_or(0));
    }
    return out;
  }
  bool merge_step(store::Connection& c) override {
    // A 'merge' writes about kMergePages pages of merged segments, on levels holding usermerge
    // (2, migration 13) segments or one begun before; it did nothing when the total changes grew
    // by less than two (FTS5 docs, "The 'merge' Command"). A negative one would merge every
    // level into one, rewriting the whole index after each upload. Unflushed: a merge a power
    // cut undoes only leaves the segments as they were.
    return c.unflushed_transaction([&] {
      const int64_t before = c.query_one("SELECT total_changes() AS n")->i64("n");
      c.exec("INSERT INTO document_fts (document_fts, rank) VALUES ('merge', ?)", {kMergePages});
      return c.query_one("SELECT total_changes() AS n")->i64("n") - before >= 2;
    });
  }
  std::string chunk(store::Connection& c, int64_t id, int page) override {
    auto r = c.query_one("SELECT file_name, meta, body FROM document_fts WHERE rowid = ?",
                         {id * kChunksPerDocument + page});
    if (!r) return "";
    return page == 0 ? r->text("file_name") + "\n" + r->text("meta") : r->text("body");
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
      std::vector<std::pair<int64_t, int>> chunks;
      for (const auto& h : out.hits) chunks.emplace_back(h.document_id, h.page);
      std::vector<std::string> s = snippets_of(c, match, chunks);
      for (size_t i = 0; i < out.hits.size(); ++i) out.hits[i].snippet = std::move(s[i]);
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
  // The chunks in one statement: FTS5 seeks each rowid of the IN list.
  static std::vector<std::string> snippets_of(store::Connection& c, const std::string& match,
                                              const std::vector<std::pair<int64_t, int>>& chunks) {
    std::vector<std::string> out(chunks.size());
    if (chunks.empty()) return out;
    std::vector<store::Value> p = {match};
    std::string in;
    for (const auto& [doc, page] : chunks) {
      in += in.empty() ? "?" : ", ?";
      p.push_back(doc * kChunksPerDocument + page);
    }
    std::unordered_map<int64_t, std::string> by_rowid;
    for (auto& r : c.query("SELECT rowid AS id, snippet(document_fts, -1, '<mark>', '</mark>', "
                           "'…', 16) AS s FROM document_fts WHERE document_fts MATCH ? AND "
                           "rowid IN (" +
                               in + ")",
                           p))
      by_rowid.emplace(r.i64("id"), r.text("s"));
    for (size_t i = 0; i < chunks.size(); ++i)
      if (auto it = by_rowid.find(chunks[i].first * kChunksPerDocument + chunks[i].second);
          it != by_rowid.end())
        out[i] = it->second;
    return out;
  }

  static constexpr int64_t kTermRowsMaxAgeMs = 60000;
  static constexpr size_t kTermRowsKept = 100000;
  std::mutex rows_mutex_;
  std::unordered_map<std::string, std::pair<int64_t, int64_t>> term_rows_;  // rows, counted at

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
