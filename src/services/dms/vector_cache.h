// The chunk vectors of one account in memory, so a semantic query multiplies a flat float32
// matrix instead of reading and decoding every BLOB. A snapshot is loaded on the first query and
// again whenever the account's generation (semantic_state, bumped by triggers on every change of
// vectors, changed-document marks, a document's deletion or move: migration 10) differs from the
// one it was loaded at; the check is one read per query, and correct across processes. Only
// chunks of documents not in the trash are held, each with its workspace, so the usual scopes
// (account, workspaces, a group's workspaces) are applied without SQL. Thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/db.h"

namespace paperd::services::dms {

struct VectorSnapshot {
  int64_t generation = -1;
  size_t dim = 0;                 // of every row (rows of another size are left out)
  std::vector<float> data;        // rows × dim, L2-normalised
  std::vector<int64_t> document;  // per row
  std::vector<int32_t> page;
  std::vector<int64_t> workspace;

  size_t rows() const { return document.size(); }
  const float* row(size_t i) const { return data.data() + i * dim; }

  // Per scope (a key naming the filter), the count of chunks still waiting for a vector, as
  // computed at this generation; see SemanticIndex::search.
  mutable std::mutex memo_mutex;
  mutable std::unordered_map<std::string, int64_t> pending;
};

class VectorCache {
 public:
  // The account's generation now (0 when nothing was ever indexed).
  static int64_t generation(store::Connection& c, int64_t account);
  // The snapshot of the account at generation, loaded (through c) when the one held is older.
  std::shared_ptr<const VectorSnapshot> get(store::Connection& c, int64_t account,
                                            int64_t generation);

 private:
  std::mutex mutex_;
  std::unordered_map<int64_t, std::shared_ptr<const VectorSnapshot>> by_account_;
};

}  // namespace paperd::services::dms
