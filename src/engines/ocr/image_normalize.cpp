#include "engines/ocr/image_normalize.h"

#include "core/error.h"

namespace paperd::engines::ocr {

PixPtr normalize_page(Pix* pix, int* dpi) {
  PixPtr out;
  if (pixGetColormap(pix))
    out.reset(pixRemoveColormap(pix, REMOVE_CMAP_BASED_ON_SRC));
  else
    out = pix_clone(pix);
  if (!out) throw core::Error::internal("cannot remove the image's colormap");
  int depth = pixGetDepth(out.get());
  if (depth == 32 && pixGetSpp(out.get()) == 4) {
    out.reset(pixAlphaBlendUniform(out.get(), 0xffffff00));
    if (out) pixSetSpp(out.get(), 3);
  } else if (depth == 2 || depth == 4 || depth == 16) {
    out.reset(pixConvertTo8(out.get(), 0));
  } else if (depth == 24) {
    out.reset(pixConvert24To32(out.get()));
  }
  if (!out) throw core::Error::internal("cannot convert the image to 8 or 32 bits");
  int xres = pixGetXRes(out.get()), yres = pixGetYRes(out.get());
  int res = yres > 0 ? yres : xres;
  // Files often carry 72 or 96 "dpi" for scans that are really 200-600; trust only the usual
  // scanner range and fall back to 300, which suits Tesseract's size expectations best.
  if (res < 100 || res > 1200) res = kDefaultDpi;
  if (pixGetXRes(out.get()) != res || pixGetYRes(out.get()) != res) {
    if (out.get() == pix) out.reset(pixCopy(nullptr, pix));  // never change the caller's pix
    pixSetResolution(out.get(), res, res);
  }
  *dpi = res;
  return out;
}

PixPtr to_gray(Pix* pix) {
  PixPtr g(pixGetDepth(pix) == 8 && !pixGetColormap(pix) ? pixClone(pix) : pixConvertTo8(pix, 0));
  if (!g) throw core::Error::internal("cannot convert the page to gray");
  return g;
}

PixPtr to_binary(Pix* pix, int threshold) {
  if (pixGetDepth(pix) == 1) return pix_clone(pix);
  PixPtr gray = to_gray(pix);
  PixPtr bin(pixThresholdToBinary(gray.get(), threshold));
  if (!bin) throw core::Error::internal("cannot binarize the page");
  return bin;
}

PixPtr reduce_ink_150(Pix* binary, int dpi) {
  PixPtr out(dpi >= 250 ? pixReduceRankBinaryCascade(binary, 1, 0, 0, 0) : pixClone(binary));
  if (!out) throw core::Error::internal("cannot reduce the page's ink mask");
  return out;
}

PixPtr ink_mask_150(Pix* pix, int dpi) {
  return reduce_ink_150(to_binary(pix).get(), dpi);
}

}  // namespace paperd::engines::ocr
