// A PDF page's text as the office writers need it: paragraphs (MuPDF's text blocks, in reading
// order) and detected tables, each placed where its first line falls in the reading order, with
// an estimated font size and whether a paragraph's lines are running text (reflowable) or kept
// as separate lines (addresses, headings, lists).
#pragma once

#include <string>
#include <vector>

#include "engines/office/table_detector.h"
#include "engines/pdf/pdf_document.h"

namespace paperd::engines::office {

struct Paragraph {
  pdf::Box box;
  std::vector<std::string> lines;
  std::vector<pdf::Box> line_boxes;
  double font_size = 11;  // points, estimated from the line heights
  // Running text: the lines fill the block's width, so joining them with spaces re-flows the
  // paragraph. Otherwise each line stays a line of its own.
  bool reflow = false;
  // The text with lines joined per `reflow` ("\n" between kept lines).
  std::string text() const;
};

struct LayoutItem {
  enum class Kind { kParagraph, kTable } kind = Kind::kParagraph;
  Paragraph paragraph;
  Table table;
};

struct PageLayout {
  double width = 0, height = 0;
  std::vector<LayoutItem> items;
};

PageLayout layout_page(const pdf::PageText& page, const TableOptions& options = {});

// The page as plain text: lines in reading order, a blank line only between blocks that are
// visibly apart (a vertical gap of more than half a line height: an empty line), so lines MuPDF put
// in separate blocks because of generous line spacing still read as one paragraph.
std::string page_plain_text(const pdf::PageText& page);

// Font size in points from a MuPDF line box height (which spans the font's ascender and
// descender), rounded to half points and kept within 4..96.
double font_size_from_height(double line_height);

}  // namespace paperd::engines::office
