// What the AI-OCR pipeline and the AI split's scan reading start from: tessdata and installed
// models, the first-pass language (config.ocr_language, else eng), threads and limits, a work
// dir, and the one pool of loaded Tesseract models a worker process keeps between jobs for both
// (empty until a page is read, so processes that never read one load nothing).
#pragma once

#include <filesystem>

#include "core/config.h"
#include "engines/ocr/document_reader.h"

namespace paperd::jobs {

engines::ocr::DocumentOptions ocr_base_options(const core::Config& config,
                                               const std::filesystem::path& work_dir);

}  // namespace paperd::jobs
