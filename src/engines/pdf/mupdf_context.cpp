#include "engines/pdf/mupdf_context.h"

#include <mupdf/fitz.h>

#include "core/error.h"

namespace paperd::engines::pdf {

namespace {
// MuPDF prints every warning and repaired-xref note to stderr; the worker log stays clean.
void quiet(void*, const char*) {}
}  // namespace

MuContext::MuContext() {
  ctx_ = fz_new_context(nullptr, nullptr, FZ_STORE_DEFAULT);
  if (!ctx_) throw core::Error::internal("MuPDF could not create its context");
  fz_set_warning_callback(ctx_, quiet, nullptr);
  fz_set_error_callback(ctx_, quiet, nullptr);
  bool failed = false;
  fz_try(ctx_) {
    fz_register_document_handlers(ctx_);
  }
  fz_catch(ctx_) {
    failed = true;
  }
  if (failed) {
    fz_drop_context(ctx_);
    throw core::Error::internal("MuPDF could not register its document handlers");
  }
}

MuContext::~MuContext() {
  if (ctx_) fz_drop_context(ctx_);
}

void MuContext::raise(const std::string& what) const {
  raise_as(400, "INVALID_PDF", what);
}

void MuContext::raise_as(int status, const std::string& code, const std::string& what) const {
  int kind = fz_caught(ctx_);
  std::string msg = what + ": " + fz_caught_message(ctx_);
  if (kind == FZ_ERROR_MEMORY) throw core::Error::input_too_large(msg + " (out of memory)");
  throw core::Error(status, code, msg);
}

}  // namespace paperd::engines::pdf
