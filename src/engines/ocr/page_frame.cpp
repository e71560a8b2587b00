#include "engines/ocr/page_frame.h"

#include <algorithm>
#include <cmath>

namespace paperd::engines::ocr {

Rect PageFrame::to_original(const Rect& r) const {
  if (identity() || r.empty()) return r;
  // Size of the turned image (before the deskew, which keeps the size).
  double tw = quads_ % 2 ? height_ : width_, th = quads_ % 2 ? width_ : height_;
  double a = -deskew_ * M_PI / 180.0, ca = std::cos(a), sa = std::sin(a);
  double min_x = 1e18, min_y = 1e18, max_x = -1e18, max_y = -1e18;
  const double xs[2] = {static_cast<double>(r.x), static_cast<double>(r.right())};
  const double ys[2] = {static_cast<double>(r.y), static_cast<double>(r.bottom())};
  for (double px : xs)
    for (double py : ys) {
      // Undo the deskew: turn back by -deskew about the center (y grows downwards, so a
      // positive angle is clockwise on screen).
      double dx = px - tw / 2, dy = py - th / 2;
      double x = tw / 2 + dx * ca - dy * sa, y = th / 2 + dx * sa + dy * ca;
      // Undo the quarter turns (clockwise by 90 maps (x, y) to (H - y, x) on the original).
      double ox = x, oy = y;
      switch (quads_) {
        case 1:
          ox = y, oy = height_ - x;
          break;
        case 2:
          ox = width_ - x, oy = height_ - y;
          break;
        case 3:
          ox = width_ - y, oy = x;
          break;
        default:
          break;
      }
      min_x = std::min(min_x, ox), max_x = std::max(max_x, ox);
      min_y = std::min(min_y, oy), max_y = std::max(max_y, oy);
    }
  int x0 = std::clamp(static_cast<int>(std::floor(min_x)), 0, width_);
  int y0 = std::clamp(static_cast<int>(std::floor(min_y)), 0, height_);
  int x1 = std::clamp(static_cast<int>(std::ceil(max_x)), 0, width_);
  int y1 = std::clamp(static_cast<int>(std::ceil(max_y)), 0, height_);
  return {x0, y0, x1 - x0, y1 - y0};
}

void PageFrame::to_original(PageResult& page) const {
  if (identity()) return;
  for (auto& b : page.blocks) {
    b.box = to_original(b.box);
    for (auto& l : b.lines) {
      l.box = to_original(l.box);
      for (auto& w : l.words) w.box = to_original(w.box);
    }
  }
  for (auto& f : page.figures) f = to_original(f);
  for (auto& r : page.layout) r.box = to_original(r.box);
  for (auto& t : page.tables) {
    t.box = to_original(t.box);
    for (auto& c : t.cells) c.box = to_original(c.box);
  }
  for (auto& f : page.fields) {
    f.key_box = to_original(f.key_box);
    f.value_box = to_original(f.value_box);
  }
}

}  // namespace paperd::engines::ocr
