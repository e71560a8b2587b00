// MuPDF implementation of pdf::Document (pdf_document.h). Every MuPDF call runs inside fz_try and
// only C code runs between fz_try and fz_catch (longjmp must not skip C++ destructors); errors are
// turned into core::Error after the block.
#include "engines/pdf/pdf_document.h"

#include <mupdf/fitz.h>

#include <cmath>
#include <cstring>
#include <fstream>

#include "core/error.h"
#include "engines/pdf/mupdf_document.h"

namespace paperd::engines::pdf {

namespace {

Box to_box(const fz_rect& r, const fz_rect& page) {
  return {r.x0 - page.x0, r.y0 - page.y0, r.x1 - page.x0, r.y1 - page.y0};
}

void grow(Box& b, const Box& r) {
  if (b.x1 <= b.x0 && b.y1 <= b.y0) {
    b = r;
    return;
  }
  b.x0 = std::min(b.x0, r.x0);
  b.y0 = std::min(b.y0, r.y0);
  b.x1 = std::max(b.x1, r.x1);
  b.y1 = std::max(b.y1, r.y1);
}

void append_utf8(std::string& out, int rune) {
  char buf[8];
  int n = fz_runetochar(buf, rune);
  out.append(buf, static_cast<size_t>(n));
}

// Converts one stext line into words split at whitespace.
TextLine convert_line(const fz_stext_line* line, const fz_rect& page) {
  TextLine out;
  out.box = to_box(line->bbox, page);
  TextWord word;
  auto flush = [&] {
    if (!word.text.empty()) out.words.push_back(std::move(word));
    word = TextWord{};
  };
  for (const fz_stext_char* ch = line->first_char; ch; ch = ch->next) {
    if (ch->c == ' ' || ch->c == '\t' || ch->c == 0xA0) {
      flush();
      continue;
    }
    append_utf8(word.text, ch->c);
    grow(word.box, to_box(fz_rect_from_quad(ch->quad), page));
  }
  flush();
  for (size_t i = 0; i < out.words.size(); ++i) {
    if (i) out.text += ' ';
    out.text += out.words[i].text;
  }
  return out;
}

}  // namespace

struct Document::Impl {
  std::unique_ptr<MuDocument> mu;
};

Document::Document(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Document::~Document() = default;
Document::Document(Document&&) noexcept = default;
Document& Document::operator=(Document&&) noexcept = default;

Document Document::open(const std::filesystem::path& file, const std::string& password,
                        Limits limits) {
  auto impl = std::make_unique<Impl>();
  impl->mu = MuDocument::open(file, password, limits);
  return Document(std::move(impl));
}

int Document::page_count() const {
  return impl_->mu->page_count();
}

std::pair<double, double> Document::page_size(int index) const {
  const auto& mu = *impl_->mu;
  auto page = mu.load(index);
  fz_rect r = mu.bounds(*page);
  return {r.x1 - r.x0, r.y1 - r.y0};
}

PageText Document::text(int index) const {
  const auto& mu = *impl_->mu;
  auto page = mu.load(index);
  fz_rect bounds = mu.bounds(*page);
  auto stext = mu.stext(*page, index);
  fz_stext_page* st = stext->get();
  PageText out;
  out.width = bounds.x1 - bounds.x0;
  out.height = bounds.y1 - bounds.y0;
  // Walking the finished stext page calls no MuPDF function that can throw.
  for (fz_stext_block* b = st->first_block; b; b = b->next) {
    if (b->type != FZ_STEXT_BLOCK_TEXT) continue;
    TextBlock block;
    block.box = to_box(b->bbox, bounds);
    for (fz_stext_line* l = b->u.t.first_line; l; l = l->next) {
      TextLine line = convert_line(l, bounds);
      if (!line.words.empty()) block.lines.push_back(std::move(line));
    }
    if (!block.lines.empty()) out.blocks.push_back(std::move(block));
  }

  for (size_t bi = 0; bi < out.blocks.size(); ++bi) {
    if (bi) out.plain += "\n\n";
    const auto& lines = out.blocks[bi].lines;
    for (size_t li = 0; li < lines.size(); ++li) {
      if (li) out.plain += '\n';
      out.plain += lines[li].text;
    }
  }
  return out;
}

Raster Document::render(int index, double dpi, bool gray) const {
  if (!(dpi > 0) || dpi > 10000)
    throw core::Error::invalid_request("dpi must be between 1 and 10000");
  const auto& mu = *impl_->mu;
  auto page = mu.load(index);
  fz_rect bounds = mu.bounds(*page);
  double scale = dpi / 72.0;
  double wpx = std::ceil((bounds.x1 - bounds.x0) * scale);
  double hpx = std::ceil((bounds.y1 - bounds.y0) * scale);
  double limit = static_cast<double>(mu.limits().max_megapixels) * 1e6;
  if (wpx * hpx > limit || wpx > 1e6 || hpx > 1e6)
    throw core::Error::input_too_large(
        "page " + std::to_string(index + 1) + " at " + std::to_string(static_cast<int>(dpi)) +
        " dpi would be " + std::to_string(static_cast<long long>(wpx)) + "x" +
        std::to_string(static_cast<long long>(hpx)) + " pixels; the limit is " +
        std::to_string(mu.limits().max_megapixels) + " megapixels");

  fz_context* c = mu.ctx();
  fz_matrix ctm = fz_scale(static_cast<float>(scale), static_cast<float>(scale));
  fz_irect box = fz_round_rect(fz_transform_rect(bounds, ctm));
  Raster r;
  r.width = box.x1 - box.x0;
  r.height = box.y1 - box.y0;
  r.components = gray ? 1 : 3;
  r.dpi = dpi;
  if (r.width <= 0 || r.height <= 0)
    throw core::Error(400, "INVALID_PDF", "page " + std::to_string(index + 1) + " is empty");
  r.pixels.resize(static_cast<size_t>(r.width) * r.height * r.components);
  unsigned char* samples = r.pixels.data();

  fz_pixmap* pix = nullptr;
  fz_device* dev = nullptr;
  fz_var(pix);
  fz_var(dev);
  fz_try(c) {
    // The pixmap draws straight into the Raster's buffer: no copy afterwards.
    pix = fz_new_pixmap_with_bbox_and_data(c, gray ? fz_device_gray(c) : fz_device_rgb(c), box,
                                           nullptr, 0, samples);
    fz_clear_pixmap_with_value(c, pix, 255);
    dev = fz_new_draw_device(c, ctm, pix);
    fz_run_page(c, page->get(), dev, fz_identity, nullptr);
    fz_close_device(c, dev);
  }
  fz_always(c) {
    fz_drop_device(c, dev);
    fz_drop_pixmap(c, pix);
  }
  fz_catch(c) {
    mu.context().raise("cannot render page " + std::to_string(index + 1));
  }
  return r;
}

}  // namespace paperd::engines::pdf
