// Ghostscript (the `gs` process) for the two jobs qpdf cannot do: PDF/A-2b conversion and image
// downsampling. Both run gs under core::run_process (timeout, own process group, captured output)
// and raise core::Error with a code naming the failure; the caller owns the input/output paths.
#pragma once

#include <filesystem>
#include <string_view>

namespace paperd::engines::pdf {

// PDF/A-2b with a real sRGB OutputIntent and pdfaid XMP (ENGINES.md §5.6 workaround).
void ghostscript_pdfa(const std::filesystem::path& in, const std::filesystem::path& out,
                      int timeout_ms);
// Recompress with gs -dPDFSETTINGS=/screen|/ebook|/printer (image downsampling); only pages
// first..last (1-based) when first_page > 0.
void ghostscript_compress(const std::filesystem::path& in, const std::filesystem::path& out,
                          std::string_view preset, int timeout_ms, int first_page = 0,
                          int last_page = 0);

}  // namespace paperd::engines::pdf
