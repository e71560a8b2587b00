// Runs `paperd inspect` on an upload in a child process (its own limits, a timeout; through the
// InspectorPool of long-lived readers, one fork per file), so the API
// process never parses a hostile document itself (ARCHITECTURE §1).
#pragma once

#include <filesystem>
#include <string>

#include "engines/inspect/document_inspector.h"

namespace paperd::services::dms {

// Throws the child's own error (400 UNSUPPORTED_FORMAT, INVALID_PDF, 413 INPUT_TOO_LARGE, ...);
// 400 INVALID_DOCUMENT when it crashed or timed out on the file.
engines::inspect::Inspection inspect_upload(const std::filesystem::path& file,
                                            const std::string& name, int timeout_ms = 60000);

}  // namespace paperd::services::dms
