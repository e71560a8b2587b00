#include "core/ids.h"

#include <fmt/format.h>

#include <random>
#include <regex>

#include "core/crypto.h"

namespace paperd::core {

std::string make_job_id(int priority, double unix_seconds) {
  return fmt::format("poai-job_{}_{:.4f}_{}", priority, unix_seconds, hex(random_bytes(4)));
}

bool is_job_id(std::string_view id) {
  static const std::regex kPattern(R"(poai-job_\d{1,3}_\d+\.\d{4}_[0-9a-f]{8})");
  return std::regex_match(id.begin(), id.end(), kPattern);
}

std::string make_download_token() {
  return random_string(32, kCrockford32);
}

bool is_download_token(std::string_view token) {
  if (token.size() != 32) return false;
  for (char c : token)
    if (kCrockford32.find(c) == std::string_view::npos) return false;
  return true;
}

std::string make_request_id() {
  // Request ids name a request in logs and answers; they guard nothing, so they need not come
  // from OpenSSL's generator (a lock and a fork check on every request): a generator per thread,
  // seeded from it once, is unique enough and costs nothing.
  thread_local std::mt19937_64 generator = [] {
    std::string seed = random_bytes(8);
    uint64_t v = 0;
    for (unsigned char c : seed) v = v << 8 | c;
    return std::mt19937_64(v);
  }();
  return fmt::format("req_{:016x}", generator());
}

}  // namespace paperd::core
