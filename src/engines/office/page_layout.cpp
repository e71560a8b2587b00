// Page layout for the office writers; see page_layout.h.
#include "engines/office/page_layout.h"

#include <algorithm>
#include <cmath>

namespace paperd::engines::office {

namespace {

bool inside(const pdf::Box& line, const Table& t) {
  double cx = (line.x0 + line.x1) / 2, cy = (line.y0 + line.y1) / 2;
  return cy >= t.box.y0 && cy <= t.box.y1 && cx >= t.box.x0 && cx <= t.box.x1;
}

void finish(Paragraph& p, std::vector<LayoutItem>& items) {
  if (p.lines.empty()) return;
  std::vector<double> heights;
  p.box = p.line_boxes.front();
  for (const auto& b : p.line_boxes) {
    heights.push_back(b.y1 - b.y0);
    p.box = {std::min(p.box.x0, b.x0), std::min(p.box.y0, b.y0), std::max(p.box.x1, b.x1),
             std::max(p.box.y1, b.y1)};
  }
  std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
  p.font_size = font_size_from_height(heights[heights.size() / 2]);
  // Running text: every line but the last reaches (nearly) the paragraph's right edge.
  double width = p.box.x1 - p.box.x0;
  p.reflow = p.lines.size() >= 2;
  for (size_t i = 0; i + 1 < p.line_boxes.size() && p.reflow; ++i)
    if (p.box.x1 - p.line_boxes[i].x1 > 0.15 * width) p.reflow = false;
  items.push_back({LayoutItem::Kind::kParagraph, std::move(p), {}});
  p = Paragraph{};
}

}  // namespace

double font_size_from_height(double line_height) {
  // MuPDF's line box spans the font's ascender to descender: from about 1.1 em (Arial,
  // Liberation) to 1.4 em (the base-14 substitutes); 1.25 is within 12% of both.
  double size = std::round(line_height / 1.25 * 2) / 2;
  return std::clamp(size, 4.0, 96.0);
}

std::string Paragraph::text() const {
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i) {
      bool hyphen = reflow && !out.empty() && out.back() == '-';
      if (!reflow)
        out += '\n';
      else if (!hyphen)
        out += ' ';
    }
    out += lines[i];
  }
  return out;
}

std::string page_plain_text(const pdf::PageText& page) {
  std::string out;
  const pdf::TextLine* prev = nullptr;
  for (const auto& block : page.blocks) {
    for (size_t i = 0; i < block.lines.size(); ++i) {
      const pdf::TextLine& line = block.lines[i];
      if (prev) {
        double height = prev->box.y1 - prev->box.y0;
        bool apart = line.box.y0 - prev->box.y1 > 0.5 * height || line.box.y1 < prev->box.y0;
        out += (i == 0 && apart) ? "\n\n" : "\n";
      }
      out += line.text;
      prev = &line;
    }
  }
  return out;
}

PageLayout layout_page(const pdf::PageText& page, const TableOptions& options) {
  PageLayout out;
  out.width = page.width;
  out.height = page.height;
  std::vector<Table> tables = detect_tables(page, options);
  std::vector<bool> placed(tables.size(), false);
  for (const auto& block : page.blocks) {
    Paragraph p;
    for (const auto& line : block.lines) {
      int in_table = -1;
      for (size_t t = 0; t < tables.size(); ++t)
        if (inside(line.box, tables[t])) in_table = static_cast<int>(t);
      if (in_table < 0) {
        p.lines.push_back(line.text);
        p.line_boxes.push_back(line.box);
        continue;
      }
      finish(p, out.items);
      if (!placed[in_table]) {
        placed[in_table] = true;
        out.items.push_back({LayoutItem::Kind::kTable, {}, tables[in_table]});
      }
    }
    finish(p, out.items);
  }
  return out;
}

}  // namespace paperd::engines::office
