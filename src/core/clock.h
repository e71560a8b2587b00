// Wall-clock and monotonic time helpers. Wall time is unix seconds (double for job ids, int64 for
// stored timestamps); durations use the steady clock so a clock change never skews them.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace paperd::core {

inline double unix_seconds() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}
inline int64_t unix_now() {
  return static_cast<int64_t>(unix_seconds());
}
inline int64_t unix_millis() {
  return static_cast<int64_t>(unix_seconds() * 1000.0);
}

class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  double elapsed_ms() const {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_)
        .count();
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

// "123.45ms", the processing_time format of the API envelope.
std::string format_ms(double ms);
// RFC 3339 UTC, e.g. 2026-11-29T19:47:40Z.
std::string iso8601(int64_t unix_seconds);
// "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS][Z]" (UTC) as unix seconds; 0 when it is neither.
int64_t parse_iso8601(std::string_view text);

}  // namespace paperd::core
