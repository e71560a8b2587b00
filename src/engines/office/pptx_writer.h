// PDF text → PowerPoint (.pptx): one slide per page, the slide the size of the first page, each
// of MuPDF's text blocks a text box at its position on the page with one paragraph per line and
// the estimated font size. Text only: images and vector graphics are not carried over.
#pragma once

#include <filesystem>
#include <vector>

#include "engines/pdf/pdf_document.h"

namespace paperd::engines::office {

// Throws Error::invalid_request when pages is empty; Error::internal when the file cannot be
// written.
void write_pptx(const std::vector<pdf::PageText>& pages, const std::filesystem::path& out);

}  // namespace paperd::engines::office
