// A PDF opened with MuPDF for reading: page count and sizes, text with positions (stext), and
// rendering to pixels. Used by PDF conversion, AI split and OCR (born-digital fast path and page
// images). One Document belongs to one thread (each has its own MuPDF context); open several for
// parallel work. Limits on pages and pixels turn hostile documents into INPUT_TOO_LARGE.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace paperd::engines::pdf {

struct Limits {
  int64_t max_pages = 5000;
  int64_t max_megapixels = 200;  // per rendered page
};

// Coordinates are PDF points (1/72 in) with the origin at the page's top-left, after /Rotate.
struct Box {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};
struct TextWord {
  std::string text;
  Box box;
};
struct TextLine {
  std::string text;
  Box box;
  std::vector<TextWord> words;
};
struct TextBlock {
  Box box;
  std::vector<TextLine> lines;
};
struct PageText {
  double width = 0, height = 0;
  std::vector<TextBlock> blocks;  // in MuPDF's reading order
  std::string plain;              // lines joined with '\n', blocks with a blank line
};

// 8-bit pixels, rows top to bottom, no padding (stride = width * components).
struct Raster {
  int width = 0, height = 0;
  int components = 3;  // 1 = gray, 3 = RGB
  double dpi = 0;
  std::vector<unsigned char> pixels;
};

class Document {
 public:
  // Throws core::Error: 400 INVALID_PDF (not a PDF, corrupt, zero pages), 400
  // PDF_PASSWORD_REQUIRED (encrypted, no password), 400 INVALID_PASSWORD (wrong password),
  // 413 INPUT_TOO_LARGE (more pages than limits.max_pages).
  static Document open(const std::filesystem::path& file, const std::string& password = "",
                       Limits limits = {});
  ~Document();
  Document(Document&&) noexcept;
  Document& operator=(Document&&) noexcept;

  int page_count() const;
  std::pair<double, double> page_size(int index) const;  // points, after /Rotate
  PageText text(int index) const;
  // Renders page `index` at dpi; 413 INPUT_TOO_LARGE if width*height exceeds the pixel limit.
  Raster render(int index, double dpi, bool gray = false) const;

 private:
  struct Impl;
  explicit Document(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace paperd::engines::pdf
