// An approximate nearest-neighbour index over L2-normalised float32 rows: faiss's HNSW graph
// (IndexHNSW, inner product = cosine) whose storage reads the caller's rows in place, no copy, and
// scores with embed::dot. Built once (build() is slow: seconds per 10,000 rows), then immutable:
// search() may run on any number of threads at once, each on one OpenMP thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace faiss {
struct Index;
struct IndexHNSW;
}  // namespace faiss

namespace paperd::engines::ann {

// A set of row numbers as a bitmap (bit i % 8 of byte i / 8, faiss's IDSelectorBitmap layout).
class RowSet {
 public:
  explicit RowSet(size_t rows) : bits_((rows + 7) / 8, 0) {}
  void add(size_t row) { bits_[row / 8] |= static_cast<uint8_t>(1u << (row % 8)); }
  bool contains(size_t row) const {
    return row / 8 < bits_.size() && (bits_[row / 8] >> (row % 8) & 1u);
  }
  const std::vector<uint8_t>& bits() const { return bits_; }

 private:
  std::vector<uint8_t> bits_;
};

struct Neighbour {
  size_t row = 0;
  float score = 0;  // inner product with the query
};

struct HnswOptions {
  int m = 32;                // graph degree (2m on the bottom layer)
  int ef_construction = 40;  // candidate list while inserting
  int ef_search = 128;       // candidate list while searching (at least k is used)
  int threads = 1;           // OpenMP threads of build(); search() always uses one
  size_t batch = 2048;       // rows inserted between two checks of cancelled
};

class HnswIndex {
 public:
  // Indexes rows (n × dim, row-major, L2-normalised), which must outlive the index and not change.
  // cancelled (if set) is asked between batches: true abandons the build (returns nullptr).
  // Throws core::Error::internal when faiss fails.
  static std::unique_ptr<HnswIndex> build(const float* rows, size_t n, size_t dim,
                                          const HnswOptions& options = {},
                                          const std::function<bool()>& cancelled = {});
  ~HnswIndex();

  // The (at most) k rows with the largest inner product with q (dim floats), best first, only
  // rows in allowed when given. Fewer than k when the graph search reaches fewer allowed rows.
  std::vector<Neighbour> search(const float* q, size_t k, const RowSet* allowed = nullptr) const;

  size_t rows() const { return rows_; }
  size_t dim() const { return dim_; }

 private:
  HnswIndex(size_t rows, size_t dim, int ef_search);

  size_t rows_, dim_;
  int ef_search_;
  std::unique_ptr<faiss::Index> storage_;  // outlives index_ (declared first)
  std::unique_ptr<faiss::IndexHNSW> index_;
};

}  // namespace paperd::engines::ann
