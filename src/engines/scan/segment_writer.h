// Writes one PDF per segment by copying pages with the qpdf C++ API: PDF pages keep their
// content (text, vectors, images) untouched; image pages arrive as one-page PDFs made by the
// page source. Source documents are opened once and shared by all segments.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <vector>

#include "engines/scan/page_source.h"

class QPDF;
class QPDFPageObjectHelper;

namespace paperd::engines::scan {

class SegmentWriter {
 public:
  SegmentWriter();
  ~SegmentWriter();
  SegmentWriter(const SegmentWriter&) = delete;
  SegmentWriter& operator=(const SegmentWriter&) = delete;

  // Writes `pages` in order as a new PDF at `out`. Throws Error 400 INVALID_PDF when qpdf
  // cannot read a source.
  void write(const std::vector<PdfPageRef>& pages, const std::filesystem::path& out);

 private:
  struct Source;
  Source& source(const std::filesystem::path& pdf);
  std::map<std::filesystem::path, std::unique_ptr<Source>> sources_;
};

}  // namespace paperd::engines::scan
