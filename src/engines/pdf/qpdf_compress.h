// Making PDFs smaller. low: object streams and compression of uncompressed streams (qpdf,
// lossless); medium: also every Flate stream re-deflated at level 9 and unused resources dropped
// (qpdf, lossless); high: Ghostscript's /ebook image downsampling, one gs process per core over a
// run of pages each when the pages share no resources, plus a plain qpdf pass (object streams; an
// encrypted input's result encrypted again). When image streams are less than half of the file
// the medium pass runs beside it and the smaller one wins; when they are more, downsampling wins
// by far and gets every core (the medium pass only runs if gs refuses the file).
// The result is never larger than the input: if no candidate is smaller, the input is returned.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "engines/pdf/qpdf_document.h"
#include "engines/pdf/qpdf_page_ranges.h"

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
  // high only: the share of the input that is image streams, the page runs Ghostscript
  // downsampled (one process each; empty when gs was not used) and whether the lossless pass ran.
  double image_share = 0;
  std::vector<PageRange> ghostscript_ranges;
  bool lossless_tried = false;
};

struct CompressOptions {
  CompressionLevel level = CompressionLevel::kMedium;
  int ghostscript_timeout_ms = 120000;
  int ghostscript_processes = 0;   // high: gs processes at most; 0 = one per core, up to 4
  std::filesystem::path work_dir;  // for intermediate files
};

// Compresses doc (opened from its file) into out. An encrypted input stays encrypted with the
// same settings.
CompressResult compress_pdf(const QpdfDocument& doc, const std::filesystem::path& out,
                            const CompressOptions& options);

}  // namespace paperd::engines::pdf
