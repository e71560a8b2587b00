// Rate limiter with an injected clock over the free tier's windows (5/s, 30/min, 100/h, 500/day):
// per-window refusals, window rollover, report-only hits, key independence, the reported window
// and the reset/retry fields.
#include "http/rate_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace paperd::http {
namespace {

// 2023-11-15T00:00:00Z: aligned to a day, so every window starts together here.
constexpr int64_t kBaseS = 1'700'006'400;
static_assert(kBaseS % 86400 == 0);
constexpr int64_t kBaseMs = kBaseS * 1000;

const std::vector<RateWindow> kFree = {{1, 5}, {60, 30}, {3600, 100}, {86400, 500}};

class RateLimiterTest : public ::testing::Test {
 protected:
  RateDecision hit(const std::string& key, int64_t at_ms, bool count = true) {
    return limiter_.hit(key, kFree, count, at_ms);
  }
  // Fills `n` admitted hits spread over whole seconds starting at `second` (5 per second).
  int64_t fill(const std::string& key, int n, int64_t second) {
    for (int i = 0; i < n; ++i) {
      int64_t s = second + i / 5;
      RateDecision d = hit(key, (kBaseS + s) * 1000 + (i % 5) * 100);
      EXPECT_TRUE(d.allowed) << "hit " << i;
    }
    return second + (n + 4) / 5;  // first second not touched
  }
  RateLimiter limiter_;
};

TEST_F(RateLimiterTest, FivePerSecondThenRefused) {
  for (int i = 0; i < 5; ++i) {
    RateDecision d = hit("k", kBaseMs + i * 150);
    ASSERT_TRUE(d.allowed) << i;
    EXPECT_EQ(d.limit, 5);
    EXPECT_EQ(d.remaining, 4 - i);
  }
  RateDecision d = hit("k", kBaseMs + 900);
  EXPECT_FALSE(d.allowed);
  EXPECT_GE(d.retry_after, 1);
  EXPECT_EQ(d.remaining, 0);
  EXPECT_EQ(d.limit, 5);
  EXPECT_FALSE(d.unlimited);
  EXPECT_EQ(d.policy, "5;w=1, 30;w=60, 100;w=3600, 500;w=86400");
}

TEST_F(RateLimiterTest, NextSecondAllowsAgain) {
  fill("k", 5, 0);
  EXPECT_FALSE(hit("k", kBaseMs + 999).allowed);
  RateDecision d = hit("k", kBaseMs + 1000);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.limit, 5);
  EXPECT_EQ(d.remaining, 4);
}

TEST_F(RateLimiterTest, MinuteWindowRefusesAlthoughSecondHasRoom) {
  int64_t next = fill("k", 30, 0);  // seconds 0..5, 5 each
  ASSERT_LT(next, 60);
  RateDecision d = hit("k", (kBaseS + next) * 1000);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.limit, 30);
  EXPECT_EQ(d.remaining, 0);
  // Until the minute rolls over.
  EXPECT_EQ(d.retry_after, 60 - next);
  EXPECT_EQ(d.reset_seconds, 60 - next);
  EXPECT_FALSE(hit("k", (kBaseS + 59) * 1000 + 999).allowed);
  RateDecision after = hit("k", (kBaseS + 60) * 1000);
  EXPECT_TRUE(after.allowed);
}

TEST_F(RateLimiterTest, HourWindowAppliesAcrossMinutes) {
  // 30 per minute for 3 minutes, then 10 more = 100 in the hour.
  for (int minute = 0; minute < 3; ++minute) fill("k", 30, minute * 60);
  fill("k", 10, 180);
  RateDecision d = hit("k", (kBaseS + 240) * 1000);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.limit, 100);
  EXPECT_EQ(d.remaining, 0);
  EXPECT_EQ(d.retry_after, 3600 - 240);
  EXPECT_TRUE(hit("k", (kBaseS + 3600) * 1000).allowed);
}

TEST_F(RateLimiterTest, ReportOnlyHitsNeverConsume) {
  for (int i = 0; i < 50; ++i) {
    RateDecision d = hit("k", kBaseMs + i, /*count=*/false);
    EXPECT_TRUE(d.allowed);
    EXPECT_EQ(d.remaining, 5);
  }
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(hit("k", kBaseMs + 100 + i).allowed) << i;
  RateDecision full = hit("k", kBaseMs + 200, /*count=*/false);
  EXPECT_FALSE(full.allowed);  // reports the state without changing it
  EXPECT_EQ(full.remaining, 0);
}

TEST_F(RateLimiterTest, KeysAreIndependent) {
  fill("token-a", 5, 0);
  EXPECT_FALSE(hit("token-a", kBaseMs + 500).allowed);
  RateDecision b = hit("token-b", kBaseMs + 500);
  EXPECT_TRUE(b.allowed);
  EXPECT_EQ(b.remaining, 4);
  EXPECT_FALSE(hit("token-a", kBaseMs + 600).allowed);
}

TEST_F(RateLimiterTest, ReportsWindowClosestToExhaustion) {
  RateDecision fresh = hit("k", kBaseMs, /*count=*/false);
  EXPECT_EQ(fresh.limit, 5);  // 5 left beats 30, 100, 500
  EXPECT_EQ(fresh.remaining, 5);

  fill("k", 28, 0);  // seconds 0..5; second 5 has 3 hits
  // Within second 5 both the second and the minute window have 2 left: the shorter one is
  // reported on a tie.
  RateDecision tie = hit("k", (kBaseS + 5) * 1000 + 900, /*count=*/false);
  EXPECT_EQ(tie.limit, 5);
  EXPECT_EQ(tie.remaining, 2);
  EXPECT_EQ(tie.reset_seconds, 1);

  // At second 6: second window 5 left, minute window 2 left.
  RateDecision d = hit("k", (kBaseS + 6) * 1000, /*count=*/false);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.limit, 30);
  EXPECT_EQ(d.remaining, 2);
  EXPECT_EQ(d.reset_seconds, 54);
}

TEST_F(RateLimiterTest, ResetFieldsAreConsistent) {
  for (int64_t offset_ms : {int64_t{0}, int64_t{999}, int64_t{37'250}, int64_t{59'999}}) {
    RateLimiter fresh;
    int64_t now_ms = kBaseMs + offset_ms;
    RateDecision d = fresh.hit("k", kFree, true, now_ms);
    EXPECT_EQ(d.reset_epoch - now_ms / 1000, d.reset_seconds) << offset_ms;
    EXPECT_GE(d.reset_seconds, 0);
    EXPECT_LE(d.reset_seconds, 1);  // the reported window is the 1 s one
    EXPECT_GT(d.reset_epoch * 1000, now_ms - 1000);
  }
  // Over the minute window: reset_epoch is the next minute boundary.
  fill("k", 30, 0);
  int64_t now_ms = (kBaseS + 20) * 1000 + 400;
  RateDecision d = hit("k", now_ms);
  ASSERT_FALSE(d.allowed);
  EXPECT_EQ(d.limit, 30);
  EXPECT_EQ(d.reset_epoch, kBaseS + 60);
  EXPECT_EQ(d.reset_seconds, 40);
  EXPECT_EQ(d.reset_epoch - now_ms / 1000, d.reset_seconds);
  EXPECT_EQ(d.retry_after, 40);
}

TEST_F(RateLimiterTest, RefusedHitsAreNotCounted) {
  fill("k", 5, 0);
  // Hammer the full second window: none of these may eat into the minute's 30.
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(hit("k", kBaseMs + 500 + i).allowed);
  // 25 more fit in the minute (5 per second over seconds 1..5).
  fill("k", 25, 1);
  RateDecision d = hit("k", (kBaseS + 6) * 1000);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.limit, 30);
}

TEST_F(RateLimiterTest, StaleTimestampDoesNotWipeCounters) {
  const std::vector<RateWindow> minute = {{60, 30}};
  int admitted = 0;
  for (int i = 0; i < 30; ++i)
    admitted += limiter_.hit("k", minute, true, kBaseMs + i * 1000).allowed;
  admitted += limiter_.hit("k", minute, true, kBaseMs + 60'000).allowed;
  admitted += limiter_.hit("k", minute, true, kBaseMs + 59'999).allowed;  // arrives late
  for (int i = 0; i < 58; ++i)
    admitted += limiter_.hit("k", minute, true, kBaseMs + 61'000 + i * 1000).allowed;
  // Two minute windows of 30 each: never more than 60 admitted in [0 s, 120 s).
  EXPECT_LE(admitted, 60);
}

TEST_F(RateLimiterTest, NoWindowsMeansUnlimited) {
  RateDecision d = limiter_.hit("k", {}, true, kBaseMs);
  EXPECT_TRUE(d.allowed);
  EXPECT_TRUE(d.unlimited);
}

TEST_F(RateLimiterTest, ConcurrentHitsAdmitExactlyTheLimit) {
  const std::vector<RateWindow> windows = {{60, 1000}};
  std::atomic<int> admitted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i)
        if (limiter_.hit("shared", windows, true, kBaseMs + 10).allowed) ++admitted;
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(admitted.load(), 1000);
}

}  // namespace
}  // namespace paperd::http
