// The operator's OpenAI-compatible chat API (llm_url, llm_api_key, llm_model), for the features
// whose model cannot run locally: RAG answers now, the premium translation tiers later. Without
// llm_url, complete() answers 503 ENGINE_NOT_CONFIGURED naming the setting. Any thread.
#pragma once

#include <string>
#include <vector>

#include "core/config.h"
#include "engines/llm/openai_chat.h"

namespace paperd::services::llm {

class ChatClient {
 public:
  explicit ChatClient(const core::Config& config) : config_(config) {}
  bool configured() const { return !config_.llm_url.empty(); }
  // The assistant's answer. 503 LLM_UNAVAILABLE when the API cannot be reached, 502 LLM_FAILED
  // for an answer that is not a 2xx chat completion.
  std::string complete(const std::vector<engines::llm::ChatMessage>& messages, int max_tokens = 800,
                       double temperature = 0.1) const;

 private:
  const core::Config& config_;
};

}  // namespace paperd::services::llm
