// A document seen as a sequence of page pictures: an image file (PNG, JPEG, multi-page TIFF,
// WEBP, BMP, GIF, JPEG 2000, PNM) or a PDF rendered page by page. open_page_source() sniffs the
// bytes, checks page count and pixel limits before decoding anything, and picks the reader.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "engines/scan/gray_image.h"

namespace paperd::engines::scan {

struct SourceLimits {
  int64_t max_pages = 5000;
  int64_t max_megapixels = 200;  // per page
};

// Where a page lives as a PDF page, for copying it into split outputs.
struct PdfPageRef {
  std::filesystem::path pdf;
  int index = 0;
};

class PageSource {
 public:
  virtual ~PageSource() = default;
  virtual int page_count() const = 0;
  // "pdf" or the image format ("png", "jpeg", "tiff", ...).
  virtual std::string format() const = 0;
  // Page `index` as gray pixels. `dpi` is the render resolution for PDFs; image pages come at
  // their own resolution. Throws 413 INPUT_TOO_LARGE when the page exceeds the pixel limit.
  virtual GrayImage page(int index, double dpi) const = 0;
  // The page as a PDF page: PDFs point at themselves; image pages are written as one-page PDFs
  // into work_dir.
  virtual PdfPageRef pdf_page(int index, const std::filesystem::path& work_dir) const = 0;
};

// Throws core::Error 400 UNSUPPORTED_FORMAT (neither an image nor a PDF), 400 INVALID_IMAGE
// (a damaged image), the PDF reader's 400 codes, and 413 INPUT_TOO_LARGE (too many pages or
// pixels).
// `name` is how messages call the file (the client's file name); empty = the path's name.
std::unique_ptr<PageSource> open_page_source(const std::filesystem::path& file,
                                             const SourceLimits& limits,
                                             const std::string& name = "");

// True when the file starts like a PDF ("%PDF-" within its first 1024 bytes).
bool looks_like_pdf(const std::filesystem::path& file);

}  // namespace paperd::engines::scan
