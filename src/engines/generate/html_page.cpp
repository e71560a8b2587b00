// The page wrapper and the default stylesheet.
#include "engines/generate/html_page.h"

#include <cctype>

namespace paperd::engines::generate {

const std::string_view kDocumentCss = R"CSS(
body { font-family: "Liberation Sans", Arial, sans-serif; font-size: 11pt; line-height: 1.45;
       color: #111; }
h1, h2, h3, h4 { line-height: 1.2; margin: 1.2em 0 0.5em; }
table { border-collapse: collapse; margin: 0.8em 0; }
th, td { border: 1px solid #999; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #eee; }
pre, code { font-family: "Liberation Mono", monospace; font-size: 9.5pt; }
pre { background: #f5f5f5; padding: 8px; white-space: pre-wrap; }
blockquote { border-left: 3px solid #ccc; margin-left: 0; padding-left: 12px; color: #444; }
img { max-width: 100%; }
)CSS";

bool is_full_document(std::string_view html) {
  size_t i = 0;
  while (i < html.size() && std::isspace(static_cast<unsigned char>(html[i]))) ++i;
  if (html.substr(i).starts_with("\xEF\xBB\xBF")) i += 3;  // a UTF-8 byte order mark
  std::string head;
  for (size_t j = i; j < html.size() && head.size() < 9; ++j)
    head += static_cast<char>(std::tolower(static_cast<unsigned char>(html[j])));
  return head.starts_with("<!doctype") || head.starts_with("<html");
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string html_page(std::string_view body, std::string_view title, std::string_view css) {
  std::string out = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">";
  if (!title.empty()) out += "<title>" + html_escape(title) + "</title>";
  if (!css.empty()) out += "<style>" + std::string(css) + "</style>";
  out += "</head><body>\n";
  out += body;
  out += "\n</body></html>\n";
  return out;
}

}  // namespace paperd::engines::generate
