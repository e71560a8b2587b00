#include "engines/scan/pdf_page_source.h"

#include <algorithm>
#include <cmath>

namespace paperd::engines::scan {

namespace {
// Below this a page is too coarse to say anything about its ink; the renderer's own pixel check
// then refuses it.
constexpr double kMinDpi = 36;
}  // namespace

PdfPageSource::PdfPageSource(std::filesystem::path file, const SourceLimits& limits)
    : file_(std::move(file)),
      limits_(limits),
      doc_(pdf::Document::open(file_, "", {limits.max_pages, limits.max_megapixels})) {}

GrayImage PdfPageSource::page(int index, double dpi) const {
  auto [w_pt, h_pt] = doc_.page_size(index);
  double area_in2 = std::max(w_pt, 1.0) * std::max(h_pt, 1.0) / (72.0 * 72.0);
  double fit = std::sqrt(static_cast<double>(limits_.max_megapixels) * 1e6 / area_in2) * 0.99;
  dpi = std::max(kMinDpi, std::min(dpi, fit));
  pdf::Raster r = doc_.render(index, dpi, /*gray=*/true);
  GrayImage out;
  out.width = r.width;
  out.height = r.height;
  out.dpi = r.dpi > 0 ? r.dpi : dpi;
  if (r.components == 1) {
    out.pixels = std::move(r.pixels);
    return out;
  }
  out.pixels.resize(static_cast<size_t>(r.width) * r.height);
  for (size_t i = 0; i < out.pixels.size(); ++i) {
    const unsigned char* p = &r.pixels[i * r.components];
    out.pixels[i] = static_cast<uint8_t>((299 * p[0] + 587 * p[1] + 114 * p[2]) / 1000);
  }
  return out;
}

}  // namespace paperd::engines::scan
