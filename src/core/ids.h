// Identifiers the API hands out: job ids (poai-job_<priority>_<epoch.4>_<hex8>, CONTRACTS §2.1)
// and download tokens (32 upper-case Crockford base32 characters, §2.3).
#pragma once

#include <string>
#include <string_view>

namespace paperd::core {

std::string make_job_id(int priority, double unix_seconds);
bool is_job_id(std::string_view id);
std::string make_download_token();
bool is_download_token(std::string_view token);
// A short request id for X-Request-Id and logs.
std::string make_request_id();

}  // namespace paperd::core
