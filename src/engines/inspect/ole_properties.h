// The property sets of an OLE compound file (.doc, .xls, .ppt): SummaryInformation and
// DocumentSummaryInformation, read with libgsf. Word keeps its page count there as last saved,
// PowerPoint its slide count; both keep title, author, dates and the application.
#pragma once

#include <filesystem>

#include "core/json.h"

namespace paperd::engines::inspect {

struct OleProperties {
  int pages = 0;                   // 0 = not recorded
  int slides = 0;                  // 0 = not recorded
  Json metadata = Json::object();  // title, author, subject, keywords, producer, dates
};

// Throws Error 400 INVALID_DOCUMENT when the file is no readable compound file; a file without
// property sets answers empty properties.
OleProperties read_ole_properties(const std::filesystem::path& file);

}  // namespace paperd::engines::inspect
