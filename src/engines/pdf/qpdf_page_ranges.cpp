// Page range parsing: see qpdf_page_ranges.h.
#include "engines/pdf/qpdf_page_ranges.h"

#include <algorithm>
#include <cctype>
#include <climits>

#include "core/error.h"

namespace paperd::engines::pdf {

namespace {

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

// A page number, "z" (the last page) or "" (an open end); -1 for anything else.
int page_number(const std::string& s, int last_page) {
  if (s == "z" || s == "Z") return last_page;
  if (s.empty() || s.size() > 9) return -1;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return -1;
  return std::stoi(s);
}

}  // namespace

std::string PageRange::label() const {
  return first == last ? std::to_string(first) : std::to_string(first) + "-" + std::to_string(last);
}

std::vector<PageRange> parse_page_ranges(std::string_view spec, int page_count,
                                         std::string_view field, std::string_view document_name) {
  const bool known = page_count >= 0;
  const int last_page = known ? page_count : INT_MAX;
  auto fail = [&](const std::string& why) {
    return core::Error::invalid_request("field '" + std::string(field) + "': " + why +
                                        (document_name.empty()
                                             ? ""
                                             : " ('" + std::string(document_name) + "' has " +
                                                   std::to_string(page_count) + " pages)"));
  };
  std::vector<PageRange> out;
  size_t start = 0;
  const std::string text(spec);
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    const std::string part = trim(std::string_view(text).substr(start, comma - start));
    start = comma + 1;
    if (part.empty()) {
      if (comma == text.size() && !out.empty()) break;  // a trailing comma
      throw fail("empty page range in '" + text + "'; write e.g. 1-3,5,7-");
    }
    size_t dash = part.find('-');
    PageRange r;
    if (dash == std::string::npos) {
      r.first = r.last = page_number(part, last_page);
    } else {
      std::string a = trim(std::string_view(part).substr(0, dash));
      std::string b = trim(std::string_view(part).substr(dash + 1));
      r.first = a.empty() ? 1 : page_number(a, last_page);
      r.last = b.empty() ? last_page : page_number(b, last_page);
    }
    if (r.first < 0 || r.last < 0)
      throw fail("'" + part + "' is not a page range; write e.g. 1-3,5,7-");
    if (r.first == 0 || r.last == 0) throw fail("pages are numbered from 1, not 0");
    if (known && std::max(r.first, r.last) > page_count)
      throw fail("page " + std::to_string(std::max(r.first, r.last)) + " in '" + part +
                 "' is past the last page");
    if (r.first > r.last) throw fail("range '" + part + "' runs backwards");
    out.push_back(r);
    if (comma == text.size()) break;
  }
  return out;
}

}  // namespace paperd::engines::pdf
