// GET/POST /docs/postman: a Postman collection v2.1 (CONTRACTS §2.11) generated from the route
// table: folders by category (A–Z after "🚀 Introduction & Basics"), one request per route and per
// pipeline tool variant, example bodies, and a test script newman can run.
#pragma once

#include "core/json.h"
#include "docs/catalog.h"

namespace paperd::docs {

inline constexpr std::string_view kPostmanSchema =
    "https://schema.getpostman.com/json/collection/v2.1.0/collection.json";
inline constexpr std::string_view kIntroFolder = "🚀 Introduction & Basics";

Json postman_collection(const Source& src);

}  // namespace paperd::docs
