// Turning pages: adds to each page's /Rotate (as viewers and `qpdf --rotate=+N` do), so a page
// already shown sideways turns further rather than being reset.
#pragma once

#include <vector>

#include "engines/pdf/qpdf_document.h"
#include "engines/pdf/qpdf_page_ranges.h"

namespace paperd::engines::pdf {

// Rotates the pages in ranges (every page when empty) by angle (90, 180 or 270, clockwise) in
// doc's memory; write the result with write_pdf. Returns the 1-based pages turned, ascending.
std::vector<int> rotate_pages(const QpdfDocument& doc, const std::vector<PageRange>& ranges,
                              int angle);

// The effective /Rotate of every page (0, 90, 180 or 270), inherited values included.
std::vector<int> page_rotations(const QpdfDocument& doc);

}  // namespace paperd::engines::pdf
