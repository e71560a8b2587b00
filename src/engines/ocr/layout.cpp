#include "engines/ocr/layout.h"

#include <algorithm>
#include <regex>

namespace paperd::engines::ocr {

namespace {

int median(std::vector<int> v) {
  if (v.empty()) return 0;
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

std::string table_text(const Table& t) {
  std::string out;
  for (const auto& row : t.grid()) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) line += (c ? "\t" : "") + row[c];
    out += (out.empty() ? "" : "\n") + line;
  }
  return out;
}

}  // namespace

bool starts_list_item(const std::string& line) {
  // Bullets as Tesseract tends to read them ("•" often comes out as "e", "«" or "©").
  static const std::vector<std::string> bullets = {"•", "·", "-", "–", "—", "*", "▪", "■",
                                                   "◦", "‣", "●", "○", "o", "e", "«", "©",
                                                   "°", "+", "»", ">", "✓", "✔", "□", "☐"};
  auto space = line.find(' ');
  if (space == std::string::npos || space + 1 >= line.size()) return false;
  std::string first = line.substr(0, space);
  if (std::find(bullets.begin(), bullets.end(), first) != bullets.end()) return true;
  static const std::regex enumerator(
      R"(^(\(?([0-9]{1,3}|[a-zA-Z]|[ivxIVX]{1,4})[.)]|\([0-9a-zA-Z]{1,3}\))$)");
  return std::regex_match(first, enumerator);
}

std::vector<LayoutRegion> analyze_layout(const std::vector<OcrBlock>& blocks,
                                         const std::vector<Rect>& figures,
                                         const std::vector<Table>& tables, int page_height) {
  std::vector<LayoutRegion> out;
  std::vector<int> heights;
  for (const auto& b : blocks)
    for (const auto& l : b.lines) heights.push_back(l.box.h);
  int base = std::max(1, median(heights));
  for (const auto& b : blocks) {
    bool in_table = false;
    int area = std::max(1, b.box.w * b.box.h);
    for (const auto& t : tables) in_table |= overlap_area(t.box, b.box) * 2 > area;
    if (in_table) continue;
    LayoutRegion r{LayoutType::kParagraph, b.box, b.text()};
    int n = static_cast<int>(b.lines.size());
    int items = 0, min_h = 1 << 30;
    for (const auto& l : b.lines)
      min_h = std::min(min_h, l.box.h), items += starts_list_item(l.text);
    if (n <= 2 && b.box.bottom() <= page_height * 7 / 100)
      r.type = LayoutType::kHeader;
    else if (n <= 2 && b.box.y >= page_height * 93 / 100)
      r.type = LayoutType::kFooter;
    else if ((n <= 3 && min_h * 100 >= base * 135) ||
             (n <= 2 && b.kind == BlockKind::kHeading && min_h * 100 >= base * 115))
      r.type = LayoutType::kTitle;
    else if (items >= 1 && items * 10 >= n * 6)
      r.type = LayoutType::kList;
    out.push_back(std::move(r));
  }
  // Blocks come in Tesseract's reading order; tables and figures go before the first region
  // that starts below them.
  auto insert = [&](LayoutRegion r) {
    auto at = std::find_if(out.begin(), out.end(),
                           [&](const LayoutRegion& o) { return o.box.y > r.box.y; });
    out.insert(at, std::move(r));
  };
  for (const auto& t : tables) insert({LayoutType::kTable, t.box, table_text(t)});
  for (const auto& f : figures) insert({LayoutType::kFigure, f, ""});
  return out;
}

}  // namespace paperd::engines::ocr
