#include "docs/catalog.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>
#include <set>

#include <fmt/format.h>

namespace paperd::docs {

using http::Param;
using http::ParamType;

namespace {

Effect effect_of(const http::Route& r) {
  if (r.destructive) return Effect::kDestructive;
  return r.read_only ? Effect::kReadOnly : Effect::kWritesData;
}

const Param* find_param(const std::vector<Param>& params, const std::string& name) {
  for (const auto& p : params)
    if (p.name == name) return &p;
  return nullptr;
}

// Splits the route's params into the open path parameters and the rest.
void split_params(Operation& op, const std::vector<Param>& declared) {
  auto names = path_param_names(op.path);
  for (const auto& name : names) {
    const Param* p = find_param(declared, name);
    Param path_param = p ? *p : Param{.name = name};
    path_param.required = true;
    op.path_params.push_back(std::move(path_param));
  }
  std::set<std::string> in_path(names.begin(), names.end());
  for (const auto& p : declared)
    if (!in_path.count(p.name)) op.params.push_back(p);
}

Operation from_route(const http::Route& r) {
  Operation op;
  op.route = &r;
  op.method = r.method;
  op.path = r.path;
  op.category = r.raw_body ? std::string(kMcpFolder) : r.category;
  op.title = r.title.empty() ? r.method + " " + r.path : r.title;
  op.summary = r.summary;
  op.mcp_name = r.mcp_name;
  op.effect = effect_of(r);
  split_params(op, r.params);
  return op;
}

const http::Route* job_route(const Source& src) {
  for (const auto& r : src.routes)
    if (r.method == "POST" && r.path == kJobRoutePath) return &r;
  return nullptr;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool looks_like_id(const std::string& name) {
  return name == "id" || name == "pofid" || name.ends_with("_id") || name.ends_with("_token") ||
         name.ends_with("_pofid") || name == "token";
}

}  // namespace

std::vector<std::string> path_param_names(std::string_view path) {
  std::vector<std::string> out;
  size_t pos = 0;
  while ((pos = path.find('{', pos)) != std::string_view::npos) {
    size_t end = path.find('}', pos);
    if (end == std::string_view::npos) break;
    out.emplace_back(path.substr(pos + 1, end - pos - 1));
    pos = end + 1;
  }
  return out;
}

std::string pipeline_slug(const jobs::Pipeline& p) {
  return p.name.starts_with("workflow/") ? "workflow" : p.name;
}

Json pipeline_selector(const jobs::Pipeline& p) {
  if (p.name.starts_with("workflow/")) return {{"template", p.name.substr(9)}};
  return Json::object();
}

std::string default_tool_name(const jobs::Pipeline& p) {
  std::string name = p.name;
  if (name.starts_with("workflow/")) name = "workflow_" + name.substr(9);
  std::string out = "po_";
  for (size_t i = 0; i < name.size(); ++i) {
    if (name.compare(i, 3, "___") == 0) {
      out += '_';
      i += 2;
    } else {
      out += name[i];
    }
  }
  return out;
}

std::vector<Operation> route_operations(const Source& src) {
  std::vector<Operation> out;
  out.reserve(src.routes.size());
  for (const auto& r : src.routes) out.push_back(from_route(r));
  return out;
}

std::vector<Operation> pipeline_operations(const Source& src) {
  std::vector<Operation> out;
  const http::Route* route = job_route(src);
  if (!route) return out;
  for (const auto* p : src.pipelines) {
    std::vector<jobs::ToolVariant> variants = p->tools;
    if (variants.empty())
      variants.push_back({default_tool_name(*p), p->title, p->summary, Json::object()});
    for (const auto& v : variants) {
      Operation op;
      op.route = route;
      op.pipeline = p;
      op.method = route->method;
      op.path = "/job/add/" + pipeline_slug(*p);
      op.category = p->category;
      op.title = v.title.empty() ? p->title : v.title;
      if (op.title.empty()) op.title = p->name;
      op.summary = !v.summary.empty() ? v.summary : !p->summary.empty() ? p->summary : p->title;
      op.mcp_name = v.mcp_name.empty() ? default_tool_name(*p) : v.mcp_name;
      op.effect = effect_of(*route);
      op.fixed = pipeline_selector(*p);
      if (v.fixed_params.is_object()) op.fixed.update(v.fixed_params);
      op.needs_input = p->needs_input;
      // The job route's common fields, then the pipeline's own (which win on a shared name).
      // (the route's path parameter is the slug, filled in above).
      auto route_path_params = path_param_names(route->path);
      std::vector<Param> declared;
      for (const auto& rp : route->params)
        if (!find_param(p->params, rp.name) &&
            std::find(route_path_params.begin(), route_path_params.end(), rp.name) ==
                route_path_params.end())
          declared.push_back(rp);
      if (op.fixed.contains("template") && !find_param(p->params, "template"))
        declared.push_back({.name = "template",
                            .required = true,
                            .description = "the workflow template this tool runs"});
      declared.insert(declared.end(), p->params.begin(), p->params.end());
      split_params(op, declared);
      out.push_back(std::move(op));
    }
  }
  return out;
}

Json job_states_json() {
  Json out = Json::array();
  for (std::string_view s : kJobStates) out.push_back(std::string(s));
  return out;
}

std::vector<Operation> all_operations(const Source& src, bool replace_job_route) {
  auto routes = route_operations(src);
  auto variants = pipeline_operations(src);
  std::vector<Operation> out;
  for (auto& op : routes) {
    bool is_job = op.method == "POST" && op.path == kJobRoutePath;
    if (is_job && replace_job_route && !variants.empty()) continue;
    out.push_back(std::move(op));
  }
  for (auto& op : variants) out.push_back(std::move(op));
  return out;
}

Json example_value(const Param& p) {
  if (!p.example.is_null()) return p.example;
  if (!p.default_value.is_null()) return p.default_value;
  if (!p.enum_values.empty()) {
    auto typed = http::coerce(p.enum_values.front(), p.type);
    return typed ? *typed : Json(p.enum_values.front());
  }
  switch (p.type) {
    case ParamType::kInteger:
      return p.minimum ? static_cast<int64_t>(*p.minimum) : 1;
    case ParamType::kNumber:
      return p.minimum ? *p.minimum : 1.0;
    case ParamType::kBoolean:
      return true;
    case ParamType::kObject:
      return Json::object();
    case ParamType::kArray:
      return Json::array();
    default:
      break;
  }
  std::string n = lower(p.name);
  if (n.find("url") != std::string::npos) return "https://example.com/document.pdf";
  if (n.find("email") != std::string::npos) return "user@example.com";
  if (n == "lang" || n.find("language") != std::string::npos) return "en";
  if (n.find("date") != std::string::npos) return "2026-01-31";
  return "example";
}

Json example_fields(const Operation& op, bool all_optional) {
  Json out = Json::object();
  for (const auto& p : op.params) {
    if (p.type == ParamType::kFile) continue;
    if (op.fixed.contains(p.name)) continue;
    if (p.required || all_optional || !p.example.is_null()) out[p.name] = example_value(p);
  }
  for (auto& [k, v] : op.fixed.items()) out[k] = v;
  return out;
}

std::vector<Param> file_params(const Operation& op) {
  std::vector<Param> out;
  bool declared_by_pipeline = false;
  if (op.pipeline)
    for (const auto& p : op.pipeline->params)
      if (p.type == ParamType::kFile) {
        out.push_back(p);
        declared_by_pipeline = true;
      }
  if (declared_by_pipeline) return out;
  for (const auto& p : op.params)
    if (p.type == ParamType::kFile) {
      Param f = p;
      if (op.needs_input && f.name == "file") f.required = true;
      out.push_back(std::move(f));
    }
  return out;
}

bool needs_prior_state(const Operation& op) {
  if (!op.path_params.empty()) return true;
  if (op.route->auth == http::Auth::kSystem) return true;
  if (op.effect == Effect::kDestructive) return true;
  if (op.needs_input) return true;
  // The generic job call (POST /job) runs what its fields name, on a file the caller brings.
  if (!op.pipeline && op.route->path == kGenericJobPath) return true;
  // A pipeline's validate() may demand one of several optional fields (url or html, say), which
  // the table cannot express: an optional field without a value to send may be the real input.
  if (op.pipeline)
    for (const auto& p : op.pipeline->params)
      if (!p.required && !op.fixed.contains(p.name) && p.type != ParamType::kFile &&
          p.example.is_null() && p.default_value.is_null() && p.enum_values.empty())
        return true;
  for (const auto& p : op.params) {
    if (op.fixed.contains(p.name)) continue;
    // A reference to something stored (a document, a workspace, an upload) or a file is state
    // even where the schema cannot mark it required (pofid or documents_id, a file or a hash).
    // (A job's optional file is not: a pipeline says itself whether it needs an input.)
    if (!op.pipeline && op.route->path != kGenericJobPath &&
        (looks_like_id(p.name) || p.name == "pofids" || p.type == ParamType::kFile))
      return true;
    if (!p.required) continue;
    if (p.type == ParamType::kFile || looks_like_id(p.name)) return true;
    if (p.example.is_null() && p.default_value.is_null() && p.enum_values.empty()) return true;
  }
  return false;
}

Json answer_example(const Operation& op) {
  if (op.pipeline) {
    return {{"status", "success"},
            {"job_id", "poai-job_999_1776600000.1234_0a1b2c3d"},
            {"job_status", "completed"},
            {"operation", op.pipeline->operation},
            {"pipeline", pipeline_slug(*op.pipeline)},
            {"result", {{"files", {"<base_url>/job/download/<download_token>"}}}},
            {"processing_time", "1234.56ms"}};
  }
  if (op.mcp_transport()) return {{"jsonrpc", "2.0"}, {"id", 1}, {"result", Json::object()}};
  return {{"status", "success"}, {"data", Json::object()}, {"processing_time", "12.34ms"}};
}

std::string params_markdown(const Operation& op) {
  auto cell = [](std::string text) {
    std::string out;
    for (char c : one_line(text)) out += c == '|' ? std::string("\\|") : std::string(1, c);
    return out;
  };
  auto row = [&](const Param& p, std::string_view where) {
    std::string type(http::param_type_name(p.type));
    if (!p.enum_values.empty()) {
      std::string values;
      for (const auto& e : p.enum_values) values += (values.empty() ? "" : ", ") + e;
      type += " (" + values + ")";
    }
    if (p.minimum || p.maximum)
      type += fmt::format(" [{}..{}]", p.minimum ? fmt::format("{}", *p.minimum) : "",
                          p.maximum ? fmt::format("{}", *p.maximum) : "");
    std::string def = p.default_value.is_null() ? "" : "`" + p.default_value.dump() + "`";
    if (op.fixed.contains(p.name)) def = "`" + op.fixed[p.name].dump() + "` (fixed)";
    return fmt::format("| `{}` | {} | {} | {} | {} | {} |\n", p.name, where, cell(type),
                       p.required ? "yes" : "no", def, cell(p.description));
  };
  std::string out;
  for (const auto& p : op.path_params) out += row(p, "path");
  std::string where = op.method == "GET" || op.method == "DELETE" ? "query" : "body";
  for (const auto& p : op.params)
    if (p.type != ParamType::kFile) out += row(p, where);
  for (const auto& p : file_params(op)) out += row(p, "file (multipart)");
  for (auto& [k, v] : op.fixed.items())
    if (!find_param(op.params, k))
      out += row(Param{.name = k, .required = true, .description = "selects this tool"}, where);
  if (out.empty()) return out;
  return "| name | in | type | required | default | description |\n"
         "|---|---|---|---|---|---|\n" +
         out;
}

std::string_view effect_label(Effect e) {
  switch (e) {
    case Effect::kReadOnly:
      return "READ-ONLY";
    case Effect::kWritesData:
      return "WRITES DATA";
    case Effect::kDestructive:
      return "DESTRUCTIVE";
  }
  return "";
}

std::string_view auth_label(http::Auth a) {
  switch (a) {
    case http::Auth::kVisitor:
      return "none (visitor mode; a token is optional)";
    case http::Auth::kUser:
      return "Bearer token (po_sk_, po_ut_ or po_gt_)";
    case http::Auth::kSystem:
      return "Bearer system key (po_sk_)";
  }
  return "";
}

std::string credits_label(int64_t credits) {
  if (credits == http::kDynamicPrice) return "per pipeline and processing lane";
  if (credits <= 0) return "free";
  return std::to_string(credits);
}

std::string one_line(std::string_view text, size_t max) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  if (max > 3 && out.size() > max) {
    size_t cut = max - 3;
    // Never cut inside a UTF-8 sequence.
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out = out.substr(0, cut) + "...";
  }
  return out;
}

std::string release_tag(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("R{:04d}{:02d}{:02d}.{:02d}{:02d}", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min);
}

std::string server_root(const std::string& base_url) {
  for (std::string_view suffix : {"/latest", "/V5"})
    if (base_url.ends_with(suffix)) return base_url.substr(0, base_url.size() - suffix.size());
  return base_url;
}

std::vector<std::pair<std::string, std::vector<const Operation*>>> by_category(
    const std::vector<Operation>& ops) {
  std::map<std::string, std::vector<const Operation*>> groups;
  for (const auto& op : ops) groups[op.category].push_back(&op);
  std::vector<std::pair<std::string, std::vector<const Operation*>>> out;
  for (auto& [category, list] : groups) {
    std::stable_sort(list.begin(), list.end(), [](const Operation* a, const Operation* b) {
      return lower(a->title) < lower(b->title);
    });
    out.emplace_back(category, std::move(list));
  }
  return out;
}

}  // namespace paperd::docs
