#include "services/dms/vector_cache.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstring>

namespace paperd::services::dms {

VectorCache::~VectorCache() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (builder_.joinable()) builder_.join();
}

int64_t VectorCache::generation(store::Connection& c, int64_t account) {
  auto r = c.query_one("SELECT generation FROM semantic_state WHERE account_id = ?", {account});
  return r ? r->i64("generation") : 0;
}

std::shared_ptr<const VectorSnapshot> VectorCache::get(store::Connection& c, int64_t account,
                                                       int64_t generation, size_t ann_min_rows) {
  {
    std::lock_guard lock(mutex_);
    auto it = by_account_.find(account);
    if (it != by_account_.end() && it->second->generation == generation) return it->second;
  }
  // Loaded outside the lock (two threads may both load one generation; the result is the same).
  auto snap = std::make_shared<VectorSnapshot>();
  snap->generation = generation;
  for (auto& r : c.query(
           "SELECT s.document_id, s.page, s.vector, d.workspace_id FROM semantic_chunks s JOIN "
           "documents d ON d.id = s.document_id WHERE s.account_id = ? AND d.deleted_at IS NULL",
           {account})) {
    const auto* blob = std::get_if<std::string>(&r.at("vector"));
    if (!blob || blob->empty() || blob->size() % sizeof(float) != 0) continue;
    size_t dim = blob->size() / sizeof(float);
    if (snap->dim == 0) snap->dim = dim;
    if (dim != snap->dim) continue;
    size_t at = snap->data.size();
    snap->data.resize(at + dim);
    std::memcpy(snap->data.data() + at, blob->data(), blob->size());
    snap->rows_of_workspace[r.i64("workspace_id")].push_back(
        static_cast<uint32_t>(snap->document.size()));
    snap->document.push_back(r.i64("document_id"));
    snap->page.push_back(static_cast<int32_t>(r.i64("page")));
  }
  std::lock_guard lock(mutex_);
  auto& held = by_account_[account];
  if (!held || held->generation < generation) {
    held = snap;
    if (snap->rows() >= ann_min_rows && snap->dim > 0) {
      to_index_[account] = snap;  // replaces an older snapshot still waiting
      if (!builder_.joinable()) builder_ = std::thread([this] { build_loop(); });
      wake_.notify_one();
    }
  }
  return snap;
}

bool VectorCache::held(int64_t account, const VectorSnapshot* snap) {
  auto it = by_account_.find(account);
  return it != by_account_.end() && it->second.get() == snap;
}

// One snapshot at a time, on one OpenMP thread. The queue holds the snapshot (shared_ptr) for
// the whole build, so the rows the index reads in place outlive it; the index is then owned by
// the snapshot. A build is abandoned when the cache stops or a newer snapshot of the account
// replaced this one (its rows are no longer searched).
void VectorCache::build_loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stop_ || !to_index_.empty(); });
    if (stop_) return;
    const int64_t account = to_index_.begin()->first;
    std::shared_ptr<const VectorSnapshot> snap = std::move(to_index_.begin()->second);
    to_index_.erase(to_index_.begin());
    if (!held(account, snap.get())) continue;
    lock.unlock();
    auto t0 = std::chrono::steady_clock::now();
    std::shared_ptr<const engines::ann::HnswIndex> index;
    try {
      index = engines::ann::HnswIndex::build(snap->data.data(), snap->rows(), snap->dim,
                                             kAnnOptions, [&] {
                                               std::lock_guard l(mutex_);
                                               return stop_ || !held(account, snap.get());
                                             });
    } catch (const std::exception& e) {
      spdlog::warn("semantic index: HNSW build of account {} failed: {}", account, e.what());
    }
    if (index) {
      std::lock_guard l(snap->ann_mutex);
      snap->ann_index = std::move(index);
      spdlog::info("semantic index: HNSW index of account {} ({} chunks) built in {} ms", account,
                   snap->rows(),
                   std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::steady_clock::now() - t0)
                       .count());
    }
    snap.reset();  // the last reference may be here: drop it outside mutex_
    lock.lock();
  }
}

}  // namespace paperd::services::dms
