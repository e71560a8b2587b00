#include "engines/scan/blank_detector.h"

#include <fmt/format.h>
#include <leptonica/allheaders.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

#include "core/error.h"

namespace paperd::engines::scan {

namespace {

// Ink must be at least this much darker than the paper: keeps paper texture, JPEG ringing and
// show-through from the back side out of the ink.
constexpr int kMinContrast = 70;
// A page whose light tone (90th percentile) is darker than this is not paper at all.
constexpr int kDarkPage = 100;
// An ink region touching the page edge is a scanner shadow when it is thinner than this share
// of the page in one direction; a full-bleed picture is kept.
constexpr double kEdgeStripFraction = 0.15;

using Histogram = std::array<uint64_t, 256>;

int percentile(const Histogram& h, uint64_t total, double q) {
  uint64_t want = static_cast<uint64_t>(q * static_cast<double>(total));
  uint64_t sum = 0;
  for (int v = 0; v < 256; ++v) {
    sum += h[v];
    if (sum >= want) return v;
  }
  return 255;
}

// Otsu's threshold: the level t maximizing the between-class variance of {< t} and {>= t}.
int otsu(const Histogram& h, uint64_t total) {
  double sum_all = 0;
  for (int v = 0; v < 256; ++v) sum_all += static_cast<double>(v) * static_cast<double>(h[v]);
  double sum_low = 0, best = -1;
  uint64_t n_low = 0;
  int best_t = 0;
  for (int t = 1; t < 256; ++t) {
    n_low += h[t - 1];
    sum_low += static_cast<double>(t - 1) * static_cast<double>(h[t - 1]);
    uint64_t n_high = total - n_low;
    if (n_low == 0 || n_high == 0) continue;
    double m_low = sum_low / static_cast<double>(n_low);
    double m_high = (sum_all - sum_low) / static_cast<double>(n_high);
    double between = static_cast<double>(n_low) * static_cast<double>(n_high) * (m_low - m_high) *
                     (m_low - m_high);
    if (between > best) best = between, best_t = t;
  }
  return best_t;
}

struct PixaDeleter {
  void operator()(PIXA* p) const { pixaDestroy(&p); }
};
struct BoxaDeleter {
  void operator()(BOXA* b) const { boxaDestroy(&b); }
};
struct BoxDeleter {
  void operator()(BOX* b) const { boxDestroy(&b); }
};

// Removes ink connected to the page edge when it has the shape of a strip or a corner shadow.
PixPtr drop_edge_strips(Pix* bin) {
  PixPtr inner = own_pix(pixRemoveBorderConnComps(bin, 8), "remove border components");
  PixPtr border = own_pix(pixSubtract(nullptr, bin, inner.get()), "subtract images");
  PIXA* pixa_raw = nullptr;
  std::unique_ptr<BOXA, BoxaDeleter> boxa(pixConnComp(border.get(), &pixa_raw, 8));
  std::unique_ptr<PIXA, PixaDeleter> pixa(pixa_raw);
  if (!boxa || !pixa) throw core::Error::internal("leptonica failed: connected components");
  double w = pixGetWidth(bin), h = pixGetHeight(bin);
  for (int i = 0; i < pixaGetCount(pixa.get()); ++i) {
    l_int32 x = 0, y = 0, cw = 0, ch = 0;
    pixaGetBoxGeometry(pixa.get(), i, &x, &y, &cw, &ch);
    if (cw <= kEdgeStripFraction * w || ch <= kEdgeStripFraction * h) continue;
    PixPtr part = own_pix(pixaGetPix(pixa.get(), i, L_CLONE), "component");
    pixRasterop(inner.get(), x, y, cw, ch, PIX_SRC | PIX_DST, part.get(), 0, 0);
  }
  return inner;
}

}  // namespace

BlankResult detect_blank(const GrayImage& page, const BlankOptions& options) {
  if (page.width <= 0 || page.height <= 0 || page.pixels.empty())
    throw core::Error::internal("blank detection on an empty image");
  Histogram hist{};
  for (uint8_t v : page.pixels) ++hist[v];
  const uint64_t total = page.pixels.size();
  BlankResult r;

  int paper = percentile(hist, total, 0.90);
  if (paper < kDarkPage) {
    uint64_t dark = 0;
    for (int v = 0; v < 128; ++v) dark += hist[v];
    r.ink_coverage = 100.0 * static_cast<double>(dark) / static_cast<double>(total);
    r.ink_threshold = 128;
    r.reason = fmt::format("the page is dark (paper tone {}), not blank paper", paper);
    return r;
  }
  r.ink_threshold = std::min(otsu(hist, total), paper - kMinContrast);

  PixPtr gray = pix_from_gray(page);
  PixPtr bin = own_pix(pixThresholdToBinary(gray.get(), r.ink_threshold), "threshold to binary");
  bin = drop_edge_strips(bin.get());

  const double px_per_mm = page.dpi / 25.4;
  int margin = static_cast<int>(std::lround(std::max(0.0, options.margin_mm) * px_per_mm));
  margin = std::min(margin, std::min(page.width, page.height) / 4);
  std::unique_ptr<BOX, BoxDeleter> box(
      boxCreate(margin, margin, page.width - 2 * margin, page.height - 2 * margin));
  PixPtr inside = own_pix(pixClipRectangle(bin.get(), box.get(), nullptr), "clip the margin");

  // An opening with a brick of half a stroke's width breaks up dense salt-and-pepper noise
  // before components are measured; below 300 dpi strokes are too thin to afford it.
  int brick = static_cast<int>(page.dpi / 150);
  if (brick >= 2)
    inside = own_pix(pixOpenBrick(nullptr, inside.get(), brick, brick), "open the ink");

  int speck = std::max(2, static_cast<int>(std::lround(options.speckle_mm * px_per_mm)));
  PixPtr clean = own_pix(
      pixSelectBySize(inside.get(), speck, speck, 8, L_SELECT_IF_EITHER, L_SELECT_IF_GTE, nullptr),
      "remove specks");
  l_int32 ink = 0;
  pixCountPixels(clean.get(), &ink, nullptr);
  double area = static_cast<double>(pixGetWidth(clean.get())) * pixGetHeight(clean.get());
  r.ink_coverage = area > 0 ? 100.0 * ink / area : 0;
  r.blank = r.ink_coverage < options.threshold_percent;
  if (ink == 0)
    r.reason = fmt::format("no ink left after removing specks under {:g} mm and a {:g} mm border",
                           options.speckle_mm, options.margin_mm);
  else
    r.reason = fmt::format(
        "ink covers {:.4f}% of the page inside the border, {} the threshold "
        "{:g}%",
        r.ink_coverage, r.blank ? "below" : "at or above", options.threshold_percent);
  return r;
}

}  // namespace paperd::engines::scan
