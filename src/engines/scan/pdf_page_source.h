// PDFs as page sources: pages rendered to gray pixels with MuPDF (engines/pdf/pdf_document.h).
// The render resolution is lowered for oversized pages so that a page stays within the pixel
// limit (a poster-sized page is rendered coarser instead of refused).
#pragma once

#include <filesystem>
#include <string>

#include "engines/pdf/pdf_document.h"
#include "engines/scan/page_source.h"

namespace paperd::engines::scan {

class PdfPageSource : public PageSource {
 public:
  // Throws the PDF reader's errors (400 INVALID_PDF, PDF_PASSWORD_REQUIRED, 413 pages).
  PdfPageSource(std::filesystem::path file, const SourceLimits& limits);

  int page_count() const override { return doc_.page_count(); }
  std::string format() const override { return "pdf"; }
  GrayImage page(int index, double dpi) const override;
  PdfPageRef pdf_page(int index, const std::filesystem::path&) const override {
    return {file_, index};
  }

 private:
  std::filesystem::path file_;
  SourceLimits limits_;
  pdf::Document doc_;
};

}  // namespace paperd::engines::scan
