// Blank-page detection that tolerates scanner noise: the page is binarized (Otsu, never closer
// than a fixed contrast to the paper's own tone, so show-through and paper texture stay white),
// dark strips along the page edges (scanner shadows, lid edges) and a border margin are ignored,
// specks smaller than a dust grain are dropped, and the remaining ink is measured against the
// threshold.
#pragma once

#include <string>

#include "engines/scan/gray_image.h"

namespace paperd::engines::scan {

struct BlankOptions {
  // A page is blank when its ink covers less than this percentage of the inspected area.
  double threshold_percent = 0.01;
  double margin_mm = 10;    // ignored band along each edge
  double speckle_mm = 0.6;  // connected ink smaller than this in both directions is noise
};

struct BlankResult {
  bool blank = false;
  double ink_coverage = 0;  // percent of the inspected area (the page inside the margin)
  int ink_threshold = 0;    // gray level below which a pixel counts as ink
  std::string reason;
};

BlankResult detect_blank(const GrayImage& page, const BlankOptions& options = {});

}  // namespace paperd::engines::scan
