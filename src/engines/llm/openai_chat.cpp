#include "engines/llm/openai_chat.h"

#include "core/error.h"
#include "core/json.h"
#include "core/json_guard.h"

namespace paperd::engines::llm {

namespace {
core::Error failed(const std::string& why) {
  return {502, "LLM_FAILED", "the chat API (llm_url) answered badly: " + why};
}
}  // namespace

std::string chat_request(const std::string& model, const std::vector<ChatMessage>& messages,
                         double temperature, int max_tokens) {
  Json list = Json::array();
  for (const auto& m : messages) list.push_back({{"role", m.role}, {"content", m.content}});
  return Json{{"model", model},
              {"messages", list},
              {"temperature", temperature},
              {"max_tokens", max_tokens}}
      .dump();
}

std::string parse_chat_response(const std::string& body) {
  Json j;
  try {
    j = core::parse_untrusted_json(body, {.max_depth = 32, .max_values = 100000},
                                   "the chat answer");
  } catch (const core::Error& e) {
    throw failed(e.what());
  }
  if (!j.is_object() || !j.contains("choices") || !j["choices"].is_array() || j["choices"].empty())
    throw failed("no choices[]");
  const Json& first = j["choices"][0];
  if (!first.is_object() || !first.contains("message") || !first["message"].is_object())
    throw failed("choices[0] has no message");
  const Json& content = first["message"].value("content", Json());
  if (!content.is_string()) throw failed("choices[0].message.content is not a string");
  return content.get<std::string>();
}

std::string chat_endpoint(const std::string& base) {
  std::string b = base;
  while (!b.empty() && b.back() == '/') b.pop_back();
  return b.ends_with("/chat/completions") ? b : b + "/chat/completions";
}

}  // namespace paperd::engines::llm
