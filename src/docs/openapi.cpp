#include "docs/openapi.h"

#include <map>
#include <set>

namespace paperd::docs {

using http::Param;
using http::ParamType;

namespace {

std::string lower_method(const std::string& m) {
  std::string out;
  for (char c : m) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// mcp_name when set, else method + path ("get_job_download_download_token"); made unique.
std::string operation_id(const Operation& op, std::set<std::string>& used) {
  std::string id = op.mcp_name;
  if (id.empty()) {
    id = lower_method(op.method);
    bool sep = true;
    for (char c : op.path) {
      if (std::isalnum(static_cast<unsigned char>(c))) {
        if (sep) id += '_';
        id += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        sep = false;
      } else {
        sep = true;
      }
    }
  }
  std::string unique = id;
  for (int n = 2; used.count(unique); ++n) unique = id + "_" + std::to_string(n);
  used.insert(unique);
  return unique;
}

Json ref(const std::string& kind, const std::string& name) {
  return {{"$ref", "#/components/" + kind + "/" + name}};
}

Json body_schema(const std::vector<Param>& params, bool with_files) {
  Json props = Json::object();
  Json required = Json::array();
  for (const auto& p : params) {
    if (p.type == ParamType::kFile && !with_files) continue;
    Json s = param_schema(p);
    if (!p.description.empty()) s["description"] = p.description;
    props[p.name] = std::move(s);
    if (p.required) required.push_back(p.name);
  }
  Json schema = {{"type", "object"}, {"properties", props}, {"additionalProperties", true}};
  if (!required.empty()) schema["required"] = required;
  return schema;
}

Json request_body(const Operation& op, const std::vector<Operation>& variants) {
  if (op.mcp_transport()) {
    return {{"required", true},
            {"content",
             {{"application/json",
               {{"schema", ref("schemas", "JsonRpcRequest")},
                {"examples",
                 {{"initialize",
                   {{"summary", "Open a session"},
                    {"value",
                     {{"jsonrpc", "2.0"},
                      {"id", 1},
                      {"method", "initialize"},
                      {"params",
                       {{"protocolVersion", "2025-06-18"},
                        {"capabilities", Json::object()},
                        {"clientInfo", {{"name", "example-client"}, {"version", "1.0"}}}}}}}}},
                  {"tools_list",
                   {{"summary", "List the tools of this lane"},
                    {"value", {{"jsonrpc", "2.0"}, {"id", 2}, {"method", "tools/list"}}}}}}}}}}}};
  }
  bool required = false;
  for (const auto& p : op.params)
    if (p.required) required = true;
  Json examples = Json::object();
  for (const auto& v : variants)
    examples[v.mcp_name] = {{"summary", v.title}, {"value", example_fields(v)}};
  if (examples.empty() && !op.params.empty())
    examples["example"] = {{"summary", op.title}, {"value", example_fields(op)}};
  auto media = [&](bool files) {
    Json m = {{"schema", body_schema(op.params, files)}};
    if (!examples.empty()) m["examples"] = examples;
    return m;
  };
  return {{"required", required},
          {"content",
           {{"multipart/form-data", media(true)},
            {"application/x-www-form-urlencoded", media(false)},
            {"application/json", media(false)}}}};
}

Json responses(const Operation& op) {
  Json out = Json::object();
  if (op.mcp_transport()) {
    out["200"] = {
        {"description", "JSON-RPC 2.0 answer"},
        {"content", {{"application/json", {{"schema", ref("schemas", "JsonRpcResponse")}}}}}};
    out["401"] = ref("responses", "Unauthorized");
    out["500"] = ref("responses", "InternalError");
    return out;
  }
  if (op.method == "POST" && (op.path == kJobRoutePath || op.path == kGenericJobPath)) {
    out["200"] = {{"description", "Instant lane: the job finished; its result inline"},
                  {"content", {{"application/json", {{"schema", ref("schemas", "JobResult")}}}}}};
    out["202"] = {{"description", "Queued: poll poll_url (GET /job/get/{job_id})"},
                  {"content", {{"application/json", {{"schema", ref("schemas", "JobAccepted")}}}}}};
  } else if (op.method == "GET" && op.path == kJobGetPath) {
    out["200"] = {{"description",
                   "The job's state (status and job_status) and, once completed, "
                   "its result (result and job_result)"},
                  {"content", {{"application/json", {{"schema", ref("schemas", "JobStatus")}}}}}};
  } else {
    out["200"] = {
        {"description", "Success"},
        {"content", {{"application/json", {{"schema", ref("schemas", "SuccessEnvelope")}}}}}};
  }
  out["400"] = ref("responses", "BadRequest");
  if (op.route->auth != http::Auth::kVisitor) out["401"] = ref("responses", "Unauthorized");
  if (op.route->credits != 0) out["402"] = ref("responses", "PaymentRequired");
  if (op.route->auth == http::Auth::kSystem) out["403"] = ref("responses", "Forbidden");
  if (!op.path_params.empty()) out["404"] = ref("responses", "NotFound");
  if (op.route->rate_limited) out["429"] = ref("responses", "RateLimited");
  out["500"] = ref("responses", "InternalError");
  return out;
}

Json parameters(const Operation& op, const std::vector<Operation>& variants) {
  Json out = Json::array();
  for (const auto& p : op.path_params) {
    Json s = param_schema(p);
    if (p.name == "pipeline" && !variants.empty()) {
      std::set<std::string> slugs;
      for (const auto& v : variants) slugs.insert(pipeline_slug(*v.pipeline));
      s["enum"] = Json(slugs);
    }
    Json param = {{"name", p.name}, {"in", "path"}, {"required", true}, {"schema", s}};
    if (!p.description.empty()) param["description"] = p.description;
    out.push_back(std::move(param));
  }
  if (op.method == "GET" || op.method == "DELETE") {
    for (const auto& p : op.params) {
      if (p.type == ParamType::kFile) continue;
      Json param = {
          {"name", p.name}, {"in", "query"}, {"required", p.required}, {"schema", param_schema(p)}};
      if (!p.description.empty()) param["description"] = p.description;
      if (!p.example.is_null()) param["example"] = p.example;
      out.push_back(std::move(param));
    }
  }
  return out;
}

Json error_response(const std::string& description, const std::string& code) {
  return {{"description", description},
          {"content",
           {{"application/json",
             {{"schema", ref("schemas", "ErrorEnvelope")},
              {"example", {{"status", "error"}, {"code", code}, {"message", description}}}}}}}};
}

Json components() {
  const Json job_states = job_states_json();
  Json schemas = {
      {"SuccessEnvelope",
       {{"type", "object"},
        {"description",
         "status (\"success\"; /health answers success:true instead), processing_time, and "
         "the endpoint's fields: data or a documented flat shape"},
        {"properties",
         {{"status", {{"type", "string"}, {"enum", {"success"}}}},
          {"success", {{"type", "boolean"}}},
          {"data", Json::object()},
          {"processing_time", {{"type", "string"}, {"examples", {"12.34ms"}}}}}},
        {"additionalProperties", true}}},
      {"ErrorEnvelope",
       {{"type", "object"},
        {"required", {"status", "code", "message"}},
        {"properties",
         {{"status", {{"type", "string"}, {"const", "error"}}},
          {"code", {{"type", "string"}, {"examples", {"INVALID_REQUEST"}}}},
          {"message", {{"type", "string"}}}}},
        {"additionalProperties", true}}},
      {"JobResult",
       {{"type", "object"},
        {"required", {"status", "job_id"}},
        {"properties",
         {{"status", {{"type", "string"}}},
          {"job_id", {{"type", "string"}}},
          {"job_status", {{"type", "string"}, {"enum", {"completed", "failed"}}}},
          {"operation", {{"type", "string"}}},
          {"pipeline", {{"type", "string"}}},
          {"result", {{"type", "object"}, {"additionalProperties", true}}},
          {"processing_time", {{"type", "string"}}}}},
        {"additionalProperties", true}}},
      {"JobStatus",
       {{"type", "object"},
        {"required", {"status", "success", "job_id", "job_status"}},
        {"description",
         "GET /job/get: poll until status is completed or failed. The result sits under both "
         "result and job_result; their status is the job's state too, and output_files lists "
         "every download URL."},
        {"properties",
         {{"status", {{"type", "string"}, {"enum", job_states}}},
          {"success", {{"type", "boolean"}, {"const", true}}},
          {"job_id", {{"type", "string"}}},
          {"job_status", {{"type", "string"}, {"enum", job_states}}},
          {"progress", {{"type", "integer"}}},
          {"result", {{"type", "object"}, {"additionalProperties", true}}},
          {"job_result",
           {{"type", "object"},
            {"properties",
             {{"status", {{"type", "string"}, {"enum", job_states}}},
              {"output_files",
               {{"type", "array"}, {"items", {{"type", "string"}, {"format", "uri"}}}}}}},
            {"additionalProperties", true}}},
          {"error", {{"type", "string"}}},
          {"error_code", {{"type", "string"}}}}},
        {"additionalProperties", true}}},
      {"JobAccepted",
       {{"type", "object"},
        {"required", {"status", "job_id", "poll_url"}},
        {"properties",
         {{"status", {{"type", "string"}, {"const", "success"}}},
          {"job_id", {{"type", "string"}}},
          {"job_status", {{"type", "string"}, {"const", "queued"}}},
          {"operation", {{"type", "string"}}},
          {"pipeline", {{"type", "string"}}},
          {"priority", {{"type", "integer"}}},
          {"processing_lane", {{"type", "string"}}},
          {"poll_url", {{"type", "string"}, {"format", "uri"}}},
          {"max_wait_seconds", {{"type", "integer"}}}}},
        {"additionalProperties", true}}},
      {"JsonRpcRequest",
       {{"type", "object"},
        {"required", {"jsonrpc", "method"}},
        {"properties",
         {{"jsonrpc", {{"type", "string"}, {"const", "2.0"}}},
          {"id", {{"type", {"string", "integer"}}}},
          {"method", {{"type", "string"}}},
          {"params", {{"type", "object"}}}}}}},
      {"JsonRpcResponse",
       {{"type", "object"},
        {"required", {"jsonrpc"}},
        {"properties",
         {{"jsonrpc", {{"type", "string"}, {"const", "2.0"}}},
          {"id", {{"type", {"string", "integer", "null"}}}},
          {"result", Json::object()},
          {"error",
           {{"type", "object"},
            {"properties",
             {{"code", {{"type", "integer"}}}, {"message", {{"type", "string"}}}}}}}}}}}};
  Json rate_headers = {
      {"Retry-After", {{"description", "seconds to wait"}, {"schema", {{"type", "integer"}}}}}};
  Json rate = error_response("Rate limit exceeded", "RATE_LIMIT_EXCEEDED");
  rate["headers"] = rate_headers;
  Json unauthorized = error_response("No or invalid Bearer token", "AUTH_REQUIRED");
  unauthorized["headers"] = {
      {"WWW-Authenticate", {{"description", "Bearer"}, {"schema", {{"type", "string"}}}}}};
  Json responses = {
      {"BadRequest",
       error_response("Missing or invalid parameter (the message names it)", "INVALID_REQUEST")},
      {"Unauthorized", unauthorized},
      {"PaymentRequired", error_response("Not enough credits", "INSUFFICIENT_CREDITS")},
      {"Forbidden", error_response("This endpoint needs a system key (po_sk_)", "FORBIDDEN")},
      {"NotFound", error_response("No such resource in this account", "NOT_FOUND")},
      {"RateLimited", rate},
      {"InternalError", error_response("Internal error; quote the request id", "INTERNAL_ERROR")}};
  Json security = {
      {"bearerAuth",
       {{"type", "http"},
        {"scheme", "bearer"},
        {"description", "po_sk_ (system key), po_ut_ (user token) or po_gt_ (group token)"}}}};
  return {{"schemas", schemas}, {"responses", responses}, {"securitySchemes", security}};
}

std::string info_description(const Source& src) {
  return "Self-hosted PaperOffice AI API served by paperd " + src.version +
         ". Generated from the server's route table.\n\n"
         "- Auth: `Authorization: Bearer <token>` (`po_sk_` system key, `po_ut_` user token, "
         "`po_gt_` group token). Operations marked with an optional security requirement work "
         "without a token (visitor mode).\n"
         "- Requests: POST bodies as multipart/form-data, application/x-www-form-urlencoded or "
         "JSON; query, form and JSON fields merge into one parameter map.\n"
         "- Answers: `{status:\"success\", ..., processing_time}`; errors "
         "`{status:\"error\", code, message}`.\n"
         "- Jobs: `POST /job/add/{pipeline}`; priority >= 900 (processing_lane=instant) answers "
         "inline, otherwise 202 with `job_id` and `poll_url`.\n"
         "- Also: Postman collection at `/docs/postman`, LLM index at `/docs/llms.txt`.";
}

}  // namespace

Json param_schema(const Param& p) {
  Json s = Json::object();
  switch (p.type) {
    case ParamType::kString:
      s["type"] = "string";
      break;
    case ParamType::kInteger:
      s["type"] = "integer";
      break;
    case ParamType::kNumber:
      s["type"] = "number";
      break;
    case ParamType::kBoolean:
      s["type"] = "boolean";
      break;
    case ParamType::kObject:
      s["type"] = "object";
      break;
    case ParamType::kArray:
      s["type"] = "array";
      break;
    case ParamType::kFile:
      s["type"] = "string";
      s["format"] = "binary";
      break;
    case ParamType::kAny:
      break;
  }
  if (!p.enum_values.empty()) {
    Json values = Json::array();
    for (const auto& e : p.enum_values) {
      auto typed = http::coerce(e, p.type);
      values.push_back(typed ? *typed : Json(e));
    }
    s["enum"] = values;
  }
  if (!p.default_value.is_null()) s["default"] = p.default_value;
  if (p.minimum) s["minimum"] = *p.minimum;
  if (p.maximum) s["maximum"] = *p.maximum;
  if (!p.example.is_null()) s["examples"] = Json::array({p.example});
  return s;
}

Json openapi_document(const Source& src) {
  auto routes = route_operations(src);
  auto variants = pipeline_operations(src);
  std::set<std::string> used_ids;
  std::set<std::string> tags;
  Json paths = Json::object();
  for (const auto& op : routes) {
    bool is_job = op.method == "POST" && op.path == kJobRoutePath;
    const std::vector<Operation> none;
    const auto& examples = is_job ? variants : none;
    std::string description = one_line(op.summary);
    description += std::string(description.empty() ? "" : "\n\n") +
                   "Auth: " + std::string(auth_label(op.route->auth)) +
                   ". Credits: " + credits_label(op.route->credits) + ".";
    if (!op.mcp_name.empty())
      description +=
          " MCP tool: `" + op.mcp_name + "` (" + std::string(effect_label(op.effect)) + ").";
    if (is_job && !variants.empty()) {
      description += "\n\nPipelines and workflow tools on this server:\n";
      for (const auto& v : variants)
        description += "\n- **" + v.title + "**: `" + v.path + "` " +
                       (v.fixed.empty() ? std::string() : v.fixed.dump()) + " (`" + v.mcp_name +
                       "`)";
    }
    Json operation = {
        {"operationId", operation_id(op, used_ids)},
        {"tags", Json::array({op.category})},
        {"summary", op.title},
        {"description", description},
        {"responses", responses(op)},
        {"x-credits", op.route->credits == http::kDynamicPrice ? Json("per pipeline")
                                                               : Json(op.route->credits)}};
    if (!op.mcp_name.empty()) operation["x-mcp-tool"] = op.mcp_name;
    if (is_job && !variants.empty()) {
      // The index rows behind this one route, machine-readable (coverage tools match titles).
      Json tools = Json::array();
      for (const auto& v : variants)
        tools.push_back({{"title", v.title},
                         {"category", v.category},
                         {"method", v.method},
                         {"path", v.path},
                         {"fixed", v.fixed},
                         {"mcp_tool", v.mcp_name}});
      operation["x-pipeline-tools"] = std::move(tools);
    }
    Json params = parameters(op, examples);
    if (!params.empty()) operation["parameters"] = params;
    if (op.method == "POST" || op.method == "PUT" || op.method == "PATCH") {
      if (op.mcp_transport() || !op.params.empty())
        operation["requestBody"] = request_body(op, examples);
    }
    if (op.route->auth == http::Auth::kVisitor)
      operation["security"] = Json::array({Json::object(), {{"bearerAuth", Json::array()}}});
    if (op.effect == Effect::kDestructive) operation["x-destructive"] = true;
    paths[op.path][lower_method(op.method)] = std::move(operation);
    tags.insert(op.category);
  }
  Json tag_list = Json::array();
  for (const auto& t : tags) tag_list.push_back({{"name", t}});
  return {{"openapi", "3.1.0"},
          {"info",
           {{"title", "PaperOffice AI API (paperd)"},
            {"version", src.version},
            {"description", info_description(src)},
            {"license", {{"name", "AGPL-3.0-or-later"}, {"identifier", "AGPL-3.0-or-later"}}}}},
          {"servers", Json::array({Json{{"url", src.base_url}}})},
          {"security", Json::array({Json{{"bearerAuth", Json::array()}}})},
          {"tags", tag_list},
          {"paths", paths},
          {"components", components()}};
}

}  // namespace paperd::docs
