// PDF text → Word (.docx): each page's paragraphs in reading order (running text re-flowed,
// other blocks keep their line breaks, font sizes estimated from the PDF), detected tables as
// Word tables, a page break between pages, the page size of the first page. Text only: images and
// vector graphics of the PDF are not carried over.
#pragma once

#include <filesystem>
#include <vector>

#include "engines/pdf/pdf_document.h"

namespace paperd::engines::office {

// Throws Error::invalid_request when pages is empty; Error::internal when the file cannot be
// written.
void write_docx(const std::vector<pdf::PageText>& pages, const std::filesystem::path& out);

}  // namespace paperd::engines::office
