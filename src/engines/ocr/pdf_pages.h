// The OCR engine's bridge to PDF pages (engines/pdf, MuPDF): whether a page's text layer can be
// read instead of recognized (the born-digital fast path), that text layer as a PageResult in
// pixels at the page's render resolution, and rendered pages as Leptonica images.
#pragma once

#include "engines/ocr/leptonica.h"
#include "engines/ocr/page_result.h"
#include "engines/pdf/pdf_document.h"

namespace paperd::engines::ocr {

// At least this many letters or digits make a text layer worth reading.
inline constexpr int kMinTextLayerChars = 20;

// True when the page carries real text: enough letters and digits, and at most 10% U+FFFD
// (glyphs without a Unicode mapping, which only recognition can read).
bool usable_text_layer(const pdf::PageText& text);
// The text layer's blocks, lines and words with boxes converted from points to pixels at dpi;
// confidence 1, source "text_layer".
PageResult page_from_text_layer(const pdf::PageText& text, double dpi);
// 8-bit gray when every pixel is gray (a scan), 32-bit RGB otherwise; resolution set.
PixPtr raster_to_pix(const pdf::Raster& raster);

}  // namespace paperd::engines::ocr
