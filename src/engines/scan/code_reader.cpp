#include "engines/scan/code_reader.h"

#include <zbar.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <tuple>

#include "core/error.h"

namespace paperd::engines::scan {

namespace {

// zbar finds QR finder patterns and 1-D bars best at roughly 2..10 pixels per module: a page
// scanned at this resolution or finer is retried at half size, a coarser one at double size.
constexpr double kCoarseDpi = 150;
// The doubled retry of a coarse page is skipped above this size (memory and time).
constexpr double kMaxRetryPixels = 40e6;

struct ImageDeleter {
  void operator()(zbar::zbar_image_t* i) const { zbar::zbar_image_destroy(i); }
};

std::string orientation_name(zbar::zbar_orientation_t o) {
  switch (o) {
    case zbar::ZBAR_ORIENT_UP:
      return "up";
    case zbar::ZBAR_ORIENT_RIGHT:
      return "right";
    case zbar::ZBAR_ORIENT_DOWN:
      return "down";
    case zbar::ZBAR_ORIENT_LEFT:
      return "left";
    default:
      return "unknown";
  }
}

}  // namespace

void CodeReader::ScannerDeleter::operator()(zbar::zbar_image_scanner_s* s) const {
  zbar::zbar_image_scanner_destroy(s);
}

CodeReader::CodeReader() : scanner_(zbar::zbar_image_scanner_create()) {
  if (!scanner_) throw core::Error::internal("zbar: cannot create an image scanner");
  // ZBAR_NONE addresses every symbology at once.
  zbar::zbar_image_scanner_set_config(scanner_.get(), zbar::ZBAR_NONE, zbar::ZBAR_CFG_ENABLE, 1);
  zbar::zbar_image_scanner_set_config(scanner_.get(), zbar::ZBAR_NONE, zbar::ZBAR_CFG_POSITION, 1);
  // Two- and five-digit add-ons on their own are what zbar "finds" in paper noise; a real add-on
  // is still reported with its EAN-13 when they are off.
  for (auto addon : {zbar::ZBAR_EAN2, zbar::ZBAR_EAN5})
    zbar::zbar_image_scanner_set_config(scanner_.get(), addon, zbar::ZBAR_CFG_ENABLE, 0);
}

CodeReader::~CodeReader() = default;

std::vector<Code> CodeReader::scan(const GrayImage& image, double to_page) {
  std::unique_ptr<zbar::zbar_image_t, ImageDeleter> zimg(zbar::zbar_image_create());
  if (!zimg) throw core::Error::internal("zbar: cannot create an image");
  zbar::zbar_image_set_format(zimg.get(), zbar_fourcc('Y', '8', '0', '0'));
  zbar::zbar_image_set_size(zimg.get(), static_cast<unsigned>(image.width),
                            static_cast<unsigned>(image.height));
  // zbar only reads the buffer; no cleanup handler, `image` outlives the scan.
  zbar::zbar_image_set_data(zimg.get(), image.pixels.data(), image.pixels.size(), nullptr);
  std::vector<Code> codes;
  if (zbar::zbar_scan_image(scanner_.get(), zimg.get()) <= 0) return codes;
  for (const zbar::zbar_symbol_t* sym = zbar::zbar_image_first_symbol(zimg.get()); sym;
       sym = zbar::zbar_symbol_next(sym)) {
    Code c;
    c.type = zbar::zbar_get_symbol_name(zbar::zbar_symbol_get_type(sym));
    c.value.assign(zbar::zbar_symbol_get_data(sym), zbar::zbar_symbol_get_data_length(sym));
    c.quality = zbar::zbar_symbol_get_quality(sym);
    c.orientation = orientation_name(zbar::zbar_symbol_get_orientation(sym));
    int x0 = INT_MAX, y0 = INT_MAX, x1 = INT_MIN, y1 = INT_MIN;
    unsigned n = zbar::zbar_symbol_get_loc_size(sym);
    for (unsigned i = 0; i < n; ++i) {
      int x = zbar::zbar_symbol_get_loc_x(sym, i), y = zbar::zbar_symbol_get_loc_y(sym, i);
      x0 = std::min(x0, x), y0 = std::min(y0, y), x1 = std::max(x1, x), y1 = std::max(y1, y);
    }
    if (n > 0) {
      c.x = static_cast<int>(std::lround(x0 * to_page));
      c.y = static_cast<int>(std::lround(y0 * to_page));
      c.w = static_cast<int>(std::lround((x1 - x0 + 1) * to_page));
      c.h = static_cast<int>(std::lround((y1 - y0 + 1) * to_page));
    }
    codes.push_back(std::move(c));
  }
  return codes;
}

std::vector<Code> CodeReader::read(const GrayImage& page) {
  if (page.width <= 0 || page.height <= 0) return {};
  std::vector<Code> codes = scan(page, 1.0);
  if (codes.empty()) {
    double pixels = static_cast<double>(page.width) * page.height;
    if (page.dpi >= kCoarseDpi)
      codes = scan(scale_gray(page, 0.5), 2.0);
    else if (page.dpi < kCoarseDpi && pixels * 4 <= kMaxRetryPixels)
      codes = scan(scale_gray(page, 2.0), 0.5);
  }
  std::sort(codes.begin(), codes.end(),
            [](const Code& a, const Code& b) { return std::tie(a.y, a.x) < std::tie(b.y, b.x); });
  return codes;
}

}  // namespace paperd::engines::scan
