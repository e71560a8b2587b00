// The "paperd" FTS5 tokenizer of the full-text index: SQLite's unicode61 (diacritics folded) plus,
// as colocated synonyms, the Snowball stems of each word in English, German, French and Spanish,
// and at index time the parts of German compounds. Registered on every Connection (db.cpp);
// an instance lives in one connection, so it is used by one thread at a time.
#pragma once

struct sqlite3;

namespace paperd::store {

// The name to give in `tokenize = '...'`. Its arguments, if any, go to unicode61 in place of the
// default `remove_diacritics 2`.
inline constexpr const char* kFtsTokenizer = "paperd";

// Registers the tokenizer on the connection; throws core::Error when SQLite has no FTS5.
void register_fts_tokenizer(sqlite3* db);

}  // namespace paperd::store
