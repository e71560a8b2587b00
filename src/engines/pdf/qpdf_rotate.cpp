// rotate_pages: see qpdf_rotate.h.
#include "engines/pdf/qpdf_rotate.h"

#include <set>

#include <qpdf/QPDFPageObjectHelper.hh>

#include "core/error.h"

namespace paperd::engines::pdf {

std::vector<int> rotate_pages(const QpdfDocument& doc, const std::vector<PageRange>& ranges,
                              int angle) {
  if (angle != 90 && angle != 180 && angle != 270)
    throw core::Error::invalid_request("field 'angle' must be 90, 180 or 270");
  const auto& pages = doc.pages();
  std::set<int> selected;
  if (ranges.empty()) {
    for (int p = 1; p <= static_cast<int>(pages.size()); ++p) selected.insert(p);
  }
  for (const auto& r : ranges)
    for (int p = r.first; p <= r.last && p <= static_cast<int>(pages.size()); ++p)
      selected.insert(p);
  try {
    for (int p : selected)
      QPDFPageObjectHelper(pages[static_cast<size_t>(p - 1)]).rotatePage(angle, true);
  } catch (const std::exception& e) {
    throw core::Error(
        400, "INVALID_PDF",
        "'" + doc.name() + "' is not a readable PDF: rotating failed (" + e.what() + ")");
  }
  return {selected.begin(), selected.end()};
}

std::vector<int> page_rotations(const QpdfDocument& doc) {
  std::vector<int> out;
  for (const auto& page : doc.pages()) {
    QPDFObjectHandle r = QPDFPageObjectHelper(page).getAttribute("/Rotate", false);
    int v = r.isInteger() ? static_cast<int>(r.getIntValue()) : 0;
    out.push_back(((v % 360) + 360) % 360);
  }
  return out;
}

}  // namespace paperd::engines::pdf
