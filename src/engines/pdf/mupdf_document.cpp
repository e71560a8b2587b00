// MuDocument: see mupdf_document.h. Only C calls run between fz_try and fz_catch; C++ errors are
// thrown from fz_catch bodies, after MuPDF has popped its own exception frame.
#include "engines/pdf/mupdf_document.h"

#include <mupdf/fitz.h>

#include <fstream>
#include <string_view>

#include "core/error.h"

namespace paperd::engines::pdf {

namespace {

bool looks_like_pdf(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  char head[1024] = {};
  in.read(head, sizeof head);
  std::string_view s(head, static_cast<size_t>(in.gcount()));
  return s.find("%PDF-") != std::string_view::npos;
}

}  // namespace

MuPage::~MuPage() {
  if (page_) fz_drop_page(ctx_, page_);
}

MuStextPage::~MuStextPage() {
  if (page_) fz_drop_stext_page(ctx_, page_);
}

MuDocument::~MuDocument() {
  if (doc_) fz_drop_document(ctx_.get(), doc_);
}

std::unique_ptr<MuDocument> MuDocument::open(const std::filesystem::path& file,
                                             const std::string& password, Limits limits) {
  if (!looks_like_pdf(file))
    throw core::Error(400, "INVALID_PDF",
                      "the file '" + file.filename().string() + "' is not a PDF (no %PDF header)");
  std::unique_ptr<MuDocument> self(new MuDocument());
  self->limits_ = limits;
  fz_context* c = self->ctx_.get();
  fz_document* doc = nullptr;
  fz_stream* stream = nullptr;
  fz_var(doc);
  fz_var(stream);
  std::string path = file.string();
  const char* cpath = path.c_str();
  // The PDF handler is chosen explicitly: uploads often have no .pdf extension.
  fz_try(c) {
    stream = fz_open_file(c, cpath);
    doc = fz_open_document_with_stream(c, "application/pdf", stream);
  }
  fz_always(c) {
    fz_drop_stream(c, stream);
  }
  fz_catch(c) {
    self->ctx_.raise_as(400, "INVALID_PDF", "cannot open the PDF");
  }
  self->doc_ = doc;

  int needs = 0;
  fz_var(needs);
  fz_try(c) {
    needs = fz_needs_password(c, doc);
  }
  fz_catch(c) {
    self->ctx_.raise_as(400, "INVALID_PDF", "cannot read the PDF's encryption");
  }
  if (needs) {
    if (password.empty())
      throw core::Error(400, "PDF_PASSWORD_REQUIRED",
                        "the PDF is encrypted: send its password in the field 'password'");
    int ok = 0;
    fz_var(ok);
    fz_try(c) {
      ok = fz_authenticate_password(c, doc, password.c_str());
    }
    fz_catch(c) {
      ok = 0;
    }
    if (!ok) throw core::Error(400, "INVALID_PASSWORD", "the password does not open this PDF");
  }

  int pages = 0;
  fz_var(pages);
  fz_try(c) {
    pages = fz_count_pages(c, doc);
  }
  fz_catch(c) {
    self->ctx_.raise_as(400, "INVALID_PDF", "cannot read the PDF's page tree");
  }
  if (pages <= 0) throw core::Error(400, "INVALID_PDF", "the PDF has no pages");
  if (pages > limits.max_pages)
    throw core::Error::input_too_large("the PDF has " + std::to_string(pages) +
                                       " pages; the limit is " + std::to_string(limits.max_pages));
  self->pages_ = pages;
  return self;
}

std::unique_ptr<MuPage> MuDocument::load(int index) const {
  if (index < 0 || index >= pages_)
    throw core::Error::invalid_request("page " + std::to_string(index + 1) +
                                       " does not exist (the PDF has " + std::to_string(pages_) +
                                       " pages)");
  fz_context* c = ctx_.get();
  fz_page* page = nullptr;
  fz_var(page);
  fz_try(c) {
    page = fz_load_page(c, doc_, index);
  }
  fz_catch(c) {
    ctx_.raise("cannot load page " + std::to_string(index + 1));
  }
  return std::make_unique<MuPage>(c, page);
}

fz_rect MuDocument::bounds(const MuPage& page) const {
  fz_context* c = ctx_.get();
  fz_rect r = fz_empty_rect;
  fz_var(r);
  fz_try(c) {
    r = fz_bound_page(c, page.get());
  }
  fz_catch(c) {
    ctx_.raise("cannot read the page size");
  }
  return r;
}

std::unique_ptr<MuStextPage> MuDocument::stext(const MuPage& page, int index,
                                               int extra_flags) const {
  fz_context* c = ctx_.get();
  fz_stext_page* st = nullptr;
  fz_var(st);
  fz_stext_options opts{};
  opts.flags = FZ_STEXT_MEDIABOX_CLIP | extra_flags;
  fz_try(c) {
    st = fz_new_stext_page_from_page(c, page.get(), &opts);
  }
  fz_catch(c) {
    ctx_.raise("cannot extract the text of page " + std::to_string(index + 1));
  }
  return std::make_unique<MuStextPage>(c, st);
}

}  // namespace paperd::engines::pdf
