// PDF → HTML with MuPDF's structured-text HTML output: one <div> per page of the page's size,
// each line absolutely positioned with its font family, size, bold/italic, and the page's images
// embedded as data URIs. One self-contained file, readable in any browser.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "engines/pdf/pdf_document.h"

namespace paperd::engines::pdf {

// `pages` are 0-based indices in output order. Throws the errors of Document::open and
// Error::internal when the output cannot be written.
void write_html(const std::filesystem::path& pdf, const std::string& password, const Limits& limits,
                const std::vector<int>& pages, const std::filesystem::path& out);

}  // namespace paperd::engines::pdf
