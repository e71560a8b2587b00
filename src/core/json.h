// JSON for the whole server is nlohmann::json; this header only names it once.
#pragma once

#include <nlohmann/json.hpp>

namespace paperd {
using Json = nlohmann::json;
}  // namespace paperd
