#include "engines/ocr/input_format.h"

#include <fstream>
#include <string>

#include "core/error.h"

namespace paperd::engines::ocr {

InputFormat sniff_bytes(std::string_view b) {
  auto starts = [&](std::string_view magic) { return b.substr(0, magic.size()) == magic; };
  if (starts("\xFF\xD8\xFF")) return InputFormat::kJpeg;
  if (starts("\x89PNG\r\n\x1A\n")) return InputFormat::kPng;
  if (starts(std::string_view("II*\0", 4)) || starts(std::string_view("MM\0*", 4)))
    return InputFormat::kTiff;
  if (starts("RIFF") && b.size() >= 12 && b.substr(8, 4) == "WEBP") return InputFormat::kWebp;
  if (starts("BM") && b.size() >= 26) return InputFormat::kBmp;
  // PDF readers accept leading junk before the header; so do we, within the first kilobyte.
  if (b.substr(0, 1024).find("%PDF-") != std::string_view::npos) return InputFormat::kPdf;
  return InputFormat::kUnknown;
}

InputFormat sniff_format(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string head(1024, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  return sniff_bytes(std::string_view(head));
}

std::string_view format_name(InputFormat f) {
  switch (f) {
    case InputFormat::kPdf:
      return "pdf";
    case InputFormat::kJpeg:
      return "jpeg";
    case InputFormat::kPng:
      return "png";
    case InputFormat::kTiff:
      return "tiff";
    case InputFormat::kWebp:
      return "webp";
    case InputFormat::kBmp:
      return "bmp";
    case InputFormat::kUnknown:
      break;
  }
  return "unknown";
}

void require_supported(InputFormat f, std::string_view filename) {
  if (f != InputFormat::kUnknown) return;
  throw core::Error(400, "UNSUPPORTED_FORMAT",
                    "'" + std::string(filename) +
                        "' is neither a PDF nor an image; OCR reads PDF, JPEG, PNG, TIFF "
                        "(multi-page), WEBP and BMP");
}

}  // namespace paperd::engines::ocr
