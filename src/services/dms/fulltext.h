// The full-text index of the document store, behind an interface so the SQL dialect can change
// (SQLite FTS5 with bm25 now, PostgreSQL tsvector + GIN later) and the semantic, hybrid and RAG
// modes of the search issue can plug in beside it. Rows are chunks: chunk 0 of a document holds
// its file name and meta text (description, tags, meta-field values), chunk p its page p's text,
// so every hit knows its page. Writes join the caller's transaction.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/db.h"

namespace paperd::services::dms {

struct IndexedPage {
  int page = 0;  // 1-based (0: a chunk's name and meta text, see chunks())
  std::string text;
};

struct SearchFilter {
  int64_t account_id = 0;
  std::vector<int64_t> workspace_ids;  // empty = every workspace the caller reaches
  std::string group;                   // a group token's group: only its workspaces
  std::string tag, mime_type, lifecycle_status;
  std::optional<int64_t> from_ms, to_ms;  // created_at range
  // Meta fields that must hold exactly these values: (field, the value as stored, i.e. the
  // normalized JSON text); documents-list's `__document__data__<key>` filters.
  std::vector<std::pair<std::string, std::string>> meta_equals;
};

// The filter as a WHERE clause over `documents d` (portable SQL), its values appended to p.
std::string document_scope_sql(const SearchFilter& f, std::vector<store::Value>& p);

struct SearchHit {
  int64_t document_id = 0;
  int page = 0;  // 0 = the name or meta fields matched best
  double score = 0;
  std::string snippet;
};

struct SearchPage {
  int64_t total = 0;  // matching documents
  std::vector<SearchHit> hits;
};

class FulltextIndex {
 public:
  virtual ~FulltextIndex() = default;
  // Replaces everything indexed for the document.
  virtual void put_document(store::Connection& c, int64_t document_id, const std::string& file_name,
                            const std::string& meta_text,
                            const std::vector<IndexedPage>& pages) = 0;
  // Replaces the name and meta chunk only (after an edit, a rename, a tag).
  virtual void put_meta(store::Connection& c, int64_t document_id, const std::string& file_name,
                        const std::string& meta_text) = 0;
  virtual void put_pages(store::Connection& c, int64_t document_id,
                         const std::vector<IndexedPage>& pages) = 0;
  virtual void remove_document(store::Connection& c, int64_t document_id) = 0;
  // The text indexed for the document, chunk by chunk in page order: page 0 holds the file name
  // and the meta text joined by a newline. The semantic index embeds exactly these.
  virtual std::vector<IndexedPage> chunks(store::Connection& c, int64_t document_id) = 0;
  // Background upkeep, off the request path: one bounded step of merging the index's segments
  // (every upload adds one; each query reads all of them). Returns true while work remains.
  virtual bool merge_step(store::Connection& c) = 0;
  // One of those chunks; "" when the document has no such chunk.
  virtual std::string chunk(store::Connection& c, int64_t document_id, int page) = 0;
  // The best chunk per document, best documents first. `query` is the user's syntax (see
  // parse_query); sort = relevance | created_at | file_name | size, descending unless asc.
  // Without snippets the hits' snippets are empty: candidates of a fusion, whose few shown
  // hits then ask snippet().
  virtual SearchPage search(store::Connection& c, const std::string& query,
                            const SearchFilter& filter, int limit, int offset,
                            const std::string& sort = "relevance", bool asc = false,
                            bool snippets = true) = 0;
  // The query's terms marked in chunks (document id, page) of documents, in one statement: one
  // snippet per chunk, "" where the query does not match.
  virtual std::vector<std::string> snippets(store::Connection& c, const std::string& query,
                                            const std::vector<std::pair<int64_t, int>>& chunks) = 0;
  // For each text (a word or a phrase, read as a query reads it), how many chunks of the whole
  // index (every account) can match it: the rows an alternative adds to a query's work. A word
  // counts the chunks of its commonest term (folded word or a stem); a phrase its rarest word.
  // An estimate of work, so a term's count may be up to a minute old.
  virtual std::vector<int64_t> term_chunks(store::Connection& c,
                                           const std::vector<std::string>& texts) = 0;
};

std::unique_ptr<FulltextIndex> make_fulltext_index(std::string_view dialect);

// The user's query language, the same on every dialect: words (all must match), "quoted
// phrases", prefix* matches, OR between alternatives, NOT or a leading '-' to exclude, AND
// (the default). parse_query() reads it into terms and operators in order (400 INVALID_QUERY
// for an unclosed quote); to_fts5_query() returns the dialect's expression (400 INVALID_QUERY
// naming the problem).
struct QueryTerm {
  std::string text;  // a word or a phrase's inside, '*' and quotes removed; or the operator
  bool op = false;   // AND, OR or NOT
  bool prefix = false, negated = false;
};
std::vector<QueryTerm> parse_query(std::string_view query);
std::string to_fts5_query(std::string_view query);
// Whether the query uses the language beyond plain words: quotes, a prefix*, an operator, a
// leading '-' (or cannot be read at all). Plain words may be expanded or ranked by meaning.
bool has_search_syntax(std::string_view query);
// A query matching any of the words, each quoted so that none is read as syntax ("a" OR "b");
// words holding a quote are left out; "" for none.
std::string any_of_query(const std::vector<std::string>& words);

}  // namespace paperd::services::dms
