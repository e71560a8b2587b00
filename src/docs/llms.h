// GET /docs/llms.txt (the index in the seed's format: title, Quick Start, one line per route and
// pipeline tool variant by category) and GET /docs/llms-full.txt (every row with its parameters and
// answer shape), both generated from the route table.
#pragma once

#include <string>

#include "docs/catalog.h"

namespace paperd::docs {

std::string llms_index(const Source& src);
std::string llms_full(const Source& src);

// One index line: "- **<title>** — `<METHOD> <path>` — <summary>".
std::string index_line(const Operation& op);

}  // namespace paperd::docs
