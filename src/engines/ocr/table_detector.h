// Tables of a page: grids of crossing ruling lines (cells bounded by lines), and, inside blocks
// that Tesseract's layout analysis marks as tables, grids from text alignment (rows from text
// lines, columns from vertical gutters no word crosses). Words are placed in the cell holding
// their center.
#pragma once

#include <vector>

#include "engines/ocr/page_result.h"
#include "engines/ocr/ruling_lines.h"

namespace paperd::engines::ocr {

// Every grid of ruling lines, as rows x cols cells; a lone rectangle is a 1 x 1 grid (a form box).
std::vector<Table> find_ruled_grids(const RulingLines& lines, int dpi,
                                    const std::vector<const OcrWord*>& words);

// Tables from alignment in blocks of kind kTable that no ruled grid already covers.
std::vector<Table> find_aligned_tables(const std::vector<OcrBlock>& blocks,
                                       const std::vector<Table>& ruled);

// The page's tables: ruled grids of at least 2 x 2 cells (or 2 x 1 / 1 x 2 with text in
// several cells) and aligned tables.
std::vector<Table> detect_tables(const RulingLines& lines, int dpi,
                                 const std::vector<OcrBlock>& blocks,
                                 std::vector<Table>* all_grids = nullptr);

// Words that are only a ruling line read as text ("|", "_", "—").
bool is_rule_artifact(const std::string& text);
// Text of the words whose centers fall inside `area`, in reading order.
std::string text_inside(const Rect& area, const std::vector<const OcrWord*>& words);

}  // namespace paperd::engines::ocr
