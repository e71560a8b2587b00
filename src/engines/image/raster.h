// Decoded pixels of one page as the image engines hand them on: 8-bit gray or RGB rows, top to
// bottom, with an optional 8-bit alpha plane, and the resolution the file declares.
#pragma once

#include <cstdint>
#include <string>

namespace paperd::engines::image {

enum class Alpha { kComposite, kKeep };

struct Raster {
  int width = 0, height = 0;
  int channels = 1;             // 1 gray, 3 RGB
  std::string pixels;           // width * height * channels bytes
  std::string alpha;            // width * height bytes, or empty when opaque (or composited)
  double dpi_x = 0, dpi_y = 0;  // 0 = not declared

  uint8_t* row(int y) {
    return reinterpret_cast<uint8_t*>(pixels.data()) + static_cast<size_t>(y) * width * channels;
  }
};

}  // namespace paperd::engines::image
