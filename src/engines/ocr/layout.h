// Layout regions of a page (title, paragraph, list, table, figure, header, footer) from the
// recognized blocks, the image regions and the tables found on it. Rules, in order: a block mostly
// inside a table belongs to that table; a short block in the top (bottom) 7% of the page is a
// header (footer); a block of at most 3 lines, each at least 1.35x the page's median line height
// (1.15x for at most 2 lines Tesseract marks as a heading), is a title; a block whose lines mostly
// start with a bullet or an enumerator is a list; anything else is a paragraph.
#pragma once

#include <vector>

#include "engines/ocr/page_result.h"

namespace paperd::engines::ocr {

std::vector<LayoutRegion> analyze_layout(const std::vector<OcrBlock>& blocks,
                                         const std::vector<Rect>& figures,
                                         const std::vector<Table>& tables, int page_height);

// True when a line starts like a list item: "•", "-", "1.", "a)", "(iv)", ...
bool starts_list_item(const std::string& line);

}  // namespace paperd::engines::ocr
