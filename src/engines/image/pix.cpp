#include "engines/image/pix.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace paperd::engines::image {

namespace {

bool bilevel(const Raster& r) {
  return r.channels == 1 && std::all_of(r.pixels.begin(), r.pixels.end(), [](char v) {
           return v == 0 || v == static_cast<char>(255);
         });
}

}  // namespace

OwnedPix to_pix(const Raster& r) {
  // Black-and-white pages (faxes, G4 scans) stay 1-bit, as Leptonica's own readers give them.
  const bool one_bit = bilevel(r);
  OwnedPix pix(pixCreate(r.width, r.height, one_bit ? 1 : r.channels == 1 ? 8 : 32));
  if (!pix) throw core::Error::internal("leptonica cannot allocate a page image");
  const auto* src = reinterpret_cast<const uint8_t*>(r.pixels.data());
  l_uint32* data = pixGetData(pix.get());
  const int wpl = pixGetWpl(pix.get());
  for (int y = 0; y < r.height; ++y) {
    l_uint32* line = data + static_cast<size_t>(y) * wpl;
    const uint8_t* row = src + static_cast<size_t>(y) * r.width * r.channels;
    if (one_bit) {
      for (int x = 0; x < r.width; ++x)
        if (row[x] == 0) SET_DATA_BIT(line, x);  // 1 is black
    } else if (r.channels == 1) {
      for (int x = 0; x < r.width; ++x) SET_DATA_BYTE(line, x, row[x]);
    } else {
      for (int x = 0; x < r.width; ++x)
        composeRGBPixel(row[x * 3], row[x * 3 + 1], row[x * 3 + 2], line + x);
    }
  }
  if (r.dpi_x > 0)
    pixSetResolution(pix.get(), static_cast<l_int32>(std::lround(r.dpi_x)),
                     static_cast<l_int32>(std::lround(r.dpi_y > 0 ? r.dpi_y : r.dpi_x)));
  return pix;
}

}  // namespace paperd::engines::image
