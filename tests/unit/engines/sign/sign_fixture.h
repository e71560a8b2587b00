// Fixtures of the signing engine shared by its tests and bench/esign_bench.cpp (no GoogleTest
// here): a 10-page PDF with "Page N" on each page, and a drawn signature as a PNG with alpha.
#pragma once

#include <png.h>

#include <cmath>
#include <string>
#include <vector>

#include "../pdf/pdf_text_fixture.h"

namespace paperd::fixtures {

// Ten Letter pages, "Page N" near the top of each.
inline std::string ten_page_pdf() {
  std::vector<FixturePage> pages;
  for (int i = 1; i <= 10; ++i) pages.push_back(FixturePage::lines({"Page " + std::to_string(i)}));
  return make_text_pdf(pages);
}

// A hand-drawn-looking signature: a dark blue wave on a transparent background ("" on failure).
inline std::string signature_png(int w = 300, int h = 100) {
  std::string rgba(static_cast<size_t>(w) * h * 4, '\0');
  for (int x = 0; x < w; ++x) {
    int cy = h / 2 + static_cast<int>(std::sin(x / 18.0) * h * 0.3);
    for (int y = cy - 4; y <= cy + 4; ++y) {
      if (y < 0 || y >= h) continue;
      size_t at = (static_cast<size_t>(y) * w + x) * 4;
      rgba[at] = 10;
      rgba[at + 1] = 20;
      rgba[at + 2] = static_cast<char>(120);
      rgba[at + 3] = static_cast<char>(255);
    }
  }
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  image.width = static_cast<png_uint_32>(w);
  image.height = static_cast<png_uint_32>(h);
  image.format = PNG_FORMAT_RGBA;
  png_alloc_size_t size = 0;
  if (!png_image_write_to_memory(&image, nullptr, &size, 0, rgba.data(), 0, nullptr)) return "";
  std::string out(size, '\0');
  if (!png_image_write_to_memory(&image, out.data(), &size, 0, rgba.data(), 0, nullptr)) return "";
  out.resize(size);
  return out;
}

}  // namespace paperd::fixtures
