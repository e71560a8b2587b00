// Fixed-window rate limiting per key (a token or a visitor's IP) over several windows at once
// (e.g. 5/s, 30/min, 100/h, 500/day). A request is admitted only if every window has room, and
// only admitted requests count. Decisions report the window closest to exhaustion (CONTRACTS §2.9).
// Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace paperd::http {

struct RateWindow {
  int64_t seconds = 1;
  int64_t limit = 0;
};

struct RateDecision {
  bool allowed = true;
  bool unlimited = false;
  int64_t limit = 0;
  int64_t remaining = 0;
  int64_t reset_seconds = 0;  // until the reported window resets
  int64_t reset_epoch = 0;    // the same moment as unix seconds
  int64_t retry_after = 0;    // when !allowed: seconds until every full window has room
  std::string policy;         // "5;w=1, 30;w=60, ..."
};

class RateLimiter {
 public:
  // count=false only reports (for exempt routes). now_ms is injectable for tests.
  RateDecision hit(const std::string& key, const std::vector<RateWindow>& windows, bool count,
                   int64_t now_ms);

 private:
  struct Counter {
    int64_t window_start = 0;
    int64_t count = 0;
  };
  struct Entry {
    std::vector<Counter> counters;
    int64_t last_seen_ms = 0;
  };
  void prune(int64_t now_ms);

  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
  int64_t last_prune_ms_ = 0;
};

}  // namespace paperd::http
