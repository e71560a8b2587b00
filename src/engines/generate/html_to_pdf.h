// Our own HTML (a report, a completion certificate) laid out into a PDF by MuPDF's HTML engine, in
// process: no browser, no network (MuPDF's HTML loader reads no external resources). For a
// client's HTML use the Chromium printer (engines/convert), which isolates the page.
#pragma once

#include <filesystem>
#include <string_view>

namespace paperd::engines::generate {

// A4 pages (595 x 842 pt) with the stylesheet the HTML brings. Throws Error::internal when
// MuPDF cannot lay it out or the file cannot be written.
void html_to_pdf(std::string_view html, const std::filesystem::path& out);

}  // namespace paperd::engines::generate
