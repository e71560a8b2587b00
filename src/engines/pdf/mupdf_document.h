// The MuPDF handles behind pdf::Document, for engines in this folder that need MuPDF itself
// (HTML export): an owned context + fz_document, opened with the same checks as Document::open
// (PDF header, password, zero pages, page limit), and pages loaded as RAII handles.
// One MuDocument belongs to one thread.
#pragma once

#include <mupdf/fitz.h>

#include <filesystem>
#include <memory>
#include <string>

#include "engines/pdf/mupdf_context.h"
#include "engines/pdf/pdf_document.h"

namespace paperd::engines::pdf {

// A loaded page, dropped on scope exit.
class MuPage {
 public:
  MuPage(fz_context* ctx, fz_page* page) : ctx_(ctx), page_(page) {}
  ~MuPage();
  MuPage(const MuPage&) = delete;
  MuPage& operator=(const MuPage&) = delete;
  fz_page* get() const { return page_; }

 private:
  fz_context* ctx_;
  fz_page* page_;
};

// A structured-text page, dropped on scope exit.
class MuStextPage {
 public:
  MuStextPage(fz_context* ctx, fz_stext_page* page) : ctx_(ctx), page_(page) {}
  ~MuStextPage();
  MuStextPage(const MuStextPage&) = delete;
  MuStextPage& operator=(const MuStextPage&) = delete;
  fz_stext_page* get() const { return page_; }

 private:
  fz_context* ctx_;
  fz_stext_page* page_;
};

class MuDocument {
 public:
  // Same errors as Document::open.
  static std::unique_ptr<MuDocument> open(const std::filesystem::path& file,
                                          const std::string& password, Limits limits);
  ~MuDocument();
  MuDocument(const MuDocument&) = delete;
  MuDocument& operator=(const MuDocument&) = delete;

  const MuContext& context() const { return ctx_; }
  fz_context* ctx() const { return ctx_.get(); }
  fz_document* doc() const { return doc_; }
  const Limits& limits() const { return limits_; }
  int page_count() const { return pages_; }

  // 400 INVALID_REQUEST for an index out of range; 400 INVALID_PDF for a broken page.
  std::unique_ptr<MuPage> load(int index) const;
  // Page bounds in points after /Rotate (MuPDF puts the origin at the top-left).
  fz_rect bounds(const MuPage& page) const;
  // Text with the options paperd uses everywhere (characters outside the page dropped), plus
  // extra FZ_STEXT_* flags (e.g. FZ_STEXT_PRESERVE_IMAGES for HTML export).
  std::unique_ptr<MuStextPage> stext(const MuPage& page, int index, int extra_flags = 0) const;

 private:
  MuDocument() = default;
  MuContext ctx_;
  fz_document* doc_ = nullptr;
  Limits limits_;
  int pages_ = 0;
};

}  // namespace paperd::engines::pdf
