#include "core/parallel.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace paperd::core {

size_t parallel_for(size_t count, int threads, const std::function<ItemFn(int thread)>& make_worker,
                    const ProgressFn& progress, int tick_ms) {
  if (count == 0) return 0;
  threads =
      static_cast<int>(std::clamp<size_t>(static_cast<size_t>(std::max(threads, 1)), 1, count));
  // One worker and no one watching: the calling thread does the work (no thread to start).
  if (threads == 1 && !progress) {
    ItemFn item = make_worker(0);
    for (size_t i = 0; i < count; ++i) item(i);
    return count;
  }
  std::atomic<size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::condition_variable cv;
  size_t done = 0;  // guarded by mu
  std::exception_ptr error;

  auto work = [&](int thread) {
    try {
      ItemFn item = make_worker(thread);
      for (size_t i; !stop && (i = next.fetch_add(1)) < count;) {
        item(i);
        {
          std::lock_guard lock(mu);  // under the lock, so the waiter cannot miss the change
          ++done;
        }
        cv.notify_all();
      }
    } catch (...) {
      std::lock_guard lock(mu);
      if (!error) error = std::current_exception();
      stop = true;
      cv.notify_all();
    }
  };

  std::exception_ptr caller_error;
  bool stopped = false;
  {
    std::vector<std::jthread> pool;  // joins on the way out, also when starting a thread fails
    try {
      for (int t = 0; t < threads; ++t) pool.emplace_back(work, t);
      std::unique_lock lock(mu);
      while (done < count && !error) {
        cv.wait_for(lock, std::chrono::milliseconds(tick_ms));
        if (!progress || error) continue;
        size_t now = done;
        lock.unlock();
        bool go = progress(now, count);
        lock.lock();
        if (!go) {
          stopped = true;
          break;
        }
      }
    } catch (...) {
      caller_error = std::current_exception();
    }
    stop = true;
  }
  if (caller_error) std::rethrow_exception(caller_error);
  if (error) std::rethrow_exception(error);
  if (!stopped && progress) progress(done, count);
  return done;
}

}  // namespace paperd::core
