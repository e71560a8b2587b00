// Runs a route on a prepared request: parameters checked against the route's schema, the static
// price charged, the handler called, and the charge refunded if the call fails. The HTTP server
// and the MCP server both call this, so a tool call and a REST call run the same code.
#pragma once

#include <functional>
#include <string>

#include "http/rate_limiter.h"
#include "http/route.h"

namespace paperd::http {

struct ServerHooks {
  // Resolves a bearer token to a principal; throws Error::invalid_token.
  std::function<Principal(std::string_view token)> authenticate;
  // Applies (count=true) or reports (count=false) the caller's rate limits.
  std::function<RateDecision(const Principal&, const std::string& client_ip, bool count)>
      rate_limit;
  // Debits credits (throws Error::insufficient_credits) and gives them back.
  std::function<void(const Principal&, int64_t credits, const std::string& ref)> charge;
  std::function<void(const Principal&, int64_t credits, const std::string& ref)> refund;
  // One JSON access-log line per request.
  std::function<void(std::string_view json_line)> access_log;  // one JSON object, no newline
};

// Throws core::Error for bad parameters, missing credits and handler errors (after refunding).
Response invoke_route(const Route& route, Request& req, const ServerHooks& hooks);

}  // namespace paperd::http
