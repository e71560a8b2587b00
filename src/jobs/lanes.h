// Processing lanes (CONTRACTS §2.1): how `priority` and `processing_lane` map to one lane, the
// numeric priority the queue orders by, the credit factor, and how long a client should expect
// to wait. Pure functions; the single rule of the contract lives here and nowhere else.
#pragma once

#include <optional>
#include <string>

namespace paperd::jobs {

enum class Lane { kNoSla, kSla24h, kSla12h, kSla6h, kSla1h, kInstant };

std::string lane_name(Lane lane);
std::optional<Lane> parse_lane(const std::string& name);
Lane lane_for_priority(int priority);
// The numeric priority a lane stands for when the client gave none (instant = 999).
int default_priority(Lane lane);
// Credit multiplier: no_sla 1, sla_24h 1.5, sla_12h 2, sla_6h 3, sla_1h 4, instant 5.
double credit_factor(Lane lane);
// Start guarantee plus expected run time, for the 202 answer's max_wait_seconds.
int max_wait_seconds(Lane lane);

struct LaneChoice {
  Lane lane;
  int priority;  // what the queue orders by and the job id carries
};
// processing_lane wins; else priority maps to a lane; else the pipeline's default lane.
// Throws Error::invalid_request for an unknown lane or a priority outside 0..999.
LaneChoice choose_lane(const std::optional<std::string>& processing_lane,
                       const std::optional<int64_t>& priority, Lane pipeline_default);

}  // namespace paperd::jobs
