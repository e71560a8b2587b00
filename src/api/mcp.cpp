// The MCP lanes (/mcp, /dms, /cursor, /claude, /openai, /chatgpt, /grok, /mcp-full). Tool calls run
// the REST route's own handler through http::invoke_route; job tools that are still running after
// a short wait answer with job_id and how to poll.
#include <mutex>

#include "api/context.h"
#include "core/error.h"
#include "http/server.h"
#include "jobs/supervisor.h"
#include "mcp/catalog.h"
#include "mcp/server.h"

namespace paperd::api {

namespace {

constexpr int kJobWaitMs = 25000;

struct McpState {
  std::once_flag built;
  std::unique_ptr<mcp::Catalog> catalog;
  std::unique_ptr<mcp::Server> server;
};

// Runs one route for a tool call, as the HTTP server would after parsing the body.
http::Response run_route(ApiContext& ctx, const http::Route& route, http::Request& req) {
  return http::invoke_route(route, req, *ctx.hooks);
}

mcp::CallOutcome run_tool(ApiContext& ctx, const mcp::Tool& tool, const Json& args,
                          const http::Request& incoming) {
  http::Request req;
  req.method = tool.route->method;
  req.path = tool.route->path;
  req.request_id = incoming.request_id;
  req.client_ip = incoming.client_ip;
  req.base_url = incoming.base_url;
  req.principal = incoming.principal;
  for (auto& [k, v] : args.items()) {
    if (k == "file_url")
      req.params.set("source_url", v);
    else if (k == "file_urls")
      req.params.set("files", v);
    else
      req.params.set(k, v);
  }
  for (auto& [k, v] : tool.fixed.items()) req.params.set(k, v);
  mcp::CallOutcome out;
  try {
    // Protocol messages are free of rate limits; each tool call counts like one REST call.
    if (tool.route->rate_limited) {
      http::RateDecision rate = ctx.hooks->rate_limit(req.principal, req.client_ip, true);
      if (!rate.allowed)
        throw core::Error::rate_limited("rate limit exceeded (" + rate.policy + "); retry after " +
                                        std::to_string(rate.retry_after) + " s");
    }
    if (!tool.pipeline.empty()) {
      req.path_params["pipeline"] = tool.pipeline;
    } else {
      // Path parameters come from the arguments of the same name.
      for (const auto& p : tool.route->params) {
        if (tool.route->path.find("{" + p.name + "}") == std::string::npos) continue;
        if (!args.contains(p.name))
          throw core::Error::invalid_request("field '" + p.name + "' is required");
        req.path_params[p.name] =
            args[p.name].is_string() ? args[p.name].get<std::string>() : args[p.name].dump();
      }
    }
    for (auto& [k, v] : req.path_params) req.params.set(k, v);
    http::Response res = run_route(ctx, *tool.route, req);
    Json body = res.body;
    if (!res.stream && res.content_type.starts_with("text/"))
      body = {{"status", "success"}, {"content_type", res.content_type}, {"text", res.raw}};
    else if (res.stream || !res.content_type.empty())
      body = {{"status", "success"},
              {"content_type", res.content_type},
              {"note", "binary answer; use the REST endpoint to fetch it"}};
    // A job still running: wait a little, then answer with its state either way.
    if (!tool.pipeline.empty() && res.status == 202 && ctx.supervisor) {
      std::string id = body.value("job_id", "");
      ctx.supervisor->wait_for(
          [&] {
            auto job = ctx.queue.get(id, req.principal.account_id);
            return job && (job->state == "completed" || job->state == "failed");
          },
          kJobWaitMs);
      auto m = ctx.router->match("GET", "/job/get/" + id);
      http::Request poll;
      poll.method = "GET";
      poll.path = "/job/get/" + id;
      poll.request_id = req.request_id;
      poll.base_url = req.base_url;
      poll.principal = req.principal;
      poll.path_params = m.path_params;
      for (auto& [k, v] : poll.path_params) poll.params.set(k, v);
      Json polled = run_route(ctx, *m.route, poll).body;
      if (polled.value("job_status", "") == "completed" ||
          polled.value("job_status", "") == "failed")
        body = polled;
      else
        body["how_to_poll"] = "call po_job_get with {\"job_id\": \"" + id + "\"}";
      res.status = polled.value("job_status", "") == "failed" ? 400 : res.status;
    }
    if (req.charged > 0) body["_billing_summary"] = {{"credits_billed", req.charged}};
    out.structured = body;
    out.is_error = res.status >= 400;
    out.summary = tool.name + ": " +
                  (out.is_error ? "error " + body.value("code", body.value("error_code", "")) +
                                      " " + body.value("message", body.value("error", ""))
                   : body.contains("job_status") ? "job " + body.value("job_status", "")
                                                 : std::string("ok"));
  } catch (const core::Error& e) {
    out.structured = http::error_body(e.code(), e.what());
    out.is_error = true;
    out.summary = tool.name + ": error " + e.code() + " " + e.what();
  }
  return out;
}

}  // namespace

void add_mcp_routes(http::Router& router, ApiContext& ctx) {
  auto state = std::make_shared<McpState>();
  auto handler = [&ctx, state](const std::string& lane) {
    return [&ctx, state, lane](http::Request& req) {
      std::call_once(state->built, [&] {
        state->catalog = std::make_unique<mcp::Catalog>(ctx.router->routes(), ctx.pipelines);
        std::vector<std::string> origins;
        if (!ctx.config.public_url.empty()) {
          auto scheme_end = ctx.config.public_url.find("://");
          auto path =
              ctx.config.public_url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
          origins.push_back(ctx.config.public_url.substr(0, path));
        }
        state->server = std::make_unique<mcp::Server>(
            *state->catalog,
            [&ctx](const mcp::Tool& t, const Json& args, const http::Request& in) {
              return run_tool(ctx, t, args, in);
            },
            origins);
      });
      return state->server->handle(lane, req);
    };
  };
  for (const auto& lane : mcp::Catalog::lanes()) {
    for (std::string method : {"POST", "GET", "DELETE"}) {
      router.add({.method = method,
                  .path = lane,
                  .category = "MCP Server",
                  .title = "MCP " + lane + (method == "POST" ? "" : " (" + method + ")"),
                  .summary = "Model Context Protocol, Streamable HTTP, JSON-RPC 2.0. Bearer po_ut_ "
                             "or po_gt_.",
                  .auth = http::Auth::kVisitor,
                  .rate_limited = false,  // tool calls are limited one by one in run_tool()
                  .body_limit = 4 << 20,
                  .raw_body = true,
                  .read_only = method != "DELETE",
                  .handler = handler(lane)});
    }
  }
}

}  // namespace paperd::api
