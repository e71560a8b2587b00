#include "engines/scan/page_source.h"

#include <leptonica/allheaders.h>

#include <fstream>
#include <string_view>

#include "core/error.h"
#include "engines/scan/image_page_source.h"
#include "engines/scan/pdf_page_source.h"

namespace paperd::engines::scan {

bool looks_like_pdf(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  char head[1024] = {};
  in.read(head, sizeof head);
  return std::string_view(head, static_cast<size_t>(in.gcount())).find("%PDF-") !=
         std::string_view::npos;
}

std::unique_ptr<PageSource> open_page_source(const std::filesystem::path& file,
                                             const SourceLimits& limits, const std::string& name) {
  std::string shown = name.empty() ? file.filename().string() : name;
  if (looks_like_pdf(file)) return std::make_unique<PdfPageSource>(file, limits);
  l_int32 format = IFF_UNKNOWN;
  if (findFileFormat(file.c_str(), &format) != 0) format = IFF_UNKNOWN;
  switch (format) {
    case IFF_UNKNOWN:
    case IFF_PS:
    case IFF_LPDF:
    case IFF_SPIX:
    case IFF_DEFAULT:
      throw core::Error(400, "UNSUPPORTED_FORMAT",
                        "'" + shown +
                            "' is neither a PDF nor an image (PNG, JPEG, TIFF, WEBP, BMP, GIF, "
                            "JPEG 2000, PNM)");
    default:
      return std::make_unique<ImagePageSource>(file, format, limits, shown);
  }
}

}  // namespace paperd::engines::scan
