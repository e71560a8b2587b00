#include "engines/scan/segment_writer.h"

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include "core/error.h"

namespace paperd::engines::scan {

struct SegmentWriter::Source {
  QPDF qpdf;
  std::vector<QPDFPageObjectHelper> pages;
};

SegmentWriter::SegmentWriter() = default;
SegmentWriter::~SegmentWriter() = default;

SegmentWriter::Source& SegmentWriter::source(const std::filesystem::path& pdf) {
  auto it = sources_.find(pdf);
  if (it != sources_.end()) return *it->second;
  auto s = std::make_unique<Source>();
  s->qpdf.setSuppressWarnings(true);
  try {
    s->qpdf.processFile(pdf.c_str());
    s->pages = QPDFPageDocumentHelper(s->qpdf).getAllPages();
  } catch (const std::exception& e) {
    throw core::Error(400, "INVALID_PDF", std::string("qpdf cannot read the PDF: ") + e.what());
  }
  return *sources_.emplace(pdf, std::move(s)).first->second;
}

void SegmentWriter::write(const std::vector<PdfPageRef>& pages, const std::filesystem::path& out) {
  QPDF target;
  target.emptyPDF();
  QPDFPageDocumentHelper target_pages(target);
  try {
    for (const auto& ref : pages) {
      const auto& all = source(ref.pdf).pages;
      if (ref.index < 0 || ref.index >= static_cast<int>(all.size()))
        throw core::Error::internal("segment page index out of range");
      // addPage copies a foreign page (and everything it references) into target.
      target_pages.addPage(all[static_cast<size_t>(ref.index)], false);
    }
    QPDFWriter writer(target, out.c_str());
    writer.setObjectStreamMode(qpdf_o_generate);
    writer.write();
  } catch (const QPDFExc& e) {
    throw core::Error(400, "INVALID_PDF", std::string("qpdf cannot copy the pages: ") + e.what());
  }
}

}  // namespace paperd::engines::scan
