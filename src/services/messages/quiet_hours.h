// Quiet hours: a daily window of local time in an IANA time zone (22:00-07:00 Europe/Berlin)
// during which notifications that would disturb are deferred until the window ends. Time zones
// come from the system's zoneinfo through Howard Hinnant's date/tz (the reference implementation
// of C++20's std::chrono::locate_zone, which GCC 12 does not have), so DST is followed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/json.h"

namespace paperd::services::messages {

struct QuietHours {
  int start_minute = 0;  // minutes after local midnight
  int end_minute = 0;    // exclusive; end < start spans midnight
  std::string time_zone = "UTC";

  // From {"start":"22:00","end":"07:00","time_zone":"Europe/Berlin"} (also "timezone", "tz");
  // 400 naming field.start, field.end or field.time_zone when malformed or unknown.
  static QuietHours parse(const Json& value, const std::string& field = "quiet_hours");
  Json to_json() const;

  // When now (unix ms) falls inside a window: the instant (unix ms) that window ends.
  std::optional<int64_t> ends_after(int64_t now_ms) const;
};

// True when name is an IANA time zone this machine knows.
bool is_time_zone(const std::string& name);

}  // namespace paperd::services::messages
