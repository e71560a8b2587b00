// The error codes the converters answer with, as named constructors of the one core::Error, so
// LibreOffice, Chromium and Calibre report the same problem the same way.
#pragma once

#include <string>

#include "core/error.h"

namespace paperd::engines::convert {

// 400: the input is not a document the tool can read (corrupt, wrong type, password-protected).
inline core::Error unsupported_document(const std::string& filename, const std::string& why) {
  return {400, "UNSUPPORTED_DOCUMENT", "'" + filename + "' cannot be converted: " + why};
}
// 504: the tool did not finish in time; it was killed with everything it started.
inline core::Error conversion_timeout(const std::string& tool, const std::string& what,
                                      int seconds) {
  return {504, "CONVERSION_TIMEOUT",
          tool + " did not finish " + what + " within " + std::to_string(seconds) +
              " s; it was stopped (PAPERD_CONVERT_TIMEOUT_SECONDS)"};
}
// 500: the tool failed for a reason of its own (crashed, could not start); worth a retry.
inline core::Error conversion_failed(const std::string& tool, const std::string& why) {
  return {500, "CONVERSION_FAILED", tool + " failed: " + why};
}
// 503: the job was cancelled (time limit of the job, shutdown) while the tool was running.
inline core::Error conversion_cancelled(const std::string& tool) {
  return {503, "CONVERSION_CANCELLED", tool + " was stopped because the job was cancelled"};
}

}  // namespace paperd::engines::convert
