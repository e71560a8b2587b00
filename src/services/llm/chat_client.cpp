#include "services/llm/chat_client.h"

#include <fmt/format.h>

#include "core/error.h"
#include "net/fetch.h"

namespace paperd::services::llm {

std::string ChatClient::complete(const std::vector<engines::llm::ChatMessage>& messages,
                                 int max_tokens, double temperature) const {
  if (!configured()) throw core::Error::engine_not_configured("llm_url");
  std::string url = engines::llm::chat_endpoint(config_.llm_url);
  net::FetchOptions opts;
  opts.method = "POST";
  opts.body = engines::llm::chat_request(config_.llm_model, messages, temperature, max_tokens);
  opts.headers = {"Content-Type: application/json"};
  if (!config_.llm_api_key.empty())
    opts.headers.push_back("Authorization: Bearer " + config_.llm_api_key);
  opts.max_bytes = 8u << 20;
  opts.timeout_seconds = config_.llm_timeout_seconds;
  opts.param = "llm_url";
  opts.any_status = true;
  std::string body;
  net::FetchResult r;
  try {
    r = net::fetch_to_string(url, body, net::OutboundPolicy::trusting_host_of(url), opts);
  } catch (const core::Error& e) {
    throw core::Error(503, "LLM_UNAVAILABLE",
                      "the chat API (llm_url) cannot be reached: " + std::string(e.what()));
  }
  if (r.http_status < 200 || r.http_status >= 300)
    throw core::Error(502, "LLM_FAILED",
                      fmt::format("the chat API (llm_url) answered HTTP {}: {}", r.http_status,
                                  body.substr(0, 300)));
  return engines::llm::parse_chat_response(body);
}

}  // namespace paperd::services::llm
