#include "engines/scan/separator.h"

#include <algorithm>
#include <cctype>

#include "core/error.h"

namespace paperd::engines::scan {

namespace {

std::string upper_trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

SeparatorMatcher::SeparatorMatcher(std::string_view spec) {
  size_t start = 0;
  while (start <= spec.size()) {
    size_t comma = spec.find(',', start);
    if (comma == std::string_view::npos) comma = spec.size();
    std::string p = upper_trimmed(spec.substr(start, comma - start));
    if (!p.empty() && p != "*") patterns_.push_back(std::move(p));
    start = comma + 1;
  }
  if (patterns_.empty())
    throw core::Error::invalid_request(
        "field 'separator_code' must name at least one code value (e.g. PATCHT or SEP*)");
}

bool SeparatorMatcher::matches(std::string_view value) const {
  std::string v = upper_trimmed(value);
  for (const auto& p : patterns_) {
    if (p.back() == '*' ? v.starts_with(std::string_view(p).substr(0, p.size() - 1)) : v == p)
      return true;
  }
  return false;
}

std::vector<Segment> segment_pages(const std::vector<PageMark>& pages,
                                   const SegmentOptions& options) {
  std::vector<Segment> segments;
  std::vector<int> current;
  auto close = [&] {
    if (current.empty()) return;
    segments.push_back({current, page_range(current)});
    current.clear();
  };
  for (size_t i = 0; i < pages.size(); ++i) {
    const PageMark& m = pages[i];
    if (m.separator || (m.blank && options.split_on_blank)) {
      close();
      continue;
    }
    if (m.blank && options.drop_blank) continue;
    current.push_back(static_cast<int>(i) + 1);
  }
  close();
  return segments;
}

std::string page_range(const std::vector<int>& pages) {
  std::string out;
  for (size_t i = 0; i < pages.size();) {
    size_t j = i;
    while (j + 1 < pages.size() && pages[j + 1] == pages[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += std::to_string(pages[i]);
    if (j > i) out += '-' + std::to_string(pages[j]);
    i = j + 1;
  }
  return out;
}

}  // namespace paperd::engines::scan
