// paperd_ann_bench: exact scan vs the HNSW index (engines/ann) of semantic search.
//
//   paperd_ann_bench [--rows N] [--dim D] [--queries Q] [--data gaussian|lowrank]
//
// Makes N L2-normalised rows (fixed seed; gaussian = i.i.d., the hardest case for a graph index;
// lowrank = a 48-dimensional latent with decaying scales plus noise, closer to text embeddings),
// then measures per query: embed::dot per row (ns, rows in cache and all N rows), the exact scan
// as SemanticIndex::search runs it (dot per row + best chunk per document, two chunks a document),
// the HNSW build (one OpenMP thread, VectorCache::kAnnOptions) and HNSW queries for several k,
// unfiltered and with a fifth of the rows allowed, with recall@k against the exact top k.
// Prints `key value` lines (ms unless the key says otherwise).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "engines/ann/hnsw_index.h"
#include "engines/embed/vectors.h"
#include "services/dms/vector_cache.h"

namespace ann = paperd::engines::ann;
namespace embed = paperd::engines::embed;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

struct Data {
  size_t dim;
  bool lowrank;
  std::mt19937 rng{20240611};
  std::normal_distribution<float> normal;
  std::vector<float> latent;  // dim × kLatent

  static constexpr size_t kLatent = 48;
  Data(size_t d, bool low) : dim(d), lowrank(low), latent(d * kLatent) {
    for (float& x : latent) x = normal(rng);
  }
  void row(float* out) {
    std::vector<float> v(dim);
    if (!lowrank) {
      for (float& x : v) x = normal(rng);
    } else {
      float z[kLatent];
      for (size_t l = 0; l < kLatent; ++l) z[l] = normal(rng) / std::sqrt(float(l + 1));
      for (size_t j = 0; j < dim; ++j) {
        float s = 0;
        for (size_t l = 0; l < kLatent; ++l) s += latent[j * kLatent + l] * z[l];
        v[j] = s + 0.3f * normal(rng);
      }
    }
    embed::normalize(v);
    std::memcpy(out, v.data(), dim * sizeof(float));
  }
};

std::vector<size_t> exact_top(const std::vector<float>& rows, size_t dim, const float* q, size_t k,
                              const ann::RowSet* allow) {
  std::vector<std::pair<float, size_t>> s;
  for (size_t i = 0; i < rows.size() / dim; ++i)
    if (!allow || allow->contains(i)) s.push_back({embed::dot(q, &rows[i * dim], dim), i});
  k = std::min(k, s.size());
  std::partial_sort(s.begin(), s.begin() + k, s.end(),
                    [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<size_t> out;
  for (size_t i = 0; i < k; ++i) out.push_back(s[i].second);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  size_t rows = 100000, dim = 256, queries = 30;
  std::string data = "lowrank";
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--rows") rows = std::strtoul(argv[i + 1], nullptr, 10);
    if (a == "--dim") dim = std::strtoul(argv[i + 1], nullptr, 10);
    if (a == "--queries") queries = std::strtoul(argv[i + 1], nullptr, 10);
    if (a == "--data") data = argv[i + 1];
  }
  Data gen(dim, data == "lowrank");
  std::vector<float> m(rows * dim), qs(queries * dim);
  for (size_t i = 0; i < rows; ++i) gen.row(&m[i * dim]);
  for (size_t i = 0; i < queries; ++i) gen.row(&qs[i * dim]);
  std::printf("rows %zu\ndim %zu\ndata %s\n", rows, dim, data.c_str());

  // embed::dot per row: 2,000 rows (in cache) and every row (memory bound), best of runs.
  for (size_t n : {std::min<size_t>(2000, rows), rows}) {
    double best = 1e18;
    float sink = 0;
    for (int rep = 0; rep < 10; ++rep) {
      auto t0 = Clock::now();
      for (size_t r = 0; r < n; ++r) sink += embed::dot(&qs[0], &m[r * dim], dim);
      best = std::min(best, ms_since(t0) * 1e6 / static_cast<double>(n));
    }
    std::printf("dot_ns_per_row_%zu %.2f\n", n, best + sink * 0);
  }

  // The exact scan of SemanticIndex::search: every row, best chunk per document.
  {
    double total = 0;
    for (size_t qi = 0; qi < queries; ++qi) {
      auto t0 = Clock::now();
      std::unordered_map<size_t, std::pair<float, size_t>> best;
      for (size_t r = 0; r < rows; ++r) {
        float s = embed::dot(&qs[qi * dim], &m[r * dim], dim);
        if (s < 0.0f) continue;
        auto [it, fresh] = best.try_emplace(r / 2, std::pair<float, size_t>{-2.0f, 0});
        if (s > it->second.first) it->second = {s, r};
      }
      std::vector<std::pair<float, size_t>> hits;
      for (auto& [doc, h] : best) hits.push_back({h.first, doc});
      std::sort(hits.begin(), hits.end(), std::greater<>());
      total += ms_since(t0);
    }
    std::printf("exact_search_ms %.3f\n", total / static_cast<double>(queries));
  }

  auto t0 = Clock::now();
  auto index =
      ann::HnswIndex::build(m.data(), rows, dim, paperd::services::dms::VectorCache::kAnnOptions);
  std::printf("hnsw_build_s %.2f\n", ms_since(t0) / 1000);

  ann::RowSet fifth(rows);
  for (size_t i = 0; i < rows; i += 5) fifth.add(i);
  for (const ann::RowSet* allow : std::initializer_list<const ann::RowSet*>{nullptr, &fifth}) {
    const char* tag = allow ? "filtered" : "all";
    for (size_t k : {10, 256, 1024}) {
      double ms = 0, exact_ms = 0;
      size_t found = 0, wanted = 0;
      for (size_t qi = 0; qi < queries; ++qi) {
        const float* q = &qs[qi * dim];
        auto t1 = Clock::now();
        auto hits = index->search(q, k, allow);
        ms += ms_since(t1);
        auto t2 = Clock::now();
        auto truth = exact_top(m, dim, q, k, allow);
        exact_ms += ms_since(t2);
        std::unordered_set<size_t> want(truth.begin(), truth.end());
        for (const auto& h : hits) found += want.count(h.row);
        wanted += truth.size();
      }
      std::printf("hnsw_%s_k%zu_ms %.3f\n", tag, k, ms / static_cast<double>(queries));
      std::printf("exact_topk_%s_k%zu_ms %.3f\n", tag, k, exact_ms / static_cast<double>(queries));
      std::printf("hnsw_%s_k%zu_recall %.4f\n", tag, k,
                  static_cast<double>(found) / static_cast<double>(wanted));
    }
  }
  return 0;
}
