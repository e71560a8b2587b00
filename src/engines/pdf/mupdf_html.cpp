// HTML export: see mupdf_html.h.
#include "engines/pdf/mupdf_html.h"

#include "core/error.h"
#include "engines/pdf/mupdf_document.h"

namespace paperd::engines::pdf {

namespace {

// An fz_output closed (and flushed) explicitly; dropped on every path.
class MuOutput {
 public:
  MuOutput(const MuContext& ctx, const std::filesystem::path& path) : ctx_(ctx) {
    fz_context* c = ctx.get();
    std::string p = path.string();
    const char* cp = p.c_str();
    fz_output* out = nullptr;
    fz_var(out);
    fz_try(c) {
      out = fz_new_output_with_path(c, cp, 0);
    }
    fz_catch(c) {
      ctx.raise_as(500, "INTERNAL_ERROR", "cannot create " + path.string());
    }
    out_ = out;
  }
  ~MuOutput() { fz_drop_output(ctx_.get(), out_); }
  MuOutput(const MuOutput&) = delete;
  MuOutput& operator=(const MuOutput&) = delete;
  fz_output* get() const { return out_; }

 private:
  const MuContext& ctx_;
  fz_output* out_ = nullptr;
};

}  // namespace

void write_html(const std::filesystem::path& pdf, const std::string& password, const Limits& limits,
                const std::vector<int>& pages, const std::filesystem::path& out) {
  auto doc = MuDocument::open(pdf, password, limits);
  const MuContext& mu = doc->context();
  fz_context* c = doc->ctx();
  MuOutput output(mu, out);
  fz_output* o = output.get();
  fz_try(c) {
    fz_print_stext_header_as_html(c, o);
  }
  fz_catch(c) {
    mu.raise_as(500, "INTERNAL_ERROR", "cannot write the HTML header");
  }
  for (int index : pages) {
    auto page = doc->load(index);
    auto st = doc->stext(*page, index, FZ_STEXT_PRESERVE_IMAGES);
    fz_stext_page* sp = st->get();
    int id = index + 1;
    fz_try(c) {
      fz_print_stext_page_as_html(c, o, sp, id);
    }
    fz_catch(c) {
      mu.raise("cannot write page " + std::to_string(index + 1) + " as HTML");
    }
  }
  fz_try(c) {
    fz_print_stext_trailer_as_html(c, o);
    fz_close_output(c, o);
  }
  fz_catch(c) {
    mu.raise_as(500, "INTERNAL_ERROR", "cannot finish " + out.filename().string());
  }
}

}  // namespace paperd::engines::pdf
