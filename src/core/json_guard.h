// Parsing JSON that arrives from outside (request bodies, JSON-valued parameters, JSON-RPC).
// A body's bytes are checked before the parser builds anything: nesting deeper than max_depth is
// refused with 400 INVALID_REQUEST and more than max_values values with 413 INPUT_TOO_LARGE, both
// naming the limit, at the byte where the limit is crossed. The parser then never builds more
// than a small multiple of the body (an empty array costs nlohmann about 70 bytes, so 3 bytes of
// "[]," would otherwise cost 25 times their size), and never recurses deeper than max_depth.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/json.h"

namespace paperd::core {

struct JsonLimits {
  int max_depth = 64;
  uint64_t max_values = 100000;  // arrays, objects and the elements of either
};

// Checks JSON text chunk by chunk, as it arrives; it does not validate the grammar (the parser
// does), only what the grammar would make the parser build. `what` names the text in messages
// ("the JSON body", "field 'pages'").
class JsonShapeGuard {
 public:
  explicit JsonShapeGuard(JsonLimits limits = {}, std::string_view what = "the JSON body");
  // Throws core::Error as described above.
  void feed(std::string_view chunk);

 private:
  JsonLimits limits_;
  std::string_view what_;
  int depth_ = 0;
  uint64_t values_ = 0;
  bool in_string_ = false;
  bool escaped_ = false;
};

// Checks `text` with a JsonShapeGuard, then parses it; malformed JSON gives a discarded value
// (is_discarded()), as Json::parse(text, nullptr, false) does, so callers keep their own message.
Json parse_untrusted_json(std::string_view text, JsonLimits limits = {},
                          std::string_view what = "the JSON body");

}  // namespace paperd::core
