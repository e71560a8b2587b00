// Image files as page sources, decoded with Leptonica: PNG, JPEG, WEBP, BMP, GIF, JPEG 2000, PNM;
// TIFF (every page of a multi-page file) by engines/image. Dimensions come from the file headers
// and are checked against the limits before any pixel is decoded, so a decompression bomb is
// refused without allocating it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engines/image/tiff_file.h"
#include "engines/scan/page_source.h"

namespace paperd::engines::scan {

class ImagePageSource : public PageSource {
 public:
  // `format` is a Leptonica IFF_* code from findFileFormat. Throws 400 INVALID_IMAGE when the
  // headers cannot be read, 413 INPUT_TOO_LARGE over the limits.
  ImagePageSource(std::filesystem::path file, int format, const SourceLimits& limits,
                  std::string name);

  int page_count() const override { return static_cast<int>(sizes_.size()); }
  std::string format() const override;
  GrayImage page(int index, double dpi) const override;
  PdfPageRef pdf_page(int index, const std::filesystem::path& work_dir) const override;

 private:
  PixPtr decode(int index) const;

  std::filesystem::path file_;
  std::string name_;  // for messages
  int format_;
  std::optional<image::TiffFile> tiff_;     // TIFF pages are decoded by engines/image
  std::vector<std::pair<int, int>> sizes_;  // width, height of each page
};

}  // namespace paperd::engines::scan
