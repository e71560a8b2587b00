#include "docs/postman.h"

#include <map>

namespace paperd::docs {

using http::Param;

namespace {

// GET /job/get's job id until a job request of the collection has answered with its own.
constexpr const char* kExampleJobId = "poai-job_999_1776600000.1234_0a1b2c3d";

// The requests a newcomer runs first; they move from their category into the intro folder.
bool is_intro(const Operation& op) {
  return op.method == "GET" && !op.pipeline &&
         (op.path == "/health" || op.path == "/ping" || op.path == "/billing/pricing/tiers");
}

std::string text_value(const Json& v) {
  return v.is_string() ? v.get<std::string>() : v.dump();
}

Json test_event(const Operation& op) {
  std::vector<std::string> exec;
  if (op.pipeline || op.path == kGenericJobPath) {
    // Remembered for the job/get request (a job answered 200 or 202 carries its id).
    exec = {"try { var answer = pm.response.json();",
            "  if (answer && answer.job_id) pm.collectionVariables.set(\"job_id\", answer.job_id);",
            "} catch (e) {}"};
  }
  if (op.method == "GET" && op.path == kJobGetPath) {
    // Clients poll until status == "completed" (CONTRACTS §2.2).
    exec.insert(
        exec.end(),
        {"pm.test(\"job/get: status is the job's state, job_status the same\", function () {",
         "  var j = pm.response.json();",
         "  if (pm.response.code !== 200) { pm.expect(j.status).to.eql(\"error\"); return; }",
         "  pm.expect(" + job_states_json().dump() + ").to.include(j.status);",
         "  pm.expect(j.job_status).to.eql(j.status);", "  pm.expect(j.success).to.eql(true);",
         "  if (j.status === \"completed\") pm.expect(j.job_result.status).to.eql(\"completed\");",
         "});"});
  } else if (op.mcp_transport()) {
    exec.insert(
        exec.end(),
        {"pm.test(\"MCP endpoint answers (po_sk_ keys get 401: use a po_ut_ or po_gt_ token)\", "
         "function () {",
         "  pm.expect(pm.response.code).to.be.below(500);", "});"});
  } else if (!needs_prior_state(op)) {
    exec.insert(exec.end(), {"pm.test(\"status is 2xx\", function () {",
                             "  pm.expect(pm.response.code).to.be.within(200, 299);", "});"});
  } else {
    exec.insert(exec.end(),
                {"pm.test(\"answers the JSON envelope\", function () {",
                 // A page for people (the signing page) answers HTML, its errors included.
                 "  if ((pm.response.headers.get(\"Content-Type\") || \"\").startsWith("
                 "\"text/html\")) return pm.expect(pm.response.code).to.be.below(500);",
                 "  pm.expect(pm.response.json()).to.have.property(\"status\");", "});"});
  }
  return Json::array(
      {{{"listen", "test"}, {"script", {{"type", "text/javascript"}, {"exec", exec}}}}});
}

Json url(const Operation& op, const Json& query) {
  Json path = Json::array();
  Json variables = Json::array();
  std::string raw = "{{base_url}}";
  std::string_view rest = op.path;
  while (!rest.empty()) {
    rest.remove_prefix(1);  // the '/'
    size_t end = rest.find('/');
    std::string segment(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
    auto names = path_param_names(segment);
    if (!names.empty()) {
      const Param* p = nullptr;
      for (const auto& pp : op.path_params)
        if (pp.name == names.front()) p = &pp;
      Param fallback{.name = names.front()};
      if (!p) p = &fallback;
      if (segment == "{" + names.front() + "}") {
        // A whole-segment parameter becomes a Postman path variable.
        segment = ":" + p->name;
        // The job polled is the last one the collection started (see test_event).
        variables.push_back({{"key", p->name},
                             {"value", p->name == "job_id" && op.path == kJobGetPath
                                           ? std::string("{{job_id}}")
                                           : text_value(example_value(*p))},
                             {"description", p->description}});
      } else {
        // "{y}.pbf": Postman variables cannot carry a suffix, so the example goes in the path.
        segment.replace(segment.find('{'), names.front().size() + 2, text_value(example_value(*p)));
      }
    }
    path.push_back(segment);
    raw += "/" + segment;
  }
  std::string qs;
  for (const auto& q : query)
    if (!q.value("disabled", false))
      qs += (qs.empty() ? "?" : "&") + q["key"].get<std::string>() + "=" +
            q["value"].get<std::string>();
  Json out = {{"raw", raw + qs}, {"host", Json::array({"{{base_url}}"})}, {"path", path}};
  if (!query.empty()) out["query"] = query;
  if (!variables.empty()) out["variable"] = variables;
  return out;
}

// Fields as Postman key/value rows; optional ones are present but disabled.
Json field_rows(const Operation& op) {
  Json chosen = example_fields(op);
  Json rows = Json::array();
  for (const auto& p : op.params) {
    if (p.type == http::ParamType::kFile) continue;
    bool on = chosen.contains(p.name);
    Json row = {{"key", p.name},
                {"value", text_value(on ? chosen[p.name] : example_value(p))},
                {"description", p.description}};
    if (!on) row["disabled"] = true;
    rows.push_back(std::move(row));
  }
  for (auto& [k, v] : op.fixed.items()) {
    bool declared = false;
    for (const auto& p : op.params) declared = declared || p.name == k;
    if (!declared) rows.push_back({{"key", k}, {"value", text_value(v)}, {"description", ""}});
  }
  return rows;
}

Json mcp_body() {
  Json rpc = {{"jsonrpc", "2.0"},
              {"id", 1},
              {"method", "initialize"},
              {"params",
               {{"protocolVersion", "2025-06-18"},
                {"capabilities", Json::object()},
                {"clientInfo", {{"name", "postman"}, {"version", "1.0"}}}}}};
  return {{"mode", "raw"}, {"raw", rpc.dump(2)}, {"options", {{"raw", {{"language", "json"}}}}}};
}

std::string description(const Operation& op) {
  std::string d = "`" + op.route->method + " " + op.route->path + "`";
  if (op.pipeline) d += " → `" + op.path + "` " + (op.fixed.empty() ? "" : op.fixed.dump());
  d += "\n\n" + one_line(op.summary) + "\n\n**Auth:** " + std::string(auth_label(op.route->auth)) +
       " · **Credits:** " +
       (op.pipeline ? std::to_string(op.pipeline->credits) + " before the lane factor"
                    : credits_label(op.route->credits));
  if (!op.mcp_name.empty())
    d += " · **MCP tool:** `" + op.mcp_name + "` (" + std::string(effect_label(op.effect)) + ")";
  std::string table = params_markdown(op);
  if (!table.empty()) d += "\n\n" + table;
  return d;
}

Json request_item(const Operation& op) {
  Json request = {{"method", op.method}, {"header", Json::array()}};
  Json query = Json::array();
  bool body_method = op.method != "GET" && op.method != "DELETE";
  if (op.mcp_transport() && op.method == "POST") {
    request["header"] =
        Json::array({{{"key", "Content-Type"}, {"value", "application/json"}},
                     {{"key", "Accept"}, {"value", "application/json, text/event-stream"}}});
    request["body"] = mcp_body();
  } else if (op.mcp_transport()) {
    request["header"] =
        Json::array({{{"key", "Accept"}, {"value", "application/json, text/event-stream"}}});
  } else if (!body_method) {
    query = field_rows(op);
  } else {
    auto files = file_params(op);
    bool form = op.pipeline || op.path == kJobRoutePath || !files.empty();
    if (form) {
      Json rows = field_rows(op);
      for (auto& row : rows) row["type"] = "text";
      for (const auto& f : files) {
        Json row = {{"key", f.name}, {"type", "file"}, {"description", f.description}};
        if (!f.required && !op.needs_input) row["disabled"] = true;
        rows.push_back(std::move(row));
      }
      request["body"] = {{"mode", "formdata"}, {"formdata", rows}};
    } else if (!op.params.empty()) {
      request["header"] = Json::array({{{"key", "Content-Type"}, {"value", "application/json"}}});
      request["body"] = {{"mode", "raw"},
                         {"raw", example_fields(op).dump(2)},
                         {"options", {{"raw", {{"language", "json"}}}}}};
    }
  }
  request["url"] = url(op, query);
  request["description"] = description(op);
  return {{"name", op.title},
          {"event", test_event(op)},
          {"request", request},
          {"response", Json::array()}};
}

std::string collection_description(const Source& src, size_t requests) {
  return "# PaperOffice AI API\n\n"
         "Documentation release " +
         release_tag(src.release_time) + " · paperd " + src.version + " · " +
         std::to_string(requests) +
         " requests, generated from the server's route table.\n\n"
         "## Getting started\n\n"
         "1. Set the collection variable `bearer_token` to your token (`po_sk_` system key, "
         "`po_ut_` user token or `po_gt_` group token). `base_url` points at this server (`" +
         src.base_url +
         "`).\n"
         "2. Run **🚀 Introduction & Basics**: health, ping and the pricing tiers need no "
         "token.\n"
         "3. Jobs: `POST /job/add/{pipeline}` takes multipart form data. `priority` >= 900 (or "
         "`processing_lane=instant`) answers inline; otherwise you get `job_id` and `poll_url` "
         "(`GET /job/get/{job_id}`, free). Pick the file for `file` in each job request.\n\n"
         "## Answers\n\n"
         "Success: `{\"status\":\"success\", ..., \"processing_time\":\"12.34ms\"}`. Errors: "
         "`{\"status\":\"error\", \"code\":\"INVALID_REQUEST\", \"message\":\"...\"}` with 400, "
         "401 (`AUTH_REQUIRED`, `INVALID_TOKEN`), 402 (`INSUFFICIENT_CREDITS`), 404, 429 "
         "(`RATE_LIMIT_EXCEEDED` + `Retry-After`), 500.\n\n"
         "## Also\n\n"
         "OpenAPI 3.1: `{{base_url}}/docs/openapi.json` · LLM index: "
         "`{{base_url}}/docs/llms.txt` · full reference: `{{base_url}}/docs/llms-full.txt`.";
}

}  // namespace

Json postman_collection(const Source& src) {
  auto ops = all_operations(src, /*replace_job_route=*/true);
  std::vector<Operation> intro, rest;
  for (auto& op : ops) (is_intro(op) ? intro : rest).push_back(std::move(op));

  Json folders = Json::array();
  if (!intro.empty()) {
    Json items = Json::array();
    for (const auto& op : intro) items.push_back(request_item(op));
    folders.push_back({{"name", kIntroFolder},
                       {"description", "Connectivity and prices; no token needed."},
                       {"item", items}});
  }
  for (const auto& [category, list] : by_category(rest)) {
    Json items = Json::array();
    for (const auto* op : list) items.push_back(request_item(*op));
    Json folder = {{"name", category}, {"item", items}};
    if (category == kMcpFolder)
      folder["description"] =
          "JSON-RPC 2.0 over Streamable HTTP. MCP accepts po_ut_ and po_gt_ tokens only; "
          "po_sk_ and po_pk_ keys are refused with 401.";
    folders.push_back(std::move(folder));
  }
  return {
      {"info",
       {{"name", "PaperOffice AI API"},
        {"description", collection_description(src, ops.size())},
        {"schema", kPostmanSchema}}},
      {"auth",
       {{"type", "bearer"},
        {"bearer",
         Json::array({{{"key", "token"}, {"value", "{{bearer_token}}"}, {"type", "string"}}})}}},
      {"variable",
       Json::array({{{"key", "base_url"}, {"value", src.base_url}, {"type", "string"}},
                    {{"key", "bearer_token"}, {"value", ""}, {"type", "string"}},
                    {{"key", "job_id"}, {"value", kExampleJobId}, {"type", "string"}}})},
      {"item", folders}};
}

}  // namespace paperd::docs
