// Skew of a page (the angle its text lines make with the horizontal, up to about ±12 degrees) and
// its correction, with Leptonica's sweep-and-search over the ink mask.
#pragma once

#include "engines/ocr/leptonica.h"

namespace paperd::engines::ocr {

struct Skew {
  double angle = 0;       // degrees the content is turned clockwise; 0 when not found
  double confidence = 0;  // Leptonica's score ratio; below kMinSkewConfidence means "not found"
};

inline constexpr double kMinSkewConfidence = 3.0;
inline constexpr double kMinDeskewAngle = 0.2;  // smaller angles are left alone

// binary: 1 bpp, ink = 1.
Skew find_skew(Pix* binary);
// Turns pix by `degrees` clockwise about its center, keeping its size and bringing in white.
PixPtr rotate_about_center(Pix* pix, double degrees);

}  // namespace paperd::engines::ocr
