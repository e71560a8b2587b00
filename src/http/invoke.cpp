#include "http/invoke.h"

#include <spdlog/spdlog.h>

#include "core/error.h"

namespace paperd::http {

namespace {
void refund(Request& req, const ServerHooks& hooks) {
  if (req.charged <= 0 || req.charge_settled || !hooks.refund) return;
  try {
    hooks.refund(req.principal, req.charged, "refund " + req.request_id);
    req.charged = 0;
  } catch (const std::exception& e) {
    spdlog::error("refund for {} failed: {}", req.request_id, e.what());
  }
}
}  // namespace

Response invoke_route(const Route& route, Request& req, const ServerHooks& hooks) {
  std::vector<std::string> file_fields;
  for (auto& f : req.files) file_fields.push_back(f.field);
  req.params.apply_schema(route.params, file_fields);
  req.charge = [&hooks, &req](int64_t credits, const std::string& ref) {
    if (credits <= 0 || req.principal.visitor()) return;
    hooks.charge(req.principal, credits, ref);
    req.charged += credits;
  };
  try {
    if (route.credits > 0) req.charge(route.credits, route.method + " " + route.path);
    Response res = route.handler(req);
    if (res.status >= 400) refund(req, hooks);
    return res;
  } catch (...) {
    refund(req, hooks);
    throw;
  }
}

}  // namespace paperd::http
