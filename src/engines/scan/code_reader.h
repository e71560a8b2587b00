// Barcode and QR-code decoding with zbar over gray pages: every symbology zbar knows (QR-Code,
// EAN-13/8, UPC-A/E, ISBN, CODE-128, CODE-39, CODE-93, I2/5, Codabar, DataBar, PDF417, SQ-Code).
// A page with no result is scanned again at another scale (half size from 150 dpi up, double
// size below), because zbar's finders work best in a band of module sizes.
// One CodeReader per thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engines/scan/gray_image.h"

namespace zbar {
struct zbar_image_scanner_s;  // zbar.h declares its C API inside namespace zbar for C++
}  // namespace zbar

namespace paperd::engines::scan {

struct Code {
  std::string type;                // zbar's symbology name: "QR-Code", "EAN-13", "CODE-128", ...
  std::string value;               // decoded data (UTF-8 for QR codes, as zbar converts it)
  int x = 0, y = 0, w = 0, h = 0;  // bounding box of zbar's location points, page pixels
  std::string orientation;         // "up", "right", "down", "left" or "unknown"
  int quality = 0;                 // zbar's confidence (scan lines that agreed for 1-D codes)
};

class CodeReader {
 public:
  CodeReader();
  ~CodeReader();
  CodeReader(const CodeReader&) = delete;
  CodeReader& operator=(const CodeReader&) = delete;

  // Codes on the page, top to bottom then left to right; positions in the page's own pixels.
  std::vector<Code> read(const GrayImage& page);

 private:
  std::vector<Code> scan(const GrayImage& image, double to_page);

  struct ScannerDeleter {
    void operator()(zbar::zbar_image_scanner_s* s) const;
  };
  std::unique_ptr<zbar::zbar_image_scanner_s, ScannerDeleter> scanner_;
};

}  // namespace paperd::engines::scan
