#include "engines/ocr/pdf_assembler.h"

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include <fstream>
#include <map>
#include <memory>

#include "core/error.h"

namespace paperd::engines::ocr {

void assemble_pdf(const std::vector<PdfPagePart>& parts, const std::filesystem::path& out) {
  try {
    QPDF pdf;
    pdf.emptyPDF();
    QPDFPageDocumentHelper pages(pdf);
    // Sources stay open until the write: copied pages refer to their objects.
    std::map<std::string, std::unique_ptr<QPDF>> sources;
    for (const auto& part : parts) {
      auto& src = sources[part.file.string()];
      if (!src) {
        src = std::make_unique<QPDF>();
        src->setSuppressWarnings(true);
        src->processFile(part.file.c_str(),
                         part.password.empty() ? nullptr : part.password.c_str());
      }
      auto src_pages = QPDFPageDocumentHelper(*src).getAllPages();
      if (part.page_index < 0 || part.page_index >= static_cast<int>(src_pages.size()))
        throw core::Error::internal("page " + std::to_string(part.page_index + 1) + " missing in " +
                                    part.file.string());
      pages.addPage(src_pages[part.page_index], false);
    }
    QPDFWriter writer(pdf, out.c_str());
    writer.setObjectStreamMode(qpdf_o_generate);
    writer.write();
  } catch (const core::Error&) {
    throw;
  } catch (const std::exception& e) {
    throw core::Error::internal(std::string("cannot assemble the searchable PDF: ") + e.what());
  }
}

void write_image_pdf(Pix* image, int dpi, const std::filesystem::path& out) {
  l_uint8* data = nullptr;
  size_t size = 0;
  if (pixWriteMemPdf(&data, &size, image, dpi, nullptr) != 0 || !data)
    throw core::Error::internal("cannot write the PDF page of a blank image");
  std::ofstream file(out, std::ios::binary);  // scratch file: no fsync needed
  file.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  lept_free(data);
  if (!file) throw core::Error::internal("cannot write " + out.string());
}

}  // namespace paperd::engines::ocr
