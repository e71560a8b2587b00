#include "engines/scan/gray_image.h"

#include <leptonica/allheaders.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.h"

namespace paperd::engines::scan {

void PixDeleter::operator()(Pix* pix) const {
  if (pix) pixDestroy(&pix);
}

PixPtr own_pix(Pix* pix, const char* what) {
  if (!pix) throw core::Error::internal(std::string("leptonica failed: ") + what);
  return PixPtr(pix);
}

double estimate_dpi(int width, int height, double declared) {
  double long_side = std::max(width, height);
  // Many writers put a default 72 dpi into scans; a declared resolution that makes the page
  // longer than 24 in (bigger than A2's short side) is not believed.
  if (declared >= 50 && declared <= 2400 && long_side / declared <= 24) return declared;
  return std::clamp(long_side / 11.69, 72.0, 1200.0);
}

GrayImage gray_from_pix(Pix* pix, double dpi) {
  // Transparent parts are paper: blend RGBA over white (their RGB is often black).
  PixPtr opaque;
  // A palette image is its colours, not its indexes (a two-colour GIF may list the dark one
  // first, which pixConvertTo8 would read as white).
  PixPtr uncoloured;
  if (pixGetColormap(pix)) {
    uncoloured = own_pix(pixRemoveColormap(pix, REMOVE_CMAP_BASED_ON_SRC), "apply a colour map");
    pix = uncoloured.get();
  }
  if (pixGetDepth(pix) == 32 && pixGetSpp(pix) == 4)
    opaque = own_pix(pixAlphaBlendUniform(pix, 0xffffff00), "blend transparency over white");
  PixPtr gray = own_pix(pixConvertTo8(opaque ? opaque.get() : pix, 0), "convert to 8-bit gray");
  GrayImage out;
  out.width = static_cast<int>(pixGetWidth(gray.get()));
  out.height = static_cast<int>(pixGetHeight(gray.get()));
  out.dpi = estimate_dpi(out.width, out.height, dpi > 0 ? dpi : pixGetXRes(pix));
  out.pixels.resize(static_cast<size_t>(out.width) * out.height);
  l_uint32* data = pixGetData(gray.get());
  int wpl = pixGetWpl(gray.get());
  for (int y = 0; y < out.height; ++y) {
    l_uint32* line = data + static_cast<size_t>(y) * wpl;
    uint8_t* row = out.pixels.data() + static_cast<size_t>(y) * out.width;
    for (int x = 0; x < out.width; ++x) row[x] = GET_DATA_BYTE(line, x);
  }
  return out;
}

PixPtr pix_from_gray(const GrayImage& image) {
  PixPtr pix = own_pix(pixCreate(image.width, image.height, 8), "allocate a gray image");
  int res = static_cast<int>(std::lround(image.dpi));
  pixSetResolution(pix.get(), res, res);
  l_uint32* data = pixGetData(pix.get());
  int wpl = pixGetWpl(pix.get());
  for (int y = 0; y < image.height; ++y) {
    l_uint32* line = data + static_cast<size_t>(y) * wpl;
    const uint8_t* row = image.pixels.data() + static_cast<size_t>(y) * image.width;
    for (int x = 0; x < image.width; ++x) SET_DATA_BYTE(line, x, row[x]);
  }
  return pix;
}

GrayImage scale_gray(const GrayImage& image, double factor) {
  PixPtr pix = pix_from_gray(image);
  auto f = static_cast<l_float32>(factor);
  int whole = static_cast<int>(factor);
  // Whole enlargements replicate pixels: interpolation blurs 1-pixel code modules away.
  Pix* scaled = factor < 1        ? pixScaleAreaMap(pix.get(), f, f)
                : whole == factor ? pixExpandReplicate(pix.get(), whole)
                                  : pixScaleGrayLI(pix.get(), f, f);
  PixPtr owned = own_pix(scaled, "scale a page");
  return gray_from_pix(owned.get(), image.dpi * factor);
}

}  // namespace paperd::engines::scan
