// The chunk vectors of one account in memory, so a semantic query multiplies a flat float32
// matrix instead of reading and decoding every BLOB. A snapshot is loaded on the first query and
// again whenever the account's generation (semantic_state, bumped by triggers on every change of
// vectors, changed-document marks, a document's deletion or move: migration 10) differs from the
// one it was loaded at; the check is one read per query, and correct across processes. Only
// chunks of documents not in the trash are held, grouped by workspace, so the usual scopes
// (account, workspaces, a group's workspaces) are applied without SQL. Thread-safe.
// A snapshot of at least ann_min_rows rows also gets an HNSW index (engines/ann), built by the
// cache's one background thread over the snapshot's own rows; until it is ready (and for a
// snapshot a newer one replaced before, whose build is abandoned) search scans exactly.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "engines/ann/hnsw_index.h"
#include "store/db.h"

namespace paperd::services::dms {

struct VectorSnapshot {
  int64_t generation = -1;
  size_t dim = 0;                 // of every row (rows of another size are left out)
  std::vector<float> data;        // rows × dim, L2-normalised
  std::vector<int64_t> document;  // per row
  std::vector<int32_t> page;

  // Per workspace, its rows in ascending order (a scope's rows without a look-up per row).
  std::unordered_map<int64_t, std::vector<uint32_t>> rows_of_workspace;

  size_t rows() const { return document.size(); }
  const float* row(size_t i) const { return data.data() + i * dim; }

  // The HNSW index over data, once the background build finished (else null).
  std::shared_ptr<const engines::ann::HnswIndex> ann() const {
    std::lock_guard lock(ann_mutex);
    return ann_index;
  }
  mutable std::mutex ann_mutex;
  mutable std::shared_ptr<const engines::ann::HnswIndex> ann_index;

  // Per scope (a key naming the filter), the count of chunks still waiting for a vector, as
  // computed at this generation; see SemanticIndex::search.
  mutable std::mutex memo_mutex;
  mutable std::unordered_map<std::string, int64_t> pending;
};

class VectorCache {
 public:
  VectorCache() = default;
  ~VectorCache();  // abandons a build in progress (at its next batch) and joins the thread
  VectorCache(const VectorCache&) = delete;
  VectorCache& operator=(const VectorCache&) = delete;

  // The account's generation now (0 when nothing was ever indexed).
  static int64_t generation(store::Connection& c, int64_t account);
  // The snapshot of the account at generation, loaded (through c) when the one held is older.
  // A newly loaded snapshot of at least ann_min_rows rows is queued for its HNSW index.
  std::shared_ptr<const VectorSnapshot> get(
      store::Connection& c, int64_t account, int64_t generation,
      size_t ann_min_rows = std::numeric_limits<size_t>::max());

  // HNSW parameters of every index (engines/ann; one OpenMP thread: the build shares the
  // machine with queries).
  static constexpr engines::ann::HnswOptions kAnnOptions{};

 private:
  void build_loop();
  bool held(int64_t account, const VectorSnapshot* snap);  // caller holds mutex_

  std::mutex mutex_;
  std::condition_variable wake_;
  std::unordered_map<int64_t, std::shared_ptr<const VectorSnapshot>> by_account_;
  std::unordered_map<int64_t, std::shared_ptr<const VectorSnapshot>>
      to_index_;  // waiting: each account's newest
  bool stop_ = false;
  std::thread builder_;  // started with the first snapshot to index
};

}  // namespace paperd::services::dms
