// Builds the searchable PDF of a job from its pages, in order: the one-page PDFs Tesseract wrote
// for recognized pages (page image + invisible text) and, for born-digital pages, the page of
// the source PDF as it is (it has its text already). qpdf copies the pages.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "engines/ocr/leptonica.h"

namespace paperd::engines::ocr {

struct PdfPagePart {
  std::filesystem::path file;
  int page_index = 0;    // 0-based page of `file`
  std::string password;  // for an encrypted source
};

// Throws INTERNAL_ERROR when a part cannot be read or the output written.
void assemble_pdf(const std::vector<PdfPagePart>& parts, const std::filesystem::path& out);

// A one-page PDF of the image alone (a page without text), sized by its dpi.
void write_image_pdf(Pix* image, int dpi, const std::filesystem::path& out);

}  // namespace paperd::engines::ocr
