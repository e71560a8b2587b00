#include "services/messages/quiet_hours.h"

#include <date/tz.h>
#include <fmt/format.h>

#include <chrono>

#include "core/error.h"

namespace paperd::services::messages {

using core::Error;
using namespace std::chrono;

namespace {

// "HH:MM" (also "H:MM" and "HH:MM:SS" with :00) as minutes after midnight, or -1.
int parse_clock(const std::string& s) {
  int h = 0, m = 0, sec = 0;
  char tail = 0;
  int n = std::sscanf(s.c_str(), "%2d:%2d:%2d%c", &h, &m, &sec, &tail);
  if (n == 2 || n == 3) {
    if (s.size() < 4 || s.size() > 8 || s.find_first_not_of("0123456789:") != std::string::npos)
      return -1;
    if (h < 0 || h > 23 || m < 0 || m > 59 || sec != 0) return -1;
    return h * 60 + m;
  }
  return -1;
}

const date::time_zone* zone_or_null(const std::string& name) {
  if (name.empty() || name.size() > 64) return nullptr;
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

}  // namespace

bool is_time_zone(const std::string& name) {
  return zone_or_null(name) != nullptr;
}

QuietHours QuietHours::parse(const Json& v, const std::string& field) {
  if (!v.is_object())
    throw Error::invalid_request("field '" + field +
                                 "' must be an object like {\"start\":\"22:00\",\"end\":\"07:00\","
                                 "\"time_zone\":\"Europe/Berlin\"}");
  QuietHours q;
  for (auto [key, out] : {std::pair{"start", &q.start_minute}, {"end", &q.end_minute}}) {
    const Json* value = v.contains(key) ? &v.at(key) : nullptr;
    if (!value || !value->is_string() || (*out = parse_clock(value->get<std::string>())) < 0)
      throw Error::invalid_request("field '" + field + "." + key +
                                   "' must be a local time HH:MM (00:00 to 23:59)" +
                                   (value ? ", got " + value->dump() : std::string()));
  }
  if (q.start_minute == q.end_minute)
    throw Error::invalid_request("field '" + field + ".end' must differ from '" + field +
                                 ".start' (the window would be empty)");
  const Json* tz = nullptr;
  for (const char* k : {"time_zone", "timezone", "tz"})
    if (v.contains(k)) tz = &v.at(k);
  if (tz) {
    if (!tz->is_string() || !is_time_zone(tz->get<std::string>()))
      throw Error::invalid_request("field '" + field + ".time_zone' must be an IANA time zone " +
                                   "like Europe/Berlin, got " + tz->dump());
    q.time_zone = tz->get<std::string>();
  }
  return q;
}

Json QuietHours::to_json() const {
  return {{"enabled", true},
          {"start", fmt::format("{:02d}:{:02d}", start_minute / 60, start_minute % 60)},
          {"end", fmt::format("{:02d}:{:02d}", end_minute / 60, end_minute % 60)},
          {"time_zone", time_zone}};
}

std::optional<int64_t> QuietHours::ends_after(int64_t now_ms) const {
  const date::time_zone* zone = zone_or_null(time_zone);
  if (!zone) return std::nullopt;  // a zone removed from the system since: no window
  sys_time<milliseconds> now{milliseconds(now_ms)};
  auto local = zone->to_local(now);
  auto day = floor<days>(local);
  int minute = static_cast<int>(duration_cast<minutes>(local - day).count());
  date::local_time<minutes> end;
  if (start_minute < end_minute) {
    if (minute < start_minute || minute >= end_minute) return std::nullopt;
    end = day + minutes(end_minute);
  } else if (minute >= start_minute) {
    end = day + days(1) + minutes(end_minute);
  } else if (minute < end_minute) {
    end = day + minutes(end_minute);
  } else {
    return std::nullopt;
  }
  // A local end that does not exist (inside a DST gap) ends at the transition; an ambiguous one
  // at its first occurrence.
  auto end_sys = zone->to_sys(end, date::choose::earliest);
  int64_t end_ms = duration_cast<milliseconds>(end_sys.time_since_epoch()).count();
  if (end_ms <= now_ms) return std::nullopt;
  return end_ms;
}

}  // namespace paperd::services::messages
