// Wraps an HTML fragment (rendered Markdown, a template without <html>) into a whole UTF-8 page
// for printing, and the stylesheet generated documents get by default (readable type, ruled
// tables, code blocks).
#pragma once

#include <string>
#include <string_view>

namespace paperd::engines::generate {

// The default print stylesheet for Markdown and HTML content.
extern const std::string_view kDocumentCss;

// True when html is already a whole document (<!DOCTYPE or <html> before any content).
bool is_full_document(std::string_view html);

// <!DOCTYPE html><html><head><meta charset=utf-8><title>…</title><style>css</style></head>
// <body>body</body></html>, the title HTML-escaped.
std::string html_page(std::string_view body, std::string_view title, std::string_view css);

// &, <, >, " and ' as entities.
std::string html_escape(std::string_view text);

}  // namespace paperd::engines::generate
