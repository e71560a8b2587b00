// The chat completions request and answer shaping of engines/llm.
#include "engines/llm/openai_chat.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/json.h"

using namespace paperd::engines::llm;
using paperd::Json;

TEST(OpenAiChat, RequestCarriesModelMessagesAndLimits) {
  Json j = Json::parse(
      chat_request("m1", {{"system", "be brief"}, {"user", "Frage: \"warum?\""}}, 0.1, 300));
  EXPECT_EQ(j["model"], "m1");
  ASSERT_EQ(j["messages"].size(), 2u);
  EXPECT_EQ(j["messages"][1]["role"], "user");
  EXPECT_EQ(j["messages"][1]["content"], "Frage: \"warum?\"");
  EXPECT_EQ(j["max_tokens"], 300);
  EXPECT_DOUBLE_EQ(j["temperature"].get<double>(), 0.1);
}

TEST(OpenAiChat, AnswerIsTheFirstChoicesContent) {
  EXPECT_EQ(parse_chat_response(
                R"({"choices":[{"index":0,"message":{"role":"assistant","content":"Ja [1]."}}]})"),
            "Ja [1].");
}

TEST(OpenAiChat, MalformedAnswersAre502NamingWhatIsWrong) {
  for (const char* body : {"not json", "{}", R"({"choices":[]})", R"({"choices":[{}]})",
                           R"({"choices":[{"message":{"content":42}}]})", "[1,2]"}) {
    try {
      parse_chat_response(body);
      ADD_FAILURE() << body;
    } catch (const paperd::core::Error& e) {
      EXPECT_EQ(e.status(), 502) << body;
      EXPECT_EQ(e.code(), "LLM_FAILED") << body;
      EXPECT_NE(std::string(e.what()).find("llm_url"), std::string::npos) << body;
    }
  }
}

TEST(OpenAiChat, EndpointOfABaseUrl) {
  EXPECT_EQ(chat_endpoint("http://h/v1"), "http://h/v1/chat/completions");
  EXPECT_EQ(chat_endpoint("http://h/v1/"), "http://h/v1/chat/completions");
  EXPECT_EQ(chat_endpoint("http://h/v1/chat/completions"), "http://h/v1/chat/completions");
}
