// The semantic index of the document store: one vector per chunk (the chunks of the full-text
// index: page 0 = file name and meta text, page p = page p's text) under a per-account model,
// searched by exact cosine over an in-memory copy of the vectors (vector_cache.h), or through its
// HNSW index when the scope is large (semantic_ann_min_chunks). Vectors come
// from an engines::embed::Embedder: the operator's OpenAI-compatible API when embeddings_url is
// set, else random indexing trained on the account's own documents. Indexing runs off the request
// path (sync(), from serve's Periodic): writes of the full-text index mark a document changed in
// the writer's transaction (with_semantic_marks), and sync() rebuilds stale models and embeds what
// is missing or stale. Thread-safe: every call uses the calling thread's connection.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/config.h"
#include "engines/embed/embedder.h"
#include "engines/embed/random_indexing.h"
#include "services/dms/fulltext.h"
#include "services/dms/query_expansion.h"
#include "services/dms/vector_cache.h"
#include "store/db.h"
#include "store/fts_tokenizer.h"

namespace paperd::services::dms {

struct SemanticHit {
  int64_t document_id = 0;
  int page = 0;      // the best chunk
  double score = 0;  // cosine
};

struct SemanticResult {
  std::vector<SemanticHit> hits;  // every document at or above the threshold, best first
  int64_t pending = 0;            // in-scope chunks without a vector of the current model
  std::string engine;
  // Found through the account's HNSW index (vector_cache.h): hits are then the documents of the
  // nearest chunks only, at least kAnnDocuments of them when that many pass the threshold.
  bool approximate = false;
};

class SemanticIndex {
 public:
  SemanticIndex(store::Database& db, FulltextIndex& fulltext, const core::Config& config);

  // One background pass for at most budget_ms (then resumed by the next): accounts whose model
  // is missing, of another engine or stale are rebuilt, then their documents without a current
  // vector (new, changed, or embedded by an older model) are embedded, a batch per transaction.
  // Returns the documents embedded.
  int sync(int64_t budget_ms = 1500);

  // The best chunk of every document in the filter's scope (account_id set) whose cosine with
  // the query is at least min_similarity. With the local model, the expansions of the query's
  // words that the model knows are added to the query's vector, each word's together at half
  // that word's share (query_expansion.h).
  SemanticResult search(store::Connection& c, const std::string& query, const SearchFilter& f,
                        double min_similarity, const QueryExpansion& expansion = {});

  // The cosine of each text with the query under the account's current model (all 0 without
  // one): the passages of RAG search are ranked with it.
  std::vector<double> similarities(store::Connection& c, int64_t account, const std::string& query,
                                   const std::vector<std::string>& texts);

  // A text's terms as the model sees them: each word once per occurrence, in its shortest
  // indexed form (store::FtsTerms), so plurals and inflections meet as in full text.
  static std::vector<std::string> terms(store::FtsTerms& fts, const std::string& text);

  // "ri-256-w3" or "openai:<model>": the vector space in use.
  std::string engine_id() const;

  struct Model;  // an account's row of semantic_models

 private:
  std::unique_ptr<engines::embed::Embedder> embedder(store::Connection& c, store::FtsTerms& fts,
                                                     int64_t account, const Model* model,
                                                     const engines::embed::TermModel* trained);
  void add_expansions(store::Connection& c, store::FtsTerms& fts, int64_t account,
                      const Model& model, const QueryExpansion& expansion, std::vector<float>& q);
  void sync_account(store::Connection& c, int64_t account, int64_t deadline_ms, int& embedded);

  store::Database& db_;
  FulltextIndex& fulltext_;
  const core::Config& config_;
  VectorCache vectors_;
};

// The full-text index whose writes also mark the document changed for the semantic index, and
// whose removal of a document (purge) drops its vectors, in the same transaction.
std::unique_ptr<FulltextIndex> with_semantic_marks(std::unique_ptr<FulltextIndex> index);

// Hybrid ranking: reciprocal rank fusion of two ranked lists of documents (best first), each
// document once: score = (1 - w) / (k + rank_fulltext) + w / (k + rank_semantic), a side that
// did not find the document adding nothing. Best first; ties: found by both sides, then the
// better single rank, then the one full text found.
// A third list, full text over the query's expansions, may join at expanded_weight (it adds
// nothing to the tie rules).
struct FusedHit {
  int64_t document_id = 0;
  double score = 0;
  int fulltext_rank = 0;  // 1-based, 0 = not found by that side
  int semantic_rank = 0;
  int expanded_rank = 0;
};
std::vector<FusedHit> reciprocal_rank_fusion(const std::vector<int64_t>& fulltext,
                                             const std::vector<int64_t>& semantic,
                                             double semantic_weight, int k = 60,
                                             const std::vector<int64_t>& expanded = {},
                                             double expanded_weight = 0);

}  // namespace paperd::services::dms
