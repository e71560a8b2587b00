// The AI-OCR result object (CONTRACTS §2.1): `output` with ocr_mode, pages keyed "00001", and
// the summary with the "***Page i of N***" full text. Confidences are 0..1, coordinates pixels
// of the page image as sent (PDF pages: as rendered at the job's dpi), origin top-left.
#pragma once

#include <string>

#include "core/json.h"
#include "engines/ocr/document_reader.h"

namespace paperd::engines::ocr {

std::string mode_name(OcrMode mode);
// "tesseract 5.3.0"
std::string engine_version();

Json page_json(const PageResult& page, OcrMode mode, bool word_boxes);
// word_boxes: bounding boxes in text mode too (include_bounding_boxes); form_fields adds
// output.fields.
Json output_json(const DocumentResult& doc, OcrMode mode, bool word_boxes, bool form_fields);

}  // namespace paperd::engines::ocr
