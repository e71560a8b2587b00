#include "services/esign/esign_runner.h"

#include "core/error.h"
#include "core/subprocess.h"

namespace paperd::services::esign {

using core::Error;

EsignRunner::EsignRunner(std::filesystem::path binary, const core::Config& config)
    : binary_(std::move(binary)), config_(config) {}

Json EsignRunner::run(Json request, int timeout_ms) const {
  request["memory_mb"] = config_.worker_memory_mb;
  request["cpu_seconds"] = std::max(10, timeout_ms / 1000);
  request["max_pages"] = config_.max_pages;
  request["max_megapixels"] = config_.max_megapixels;
  core::ProcessOptions p;
  p.argv = {binary_.string(), "esign"};
  p.stdin_data = request.dump();
  p.timeout_ms = timeout_ms;
  const std::string op = request.value("op", "");
  auto res = core::run_process(p);
  if (res.timed_out)
    throw Error(400, "INVALID_PDF",
                "the document took too long to " + op + " (over " +
                    std::to_string(timeout_ms / 1000) + " s)");
  size_t end = res.out.find_last_not_of('\n');
  size_t start = end == std::string::npos ? std::string::npos : res.out.rfind('\n', end);
  Json answer =
      Json::parse(res.out.substr(start == std::string::npos ? 0 : start + 1), nullptr, false);
  if (!res.ok() || answer.is_discarded() || !answer.is_object())
    throw Error(400, "INVALID_PDF",
                "the document could not be processed (" + op + ": the reader " +
                    (res.signal ? "was killed by signal " + std::to_string(res.signal)
                                : "exited with " + std::to_string(res.exit_code)) +
                    ")");
  if (answer.contains("error")) {
    const Json& e = answer["error"];
    throw Error(e.value("status", 400), e.value("code", "INVALID_PDF"), e.value("message", ""));
  }
  return answer;
}

}  // namespace paperd::services::esign
