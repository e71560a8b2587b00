#include "engines/ocr/pdf_pages.h"

#include <cmath>
#include <cstdlib>

#include "core/error.h"

namespace paperd::engines::ocr {

namespace {

Rect to_pixels(const pdf::Box& b, double scale) {
  int x0 = static_cast<int>(std::floor(b.x0 * scale)),
      y0 = static_cast<int>(std::floor(b.y0 * scale));
  int x1 = static_cast<int>(std::ceil(b.x1 * scale)),
      y1 = static_cast<int>(std::ceil(b.y1 * scale));
  return {x0, y0, std::max(0, x1 - x0), std::max(0, y1 - y0)};
}

}  // namespace

bool usable_text_layer(const pdf::PageText& text) {
  int alnum = 0, replacement = 0, total = 0;
  const std::string& s = text.plain;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = s[i];
    if ((c & 0xC0) == 0x80) continue;  // continuation byte
    if (std::isspace(c)) continue;
    ++total;
    if (c >= 0x80 || std::isalnum(c)) ++alnum;
    if (s.compare(i, 3, "\xEF\xBF\xBD") == 0) ++replacement;
  }
  return alnum - replacement >= kMinTextLayerChars && replacement * 10 <= total;
}

PageResult page_from_text_layer(const pdf::PageText& text, double dpi) {
  const double scale = dpi / 72.0;
  PageResult page;
  page.source = "text_layer";
  page.dpi = static_cast<int>(std::lround(dpi));
  page.width = static_cast<int>(std::lround(text.width * scale));
  page.height = static_cast<int>(std::lround(text.height * scale));
  for (const auto& tb : text.blocks) {
    OcrBlock block;
    block.box = to_pixels(tb.box, scale);
    for (const auto& tl : tb.lines) {
      OcrLine line;
      line.box = to_pixels(tl.box, scale);
      line.confidence = 1.0;
      for (const auto& tw : tl.words)
        if (!tw.text.empty()) line.words.push_back({tw.text, to_pixels(tw.box, scale), 1.0});
      if (line.words.empty() && !tl.text.empty()) line.words.push_back({tl.text, line.box, 1.0});
      for (const auto& w : line.words) line.text += (line.text.empty() ? "" : " ") + w.text;
      if (!line.words.empty()) block.lines.push_back(std::move(line));
    }
    if (!block.lines.empty()) page.blocks.push_back(std::move(block));
  }
  return page;
}

PixPtr raster_to_pix(const pdf::Raster& r) {
  if (r.width <= 0 || r.height <= 0 || (r.components != 1 && r.components != 3) ||
      r.pixels.size() < static_cast<size_t>(r.width) * r.height * r.components)
    throw core::Error::internal("the PDF renderer returned an unusable raster");
  bool gray = r.components == 1;
  if (!gray) {
    gray = true;
    const unsigned char* p = r.pixels.data();
    for (size_t i = 0, n = static_cast<size_t>(r.width) * r.height; i < n && gray; ++i, p += 3)
      gray = std::abs(p[0] - p[1]) <= 2 && std::abs(p[1] - p[2]) <= 2;
  }
  PixPtr pix(pixCreate(r.width, r.height, gray ? 8 : 32));
  if (!pix) throw core::Error::internal("out of memory for the rendered page");
  l_uint32* data = pixGetData(pix.get());
  int wpl = pixGetWpl(pix.get());
  const unsigned char* src = r.pixels.data();
  for (int y = 0; y < r.height; ++y) {
    l_uint32* line = data + static_cast<size_t>(y) * wpl;
    for (int x = 0; x < r.width; ++x, src += r.components) {
      if (gray)
        SET_DATA_BYTE(line, x, src[r.components == 3 ? 1 : 0]);
      else
        composeRGBPixel(src[0], src[1], src[2], line + x);
    }
  }
  int dpi = static_cast<int>(std::lround(r.dpi));
  pixSetResolution(pix.get(), dpi, dpi);
  return pix;
}

}  // namespace paperd::engines::ocr
