// Health, ping and metrics: the endpoints a load balancer and Prometheus call.
#include <fmt/format.h>

#include "api/context.h"
#include "core/clock.h"
#include "jobs/supervisor.h"

namespace paperd::api {

using http::Auth;
using http::Request;
using http::Response;

void add_system_routes(http::Router& router, ApiContext& ctx) {
  router.add({.method = "GET",
              .path = "/health",
              .category = "Workflow AI — Job Management",
              .title = "Ping management endpoint",
              .summary = "Basic connectivity check. No authentication required. ?verbose=1 adds "
                         "workers, queue depth and engines.",
              .auth = Auth::kVisitor,
              .rate_limited = false,
              .params = {{.name = "verbose",
                          .type = http::ParamType::kBoolean,
                          .description = "add workers, queue depth and engines",
                          .default_value = false}},
              .mcp_name = "po_health_get",
              .handler = [&ctx](Request& req) {
                if (!req.params.boolean("verbose", false))
                  return Response::json({{"success", true}, {"message", "API is healthy"}});
                Json workers = {{"configured", ctx.config.effective_workers()}};
                if (ctx.supervisor) {
                  workers["alive"] = ctx.supervisor->alive();
                  workers["restarts"] = ctx.supervisor->restarts();
                }
                Json jobs = Json::object();
                for (auto& [state, n] : ctx.queue.counts_by_state()) jobs[state] = n;
                Json pipelines = Json::array();
                for (auto* p : ctx.pipelines.all()) pipelines.push_back(p->name);
                return Response::json(
                    {{"success", true},
                     {"message", "API is healthy"},
                     {"version", PAPERD_VERSION},
                     {"uptime_seconds", core::unix_now() - ctx.started_at},
                     {"workers", workers},
                     {"queue", {{"depth", ctx.queue.depth()}, {"jobs", jobs}}},
                     {"storage", {{"database", ctx.db.dialect()}, {"blobs", "local"}}},
                     {"engines", Json::object()},
                     {"pipelines", pipelines}});
              }});
  router.add({.method = "GET",
              .path = "/ping",
              .category = "Workflow AI — Job Management",
              .title = "Ping",
              .summary = "Answers pong.",
              .auth = Auth::kVisitor,
              .rate_limited = false,
              .handler = [](Request&) {
                return Response::json({{"status", "success"}, {"data", "pong"}});
              }});
  router.add({.method = "GET",
              .path = "/metrics",
              .category = "Workflow AI — Job Management",
              .title = "Prometheus metrics",
              .summary = "Requests and latency by route, jobs by state, queue depth, worker "
                         "restarts, in Prometheus text format.",
              .auth = Auth::kVisitor,
              .rate_limited = false,
              .handler = [&ctx](Request&) {
                Response r;
                r.raw = ctx.metrics.render();
                r.content_type = "text/plain; version=0.0.4";
                return r;
              }});
}

}  // namespace paperd::api
