#include "http/rate_limiter.h"

#include <algorithm>

namespace paperd::http {

RateDecision RateLimiter::hit(const std::string& key, const std::vector<RateWindow>& windows,
                              bool count, int64_t now_ms) {
  RateDecision d;
  if (windows.empty()) {
    d.unlimited = true;
    return d;
  }
  for (const auto& w : windows)
    d.policy += (d.policy.empty() ? "" : ", ") + std::to_string(w.limit) +
                ";w=" + std::to_string(w.seconds);

  const int64_t now_s = now_ms / 1000;
  std::lock_guard lock(mu_);
  prune(now_ms);
  Entry& e = entries_[key];
  e.last_seen_ms = now_ms;
  e.counters.resize(windows.size());
  for (size_t i = 0; i < windows.size(); ++i) {
    int64_t start = now_s - now_s % windows[i].seconds;
    // Windows only move forward: a late request (clock read before the lock, or a clock step
    // back) counts in the current window instead of resetting it.
    if (start > e.counters[i].window_start) e.counters[i] = {start, 0};
  }
  bool room = true;
  for (size_t i = 0; i < windows.size(); ++i)
    if (e.counters[i].count >= windows[i].limit) {
      room = false;
      int64_t wait = e.counters[i].window_start + windows[i].seconds - now_s;
      d.retry_after = std::max(d.retry_after, std::max<int64_t>(wait, 1));
    }
  d.allowed = room;
  if (room && count)
    for (auto& c : e.counters) ++c.count;

  // Report the window with the fewest requests left (the shortest on a tie).
  size_t pick = 0;
  int64_t best = INT64_MAX;
  for (size_t i = 0; i < windows.size(); ++i) {
    int64_t left = std::max<int64_t>(windows[i].limit - e.counters[i].count, 0);
    if (left < best) {
      best = left;
      pick = i;
    }
  }
  d.limit = windows[pick].limit;
  d.remaining = best;
  int64_t end = e.counters[pick].window_start + windows[pick].seconds;
  d.reset_seconds = std::max<int64_t>(end - now_s, 0);
  d.reset_epoch = end;
  return d;
}

void RateLimiter::prune(int64_t now_ms) {
  // Entries idle for a day hold no live window; drop them once a minute.
  if (now_ms - last_prune_ms_ < 60'000) return;
  last_prune_ms_ = now_ms;
  for (auto it = entries_.begin(); it != entries_.end();)
    it = now_ms - it->second.last_seen_ms > 86'400'000 ? entries_.erase(it) : std::next(it);
}

}  // namespace paperd::http
