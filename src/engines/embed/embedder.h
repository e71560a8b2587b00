// The embedding engine interface of semantic search: texts in, one L2-normalised float vector per
// text out, all of one dimension. Two implementations: the random-indexing model trained on an
// account's own documents (random_indexing.h) and an OpenAI-compatible embeddings API
// (services/dms/semantic_index.cpp over openai_embeddings.h). Not thread-safe unless stated.
#pragma once

#include <string>
#include <vector>

namespace paperd::engines::embed {

class Embedder {
 public:
  virtual ~Embedder() = default;
  // Names the vector space: vectors of different ids are never compared.
  virtual std::string id() const = 0;
  // Throws core::Error (a backend's failure as 502/503 with its reason).
  virtual std::vector<std::vector<float>> embed(const std::vector<std::string>& texts) = 0;
};

}  // namespace paperd::engines::embed
