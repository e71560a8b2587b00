#include "engines/ocr/page_result.h"

#include <algorithm>

namespace paperd::engines::ocr {

Rect unite(const Rect& a, const Rect& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  int x0 = std::min(a.x, b.x), y0 = std::min(a.y, b.y);
  int x1 = std::max(a.right(), b.right()), y1 = std::max(a.bottom(), b.bottom());
  return {x0, y0, x1 - x0, y1 - y0};
}

int overlap_area(const Rect& a, const Rect& b) {
  int w = std::min(a.right(), b.right()) - std::max(a.x, b.x);
  int h = std::min(a.bottom(), b.bottom()) - std::max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

bool contains_point(const Rect& r, int x, int y) {
  return x >= r.x && x < r.right() && y >= r.y && y < r.bottom();
}

std::string OcrBlock::text() const {
  std::string out;
  for (const auto& line : lines) {
    if (!out.empty()) out += '\n';
    out += line.text;
  }
  return out;
}

double OcrBlock::confidence() const {
  double sum = 0;
  int n = 0;
  for (const auto& line : lines)
    for (const auto& w : line.words) sum += w.confidence, ++n;
  return n ? sum / n : 0;
}

const char* layout_type_name(LayoutType t) {
  switch (t) {
    case LayoutType::kTitle:
      return "title";
    case LayoutType::kParagraph:
      return "paragraph";
    case LayoutType::kList:
      return "list";
    case LayoutType::kTable:
      return "table";
    case LayoutType::kFigure:
      return "figure";
    case LayoutType::kHeader:
      return "header";
    case LayoutType::kFooter:
      return "footer";
  }
  return "paragraph";
}

std::vector<std::vector<std::string>> Table::grid() const {
  std::vector<std::vector<std::string>> out(rows, std::vector<std::string>(cols));
  for (const auto& c : cells)
    if (c.row < rows && c.col < cols) out[c.row][c.col] = c.text;
  return out;
}

std::string PageResult::text() const {
  std::string out;
  for (const auto& b : blocks) {
    std::string t = b.text();
    if (t.empty()) continue;
    if (!out.empty()) out += "\n\n";
    out += t;
  }
  return out;
}

int PageResult::line_count() const {
  int n = 0;
  for (const auto& b : blocks)
    for (const auto& l : b.lines) n += l.text.empty() ? 0 : 1;
  return n;
}

int PageResult::char_count() const {
  int n = 0;
  for (const auto& b : blocks)
    for (const auto& l : b.lines)
      for (unsigned char c : l.text) n += (c & 0xC0) != 0x80;  // count UTF-8 lead bytes
  return n;
}

double PageResult::confidence() const {
  double sum = 0;
  int n = 0;
  for (const auto& b : blocks)
    for (const auto& l : b.lines)
      for (const auto& w : l.words) sum += w.confidence, ++n;
  return n ? sum / n : 0;
}

std::vector<const OcrWord*> PageResult::words() const {
  std::vector<const OcrWord*> out;
  for (const auto& b : blocks)
    for (const auto& l : b.lines)
      for (const auto& w : l.words) out.push_back(&w);
  return out;
}

}  // namespace paperd::engines::ocr
