#include "mcp/server.h"
#include "core/json_guard.h"

#include <algorithm>
#include <set>

#include "core/crypto.h"
#include "core/error.h"

namespace paperd::mcp {

namespace {

constexpr size_t kPageSize = 50;

Json rpc_error(const Json& id, int code, const std::string& message) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}};
}

Json rpc_result(const Json& id, Json result) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

// A JSON-RPC failure that the dispatcher turns into an error object.
struct RpcError {
  int code;
  std::string message;
};

http::Response http_error(int status, const std::string& code, const std::string& message) {
  http::Response r = http::Response::json({{"jsonrpc", "2.0"},
                                           {"id", nullptr},
                                           {"error", {{"code", -32001}, {"message", message}}},
                                           {"status", "error"},
                                           {"code", code}},
                                          status);
  r.add_processing_time = false;
  return r;
}

std::string compact_schema(const Json& schema) {
  std::string out;
  std::set<std::string> required;
  if (schema.contains("required"))
    for (auto& r : schema["required"]) required.insert(r.get<std::string>());
  for (auto& [name, s] : schema["properties"].items())
    out += (out.empty() ? "" : ", ") + name + ":" + s.value("type", "any") +
           (required.count(name) ? "*" : "");
  return out;
}

}  // namespace

const std::vector<std::string>& supported_protocols() {
  static const std::vector<std::string> kVersions = {"2025-11-25", "2025-06-18", "2025-03-26"};
  return kVersions;
}

Server::Server(const Catalog& catalog, ToolRunner runner, std::vector<std::string> allowed_origins)
    : catalog_(catalog), runner_(std::move(runner)), allowed_origins_(std::move(allowed_origins)) {}

bool Server::origin_allowed(const std::string& origin) const {
  if (origin.empty()) return true;  // not a browser
  for (std::string local : {"http://localhost", "http://127.0.0.1", "http://[::1]",
                            "https://localhost", "https://127.0.0.1"})
    if (origin == local || origin.starts_with(local + ":")) return true;
  return std::find(allowed_origins_.begin(), allowed_origins_.end(), origin) !=
         allowed_origins_.end();
}

http::Response Server::handle(const std::string& lane, http::Request& req) {
  // DNS rebinding: a browser page from another origin must not reach a local server.
  if (!origin_allowed(req.header("Origin")))
    return http_error(403, "FORBIDDEN", "Origin " + req.header("Origin") + " is not allowed");
  // MCP takes user and group tokens only (CONTRACTS §2.10).
  if (req.principal.visitor() || req.principal.kind == "sk" || req.principal.kind == "pk") {
    std::string msg =
        req.header("Authorization").empty()
            ? "Authentication required: send Authorization: Bearer po_ut_… or po_gt_…"
        : req.principal.visitor()
            ? "the Bearer token is unknown, expired or revoked"
            : "po_" + req.principal.kind +
                  "_ keys are not accepted by the MCP server; use a user token (po_ut_) or a "
                  "group token (po_gt_)";
    http::Response r = http_error(
        401, req.header("Authorization").empty() ? "AUTH_REQUIRED" : "INVALID_TOKEN", msg);
    r.headers.push_back(
        {"WWW-Authenticate", "Bearer realm=\"paperd-mcp\", error=\"invalid_token\""});
    return r;
  }
  std::string session_id = req.header("Mcp-Session-Id");
  if (!session_id.empty()) {
    std::lock_guard lock(mu_);
    auto it = sessions_.find(session_id);
    if (it == sessions_.end() || it->second.account_id != req.principal.account_id)
      return http_error(404, "NOT_FOUND", "unknown or ended MCP session " + session_id);
  }
  if (req.method == "DELETE") {
    if (session_id.empty()) return http_error(400, "INVALID_REQUEST", "Mcp-Session-Id required");
    std::lock_guard lock(mu_);
    sessions_.erase(session_id);
    http::Response r = http::Response::json({{"status", "success"}});
    r.add_processing_time = false;
    return r;
  }
  if (req.method != "POST") {
    http::Response r =
        http_error(405, "METHOD_NOT_ALLOWED",
                   "this MCP server answers POST (JSON-RPC) and DELETE; no SSE stream");
    r.headers.push_back({"Allow", "POST, DELETE"});
    return r;
  }
  std::string version = req.header("MCP-Protocol-Version");
  if (!version.empty() && std::find(supported_protocols().begin(), supported_protocols().end(),
                                    version) == supported_protocols().end())
    return http_error(400, "INVALID_REQUEST", "unsupported MCP-Protocol-Version " + version);

  std::string toolsets = req.header("X-MCP-Toolsets");
  Json msg = core::parse_untrusted_json(req.body, {}, "the JSON-RPC body");
  http::Response res;
  res.add_processing_time = false;
  std::string new_session;
  if (msg.is_discarded()) {
    res.body = rpc_error(nullptr, -32700, "Parse error: the body is not valid JSON");
  } else if (msg.is_array()) {
    if (msg.empty()) {
      res.body = rpc_error(nullptr, -32600, "Invalid Request: empty batch");
    } else {
      Json out = Json::array();
      for (const auto& m : msg) {
        Json r = dispatch(m, lane, toolsets, req, &new_session);
        if (!r.is_null()) out.push_back(std::move(r));
      }
      res.body = out;
    }
  } else {
    res.body = dispatch(msg, lane, toolsets, req, &new_session);
  }
  if (!new_session.empty()) res.headers.push_back({"Mcp-Session-Id", new_session});
  if (res.body.is_null() || (res.body.is_array() && res.body.empty())) {
    // Only notifications: accepted, nothing to answer.
    res.status = 202;
    res.raw = "";
    res.content_type = "application/json";
  }
  return res;
}

Json Server::dispatch(const Json& msg, const std::string& lane, const std::string& toolsets,
                      http::Request& req, std::string* new_session) {
  if (!msg.is_object() || msg.value("jsonrpc", "") != "2.0" || !msg.contains("method") ||
      !msg["method"].is_string())
    return rpc_error(msg.is_object() && msg.contains("id") ? msg["id"] : Json(nullptr), -32600,
                     "Invalid Request: expected {\"jsonrpc\":\"2.0\", \"method\": string, ...}");
  const std::string method = msg["method"];
  const bool notification = !msg.contains("id");
  const Json id = notification ? Json(nullptr) : msg["id"];
  const Json params = msg.value("params", Json::object());
  if (notification) return nullptr;  // notifications/initialized, cancelled, ...
  try {
    if (!params.is_object()) throw RpcError{-32602, "Invalid params: params must be an object"};
    if (method == "initialize") {
      std::string asked = params.value("protocolVersion", "");
      const auto& known = supported_protocols();
      std::string chosen =
          std::find(known.begin(), known.end(), asked) != known.end() ? asked : kLatestProtocol;
      std::string sid = core::hex(core::random_bytes(16));
      {
        std::lock_guard lock(mu_);
        sessions_[sid] = {req.principal.account_id, lane, chosen};
      }
      *new_session = sid;
      return rpc_result(
          id, {{"protocolVersion", chosen},
               {"capabilities", {{"tools", {{"listChanged", false}}}}},
               {"serverInfo",
                {{"name", "paperd"},
                 {"title", "paperd (PaperOffice AI API)"},
                 {"version", PAPERD_VERSION}}},
               {"instructions",
                "paperd tools run document jobs (PDF, OCR, conversion) and read results. Use "
                "po_mcp_tools_search to find tools outside this lane. Job tools answer with the "
                "result, or with job_id when still running: poll with po_job_get."}});
    }
    if (method == "ping") return rpc_result(id, Json::object());
    if (method == "tools/list") {
      auto tools = catalog_.for_lane(lane, toolsets);
      size_t offset = 0;
      if (params.contains("cursor")) {
        try {
          offset = std::stoul(params["cursor"].get<std::string>());
        } catch (...) {
          throw RpcError{-32602, "Invalid params: unknown cursor"};
        }
      }
      Json list = Json::array();
      for (size_t i = offset; i < tools.size() && i < offset + kPageSize; ++i)
        list.push_back(tools[i]->to_json());
      Json result = {{"tools", list}};
      if (offset + kPageSize < tools.size())
        result["nextCursor"] = std::to_string(offset + kPageSize);
      return rpc_result(id, result);
    }
    if (method == "tools/call") {
      if (!params.contains("name") || !params["name"].is_string())
        throw RpcError{-32602, "Invalid params: tools/call needs 'name'"};
      std::string name = params["name"];
      Json args = params.value("arguments", Json::object());
      if (!args.is_object())
        throw RpcError{-32602, "Invalid params: 'arguments' must be an object"};
      auto lane_tools = catalog_.for_lane(lane, toolsets);
      const Tool* tool = catalog_.find(name);
      if (!tool || std::find(lane_tools.begin(), lane_tools.end(), tool) == lane_tools.end())
        throw RpcError{-32602, "Unknown tool: '" + name + "' is not offered on " + lane +
                                   " (po_mcp_tools_search finds every tool)"};
      return rpc_result(id, call_tool(*tool, args, lane, toolsets, req));
    }
    if (method == "resources/list") return rpc_result(id, {{"resources", Json::array()}});
    if (method == "prompts/list") return rpc_result(id, {{"prompts", Json::array()}});
    throw RpcError{-32601, "Method not found: " + method};
  } catch (const RpcError& e) {
    return rpc_error(id, e.code, e.message);
  }
}

Json Server::call_tool(const Tool& tool, const Json& args, const std::string& lane,
                       const std::string& toolsets, const http::Request& req) {
  auto text_result = [](const Json& structured, bool is_error, const std::string& summary) {
    return Json{{"content", {{{"type", "text"}, {"text", summary + "\n" + structured.dump(2)}}}},
                {"structuredContent", structured},
                {"isError", is_error}};
  };
  if (tool.name == "po_mcp_tools_search") {
    if (!args.contains("query") || !args["query"].is_string())
      return text_result({{"status", "error"},
                          {"code", "INVALID_REQUEST"},
                          {"message", "field 'query' is required"}},
                         true, "field 'query' is required");
    Json matches = Json::array();
    for (const Tool* t : catalog_.search(args["query"], args.value("limit", 10)))
      matches.push_back(
          {{"tool_id", t->name},
           {"one_liner", t->description.substr(0, 160)},
           {"execute_via", t->read_only ? "po_mcp_tools_call_read" : "po_mcp_tools_call_write"},
           {"annotations", {{"readOnlyHint", t->read_only}, {"destructiveHint", t->destructive}}},
           {"annotation_reason", t->read_only     ? "reads data only"
                                 : t->destructive ? "deletes or overwrites data"
                                                  : "creates jobs or data"},
           {"compact_schema", compact_schema(t->input_schema)}});
    return text_result({{"status", "success"}, {"matches", matches}}, false,
                       std::to_string(matches.size()) + " matching tools");
  }
  if (tool.name == "po_mcp_tools_schema" || tool.name == "po_mcp_tools_call_read" ||
      tool.name == "po_mcp_tools_call_write") {
    std::string target = args.value("tool_id", "");
    const Tool* t = catalog_.find(target);
    if (!t || t->discovery)
      return text_result({{"status", "error"},
                          {"code", "NOT_FOUND"},
                          {"message", "unknown tool_id '" + target + "'"}},
                         true, "unknown tool_id '" + target + "'");
    if (tool.name == "po_mcp_tools_schema")
      return text_result({{"status", "success"}, {"tool", t->to_json()}}, false, t->name);
    if (tool.name == "po_mcp_tools_call_read" && !t->read_only)
      return text_result({{"status", "error"},
                          {"code", "INVALID_REQUEST"},
                          {"message", t->name + " writes data: call it with "
                                                "po_mcp_tools_call_write"}},
                         true, t->name + " writes data");
    Json inner = args.value("arguments", Json::object());
    if (!inner.is_object())
      return text_result({{"status", "error"},
                          {"code", "INVALID_REQUEST"},
                          {"message", "field 'arguments' must be an object"}},
                         true, "field 'arguments' must be an object");
    return call_tool(*t, inner, lane, toolsets, req);
  }
  CallOutcome out = runner_(tool, args, req);
  return text_result(out.structured, out.is_error, out.summary);
}

}  // namespace paperd::mcp
