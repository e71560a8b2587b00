// The entity index of the document store: the companies, persons, amounts, dates, IBANs, VAT ids,
// e-mail addresses, phone numbers, URLs and places (engines/extract) in every chunk of a document
// (the full-text chunks: page 0 = file name and meta text, page p = page p's text), one row per
// occurrence with a canonical key that deduplicates it across documents (migration 11). Writes
// of the full-text index mark a document changed (entity_dirty, with_semantic_marks); sync()
// re-reads changed documents off the request path, a batch per transaction, resumable; refresh()
// brings one document up to date when a request asks for it. Thread-safe: every call uses the
// calling thread's connection.
#pragma once

#include <cstdint>
#include <string>

#include "core/config.h"
#include "services/dms/fulltext.h"
#include "store/db.h"

namespace paperd::services::dms {

// The key entities of one type are deduplicated by: names (company, person, location) folded to
// lower case with punctuation and repeated spaces dropped, other types their canonical value.
std::string entity_key(const std::string& type, const std::string& value);

class EntityIndex {
 public:
  EntityIndex(store::Database& db, FulltextIndex& fulltext, const core::Config& config)
      : db_(db), fulltext_(fulltext), config_(config) {}

  // One background pass for at most budget_ms; returns the documents read.
  int sync(int64_t budget_ms = 1000);
  // Reads the document's entities now when it changed since they were read.
  void refresh(store::Connection& c, int64_t document_id);
  // Documents of the filter's scope whose entities are not read yet.
  int64_t pending(store::Connection& c, const SearchFilter& f);

 private:
  void read_document(store::Connection& c, int64_t document_id);

  store::Database& db_;
  FulltextIndex& fulltext_;
  const core::Config& config_;
};

}  // namespace paperd::services::dms
