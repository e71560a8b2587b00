// Processing lanes: every band of the priority -> lane mapping at its edges, processing_lane
// overriding priority, instant pinned to 999, pipeline defaults, rejected inputs, credit factors
// and the expected waits.
#include "jobs/lanes.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"

namespace paperd::jobs {
namespace {

const std::vector<Lane> kAllLanes = {Lane::kNoSla, Lane::kSla24h, Lane::kSla12h,
                                     Lane::kSla6h, Lane::kSla1h,  Lane::kInstant};

std::string expect_invalid(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const core::Error& e) {
    EXPECT_EQ(e.status(), 400) << e.what();
    EXPECT_EQ(e.code(), "INVALID_REQUEST") << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no core::Error thrown";
  return "";
}

TEST(Lanes, PriorityBandsAtTheirEdges) {
  const std::vector<std::pair<int, Lane>> cases = {
      {999, Lane::kInstant}, {900, Lane::kInstant}, {899, Lane::kSla1h},  {800, Lane::kSla1h},
      {799, Lane::kSla6h},   {600, Lane::kSla6h},   {599, Lane::kSla12h}, {500, Lane::kSla12h},
      {499, Lane::kSla24h},  {300, Lane::kSla24h},  {299, Lane::kNoSla},  {0, Lane::kNoSla},
  };
  for (auto [priority, lane] : cases) {
    EXPECT_EQ(lane_name(lane_for_priority(priority)), lane_name(lane)) << priority;
    LaneChoice c = choose_lane(std::nullopt, int64_t{priority}, Lane::kNoSla);
    EXPECT_EQ(lane_name(c.lane), lane_name(lane)) << priority;
    EXPECT_EQ(c.priority, lane == Lane::kInstant ? 999 : priority) << priority;
  }
}

TEST(Lanes, NamesRoundTrip) {
  const std::vector<std::string> names = {"no_sla", "sla_24h", "sla_12h",
                                          "sla_6h", "sla_1h",  "instant"};
  for (size_t i = 0; i < kAllLanes.size(); ++i) {
    EXPECT_EQ(lane_name(kAllLanes[i]), names[i]);
    auto parsed = parse_lane(names[i]);
    ASSERT_TRUE(parsed) << names[i];
    EXPECT_EQ(*parsed, kAllLanes[i]);
  }
  for (const char* bad : {"", "INSTANT", "sla_2h", "instant ", "sla-1h"})
    EXPECT_FALSE(parse_lane(bad)) << bad;
}

TEST(Lanes, DefaultPriorityLiesInsideItsOwnBand) {
  for (Lane l : kAllLanes) EXPECT_EQ(lane_for_priority(default_priority(l)), l) << lane_name(l);
  EXPECT_EQ(default_priority(Lane::kInstant), 999);
}

TEST(Lanes, ProcessingLaneWinsOverPriority) {
  // priority 950 alone would be instant; the explicit lane overrides it.
  LaneChoice c = choose_lane(std::string("sla_24h"), int64_t{950}, Lane::kSla1h);
  EXPECT_EQ(c.lane, Lane::kSla24h);
  EXPECT_EQ(lane_for_priority(c.priority), Lane::kSla24h) << c.priority;
  EXPECT_EQ(c.priority, default_priority(Lane::kSla24h));

  LaneChoice low = choose_lane(std::string("sla_1h"), int64_t{10}, Lane::kNoSla);
  EXPECT_EQ(low.lane, Lane::kSla1h);
  EXPECT_EQ(lane_for_priority(low.priority), Lane::kSla1h) << low.priority;
}

TEST(Lanes, PriorityInsideTheChosenLaneOrdersWithinIt) {
  LaneChoice c = choose_lane(std::string("sla_6h"), int64_t{650}, Lane::kNoSla);
  EXPECT_EQ(c.lane, Lane::kSla6h);
  EXPECT_EQ(c.priority, 650);
}

TEST(Lanes, InstantAlwaysHasPriority999) {
  EXPECT_EQ(choose_lane(std::string("instant"), std::nullopt, Lane::kNoSla).priority, 999);
  EXPECT_EQ(choose_lane(std::string("instant"), int64_t{900}, Lane::kNoSla).priority, 999);
  EXPECT_EQ(choose_lane(std::string("instant"), int64_t{100}, Lane::kNoSla).priority, 999);
  EXPECT_EQ(choose_lane(std::nullopt, int64_t{900}, Lane::kNoSla).priority, 999);
  EXPECT_EQ(choose_lane(std::nullopt, int64_t{950}, Lane::kNoSla).priority, 999);
  EXPECT_EQ(choose_lane(std::nullopt, std::nullopt, Lane::kInstant).priority, 999);
}

TEST(Lanes, NoInputUsesPipelineDefault) {
  for (Lane l : kAllLanes) {
    LaneChoice c = choose_lane(std::nullopt, std::nullopt, l);
    EXPECT_EQ(c.lane, l) << lane_name(l);
    EXPECT_EQ(c.priority, default_priority(l)) << lane_name(l);
  }
}

TEST(Lanes, BadInputIsRejected) {
  std::string lane_msg =
      expect_invalid([] { choose_lane(std::string("turbo"), std::nullopt, Lane::kNoSla); });
  EXPECT_NE(lane_msg.find("processing_lane"), std::string::npos) << lane_msg;
  EXPECT_NE(lane_msg.find("instant"), std::string::npos) << lane_msg;

  for (int64_t p : {int64_t{1000}, int64_t{-1}, int64_t{1} << 40}) {
    std::string msg = expect_invalid([&] { choose_lane(std::nullopt, p, Lane::kNoSla); });
    EXPECT_NE(msg.find("priority"), std::string::npos) << p << ": " << msg;
    // An out-of-range priority is rejected even beside a valid lane.
    expect_invalid([&] { choose_lane(std::string("sla_1h"), p, Lane::kNoSla); });
  }
}

TEST(Lanes, CreditFactors) {
  EXPECT_DOUBLE_EQ(credit_factor(Lane::kNoSla), 1.0);
  EXPECT_DOUBLE_EQ(credit_factor(Lane::kSla24h), 1.5);
  EXPECT_DOUBLE_EQ(credit_factor(Lane::kSla12h), 2.0);
  EXPECT_DOUBLE_EQ(credit_factor(Lane::kSla6h), 3.0);
  EXPECT_DOUBLE_EQ(credit_factor(Lane::kSla1h), 4.0);
  EXPECT_DOUBLE_EQ(credit_factor(Lane::kInstant), 5.0);
}

TEST(Lanes, FasterLanesPromiseShorterWaits) {
  // kAllLanes runs from slowest to fastest.
  for (size_t i = 1; i < kAllLanes.size(); ++i) {
    EXPECT_LT(max_wait_seconds(kAllLanes[i]), max_wait_seconds(kAllLanes[i - 1]))
        << lane_name(kAllLanes[i]);
    EXPECT_GT(credit_factor(kAllLanes[i]), credit_factor(kAllLanes[i - 1]));
  }
  EXPECT_GE(max_wait_seconds(Lane::kSla1h), 3600);
  EXPECT_GE(max_wait_seconds(Lane::kSla24h), 24 * 3600);
  EXPECT_GT(max_wait_seconds(Lane::kInstant), 0);
}

}  // namespace
}  // namespace paperd::jobs
