// Stamp appearance streams: see stamp_appearance.h.
#include "engines/sign/stamp_appearance.h"

#include <mupdf/fitz.h>
#include <png.h>

#include <algorithm>
#include <vector>

#include "core/error.h"
#include "engines/sign/pdf_syntax.h"

namespace paperd::engines::sign {

namespace {

constexpr int64_t kMaxImagePixels = 25'000'000;
// Helvetica's ascender and descender (AFM), for centring a line vertically.
constexpr double kAscent = 0.718, kDescent = 0.207;

std::string text_appearance(const std::string& text, double w, double h,
                            HelveticaMetrics& metrics) {
  std::vector<std::u32string> lines{U""};
  for (char32_t c : utf8_to_code_points(text)) {
    if (c == U'\n') {
      lines.emplace_back();
    } else if (c != U'\r') {
      lines.back() += c == U'\t' ? U' ' : c;
    }
  }
  double widest = 0;
  std::vector<std::string> encoded;
  std::vector<double> widths;
  for (const auto& line : lines) {
    std::string bytes;
    double em = 0;
    for (char32_t c : line) {
      unsigned char b = winansi_byte(c);
      if (b == 0) b = '?';  // no glyph in WinAnsi: the standard fonts cannot show it
      bytes += static_cast<char>(b);
      em += metrics.advance(b == '?' ? U'?' : c);
    }
    encoded.push_back(bytes);
    widths.push_back(em);
    widest = std::max(widest, em);
  }
  const double pad = std::min({2.0, w * 0.05, h * 0.05});
  const double line_factor = lines.size() == 1 ? (kAscent + kDescent) : 1.15;
  double size = (h - 2 * pad) / (line_factor * static_cast<double>(lines.size()));
  if (widest > 0) size = std::min(size, (w - 2 * pad) / widest);
  size = std::max(size, 0.5);
  const double leading = size * 1.15;
  const double block =
      size * (kAscent + kDescent) + leading * static_cast<double>(lines.size() - 1);
  double baseline = (h + block) / 2 - size * kAscent;  // first line

  std::string out = "q 0 0 " + pdf_number(w) + " " + pdf_number(h) + " re W n\nBT 0 g /Helv " +
                    pdf_number(size) + " Tf\n";
  for (size_t i = 0; i < encoded.size(); ++i) {
    double x = (w - widths[i] * size) / 2;
    double y = baseline - leading * static_cast<double>(i);
    out += "1 0 0 1 " + pdf_number(x) + " " + pdf_number(y) + " Tm " + pdf_literal(encoded[i]) +
           " Tj\n";
  }
  return out + "ET Q\n";
}

std::string checkbox_appearance(bool checked, double w, double h) {
  const double s = std::min(w, h);
  const double x = (w - s) / 2, y = (h - s) / 2;
  const double line = std::max(0.5, s * 0.06);
  std::string out = "q " + pdf_number(line) + " w 0 G 1 g " + pdf_number(x + line / 2) + " " +
                    pdf_number(y + line / 2) + " " + pdf_number(s - line) + " " +
                    pdf_number(s - line) + " re B\n";
  if (checked) {
    auto pt = [&](double fx, double fy) {
      return pdf_number(x + fx * s) + " " + pdf_number(y + fy * s);
    };
    out += pdf_number(s * 0.12) + " w 1 J 1 j " + pt(0.22, 0.52) + " m " + pt(0.42, 0.28) + " l " +
           pt(0.80, 0.76) + " l S\n";
  }
  return out + "Q\n";
}

std::string image_appearance(const StampImage& image, double w, double h) {
  const double scale = std::min(w / image.width, h / image.height);
  const double dw = image.width * scale, dh = image.height * scale;
  return "q " + pdf_number(dw) + " 0 0 " + pdf_number(dh) + " " + pdf_number((w - dw) / 2) + " " +
         pdf_number((h - dh) / 2) + " cm /Im0 Do Q\n";
}

}  // namespace

void HelveticaMetrics::load() {
  ctx_ = std::make_unique<pdf::MuContext>();
  fz_context* ctx = ctx_->get();
  fz_font* font = nullptr;
  fz_var(font);
  fz_try(ctx) {
    font = fz_new_base14_font(ctx, "Helvetica");
  }
  fz_catch(ctx) {
    ctx_->raise_as(500, "INTERNAL_ERROR", "MuPDF has no built-in Helvetica");
  }
  font_ = font;
}

HelveticaMetrics::~HelveticaMetrics() {
  if (font_) fz_drop_font(ctx_->get(), font_);
}

double HelveticaMetrics::advance(char32_t code_point) {
  auto it = cache_.find(code_point);
  if (it != cache_.end()) return it->second;
  if (!font_) load();
  fz_context* ctx = ctx_->get();
  float width = 0.556f;  // a typical Helvetica glyph, should MuPDF fail on this one
  fz_var(width);
  fz_try(ctx) {
    int gid = fz_encode_character(ctx, font_, static_cast<int>(code_point));
    if (gid > 0) width = fz_advance_glyph(ctx, font_, gid, 0);
  }
  fz_catch(ctx) {}
  cache_[code_point] = width;
  return width;
}

StampImage decode_png(const std::string& png) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, png.data(), png.size()))
    throw core::Error::invalid_request(std::string("the stamp image is not a readable PNG: ") +
                                       image.message);
  if (static_cast<int64_t>(image.width) * image.height > kMaxImagePixels) {
    png_image_free(&image);
    throw core::Error::invalid_request("the stamp image is larger than 25 megapixels");
  }
  image.format = PNG_FORMAT_RGBA;
  std::string rgba(PNG_IMAGE_SIZE(image), '\0');
  if (!png_image_finish_read(&image, nullptr, rgba.data(), 0, nullptr)) {
    std::string why = image.message;
    png_image_free(&image);
    throw core::Error::invalid_request("the stamp image is not a readable PNG: " + why);
  }
  StampImage out;
  out.width = static_cast<int>(image.width);
  out.height = static_cast<int>(image.height);
  const size_t n = static_cast<size_t>(out.width) * out.height;
  out.rgb.resize(n * 3);
  out.alpha.resize(n);
  bool opaque = true;
  for (size_t i = 0; i < n; ++i) {
    out.rgb[3 * i] = rgba[4 * i];
    out.rgb[3 * i + 1] = rgba[4 * i + 1];
    out.rgb[3 * i + 2] = rgba[4 * i + 2];
    out.alpha[i] = rgba[4 * i + 3];
    opaque = opaque && static_cast<unsigned char>(rgba[4 * i + 3]) == 255;
  }
  if (opaque) out.alpha.clear();
  return out;
}

Appearance make_appearance(const Stamp& stamp, double width, double height,
                           HelveticaMetrics& metrics) {
  Appearance a;
  a.width = width;
  a.height = height;
  switch (stamp.kind) {
    case Stamp::Kind::kImage:
      a.image = decode_png(stamp.png);
      a.content = image_appearance(*a.image, width, height);
      break;
    case Stamp::Kind::kText:
      a.uses_font = true;
      a.content = text_appearance(stamp.text, width, height, metrics);
      break;
    case Stamp::Kind::kCheckbox:
      a.content = checkbox_appearance(stamp.checked, width, height);
      break;
  }
  return a;
}

}  // namespace paperd::engines::sign
