// The request and answer of an OpenAI-compatible chat completions API (POST
// {base}/chat/completions): shaping only; the exchange goes through net/fetch in
// services/llm/chat_client. Used for RAG answers (services/dms) and, later, the premium
// translation tiers.
#pragma once

#include <string>
#include <vector>

namespace paperd::engines::llm {

struct ChatMessage {
  std::string role;  // system | user | assistant
  std::string content;
};

// {"model", "messages", "temperature", "max_tokens"}
std::string chat_request(const std::string& model, const std::vector<ChatMessage>& messages,
                         double temperature, int max_tokens);
// choices[0].message.content. Throws core::Error 502 LLM_FAILED naming what is wrong.
std::string parse_chat_response(const std::string& body);
// "{base}/chat/completions" (a base already ending so is kept).
std::string chat_endpoint(const std::string& base);

}  // namespace paperd::engines::llm
