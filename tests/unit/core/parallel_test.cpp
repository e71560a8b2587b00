// core::parallel_for: every item once, one worker per thread made on that thread, progress can
// stop the work, and the first error surfaces only after every thread has joined.
#include "core/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

using paperd::core::ItemFn;
using paperd::core::parallel_for;

TEST(ParallelFor, RunsEveryItemOnceWithAWorkerPerThread) {
  std::vector<std::atomic<int>> hits(200);
  std::mutex mu;
  std::set<std::thread::id> worker_threads;
  std::atomic<int> workers{0};
  size_t last_total = 0, last_done = 0;
  size_t done = parallel_for(
      hits.size(), 3,
      [&](int) -> ItemFn {
        ++workers;
        {
          std::lock_guard lock(mu);
          worker_threads.insert(std::this_thread::get_id());
        }
        return [&](size_t i) { ++hits[i]; };
      },
      [&](size_t d, size_t total) {
        last_done = d, last_total = total;
        return true;
      },
      5);
  EXPECT_EQ(done, 200u);
  EXPECT_EQ(workers, 3);
  EXPECT_EQ(worker_threads.size(), 3u);
  EXPECT_EQ(worker_threads.count(std::this_thread::get_id()), 0u);
  for (auto& h : hits) EXPECT_EQ(h, 1);
  EXPECT_EQ(last_done, 200u);  // the closing call
  EXPECT_EQ(last_total, 200u);
}

TEST(ParallelFor, ThreadsAreClampedToTheItems) {
  std::atomic<int> workers{0};
  EXPECT_EQ(parallel_for(2, 16, [&](int) -> ItemFn { return ++workers, [](size_t) {}; }), 2u);
  EXPECT_EQ(workers, 2);
  EXPECT_EQ(parallel_for(0, 4, [&](int) -> ItemFn { return ++workers, [](size_t) {}; }), 0u);
  EXPECT_EQ(workers, 2);
}

TEST(ParallelFor, ProgressReturningFalseStops) {
  std::atomic<int> ran{0};
  size_t done = parallel_for(
      1000, 2,
      [&](int) -> ItemFn {
        return [&](size_t) {
          ++ran;
          std::this_thread::sleep_for(std::chrono::milliseconds(2));
        };
      },
      [](size_t, size_t) { return false; }, 1);
  EXPECT_LT(done, 1000u);
  EXPECT_EQ(static_cast<size_t>(ran.load()), done);
}

TEST(ParallelFor, TheFirstErrorIsRethrownAfterTheOthersStop) {
  std::atomic<int> ran{0};
  EXPECT_THROW(parallel_for(
                   1000, 2,
                   [&](int) -> ItemFn {
                     return [&](size_t i) {
                       ++ran;
                       if (i == 5) throw std::runtime_error("page 6 is broken");
                       std::this_thread::sleep_for(std::chrono::milliseconds(1));
                     };
                   },
                   {}, 1),
               std::runtime_error);
  EXPECT_LT(ran, 1000);
  int after = ran;
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(ran, after);  // no thread still running
  EXPECT_THROW(
      parallel_for(10, 2, [](int) -> ItemFn { throw std::runtime_error("no worker"); }, {}),
      std::runtime_error);
  EXPECT_THROW(parallel_for(
                   10000, 2,
                   [](int) -> ItemFn {
                     return
                         [](size_t) { std::this_thread::sleep_for(std::chrono::microseconds(50)); };
                   },
                   [](size_t, size_t) -> bool { throw std::runtime_error("cancelled"); }, 1),
               std::runtime_error);
}
