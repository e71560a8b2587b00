// The "Get json", "Get OCR details" and "Get OCR plain text" rows of the index (CONTRACTS §3.2):
// POST /job/add/paperoffice_aiocr___generate with `job_id` (or `pofid`) instead of a file reads
// the stored result of an earlier OCR job of the same account in another shape. No recognition
// runs and no credits are charged; the answer comes at once with the job envelope.
//
// format: json (default: text and statistics per page) | full (the stored output as is) |
// text_only (text per page) | structured (blocks > lines > words with boxes) | text (text/plain,
// pages separated by "***Page N of M***"). `page` picks one page; `include_bounding_boxes` adds
// the flat box list to json.
#pragma once

#include "api/context.h"

namespace paperd::api {

// True when the request asks for a stored result rather than a new OCR job.
bool wants_ocr_read_back(const http::Request& req);

http::Response ocr_read_back(ApiContext& ctx, http::Request& req);

}  // namespace paperd::api
