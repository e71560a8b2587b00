#include "mcp/catalog.h"

#include <algorithm>
#include <cctype>

#include "core/error.h"

namespace paperd::mcp {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string toolset_of(const std::string& category) {
  std::string c = lower(category);
  if (c.find("dms") != std::string::npos) return "dms";
  auto dash = c.find(" —");
  std::string head = dash == std::string::npos ? c : c.substr(0, dash);
  std::string out;
  for (char ch : head) out += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '-';
  return out;  // "document-ai", "workflow-ai", "account", "media-ai", ...
}

std::string verdict(bool read_only, bool destructive) {
  if (destructive) return "DESTRUCTIVE.";
  return read_only ? "READ-ONLY." : "WRITES DATA.";
}

// The five tools of the small lanes (/openai, /chatgpt), where they exist.
const std::set<std::string> kCore = {"po_documents_search", "po_documents_get",
                                     "po_documents_upload", "po_extraction_invoice", "po_job_get"};

}  // namespace

Json input_schema(const std::vector<http::Param>& params, const Json& fixed) {
  Json props = Json::object();
  Json required = Json::array();
  bool has_file = false;
  for (const auto& p : params) {
    if (fixed.contains(p.name)) continue;
    if (p.type == http::ParamType::kFile) {
      has_file = true;
      continue;
    }
    Json s = Json::object();  // kAny: any JSON value (an empty schema)
    switch (p.type) {
      case http::ParamType::kInteger:
        s["type"] = "integer";
        break;
      case http::ParamType::kNumber:
        s["type"] = "number";
        break;
      case http::ParamType::kBoolean:
        s["type"] = "boolean";
        break;
      case http::ParamType::kObject:
        s["type"] = "object";
        break;
      case http::ParamType::kArray:
        s["type"] = "array";
        break;
      case http::ParamType::kAny:
        break;
      default:
        s["type"] = "string";
    }
    if (!p.description.empty()) s["description"] = p.description;
    if (!p.enum_values.empty()) s["enum"] = p.enum_values;
    if (!p.default_value.is_null()) s["default"] = p.default_value;
    if (p.minimum) s["minimum"] = *p.minimum;
    if (p.maximum) s["maximum"] = *p.maximum;
    props[p.name] = s;
    if (p.required) required.push_back(p.name);
  }
  if (has_file) {
    props["file_url"] = {{"type", "string"},
                         {"format", "uri"},
                         {"description", "https URL of the input file (fetched by the server)"}};
    props["file_urls"] = {{"type", "array"},
                          {"items", {{"type", "string"}, {"format", "uri"}}},
                          {"description", "several input files, in order"}};
  }
  Json schema = {{"type", "object"}, {"properties", props}};
  if (!required.empty()) schema["required"] = required;
  return schema;
}

Json Tool::to_json() const {
  return {{"name", name},
          {"title", title},
          {"description", description},
          {"inputSchema", input_schema},
          {"annotations",
           {{"title", title},
            {"readOnlyHint", read_only},
            {"destructiveHint", destructive},
            {"idempotentHint", read_only},
            {"openWorldHint", open_world}}}};
}

const std::vector<std::string>& Catalog::lanes() {
  static const std::vector<std::string> kLanes = {"/mcp",    "/cursor",  "/dms",  "/claude",
                                                  "/openai", "/chatgpt", "/grok", "/mcp-full"};
  return kLanes;
}

void Catalog::add(Tool tool) {
  if (index_.count(tool.name))
    throw core::Error::internal("MCP tool name used twice: " + tool.name);
  index_[tool.name] = tools_.size();
  tools_.push_back(std::move(tool));
}

Catalog::Catalog(const std::vector<http::Route>& routes, const jobs::PipelineRegistry& pipelines) {
  const http::Route* job_route = nullptr;
  for (const auto& r : routes) {
    if (r.method == "POST" && r.path == "/job/add/{pipeline}") job_route = &r;
    if (r.mcp_name.empty()) continue;
    Tool t;
    t.name = r.mcp_name;
    t.title = r.title;
    t.read_only = r.read_only;
    t.destructive = r.destructive;
    t.description = verdict(r.read_only, r.destructive) + " " + r.summary;
    t.input_schema = input_schema(r.params, Json::object());
    t.route = &r;
    t.toolsets = {toolset_of(r.category)};
    if (kCore.count(t.name)) t.toolsets.insert("core");
    add(std::move(t));
  }
  if (job_route) {
    // Common job parameters apply to every pipeline tool; the pipeline adds its own.
    std::vector<http::Param> common;
    for (const auto& p : job_route->params)
      if (p.name != "pipeline") common.push_back(p);
    for (const auto* p : pipelines.all()) {
      std::vector<jobs::ToolVariant> variants = p->tools;
      std::string slug = p->name;
      Json base_fixed = Json::object();
      if (slug.starts_with("workflow/")) {
        base_fixed["template"] = slug.substr(9);
        slug = "workflow";
      }
      if (variants.empty()) {
        std::string name = "po_" + p->name;
        std::replace(name.begin(), name.end(), '/', '_');
        if (auto at = name.find("___"); at != std::string::npos) name.replace(at, 3, "_");
        variants.push_back({name, p->title.empty() ? p->name : p->title, p->summary, {}});
      }
      std::vector<http::Param> params = common;
      params.insert(params.end(), p->params.begin(), p->params.end());
      for (const auto& v : variants) {
        Tool t;
        t.name = v.mcp_name;
        t.title = v.title;
        t.read_only = v.read_only;
        t.description = verdict(v.read_only, false) + " " +
                        (v.summary.empty() ? p->summary : v.summary) +
                        (v.summary.empty() && p->summary.empty() ? v.title : "") +
                        (v.read_only ? " Reads a stored result; runs no new job."
                                     : " Runs as a job; long jobs answer with job_id (poll with "
                                       "po_job_get).");
        t.fixed = base_fixed;
        for (auto& [k, val] : v.fixed_params.items()) t.fixed[k] = val;
        t.input_schema = input_schema(params, t.fixed);
        t.route = job_route;
        t.pipeline = slug;
        t.open_world = true;
        t.toolsets = {toolset_of(p->category)};
        if (kCore.count(t.name)) t.toolsets.insert("core");
        add(std::move(t));
      }
    }
  }
  auto discovery = [&](std::string name, std::string title, bool read_only, std::string what,
                       Json schema) {
    Tool t;
    t.name = std::move(name);
    t.title = std::move(title);
    t.read_only = read_only;
    t.description = verdict(read_only, false) + " " + what;
    t.input_schema = std::move(schema);
    t.discovery = true;
    t.toolsets = {"discovery"};
    add(std::move(t));
  };
  discovery("po_mcp_tools_search", "Search tools", true,
            "Find paperd tools by keywords; answers matches with how to call them.",
            {{"type", "object"},
             {"properties",
              {{"query", {{"type", "string"}, {"description", "keywords, e.g. 'merge pdf'"}}},
               {"limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", 50}}}}},
             {"required", {"query"}}});
  discovery("po_mcp_tools_schema", "Get a tool's schema", true,
            "The full input schema of one tool by tool_id.",
            {{"type", "object"},
             {"properties", {{"tool_id", {{"type", "string"}}}}},
             {"required", {"tool_id"}}});
  Json call_schema = {
      {"type", "object"},
      {"properties", {{"tool_id", {{"type", "string"}}}, {"arguments", {{"type", "object"}}}}},
      {"required", {"tool_id"}}};
  discovery("po_mcp_tools_call_read", "Call a read-only tool", true,
            "Calls any READ-ONLY tool by tool_id with arguments, also tools outside this lane.",
            call_schema);
  discovery("po_mcp_tools_call_write", "Call a writing tool", false,
            "Calls any tool that writes data by tool_id with arguments.", call_schema);
}

const Tool* Catalog::find(const std::string& name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &tools_[it->second];
}

std::vector<const Tool*> Catalog::for_lane(const std::string& lane,
                                           const std::string& toolsets) const {
  std::set<std::string> wanted;
  for (size_t i = 0; i < toolsets.size();) {
    size_t j = toolsets.find(',', i);
    if (j == std::string::npos) j = toolsets.size();
    std::string t = lower(toolsets.substr(i, j - i));
    t.erase(0, t.find_first_not_of(' '));
    t.erase(t.find_last_not_of(' ') + 1);
    if (!t.empty()) wanted.insert(t);
    i = j + 1;
  }
  std::vector<const Tool*> out;
  for (const auto& t : tools_) {
    bool take;
    if (t.discovery)
      take = true;
    else if (!wanted.empty())
      take = std::any_of(t.toolsets.begin(), t.toolsets.end(),
                         [&](const std::string& s) { return wanted.count(s) > 0; });
    else if (lane == "/mcp-full")
      take = true;
    else if (lane == "/openai" || lane == "/chatgpt")
      take = t.toolsets.count("core") > 0;
    else if (lane == "/dms" || lane == "/grok" || lane == "/claude")
      take = (t.toolsets.count("dms") || t.toolsets.count("core")) &&
             !(lane == "/claude" && t.name.find("tts") != std::string::npos);
    else
      take = t.read_only;  // /mcp and /cursor: the read-safe set
    if (take) out.push_back(&t);
  }
  return out;
}

std::vector<const Tool*> Catalog::search(const std::string& query, size_t limit) const {
  std::vector<std::string> words;
  std::string q = lower(query);
  for (size_t i = 0; i < q.size();) {
    size_t j = q.find_first_of(" _-,", i);
    if (j == std::string::npos) j = q.size();
    if (j > i) words.push_back(q.substr(i, j - i));
    i = j + 1;
  }
  std::vector<std::pair<int, const Tool*>> scored;
  for (const auto& t : tools_) {
    if (t.discovery) continue;
    std::string hay = lower(t.name + " " + t.title + " " + t.description);
    int score = 0;
    for (const auto& w : words)
      if (hay.find(w) != std::string::npos)
        score += lower(t.name).find(w) != std::string::npos ? 3 : 1;
    if (score > 0) scored.push_back({score, &t});
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](auto& a, auto& b) { return a.first > b.first; });
  std::vector<const Tool*> out;
  for (size_t i = 0; i < scored.size() && i < limit; ++i) out.push_back(scored[i].second);
  return out;
}

}  // namespace paperd::mcp
