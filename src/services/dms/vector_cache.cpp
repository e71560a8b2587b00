#include "services/dms/vector_cache.h"

#include <cstring>

namespace paperd::services::dms {

int64_t VectorCache::generation(store::Connection& c, int64_t account) {
  auto r = c.query_one("SELECT generation FROM semantic_state WHERE account_id = ?", {account});
  return r ? r->i64("generation") : 0;
}

std::shared_ptr<const VectorSnapshot> VectorCache::get(store::Connection& c, int64_t account,
                                                       int64_t generation) {
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
    snap->document.push_back(r.i64("document_id"));
    snap->page.push_back(static_cast<int32_t>(r.i64("page")));
    snap->workspace.push_back(r.i64("workspace_id"));
  }
  std::lock_guard lock(mutex_);
  auto& held = by_account_[account];
  if (!held || held->generation < generation) held = snap;
  return snap;
}

}  // namespace paperd::services::dms
