// A scanned PDF page that is nothing but one JPEG (what scanners and img2pdf-like tools write):
// its JPEG bytes can be read directly (Leptonica decodes them; no MuPDF rendering, which costs a
// gray-to-RGB affine draw per page) and embedded in the searchable PDF as they are (no
// re-encoding of the page image with Flate, which was ~9 % of a job's CPU and made the output
// larger). Only when the JPEG's resolution is the one the page would be rendered at, so boxes
// and coordinates are the same either way.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "engines/pdf/qpdf_document.h"

namespace paperd::engines::ocr {

struct ScanJpeg {
  std::string bytes;  // the JPEG file as stored in the PDF
  int width = 0, height = 0;
};

// The page's JPEG, or nullopt when the page is anything else:
// more than one image or other drawing, a filter besides DCTDecode, CMYK, a soft mask or Decode
// array, /Rotate, an image that does not fill the page, or a resolution more than 1 % from dpi.
std::optional<ScanJpeg> scan_jpeg(const pdf::QpdfDocument& doc, int page_index, double dpi);

}  // namespace paperd::engines::ocr
