#include "engines/generate/html_to_pdf.h"

#include <mupdf/fitz.h>

#include "core/error.h"
#include "engines/pdf/mupdf_context.h"

namespace paperd::engines::generate {

void html_to_pdf(std::string_view html, const std::filesystem::path& out) {
  pdf::MuContext mu;
  fz_context* ctx = mu.get();
  fz_buffer* buf = nullptr;
  fz_stream* stm = nullptr;
  fz_document* doc = nullptr;
  fz_document_writer* writer = nullptr;
  fz_page* page = nullptr;
  fz_var(buf);
  fz_var(stm);
  fz_var(doc);
  fz_var(writer);
  fz_var(page);
  std::string error;
  fz_try(ctx) {
    buf = fz_new_buffer_from_copied_data(ctx, reinterpret_cast<const unsigned char*>(html.data()),
                                         html.size());
    stm = fz_open_buffer(ctx, buf);
    doc = fz_open_document_with_stream(ctx, "text/html", stm);
    fz_layout_document(ctx, doc, 595, 842, 11);
    writer = fz_new_pdf_writer(ctx, out.c_str(), "compress");
    int pages = fz_count_pages(ctx, doc);
    for (int i = 0; i < pages; ++i) {
      page = fz_load_page(ctx, doc, i);
      fz_rect box = fz_bound_page(ctx, page);
      fz_device* dev = fz_begin_page(ctx, writer, box);
      fz_run_page(ctx, page, dev, fz_identity, nullptr);
      fz_end_page(ctx, writer);
      fz_drop_page(ctx, page);
      page = nullptr;
    }
    fz_close_document_writer(ctx, writer);
  }
  fz_always(ctx) {
    fz_drop_page(ctx, page);
    fz_drop_document_writer(ctx, writer);
    fz_drop_document(ctx, doc);
    fz_drop_stream(ctx, stm);
    fz_drop_buffer(ctx, buf);
  }
  fz_catch(ctx) {
    error = fz_caught_message(ctx);
    if (error.empty()) error = "unknown MuPDF error";
  }
  if (!error.empty())
    throw core::Error::internal("the HTML could not be laid out as PDF: " + error);
}

}  // namespace paperd::engines::generate
