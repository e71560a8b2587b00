// The web pages paperd serves itself, compiled in from web/ (cmake/embed_web.cmake): the signing
// page (index.html with its stylesheet and script put in place by api/signatures.cpp).
#pragma once

#include <string_view>

namespace paperd::web {

extern const std::string_view kSignHtml;
extern const std::string_view kSignCss;
extern const std::string_view kSignJs;

}  // namespace paperd::web
