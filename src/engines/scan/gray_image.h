// The page picture every scan engine works on: 8-bit gray pixels with the resolution they were
// scanned or rendered at, plus the Leptonica handle type (PixPtr) and the conversions between the
// two. Sources (image files, rendered PDF pages) produce GrayImages; detectors only read them.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

struct Pix;

namespace paperd::engines::scan {

// Rows top to bottom, stride = width, 0 = black, 255 = white.
struct GrayImage {
  int width = 0, height = 0;
  double dpi = 0;  // known or estimated (see estimate_dpi); never 0 after a source made it
  std::vector<uint8_t> pixels;
};

struct PixDeleter {
  void operator()(Pix* pix) const;
};
using PixPtr = std::unique_ptr<Pix, PixDeleter>;

// Takes ownership of a PIX returned by Leptonica; throws Error::internal naming `what` if null.
PixPtr own_pix(Pix* pix, const char* what);

// Any depth and colour map → 8-bit gray GrayImage (transparent parts become white). `dpi` overrides
// the PIX's own resolution when > 0.
GrayImage gray_from_pix(Pix* pix, double dpi = 0);
// An 8-bpp PIX holding the same pixels.
PixPtr pix_from_gray(const GrayImage& image);
// Resized copy (area-averaged when shrinking, pixels replicated for whole enlargements,
// interpolated otherwise); dpi scales along.
GrayImage scale_gray(const GrayImage& image, double factor);

// A plausible resolution when a file does not say: the long side is taken to be an A4 page's
// 11.69 in, clamped to 72..1200 dpi. Declared resolutions outside 50..2400, or that make the
// page longer than 24 in, are treated as unknown.
double estimate_dpi(int width, int height, double declared);

}  // namespace paperd::engines::scan
