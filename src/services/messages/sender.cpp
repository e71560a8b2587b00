#include "services/messages/sender.h"

#include <spdlog/spdlog.h>

namespace paperd::services::messages {

Sender::Sender(MessageCenter& center) : center_(center) {
  center_.recover();
  center_.set_waker([this] {
    {
      std::lock_guard lock(mu_);
      woken_ = true;
    }
    cv_.notify_all();
  });
  thread_ = std::thread([this] { run(); });
}

Sender::~Sender() {
  center_.set_waker(nullptr);
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Sender::run() {
  constexpr int kBatch = 16;
  std::unique_lock lock(mu_);
  while (!stop_) {
    woken_ = false;
    lock.unlock();
    int handled = 0;
    try {
      handled = center_.deliver_due(kBatch);
    } catch (const std::exception& e) {
      spdlog::error("message center: sending failed: {}", e.what());
    }
    lock.lock();
    // A full batch means more may be due: go on at once.
    if (handled < kBatch)
      cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stop_ || woken_; });
  }
}

}  // namespace paperd::services::messages
