// Runs `paperd inspect` on an upload in a child process (its own limits, a timeout; through the
// InspectorPool of long-lived readers, one fork per file), so the API
// process never parses a hostile document itself (ARCHITECTURE §1). The same readers answer the
// words of a stored PDF's pages with their boxes (search hits).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "engines/inspect/document_inspector.h"
#include "engines/inspect/page_words.h"

namespace paperd::services::dms {

// Throws the child's own error (400 UNSUPPORTED_FORMAT, INVALID_PDF, 413 INPUT_TOO_LARGE, ...);
// 400 INVALID_DOCUMENT when it crashed or timed out on the file.
engines::inspect::Inspection inspect_upload(const std::filesystem::path& file,
                                            const std::string& name, int timeout_ms = 60000);

// The words with boxes (points, top-left) of those pages (1-based) of a PDF, read in a child
// process under the same limits; throws the child's error as inspect_upload does.
std::vector<engines::inspect::PageWords> read_page_words(const std::filesystem::path& file,
                                                         const std::string& name,
                                                         const std::vector<int>& pages,
                                                         int timeout_ms = 60000);

}  // namespace paperd::services::dms
