#include "services/llm/chat_client.h"

#include "core/error.h"
#include "net/operator_api.h"

namespace paperd::services::llm {

std::string ChatClient::complete(const std::vector<engines::llm::ChatMessage>& messages,
                                 int max_tokens, double temperature) const {
  if (!configured()) throw core::Error::engine_not_configured("llm_url");
  std::string body = net::post_json(
      {.what = "the chat API",
       .setting = "llm_url",
       .code = "LLM",
       .timeout_seconds = config_.llm_timeout_seconds},
      engines::llm::chat_endpoint(config_.llm_url),
      engines::llm::chat_request(config_.llm_model, messages, temperature, max_tokens),
      config_.llm_api_key);
  return engines::llm::parse_chat_response(body);
}

}  // namespace paperd::services::llm
