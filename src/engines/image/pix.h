// A decoded Raster as a Leptonica Pix (1-bit when the page is only black and white, else 8-bit
// gray or 32-bit RGB; resolution set), for the engines that work on Pix (OCR, the whitepage scan).
#pragma once

#include <leptonica/allheaders.h>

#include <memory>

#include "engines/image/raster.h"

namespace paperd::engines::image {

struct PixFree {
  void operator()(Pix* p) const { pixDestroy(&p); }
};
using OwnedPix = std::unique_ptr<Pix, PixFree>;

// Throws core::Error (500) when Leptonica cannot allocate the image. Alpha, if any, is ignored:
// decode with Alpha::kComposite first.
OwnedPix to_pix(const Raster& raster);

}  // namespace paperd::engines::image
