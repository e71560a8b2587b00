// Separator sheets and document boundaries: which code values mark a separator page, and how a
// stream of pages falls into segments (documents) between separator pages and, when asked,
// between blank pages. Separator pages themselves belong to no segment.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace paperd::engines::scan {

// The default separator code: the value "PATCHT" that separator-sheet barcodes commonly carry
// (named after the Patch T sheet of document scanners, which means "new document").
inline constexpr std::string_view kDefaultSeparatorCode = "PATCHT";

class SeparatorMatcher {
 public:
  // A comma-separated list of code values. An entry matches a value equal to it; an entry
  // ending in '*' matches values starting with the rest ("SEP*" matches "SEP-0001"). Comparison
  // ignores ASCII case and surrounding spaces. Throws Error::invalid_request on an empty list.
  explicit SeparatorMatcher(std::string_view spec = kDefaultSeparatorCode);
  bool matches(std::string_view value) const;
  const std::vector<std::string>& patterns() const { return patterns_; }

 private:
  std::vector<std::string> patterns_;  // upper-cased, '*' kept
};

struct PageMark {
  bool blank = false;
  bool separator = false;  // carries a separator code
};

struct SegmentOptions {
  bool split_on_blank = false;  // a blank page is a boundary (and, like a separator, dropped)
  bool drop_blank = false;      // blank pages are left out of segments without splitting
};

struct Segment {
  std::vector<int> pages;  // 1-based page numbers in the stream
  std::string page_range;  // "1-3", or "1-3,5" when pages were dropped inside
};

// Empty segments (two separators in a row, a separator first or last) are not reported.
std::vector<Segment> segment_pages(const std::vector<PageMark>& pages,
                                   const SegmentOptions& options);

// "1-3,5,7-8" for sorted page numbers.
std::string page_range(const std::vector<int>& pages);

}  // namespace paperd::engines::scan
