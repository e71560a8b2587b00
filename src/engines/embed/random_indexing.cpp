#include "engines/embed/random_indexing.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "engines/embed/vectors.h"

namespace paperd::engines::embed {

namespace {

uint64_t fnv1a(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

// splitmix64: spreads one hash into a stream of well-mixed words.
uint64_t next(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

void add_index(std::vector<float>& v, const IndexVector& iv, float weight) {
  for (size_t k = 0; k < kNonZeros; ++k) v[iv.position[k]] += weight * iv.sign[k];
}

}  // namespace

IndexVector index_vector(std::string_view term) {
  IndexVector iv;
  uint64_t state = fnv1a(term);
  for (size_t k = 0; k < kNonZeros;) {
    uint64_t r = next(state);
    auto pos = static_cast<uint16_t>(r % kDimensions);
    if (std::find(iv.position.begin(), iv.position.begin() + k, pos) != iv.position.begin() + k)
      continue;
    iv.position[k] = pos;
    iv.sign[k] = (r >> 32) & 1 ? 1 : -1;
    ++k;
  }
  return iv;
}

float idf(int64_t df, int64_t n) {
  double v = std::log((1.0 + static_cast<double>(n)) / (1.0 + static_cast<double>(df))) + 1.0;
  return static_cast<float>(std::max(1.0, v));
}

void RandomIndexingTrainer::add_chunk(const std::vector<std::string>& terms) {
  std::vector<uint32_t> ids;
  ids.reserve(terms.size());
  std::unordered_set<uint32_t> seen;
  for (const auto& t : terms) {
    auto [it, fresh] = ids_.try_emplace(t, static_cast<uint32_t>(terms_.size()));
    if (fresh) {
      terms_.push_back(t);
      df_.push_back(0);
    }
    ids.push_back(it->second);
    if (seen.insert(it->second).second) ++df_[it->second];
  }
  chunks_.push_back(std::move(ids));
}

TermModel RandomIndexingTrainer::build() const {
  const int64_t n = chunks();
  std::vector<IndexVector> index(terms_.size());
  std::vector<float> weight(terms_.size());
  for (size_t i = 0; i < terms_.size(); ++i) {
    index[i] = index_vector(terms_[i]);
    weight[i] = idf(df_[i], n);
  }
  std::vector<std::vector<float>> context(terms_.size(), std::vector<float>(kDimensions, 0.0f));
  for (const auto& chunk : chunks_)
    for (size_t i = 0; i < chunk.size(); ++i) {
      size_t lo = i >= kWindow ? i - kWindow : 0, hi = std::min(chunk.size(), i + kWindow + 1);
      for (size_t j = lo; j < hi; ++j)
        if (j != i && chunk[j] != chunk[i])
          add_index(context[chunk[i]], index[chunk[j]], weight[chunk[j]]);
    }
  TermModel model;
  model.reserve(terms_.size());
  for (size_t i = 0; i < terms_.size(); ++i) {
    normalize(context[i]);
    model.emplace(terms_[i], TermVector{std::move(context[i]), weight[i], df_[i]});
  }
  return model;
}

std::vector<float> embed_terms(const std::vector<std::string>& terms, const TermModel& model,
                               int64_t n) {
  std::vector<float> out(kDimensions, 0.0f);
  for (const auto& t : terms) {
    auto it = model.find(t);
    if (it != model.end() && it->second.context.size() == kDimensions) {
      const float w = it->second.idf;
      const float* c = it->second.context.data();
      for (size_t d = 0; d < kDimensions; ++d) out[d] += w * c[d];
    } else {
      // An unseen term: its own index vector (length sqrt(kNonZeros)), scaled to length idf.
      add_index(out, index_vector(t), idf(0, n) / std::sqrt(static_cast<float>(kNonZeros)));
    }
  }
  normalize(out);
  return out;
}

std::vector<std::vector<float>> RandomIndexingEmbedder::embed(
    const std::vector<std::string>& texts) {
  std::vector<std::vector<std::string>> terms;
  std::unordered_set<std::string> distinct;
  for (const auto& text : texts) {
    terms.push_back(tokenize_(text));
    distinct.insert(terms.back().begin(), terms.back().end());
  }
  TermModel model = lookup_({distinct.begin(), distinct.end()});
  std::vector<std::vector<float>> out;
  out.reserve(texts.size());
  for (const auto& t : terms) out.push_back(embed_terms(t, model, n_));
  return out;
}

}  // namespace paperd::engines::embed
