// Form fields of a page (the idp_collection handwritten_document, handwritten_customer_form,
// government_forms, us_tax_forms rows): key/value pairs, checkboxes and signatures.
//
// - key/value: a label ending in ':' with its value after it on the same line, or, when that is
//   empty, in the ruled box to its right or on the line below; a label directly left of (or
//   above) a ruled box holding text; a box whose first line is a small caption.
//   confidence = mean Tesseract word confidence of key and value.
// - checkbox: a small square outline (0.08-0.35 in, four inked sides); checked when over 10% of
//   its inside is inked; labelled by the words right of it (or left). confidence grows with the
//   fill ratio's distance from the threshold.
// - signature: near a "Signature"/"Unterschrift"/"Signed"/... label, ink to its right or above
//   after removing ruling lines and confidently recognized printed words; present at >= 0.3% ink
//   with a stroke at least 1/4 in wide. confidence grows with the ink ratio.
#pragma once

#include <vector>

#include "engines/ocr/leptonica.h"
#include "engines/ocr/page_result.h"
#include "engines/ocr/ruling_lines.h"

namespace paperd::engines::ocr {

// binary: the ink mask of the page the blocks were read from; grids: every ruled grid (1x1
// boxes included) from find_ruled_grids.
std::vector<FormField> extract_form_fields(Pix* binary, const RulingLines& lines,
                                           const std::vector<Table>& grids,
                                           const std::vector<OcrBlock>& blocks, int dpi);

}  // namespace paperd::engines::ocr
