// TIFF files read with libtiff's own strip and tile reads: every baseline TIFF a scanner or a fax
// writes (1/2/4/8/16-bit samples, extra and alpha samples, palette, min-is-white, CMYK, YCbCr in
// JPEG, planar configuration 2, tiles, CCITT G3/G4, LZW, JPEG, Deflate, PackBits, any
// orientation), every page of a multi-page file. The one TIFF decoder of OCR, the whitepage scan
// and image-to-PDF. Opening reads the directories only, so a decompression bomb is refused before
// a pixel is allocated. decode() opens the file anew: safe to call from several threads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "engines/image/raster.h"

namespace paperd::engines::image {

struct TiffLimits {
  int64_t max_pages = 5000;
  int64_t max_megapixels = 200;  // per page
};

struct TiffPageInfo {
  int width = 0, height = 0;    // as shown, after the Orientation tag
  double dpi_x = 0, dpi_y = 0;  // 0 when the file names none
};

class TiffFile {
 public:
  // Throws 400 INVALID_IMAGE (not a readable TIFF), 413 INPUT_TOO_LARGE (a page over
  // max_megapixels, more than max_pages pages); messages name `name`.
  static TiffFile open(const std::filesystem::path& file, const std::string& name,
                       const TiffLimits& limits = {});

  int page_count() const { return static_cast<int>(pages_.size()); }
  const TiffPageInfo& page(int index) const { return pages_.at(index); }

  // Page `index` as 8-bit gray or RGB, upright. Alpha::kComposite blends transparent parts over
  // white; Alpha::kKeep returns the alpha plane apart (colour not premultiplied). Throws 400
  // INVALID_IMAGE naming the page when its data is damaged.
  Raster decode(int index, Alpha alpha = Alpha::kComposite) const;

 private:
  std::filesystem::path file_;
  std::string name_;
  std::vector<TiffPageInfo> pages_;
};

}  // namespace paperd::engines::image
