#include "core/clock.h"

#include <fmt/format.h>
#include <ctime>

namespace paperd::core {

std::string format_ms(double ms) {
  return fmt::format("{:.2f}ms", ms);
}

std::string iso8601(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace paperd::core
