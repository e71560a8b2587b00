#include "engines/ocr/scan_jpeg.h"

#include <qpdf/QPDFPageObjectHelper.hh>

#include <cmath>
#include <cstdlib>
#include <sstream>
#include <vector>

namespace paperd::engines::ocr {

namespace {

// A PDF transformation matrix [a b c d e f].
struct Matrix {
  double a = 1, b = 0, c = 0, d = 1, e = 0, f = 0;
};

// m × n: m applied first (the "cm" operator makes the new CTM = m × CTM).
Matrix multiply(const Matrix& m, const Matrix& n) {
  return {m.a * n.a + m.b * n.c, m.a * n.b + m.b * n.d,       m.c * n.a + m.d * n.c,
          m.c * n.b + m.d * n.d, m.e * n.a + m.f * n.c + n.e, m.e * n.b + m.f * n.d + n.f};
}

bool is_name(QPDFObjectHandle o, const char* name) {
  return o.isName() && o.getName() == name;
}

// The page's content streams, decoded and joined (small for a scan: "q w 0 0 h 0 0 cm /Im0 Do Q").
std::optional<std::string> page_content(QPDFPageObjectHelper& page) {
  std::string all;
  for (auto& stream : page.getPageContents()) {
    if (!stream.isStream()) return std::nullopt;
    if (stream.getDict().getKey("/Length").isInteger() &&
        stream.getDict().getKey("/Length").getIntValue() > 4096)
      return std::nullopt;
    auto data = stream.getStreamData(qpdf_dl_generalized);
    all.append(reinterpret_cast<const char*>(data->getBuffer()), data->getSize());
    all += '\n';
  }
  return all;
}

}  // namespace

std::optional<ScanJpeg> scan_jpeg(const pdf::QpdfDocument& doc, int page_index, double dpi) {
  try {
    QPDFPageObjectHelper page(doc.pages().at(static_cast<size_t>(page_index)));
    QPDFObjectHandle rotate = page.getAttribute("/Rotate", false);
    if (rotate.isInteger() && rotate.getIntValue() % 360 != 0) return std::nullopt;
    auto images = page.getImages();
    if (images.size() != 1) return std::nullopt;
    QPDFObjectHandle image = images.begin()->second;
    QPDFObjectHandle dict = image.getDict();
    QPDFObjectHandle filter = dict.getKey("/Filter");
    if (filter.isArray() && filter.getArrayNItems() == 1) filter = filter.getArrayItem(0);
    if (!is_name(filter, "/DCTDecode")) return std::nullopt;
    QPDFObjectHandle cs = dict.getKey("/ColorSpace");
    if (!is_name(cs, "/DeviceGray") && !is_name(cs, "/DeviceRGB")) return std::nullopt;
    if (dict.hasKey("/SMask") || dict.hasKey("/Mask") || dict.hasKey("/Decode") ||
        dict.hasKey("/DecodeParms"))
      return std::nullopt;
    if (!dict.getKey("/BitsPerComponent").isInteger() ||
        dict.getKey("/BitsPerComponent").getIntValue() != 8)
      return std::nullopt;
    if (!dict.getKey("/Width").isInteger() || !dict.getKey("/Height").isInteger())
      return std::nullopt;
    const long long w = dict.getKey("/Width").getIntValue();
    const long long h = dict.getKey("/Height").getIntValue();

    // The content may only set up a transform and draw this image once ("q", "cm", "Do", "Q"),
    // and the transforms together must map the image's unit square onto the page, upright.
    auto content = page_content(page);
    if (!content) return std::nullopt;
    auto box = page.getCropBox(false, false).getArrayAsRectangle();
    const double pw = std::abs(box.urx - box.llx), ph = std::abs(box.ury - box.lly);
    if (pw < 1 || ph < 1) return std::nullopt;
    std::istringstream tokens(*content);
    std::vector<double> numbers;
    Matrix ctm;
    int draws = 0;
    for (std::string t; tokens >> t;) {
      if (t == "q" || t == "Q") continue;
      if (t == "cm") {
        if (numbers.size() != 6) return std::nullopt;
        ctm =
            multiply({numbers[0], numbers[1], numbers[2], numbers[3], numbers[4], numbers[5]}, ctm);
        numbers.clear();
      } else if (t == "Do") {
        ++draws;
      } else if (t[0] == '/') {
        continue;  // the image's name
      } else {
        char* end = nullptr;
        double v = std::strtod(t.c_str(), &end);
        if (end == t.c_str() || *end) return std::nullopt;  // any other operator
        numbers.push_back(v);
      }
    }
    if (draws != 1 || !numbers.empty()) return std::nullopt;
    if (std::abs(ctm.a - pw) > 1 || std::abs(ctm.b) > 1e-3 || std::abs(ctm.c) > 1e-3 ||
        std::abs(ctm.d - ph) > 1 || std::abs(ctm.e - box.llx) > 1 || std::abs(ctm.f - box.lly) > 1)
      return std::nullopt;
    // The page rendered at dpi is pw * dpi / 72 pixels wide: the JPEG must be that size.
    const double rw = pw * dpi / 72.0, rh = ph * dpi / 72.0;
    if (std::abs(static_cast<double>(w) - rw) > rw * 0.01 ||
        std::abs(static_cast<double>(h) - rh) > rh * 0.01)
      return std::nullopt;

    auto raw = image.getRawStreamData();
    return ScanJpeg{std::string(reinterpret_cast<const char*>(raw->getBuffer()), raw->getSize()),
                    static_cast<int>(w), static_cast<int>(h)};
  } catch (const std::exception&) {
    return std::nullopt;  // anything odd: render the page instead
  }
}

}  // namespace paperd::engines::ocr
