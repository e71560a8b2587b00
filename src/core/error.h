// The one error type of paperd: an API error code, the HTTP status it answers with, and a message
// that names the problem. Engines, services and handlers throw it; the HTTP layer turns it into the
// error envelope {status:"error", code, message}. Anything else that escapes becomes
// INTERNAL_ERROR.
#pragma once

#include <stdexcept>
#include <string>

namespace paperd::core {

class Error : public std::runtime_error {
 public:
  Error(int http_status, std::string code, const std::string& message)
      : std::runtime_error(message), status_(http_status), code_(std::move(code)) {}

  int status() const { return status_; }
  const std::string& code() const { return code_; }

  static Error invalid_request(const std::string& msg) { return {400, "INVALID_REQUEST", msg}; }
  static Error job_config_invalid(const std::string& msg) {
    return {400, "JOB_CONFIG_INVALID", msg};
  }
  // 413 for bodies over a route's limit; content limits (pages, pixels, text) use the same code.
  static Error input_too_large(const std::string& msg, int status = 413) {
    return {status, "INPUT_TOO_LARGE", msg};
  }
  static Error auth_required(const std::string& msg) { return {401, "AUTH_REQUIRED", msg}; }
  static Error invalid_token(const std::string& msg) { return {401, "INVALID_TOKEN", msg}; }
  static Error insufficient_credits(const std::string& msg) {
    return {402, "INSUFFICIENT_CREDITS", msg};
  }
  static Error forbidden(const std::string& msg) { return {403, "FORBIDDEN", msg}; }
  static Error not_found(const std::string& msg) { return {404, "NOT_FOUND", msg}; }
  static Error method_not_allowed(const std::string& msg) {
    return {405, "METHOD_NOT_ALLOWED", msg};
  }
  static Error gone(const std::string& msg) { return {410, "NOT_FOUND", msg}; }
  static Error rate_limited(const std::string& msg) { return {429, "RATE_LIMIT_EXCEEDED", msg}; }
  static Error internal(const std::string& msg) { return {500, "INTERNAL_ERROR", msg}; }
  static Error engine_not_configured(const std::string& setting) {
    return {503, "ENGINE_NOT_CONFIGURED", "this feature needs a backend: set " + setting};
  }
  static Error unavailable(const std::string& msg) { return {503, "SERVICE_UNAVAILABLE", msg}; }

 private:
  int status_;
  std::string code_;
};

}  // namespace paperd::core
