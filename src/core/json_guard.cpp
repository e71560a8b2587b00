#include "core/json_guard.h"

#include <string>

#include "core/error.h"

namespace paperd::core {

JsonShapeGuard::JsonShapeGuard(JsonLimits limits, std::string_view what)
    : limits_(limits), what_(what) {}

void JsonShapeGuard::feed(std::string_view chunk) {
  for (char c : chunk) {
    if (in_string_) {
      if (escaped_)
        escaped_ = false;
      else if (c == '\\')
        escaped_ = true;
      else if (c == '"')
        in_string_ = false;
      continue;
    }
    switch (c) {
      case '"':
        in_string_ = true;
        break;
      case '[':
      case '{':
        if (++depth_ > limits_.max_depth)
          throw Error::invalid_request(std::string(what_) +
                                       " nests arrays and objects deeper than " +
                                       std::to_string(limits_.max_depth) + " levels");
        [[fallthrough]];
      case ',':
        if (++values_ > limits_.max_values)
          throw Error::input_too_large(std::string(what_) + " holds more than " +
                                       std::to_string(limits_.max_values) +
                                       " values (arrays, objects and their elements), the limit");
        break;
      case ']':
      case '}':
        if (depth_ > 0) --depth_;
        break;
      default:
        break;
    }
  }
}

Json parse_untrusted_json(std::string_view text, JsonLimits limits, std::string_view what) {
  JsonShapeGuard guard(limits, what);
  guard.feed(text);
  return Json::parse(text, nullptr, false);
}

}  // namespace paperd::core
