#include "net/operator_api.h"

#include <fmt/format.h>

#include "core/error.h"
#include "net/fetch.h"

namespace paperd::net {

std::string post_json(const OperatorApi& api, const std::string& url, const std::string& body,
                      const std::string& api_key) {
  FetchOptions opts;
  opts.method = "POST";
  opts.body = body;
  opts.headers = {"Content-Type: application/json"};
  if (!api_key.empty()) opts.headers.push_back("Authorization: Bearer " + api_key);
  opts.max_bytes = api.max_bytes;
  opts.timeout_seconds = api.timeout_seconds;
  opts.param = api.setting;
  opts.any_status = true;
  std::string answer;
  FetchResult r;
  try {
    r = fetch_to_string(url, answer, OutboundPolicy::trusting_host_of(url), opts);
  } catch (const core::Error& e) {
    throw core::Error(
        503, api.code + "_UNAVAILABLE",
        fmt::format("{} ({}) cannot be reached: {}", api.what, api.setting, e.what()));
  }
  if (r.http_status < 200 || r.http_status >= 300)
    throw core::Error(502, api.code + "_FAILED",
                      fmt::format("{} ({}) answered HTTP {}: {}", api.what, api.setting,
                                  r.http_status, answer.substr(0, 300)));
  return answer;
}

}  // namespace paperd::net
