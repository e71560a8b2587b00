// The words of a document's pages with their boxes, for highlighting search hits in a viewer:
// read from a PDF's text layer (MuPDF) in the same child process as the inspection (`paperd
// inspect --serve`, a `words` request), or converted from an OCR job's word boxes. One JSON
// form (to_json/from_json) is what the child answers and what the document store keeps.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/json.h"

namespace paperd::engines::inspect {

struct PageWord {
  std::string text;
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // in the page's unit, origin top-left
  int line = 0;                           // words of one line share it (0, 1, ... on the page)
  double confidence = -1;                 // 0..1 for OCR words; -1 = none (a text layer)
};

struct PageWords {
  int page = 0;  // 1-based
  double width = 0, height = 0;
  std::string unit = "pt";  // "pt" (1/72 in), or "px" when an OCR page had no resolution
  std::vector<PageWord> words;
};

struct WordLimits {
  int64_t max_pages = 5000;
  size_t max_words = 1'000'000;  // all requested pages together; 413 INPUT_TOO_LARGE past it
};

// The words of the given pages (1-based; empty = every page) of a PDF, in points after /Rotate,
// in MuPDF's reading order. Throws core::Error 400 INVALID_PDF / PDF_PASSWORD_REQUIRED,
// 400 INVALID_REQUEST for a page the PDF does not have, 413 past the limits.
std::vector<PageWords> read_pdf_words(const std::filesystem::path& file,
                                      const std::vector<int>& pages, const WordLimits& limits = {});

// Words as [text, x0, y0, x1, y1, line(, confidence)] arrays: a page of words stays compact.
Json to_json(const PageWords& page);
PageWords page_words_from_json(const Json& j);

}  // namespace paperd::engines::inspect
