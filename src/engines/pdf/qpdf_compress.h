// Making PDFs smaller. low: object streams and compression of uncompressed streams (qpdf,
// lossless); medium: also every Flate stream re-deflated at level 9 and unused resources dropped
// (qpdf, lossless); high: Ghostscript's /ebook image downsampling plus a plain qpdf pass
// (object streams; an encrypted input's result encrypted again) while the medium pass runs beside
// it; the smaller one wins.
// The result is never larger than the input: if no candidate is smaller, the input is returned.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "engines/pdf/qpdf_document.h"

namespace paperd::engines::pdf {

enum class CompressionLevel { kLow, kMedium, kHigh };
// "low" | "medium" | "high"; anything else throws Error::invalid_request naming `compression`.
CompressionLevel parse_compression_level(const std::string& text);

struct CompressResult {
  uint64_t input_size = 0;
  uint64_t output_size = 0;
  bool kept_input = false;  // nothing made it smaller: `out` holds the input's bytes
  std::string method;       // what produced `out`, e.g. "qpdf" or "ghostscript /ebook + qpdf"
  std::string note;         // set when a step was skipped (Ghostscript refused the file)
};

struct CompressOptions {
  CompressionLevel level = CompressionLevel::kMedium;
  int ghostscript_timeout_ms = 120000;
  std::filesystem::path work_dir;  // for intermediate files
};

// Compresses doc (opened from its file) into out. An encrypted input stays encrypted with the
// same settings.
CompressResult compress_pdf(const QpdfDocument& doc, const std::filesystem::path& out,
                            const CompressOptions& options);

}  // namespace paperd::engines::pdf
