// A raster input (JPEG, PNG, TIFF with any number of pages, WEBP, BMP) opened in two steps:
// probe() reads only the headers, so a decompression bomb is refused (413 INPUT_TOO_LARGE) before
// a single pixel is allocated; load() then decodes one page. Safe to use from several threads
// (each load() opens the file anew).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engines/image/tiff_file.h"
#include "engines/ocr/input_format.h"
#include "engines/ocr/leptonica.h"

namespace paperd::engines::ocr {

struct ImagePageInfo {
  int width = 0, height = 0;
};

class ImageFile {
 public:
  // Throws 400 UNSUPPORTED_FORMAT (not a raster format we read), 400 INVALID_IMAGE (header
  // unreadable), 413 INPUT_TOO_LARGE (a page over max_megapixels, more than max_pages pages).
  static ImageFile probe(const std::filesystem::path& file, const std::string& display_name,
                         int64_t max_megapixels, int64_t max_pages);

  InputFormat format() const { return format_; }
  int page_count() const { return static_cast<int>(pages_.size()); }
  const ImagePageInfo& page(int index) const { return pages_.at(index); }
  const std::filesystem::path& path() const { return path_; }
  // Decodes page `index`; throws 400 INVALID_IMAGE when the body is corrupt.
  PixPtr load(int index) const;

 private:
  std::filesystem::path path_;
  std::string name_;
  InputFormat format_ = InputFormat::kUnknown;
  std::vector<ImagePageInfo> pages_;
  std::optional<image::TiffFile> tiff_;  // TIFF pages are decoded by engines/image
};

}  // namespace paperd::engines::ocr
