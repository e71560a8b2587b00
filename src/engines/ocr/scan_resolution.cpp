#include "engines/ocr/scan_resolution.h"

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>

#include <algorithm>
#include <cmath>

namespace paperd::engines::ocr {

namespace {

int page_scan_dpi(QPDFPageObjectHelper& page) {
  auto box = page.getCropBox(false, false).getArrayAsRectangle();
  double pw = std::abs(box.urx - box.llx), ph = std::abs(box.ury - box.lly);
  if (pw < 1 || ph < 1) return 0;
  long long best_w = 0, best_h = 0;
  for (auto& [name, image] : page.getImages()) {
    auto dict = image.getDict();
    if (!dict.getKey("/Width").isInteger() || !dict.getKey("/Height").isInteger()) continue;
    long long w = dict.getKey("/Width").getIntValue(), h = dict.getKey("/Height").getIntValue();
    if (w * h > best_w * best_h) best_w = w, best_h = h;
  }
  if (best_w <= 0 || best_h <= 0) return 0;
  // The image must have the page's proportions (either way round: /Rotate).
  double page_ratio = pw / ph, image_ratio = static_cast<double>(best_w) / best_h;
  bool same = std::abs(image_ratio / page_ratio - 1) < 0.03;
  bool turned = std::abs(image_ratio * page_ratio - 1) < 0.03;
  if (!same && !turned) return 0;
  double dpi = std::max(best_w, best_h) / (std::max(pw, ph) / 72.0);
  int rounded = static_cast<int>(std::lround(dpi));
  return rounded >= 100 && rounded <= 600 ? rounded : 0;
}

}  // namespace

std::vector<int> scan_resolutions(const std::filesystem::path& pdf, const std::string& password) {
  std::vector<int> out;
  try {
    QPDF q;
    q.setSuppressWarnings(true);
    q.processFile(pdf.c_str(), password.empty() ? nullptr : password.c_str());
    for (auto& page : QPDFPageDocumentHelper(q).getAllPages()) out.push_back(page_scan_dpi(page));
  } catch (const std::exception&) {
    out.clear();  // MuPDF reads what qpdf cannot; render at the default resolution then
  }
  return out;
}

}  // namespace paperd::engines::ocr
