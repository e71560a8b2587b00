#include "core/json_guard.h"

#include <gtest/gtest.h>

#include <string>

#include "core/error.h"

using paperd::Json;
using paperd::core::Error;
using paperd::core::JsonLimits;
using paperd::core::JsonShapeGuard;
using paperd::core::parse_untrusted_json;

namespace {

std::string nested(int depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

// The error a text draws, or "" when it passes.
std::string refusal(const std::string& text, JsonLimits limits = {}) {
  try {
    parse_untrusted_json(text, limits, "the body");
    return "";
  } catch (const Error& e) {
    return std::to_string(e.status()) + " " + e.code() + ": " + e.what();
  }
}

}  // namespace

TEST(JsonGuard, DepthUpToTheLimitParses) {
  EXPECT_EQ(refusal(nested(64)), "");
  EXPECT_EQ(parse_untrusted_json(nested(64)).dump().size(), 128u);
  EXPECT_EQ(refusal(nested(65)),
            "400 INVALID_REQUEST: the body nests arrays and objects deeper than 64 levels");
  EXPECT_EQ(refusal("{\"a\":" + nested(64) + "}").substr(0, 15), "400 INVALID_REQ");
}

TEST(JsonGuard, BracketsInsideStringsDoNotCount) {
  std::string deep_text = "{\"s\": \"" + std::string(1000, '[') + "\\\"[{\"}";
  EXPECT_EQ(refusal(deep_text), "");
  EXPECT_EQ(parse_untrusted_json(deep_text)["s"].get<std::string>().size(), 1003u);
  // An escaped backslash ends the escape: the quote after it closes the string.
  EXPECT_EQ(refusal("[\"\\\\\"," + nested(64) + "]").substr(0, 3), "400");
}

TEST(JsonGuard, TooManyValuesIs413NamingTheLimit) {
  std::string many = "[";
  for (int i = 0; i < 1000; ++i) many += "[],";
  many += "[]]";
  EXPECT_EQ(refusal(many, {.max_values = 5000}), "");
  EXPECT_EQ(refusal(many, {.max_values = 1500}),
            "413 INPUT_TOO_LARGE: the body holds more than 1500 values (arrays, objects and "
            "their elements), the limit");
}

TEST(JsonGuard, RefusesAtTheChunkThatCrossesTheLimit) {
  JsonShapeGuard guard;
  guard.feed(std::string(60, '['));
  guard.feed("\"]]]]]]]]\"");  // a string: no closing brackets
  EXPECT_THROW(guard.feed("[[[[[["), Error);
}

TEST(JsonGuard, MalformedJsonIsDiscardedNotThrown) {
  EXPECT_TRUE(parse_untrusted_json("{\"a\": ").is_discarded());
  EXPECT_TRUE(parse_untrusted_json("[1, 2,]").is_discarded());
  EXPECT_EQ(parse_untrusted_json("{\"a\": [1, {\"b\": null}]}")["a"][1]["b"], Json());
}
