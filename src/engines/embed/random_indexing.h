// Random indexing: a word-space model that needs no download, trained on an account's own text.
// Every term has a fixed sparse ternary index vector (kNonZeros entries of ±1 among kDimensions,
// from FNV-1a of the term, so the same on every machine and run); a term's context vector sums
// the idf-weighted index vectors of its neighbours within ±kWindow, so terms used among the same
// words ("car", "automobile") get similar context vectors. A text's embedding is the idf-weighted
// sum of its terms' normalised context vectors, L2-normalised. Terms come in already folded and
// stemmed (store::FtsTerms, as services/dms does). Trainer and embedder: one thread at a time.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engines/embed/embedder.h"

namespace paperd::engines::embed {

inline constexpr size_t kDimensions = 256;
inline constexpr size_t kNonZeros = 8;
inline constexpr size_t kWindow = 3;
inline constexpr const char* kRandomIndexingId = "ri-256-w3";

struct IndexVector {
  std::array<uint16_t, kNonZeros> position{};  // distinct, < kDimensions
  std::array<int8_t, kNonZeros> sign{};        // +1 or -1
};
IndexVector index_vector(std::string_view term);

// What the model knows of one term.
struct TermVector {
  std::vector<float> context;  // L2-normalised, kDimensions
  float idf = 1;
  int64_t df = 0;  // chunks holding the term
};
using TermModel = std::unordered_map<std::string, TermVector>;

// idf of a term in df of n chunks: log((1 + n) / (1 + df)) + 1, never below 1.
float idf(int64_t df, int64_t n);

// Collects chunks (term sequences), then builds the model in one pass over them (neighbours are
// weighted by their idf, so document frequencies are known first).
class RandomIndexingTrainer {
 public:
  void add_chunk(const std::vector<std::string>& terms);
  int64_t chunks() const { return static_cast<int64_t>(chunks_.size()); }
  TermModel build() const;

 private:
  std::unordered_map<std::string, uint32_t> ids_;
  std::vector<std::string> terms_;
  std::vector<int64_t> df_;
  std::vector<std::vector<uint32_t>> chunks_;
};

// The embedding of a term sequence under model (corpus of n chunks). A term the model has not
// seen contributes its own index vector, so an exact new word still matches itself.
std::vector<float> embed_terms(const std::vector<std::string>& terms, const TermModel& model,
                               int64_t n);

// The engine interface over a model that lives elsewhere (the store): tokenize gives a text's
// terms, lookup the model's rows for a set of distinct terms.
class RandomIndexingEmbedder : public Embedder {
 public:
  using Tokenize = std::function<std::vector<std::string>(const std::string&)>;
  using Lookup = std::function<TermModel(const std::vector<std::string>&)>;
  RandomIndexingEmbedder(Tokenize tokenize, Lookup lookup, int64_t corpus_chunks)
      : tokenize_(std::move(tokenize)), lookup_(std::move(lookup)), n_(corpus_chunks) {}
  std::string id() const override { return kRandomIndexingId; }
  std::vector<std::vector<float>> embed(const std::vector<std::string>& texts) override;

 private:
  Tokenize tokenize_;
  Lookup lookup_;
  int64_t n_;
};

}  // namespace paperd::engines::embed
