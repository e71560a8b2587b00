// Markdown → HTML with cmark-gfm: CommonMark plus the GFM tables, strikethrough, autolinks and
// task lists. Raw HTML in the Markdown is not passed through (cmark's safe mode omits it), so
// Markdown from a client cannot smuggle scripts or markup into the page. Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace paperd::engines::generate {

// An HTML fragment (no <html> or <head>) for the Markdown text.
std::string markdown_to_html(std::string_view markdown);

}  // namespace paperd::engines::generate
