// RAII owners for Leptonica objects (Pix, Box, Boxa). Leptonica hands out raw pointers that must be
// destroyed with its own functions; these unique_ptr aliases make every one of them scope-bound.
#pragma once

#include <leptonica/allheaders.h>

#include <memory>

namespace paperd::engines::ocr {

struct PixDeleter {
  void operator()(Pix* p) const { pixDestroy(&p); }
};
struct BoxaDeleter {
  void operator()(Boxa* b) const { boxaDestroy(&b); }
};
struct BoxDeleter {
  void operator()(Box* b) const { boxDestroy(&b); }
};
using PixPtr = std::unique_ptr<Pix, PixDeleter>;
using BoxaPtr = std::unique_ptr<Boxa, BoxaDeleter>;
using BoxPtr = std::unique_ptr<Box, BoxDeleter>;

// A new reference to the same pixels (Leptonica's reference counting).
inline PixPtr pix_clone(Pix* p) {
  return PixPtr(pixClone(p));
}

}  // namespace paperd::engines::ocr
