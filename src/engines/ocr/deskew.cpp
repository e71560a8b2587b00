#include "engines/ocr/deskew.h"

#include <cmath>

#include "core/error.h"

namespace paperd::engines::ocr {

Skew find_skew(Pix* binary) {
  l_float32 angle = 0, conf = 0;
  // Sweep ±12 degrees in 1-degree steps at 1/4 resolution, then binary-search at 1/2 to 0.01.
  if (pixFindSkewSweepAndSearch(binary, &angle, &conf, 4, 2, 12.0f, 1.0f, 0.01f) != 0) return {};
  if (conf < kMinSkewConfidence) return {0, conf};
  // Leptonica answers with the clockwise turn that deskews; the content's skew is its opposite.
  return {-static_cast<double>(angle), conf};
}

PixPtr rotate_about_center(Pix* pix, double degrees) {
  PixPtr out(pixRotate(pix, static_cast<l_float32>(degrees * M_PI / 180.0), L_ROTATE_AREA_MAP,
                       L_BRING_IN_WHITE, 0, 0));
  if (!out) throw core::Error::internal("cannot rotate the page image");
  return out;
}

}  // namespace paperd::engines::ocr
