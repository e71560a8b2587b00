// Runs `paperd esign` (app/esign_cmd.cpp) in a child process with memory and CPU limits and a
// timeout: the server never parses a signer's or sender's PDF itself (ARCHITECTURE §1).
#pragma once

#include <filesystem>
#include <string>

#include "core/config.h"
#include "core/json.h"

namespace paperd::services::esign {

class EsignRunner {
 public:
  EsignRunner(std::filesystem::path binary, const core::Config& config);

  // One op (sign, verify, render, certificate); the child's answer. Throws the child's own error
  // (400 INVALID_PDF, ...), or 400 INVALID_PDF when it crashed or ran out of time on the file.
  Json run(Json request, int timeout_ms = 120000) const;

 private:
  std::filesystem::path binary_;
  const core::Config& config_;
};

}  // namespace paperd::services::esign
