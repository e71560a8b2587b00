// The "paperd" FTS5 tokenizer of the full-text index: SQLite's unicode61 (diacritics folded) plus,
// as colocated synonyms, the Snowball stems of each word in English, German, French and Spanish,
// and at index time the parts of German compounds. Registered on every Connection (db.cpp);
// an instance lives in one connection, so it is used by one thread at a time.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;

namespace paperd::store {

// The name to give in `tokenize = '...'`. Its arguments, if any, go to unicode61 in place of the
// default `remove_diacritics 2`.
inline constexpr const char* kFtsTokenizer = "paperd";

// Registers the tokenizer on the connection; throws core::Error when SQLite has no FTS5.
void register_fts_tokenizer(sqlite3* db);

// One token of a text as the index makes it: its bytes in the text and the terms it is indexed
// (or, in a query, looked up) under: the folded word first, then its stems and, in a document,
// its compound parts and their stems.
struct FtsToken {
  size_t start = 0, end = 0;
  std::vector<std::string> terms;
};

// The same tokenizer outside FTS5, for code that must find what the index finds (the search
// hits' rectangles): tokens(text, true) is a query's tokenization, tokens(text, false) a
// document's. Owns a private in-memory SQLite connection (for unicode61); one thread at a time.
class FtsTerms {
 public:
  FtsTerms();
  ~FtsTerms();
  FtsTerms(const FtsTerms&) = delete;
  FtsTerms& operator=(const FtsTerms&) = delete;

  std::vector<FtsToken> tokens(std::string_view text, bool for_query);

  // This thread's instance (a request path tokenizes a few times; opening one costs a SQLite
  // connection and four stemmers).
  static FtsTerms& of_this_thread();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Whether the index matches a query token at a document token: FTS5 takes a query token's terms
// as alternatives at one position, so one term in common is a match. prefix: the query's folded
// word begins the document's (FTS5 prefix queries see the plain tokens only).
bool fts_matches(const FtsToken& query, const FtsToken& document, bool prefix = false);

}  // namespace paperd::store
