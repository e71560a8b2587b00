// Splitting a PDF with qpdf into one file per page range; each part keeps its form fields,
// annotations and the bookmarks that point into it.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "engines/pdf/qpdf_document.h"
#include "engines/pdf/qpdf_page_ranges.h"

namespace paperd::engines::pdf {

struct SplitPart {
  PageRange range;
  std::filesystem::path file;  // <out_dir>/<base>_<range label>.pdf
  int bookmarks = 0;
  std::string data;  // the part's bytes when written to memory (then no file is written)
};

// Every page on its own, or runs of pages_per_file pages.
std::vector<PageRange> fixed_ranges(int page_count, int pages_per_file);

// Writes one PDF per range into out_dir. progress(parts done, parts) may throw to cancel.
// With `emit`, each part is written to memory instead and handed to emit (part.data holds the
// bytes; the returned parts keep no data): 500 one-page parts need no 500 scratch files.
std::vector<SplitPart> split_pdf(const QpdfDocument& doc, const std::vector<PageRange>& ranges,
                                 const std::filesystem::path& out_dir, const std::string& base,
                                 const std::function<void(size_t, size_t)>& progress = {},
                                 const std::function<void(SplitPart&)>& emit = {});

}  // namespace paperd::engines::pdf
