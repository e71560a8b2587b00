// Ruling lines of a page: long thin horizontal and vertical ink runs (table borders, form boxes,
// signature and fill-in lines), found by morphological opening of the ink mask with long bricks.
#pragma once

#include <vector>

#include "engines/ocr/leptonica.h"
#include "engines/ocr/page_result.h"

namespace paperd::engines::ocr {

struct RulingLines {
  PixPtr horizontal, vertical;  // 1 bpp masks of the lines alone
  std::vector<Rect> h_segments, v_segments;
};

// binary: 1 bpp ink mask of the page at dpi. Horizontal lines are at least ~0.4 in long,
// vertical ones ~0.3 in, so text strokes do not qualify.
RulingLines find_ruling_lines(Pix* binary, int dpi);

// Bounding boxes of the 8-connected components of a 1 bpp image.
std::vector<Rect> components(Pix* binary);

}  // namespace paperd::engines::ocr
