// An owned MuPDF context (fz_context with the document handlers registered, warnings silenced)
// and the conversion of a caught MuPDF error into core::Error. One context per thread: MuPDF
// contexts are not shared, so no locking callbacks are installed.
#pragma once

#include <string>

struct fz_context;

namespace paperd::engines::pdf {

class MuContext {
 public:
  MuContext();  // throws Error::internal when MuPDF cannot allocate its context
  ~MuContext();
  MuContext(const MuContext&) = delete;
  MuContext& operator=(const MuContext&) = delete;

  fz_context* get() const { return ctx_; }

  // Call only inside fz_catch: throws core::Error with `what` and MuPDF's message. Out-of-memory
  // becomes 413 INPUT_TOO_LARGE; anything else 400 INVALID_PDF (raise) or the given code.
  [[noreturn]] void raise(const std::string& what) const;
  [[noreturn]] void raise_as(int status, const std::string& code, const std::string& what) const;

 private:
  fz_context* ctx_ = nullptr;
};

}  // namespace paperd::engines::pdf
