// Images to one PDF, built with the qpdf C++ API: JPEG pages carry the original JPEG bytes
// (DCTDecode, never re-encoded); PNG, TIFF (every frame a page), WebP, GIF, BMP and PNM are
// decoded and stored losslessly (FlateDecode; alpha as an SMask; 1-bit pages stay 1-bit).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace paperd::engines::pdf {

enum class PageSizeMode { kFit, kA4, kLetter };
enum class PageOrientation { kAuto, kPortrait, kLandscape };

struct ImageInput {
  std::filesystem::path path;
  std::string name;  // for error messages
};

struct ImageToPdfOptions {
  // kFit: the page is the image at its resolution (default_dpi when the file names none).
  // A4/Letter: the image is scaled to fit inside the margins and centred.
  PageSizeMode page_size = PageSizeMode::kFit;
  PageOrientation orientation = PageOrientation::kAuto;  // A4/Letter: auto follows the image
  double default_dpi = 150;
  double margin_pt = 36;  // A4/Letter only
  int64_t max_pages = 5000;
  int64_t max_megapixels = 200;  // per image
  // Called after each input with (inputs done, inputs); may throw to cancel.
  std::function<void(size_t, size_t)> progress;
};

struct ImagePageInfo {
  std::string source;  // the input's name
  int frame = 0;       // 0-based frame within a multi-page TIFF
  int width = 0, height = 0;
  double dpi = 0;
  std::string encoding;  // "jpeg-copied", "flate"
  std::string color;     // "gray", "rgb", "cmyk", "bilevel"
  bool alpha = false;    // an SMask was written
};

// Throws core::Error: 400 UNSUPPORTED_FORMAT (not an image we read), 400 INVALID_IMAGE (damaged),
// 413 INPUT_TOO_LARGE (over max_megapixels or max_pages), naming the input.
std::vector<ImagePageInfo> images_to_pdf(const std::vector<ImageInput>& inputs,
                                         const std::filesystem::path& out,
                                         const ImageToPdfOptions& options);

}  // namespace paperd::engines::pdf
