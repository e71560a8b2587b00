// Brings a decoded page into the forms the OCR steps need: an upright-ready page image without
// colormap or alpha at 1, 8 or 32 bpp (what Tesseract and the PDF renderer take), an 8-bit gray
// copy and a 1-bit "ink" mask for measurements (lines, checkboxes, signatures, skew).
#pragma once

#include "engines/ocr/leptonica.h"

namespace paperd::engines::ocr {

// Resolution used when the file declares none or an implausible one.
inline constexpr int kDefaultDpi = 300;

// Removes colormap and alpha (blended on white) and widens 2/4/16-bit images to 8 bits.
// Returns the page's resolution in *dpi (declared, or kDefaultDpi) and sets it on the result.
PixPtr normalize_page(Pix* pix, int* dpi);
PixPtr to_gray(Pix* pix);
// 1 bpp, ink = 1: a global threshold on the gray value. Tesseract binarizes on its own for
// recognition; this mask only serves measurements, where a fixed threshold is predictable.
PixPtr to_binary(Pix* pix, int threshold = 160);
// The ink mask at about 150 dpi (halved from 250 dpi and up, any inked pixel kept): enough for
// orientation and blank-page tests, at a quarter of the pixels.
PixPtr ink_mask_150(Pix* pix, int dpi);
PixPtr reduce_ink_150(Pix* binary, int dpi);

}  // namespace paperd::engines::ocr
