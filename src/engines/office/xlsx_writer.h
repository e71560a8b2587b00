// PDF text → Excel (.xlsx) with libxlsxwriter: one sheet per page ("Page 1", ...). Tables found
// from aligned text (table_detector.h) become cells, numbers in them numeric cells; every other
// line goes into column A in reading order, so nothing on the page is lost.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "engines/pdf/pdf_document.h"

namespace paperd::engines::office {

// Throws Error::invalid_request when pages is empty; Error::internal when libxlsxwriter fails.
void write_xlsx(const std::vector<pdf::PageText>& pages, const std::filesystem::path& out);

// "1234", "-12.50", "1,234.56" → the number; anything else (leading zeros, ids longer than 12
// digits, currency signs, "1.234,56") stays text.
std::optional<double> cell_number(std::string_view text);

}  // namespace paperd::engines::office
