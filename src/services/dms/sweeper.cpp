#include "services/dms/sweeper.h"

#include <spdlog/spdlog.h>

namespace paperd::services::dms {

Sweeper::Sweeper(DocumentStore& store) : store_(store), thread_([this] { run(); }) {}

Sweeper::~Sweeper() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Sweeper::run() {
  int tick = 0;
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stop_; })) {
    lock.unlock();
    try {
      store_.sync_processing();
      if (++tick % 10 == 0) store_.purge_expired();
    } catch (const std::exception& e) {
      spdlog::error("document store sweep failed: {}", e.what());
    }
    lock.lock();
  }
}

}  // namespace paperd::services::dms
