#include "core/periodic.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

namespace paperd::core {

Periodic::Periodic(std::vector<PeriodicTask> tasks)
    : tasks_(std::move(tasks)), thread_([this] { loop(); }) {}

Periodic::~Periodic() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Periodic::loop() {
  using Clock = std::chrono::steady_clock;
  std::vector<Clock::time_point> next(tasks_.size());
  for (size_t i = 0; i < tasks_.size(); ++i)
    next[i] = Clock::now() + std::chrono::milliseconds(tasks_[i].period_ms);
  std::unique_lock lock(mu_);
  while (!stop_ && !tasks_.empty()) {
    auto wake = *std::min_element(next.begin(), next.end());
    if (cv_.wait_until(lock, wake, [this] { return stop_; })) break;
    lock.unlock();
    for (size_t i = 0; i < tasks_.size(); ++i) {
      if (Clock::now() < next[i]) continue;
      try {
        tasks_[i].run();
      } catch (const std::exception& e) {
        spdlog::error("{} failed: {}", tasks_[i].name, e.what());
      }
      next[i] = Clock::now() + std::chrono::milliseconds(tasks_[i].period_ms);
    }
    lock.lock();
  }
}

}  // namespace paperd::core
