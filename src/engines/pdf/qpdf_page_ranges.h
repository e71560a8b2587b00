// Page selections as clients write them: "1-3,5,7-" (an open end runs to the last page, "z" is
// the last page), used by split (one output per range) and rotate (the pages to turn).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace paperd::engines::pdf {

struct PageRange {
  int first = 1, last = 1;  // 1-based, inclusive, first <= last
  // "5" for one page, "1-3" otherwise: the suffix of a split output's file name.
  std::string label() const;
};

// Parses spec against a document of page_count pages. Throws core::Error::invalid_request
// naming `field` and, when given, the document: bad syntax, page 0, a reversed range, or a page
// past the end. page_count < 0 checks the syntax only (open ends stay unresolved).
std::vector<PageRange> parse_page_ranges(std::string_view spec, int page_count,
                                         std::string_view field,
                                         std::string_view document_name = "");

}  // namespace paperd::engines::pdf
