// HnswIndex (hnsw_index.h) over faiss 1.7.3. Not IndexHNSWFlat itself, which is IndexHNSW over an
// IndexFlat: that copies every row (a second copy of the account's vectors) and scores with
// Debian's fvec_inner_product, built without SIMD dispatch, ~5× slower than embed::dot. The
// storage here is the same graph's IndexFlat role, reading the caller's rows in place.
#include "engines/ann/hnsw_index.h"

#include <faiss/IndexHNSW.h>
#include <faiss/impl/AuxIndexStructures.h>
#include <faiss/impl/DistanceComputer.h>
#include <faiss/impl/FaissException.h>
#include <faiss/impl/IDSelector.h>
#include <omp.h>

#include <algorithm>
#include <cstring>

#include "core/error.h"
#include "engines/embed/vectors.h"

namespace paperd::engines::ann {

namespace {

using idx_t = faiss::Index::idx_t;

// Similarity (inner product) of the query, or of a stored row, with a stored row. IndexHNSW
// negates it for METRIC_INNER_PRODUCT, as it does for IndexFlatIP's.
class RowScorer : public faiss::DistanceComputer {
 public:
  RowScorer(const float* data, size_t dim) : data_(data), dim_(dim) {}
  void set_query(const float* x) override { query_ = x; }
  float operator()(idx_t i) override { return embed::dot(query_, row(i), dim_); }
  float symmetric_dis(idx_t i, idx_t j) override { return embed::dot(row(i), row(j), dim_); }

 private:
  const float* row(idx_t i) const { return data_ + static_cast<size_t>(i) * dim_; }
  const float* data_;
  size_t dim_;
  const float* query_ = nullptr;
};

// The storage of the graph: rows the caller holds, added in order (add() only counts them).
class RowsInPlace : public faiss::Index {
 public:
  RowsInPlace(const float* data, size_t dim)
      : faiss::Index(static_cast<idx_t>(dim), faiss::METRIC_INNER_PRODUCT), data_(data) {
    is_trained = true;
  }
  void add(idx_t n, const float* x) override {
    if (x != data_ + static_cast<size_t>(ntotal) * d)
      FAISS_THROW_MSG("RowsInPlace: rows must be added in order");
    ntotal += n;
  }
  void search(idx_t, const float*, idx_t, float*, idx_t*,
              const faiss::SearchParameters*) const override {
    FAISS_THROW_MSG("RowsInPlace is searched through its HNSW graph");
  }
  void reset() override { ntotal = 0; }
  void reconstruct(idx_t key, float* out) const override {
    std::memcpy(out, data_ + static_cast<size_t>(key) * d, sizeof(float) * d);
  }
  // faiss takes ownership of the computer it asks for (its own ScopeDeleter).
  faiss::DistanceComputer* get_distance_computer() const override {
    return std::make_unique<RowScorer>(data_, static_cast<size_t>(d)).release();
  }

 private:
  const float* data_;
};

// The calling thread's OpenMP team size for a scope: faiss opens `omp parallel` regions even
// for one query, and libgomp would otherwise start a team of every core per calling thread.
class OmpThreads {
 public:
  explicit OmpThreads(int n) : before_(omp_get_max_threads()) { omp_set_num_threads(n); }
  ~OmpThreads() { omp_set_num_threads(before_); }
  OmpThreads(const OmpThreads&) = delete;
  OmpThreads& operator=(const OmpThreads&) = delete;

 private:
  int before_;
};

}  // namespace

HnswIndex::HnswIndex(size_t rows, size_t dim, int ef_search)
    : rows_(rows), dim_(dim), ef_search_(ef_search) {}

HnswIndex::~HnswIndex() = default;

std::unique_ptr<HnswIndex> HnswIndex::build(const float* rows, size_t n, size_t dim,
                                            const HnswOptions& options,
                                            const std::function<bool()>& cancelled) {
  if (dim == 0) throw core::Error::internal("HnswIndex: dimension 0");
  std::unique_ptr<HnswIndex> out(new HnswIndex(n, dim, options.ef_search));
  try {
    OmpThreads threads(std::max(1, options.threads));
    out->storage_ = std::make_unique<RowsInPlace>(rows, dim);
    out->index_ = std::make_unique<faiss::IndexHNSW>(out->storage_.get(), options.m);
    out->index_->hnsw.efConstruction = options.ef_construction;
    // 1.7.3's HNSW::search reads this member, not SearchParametersHNSW::efSearch; it uses
    // max(efSearch, k).
    out->index_->hnsw.efSearch = options.ef_search;
    const size_t batch = std::max<size_t>(1, options.batch);
    for (size_t at = 0; at < n; at += batch) {
      if (cancelled && cancelled()) return nullptr;
      out->index_->add(static_cast<idx_t>(std::min(batch, n - at)), rows + at * dim);
    }
  } catch (const faiss::FaissException& e) {
    throw core::Error::internal(std::string("faiss HNSW build: ") + e.what());
  }
  return out;
}

std::vector<Neighbour> HnswIndex::search(const float* q, size_t k, const RowSet* allowed) const {
  std::vector<Neighbour> out;
  k = std::min(k, rows_);
  if (k == 0) return out;
  std::vector<float> scores(k);
  std::vector<idx_t> labels(k, -1);
  faiss::SearchParametersHNSW params;  // for its selector (efSearch: see build)
  params.efSearch = std::max(ef_search_, static_cast<int>(k));
  std::unique_ptr<faiss::IDSelectorBitmap> selector;
  if (allowed) {
    selector =
        std::make_unique<faiss::IDSelectorBitmap>(allowed->bits().size(), allowed->bits().data());
    params.sel = selector.get();
  }
  try {
    OmpThreads threads(1);
    index_->search(1, q, static_cast<idx_t>(k), scores.data(), labels.data(), &params);
  } catch (const faiss::FaissException& e) {
    throw core::Error::internal(std::string("faiss HNSW search: ") + e.what());
  }
  for (size_t i = 0; i < k; ++i)
    if (labels[i] >= 0) out.push_back({static_cast<size_t>(labels[i]), scores[i]});
  std::sort(out.begin(), out.end(), [](const Neighbour& a, const Neighbour& b) {
    return a.score != b.score ? a.score > b.score : a.row < b.row;
  });
  return out;
}

}  // namespace paperd::engines::ann
