#include "engines/ocr/ruling_lines.h"

#include <algorithm>

#include "core/error.h"

namespace paperd::engines::ocr {

std::vector<Rect> components(Pix* binary) {
  std::vector<Rect> out;
  BoxaPtr boxes(pixConnCompBB(binary, 8));
  if (!boxes) return out;
  int n = boxaGetCount(boxes.get());
  out.reserve(n);
  for (int i = 0; i < n; ++i) {
    Rect r;
    boxaGetBoxGeometry(boxes.get(), i, &r.x, &r.y, &r.w, &r.h);
    out.push_back(r);
  }
  return out;
}

RulingLines find_ruling_lines(Pix* binary, int dpi) {
  RulingLines out;
  int hlen = std::max(30, dpi * 2 / 5);
  int vlen = std::max(24, dpi * 3 / 10);
  // Close 1-2 pixel breaks first (scanned lines are dotted), then keep only long straight runs.
  // Wider closing would glue letters along the baseline into fake lines. The cross-closing of
  // 3 pixels tolerates a residual skew of a few tenths of a degree.
  PixPtr h(pixCloseBrick(nullptr, binary, 3, 3));
  if (h) h.reset(pixOpenBrick(nullptr, h.get(), hlen, 1));
  PixPtr v(pixCloseBrick(nullptr, binary, 3, std::max(3, dpi / 60)));
  if (v) v.reset(pixOpenBrick(nullptr, v.get(), 1, vlen));
  if (!h || !v) throw core::Error::internal("cannot run morphology on the page");
  // Thick blobs (filled areas, photos) survive the opening too; a line is thin.
  int max_thick = std::max(4, dpi / 25);
  for (const auto& r : components(h.get()))
    if (r.h <= max_thick) out.h_segments.push_back(r);
  for (const auto& r : components(v.get()))
    if (r.w <= max_thick) out.v_segments.push_back(r);
  out.horizontal = std::move(h);
  out.vertical = std::move(v);
  return out;
}

}  // namespace paperd::engines::ocr
