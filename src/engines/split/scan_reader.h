// The AI split's reader for scanned pages: the pages of a PDF that have no usable text layer are
// read by the OCR engine and come back as text layers (PDF points, page upright), the form
// page_signals() reads, so a scanned batch splits on the same evidence as a born-digital one.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "engines/ocr/document_reader.h"
#include "engines/ocr/page_result.h"
#include "engines/pdf/pdf_document.h"

namespace paperd::engines::split {

// Reads `pages` (0-based) of pdf: each is copied into a one-page PDF (qpdf) in a scratch
// directory under options.work_dir, and all are read on the OCR engine's thread pool
// (ocr::read_documents with force_ocr; tessdata, page options, threads, readers and limits come
// from options). Returns one text layer per page, in the order given. progress(done, total) may
// throw to cancel. Throws what ocr::read_documents and pdf::QpdfDocument::open throw.
std::vector<pdf::PageText> read_scanned_pages(const std::filesystem::path& pdf,
                                              const std::string& password, int64_t max_pages,
                                              const std::vector<int>& pages,
                                              const ocr::DocumentOptions& options,
                                              const ocr::ProgressFn& progress = {});

// An OCR result as a PDF text layer: pixel boxes (at page.dpi, in the frame of the image as
// given) turned upright by the rotation OCR applied, then converted to points.
pdf::PageText upright_text_layer(const ocr::PageResult& page);

}  // namespace paperd::engines::split
