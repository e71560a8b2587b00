// HTML → PDF for API handlers that make a PDF of their own (document generation): the page is
// printed by a worker through the html_to_pdf pipeline (headless Chromium) on the instant lane,
// and the handler waits for it as /job/add's instant lane does. Never in the API process: the
// job brings the worker's sandboxing, time limits, restarts and the outbound guard for every
// request the page makes, which calling ChromiumPrinter here would have to repeat.
#pragma once

#include <filesystem>
#include <string>

#include "api/context.h"

namespace paperd::api {

struct PrintJob {
  int64_t account_id = 0;
  std::string html;   // a whole page
  std::string css;    // added once the page has loaded (inject_css), may be empty
  std::string title;  // names the job's output file
};

// Writes the PDF to out_pdf. The job itself is free (credits 0): the caller bills its own
// route. Throws the job's error when it fails, 504 CONVERSION_TIMEOUT when it is not done within
// the instant lane's wait, 503 SERVICE_UNAVAILABLE where no workers run.
void print_html_to_pdf(ApiContext& ctx, const PrintJob& job, const std::filesystem::path& out_pdf);

}  // namespace paperd::api
