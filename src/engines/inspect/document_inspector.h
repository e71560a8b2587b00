// Looks inside a stored document once, when it is uploaded: how many pages it has, its general
// metadata (producer, title, dates, language, ...) and the text its pages carry (a PDF's text
// layer, an office file's words, a text file's lines). Parses hostile bytes, so the server runs
// it in a child process under limits (`paperd inspect`, services/dms/inspector_client.h), never
// in the API process.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/json.h"
#include "engines/inspect/file_type.h"

namespace paperd::engines::inspect {

struct PageTextLayer {
  int page = 0;  // 1-based
  std::string text;
};

struct Inspection {
  FileType type;
  int pages = 0;
  Json metadata = Json::object();   // producer, creator, title, author, creation_date, ...
  std::vector<PageTextLayer> text;  // pages with text; empty for images and scans
  bool needs_ocr = false;           // some page has no text of its own (a scan or an image)
};

struct InspectLimits {
  int64_t max_pages = 5000;
  size_t max_text_bytes = 32u << 20;  // extracted text kept, all pages together
};

// Throws core::Error 400 (UNSUPPORTED_FORMAT, INVALID_PDF, INVALID_IMAGE, ...) for a file that is
// not what its bytes claim, 413 INPUT_TOO_LARGE past the limits.
Inspection inspect_file(const std::filesystem::path& file, std::string_view name,
                        const InspectLimits& limits = {});

Json to_json(const Inspection& inspection);
Inspection from_json(const Json& j);

}  // namespace paperd::engines::inspect
