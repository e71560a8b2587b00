#include "jobs/lanes.h"

#include <cstdint>

#include "core/error.h"

namespace paperd::jobs {

std::string lane_name(Lane lane) {
  switch (lane) {
    case Lane::kNoSla:
      return "no_sla";
    case Lane::kSla24h:
      return "sla_24h";
    case Lane::kSla12h:
      return "sla_12h";
    case Lane::kSla6h:
      return "sla_6h";
    case Lane::kSla1h:
      return "sla_1h";
    case Lane::kInstant:
      return "instant";
  }
  return "no_sla";
}

std::optional<Lane> parse_lane(const std::string& name) {
  for (Lane l :
       {Lane::kNoSla, Lane::kSla24h, Lane::kSla12h, Lane::kSla6h, Lane::kSla1h, Lane::kInstant})
    if (lane_name(l) == name) return l;
  return std::nullopt;
}

Lane lane_for_priority(int p) {
  if (p >= 900) return Lane::kInstant;
  if (p >= 800) return Lane::kSla1h;
  if (p >= 600) return Lane::kSla6h;
  if (p >= 500) return Lane::kSla12h;
  if (p >= 300) return Lane::kSla24h;
  return Lane::kNoSla;
}

int default_priority(Lane lane) {
  switch (lane) {
    case Lane::kInstant:
      return 999;
    case Lane::kSla1h:
      return 850;
    case Lane::kSla6h:
      return 700;
    case Lane::kSla12h:
      return 550;
    case Lane::kSla24h:
      return 400;
    case Lane::kNoSla:
      return 100;
  }
  return 100;
}

double credit_factor(Lane lane) {
  switch (lane) {
    case Lane::kNoSla:
      return 1.0;
    case Lane::kSla24h:
      return 1.5;
    case Lane::kSla12h:
      return 2.0;
    case Lane::kSla6h:
      return 3.0;
    case Lane::kSla1h:
      return 4.0;
    case Lane::kInstant:
      return 5.0;
  }
  return 1.0;
}

int max_wait_seconds(Lane lane) {
  switch (lane) {
    case Lane::kInstant:
      return 60;
    case Lane::kSla1h:
      return 3600;
    case Lane::kSla6h:
      return 6 * 3600;
    case Lane::kSla12h:
      return 12 * 3600;
    case Lane::kSla24h:
      return 24 * 3600;
    case Lane::kNoSla:
      return 72 * 3600;
  }
  return 72 * 3600;
}

LaneChoice choose_lane(const std::optional<std::string>& processing_lane,
                       const std::optional<int64_t>& priority, Lane pipeline_default) {
  if (priority && (*priority < 0 || *priority > 999))
    throw core::Error::invalid_request("field 'priority' must be between 0 and 999");
  if (processing_lane) {
    auto lane = parse_lane(*processing_lane);
    if (!lane)
      throw core::Error::invalid_request(
          "field 'processing_lane' must be one of: no_sla, sla_24h, sla_12h, sla_6h, sla_1h, "
          "instant");
    // An explicit priority inside the lane's band orders jobs within it.
    int p = priority && lane_for_priority(static_cast<int>(*priority)) == *lane
                ? static_cast<int>(*priority)
                : default_priority(*lane);
    return {*lane, *lane == Lane::kInstant ? 999 : p};
  }
  if (priority) {
    Lane lane = lane_for_priority(static_cast<int>(*priority));
    return {lane, lane == Lane::kInstant ? 999 : static_cast<int>(*priority)};
  }
  return {pipeline_default, default_priority(pipeline_default)};
}

}  // namespace paperd::jobs
