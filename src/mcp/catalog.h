// The MCP tool catalogue, derived from the route table and the pipeline registry (one tool per
// index row: a route with an mcp_name, or a pipeline's tool variant with its discriminator
// filled in), plus the four discovery tools. Built once after all routes are registered.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/json.h"
#include "http/route.h"
#include "jobs/pipeline.h"

namespace paperd::mcp {

struct Tool {
  std::string name;
  std::string title;
  std::string description;  // starts with READ-ONLY. / WRITES DATA. / DESTRUCTIVE.
  Json input_schema;
  bool read_only = true;
  bool destructive = false;
  bool open_world = false;
  std::set<std::string> toolsets;  // document-ai, workflow-ai, account, dms, core, ...
  // How to run it: the route, and the parameters fixed by the tool.
  const http::Route* route = nullptr;
  std::string pipeline;         // for job tools: the slug in /job/add/{pipeline}
  Json fixed = Json::object();  // e.g. {"template":"pdf_convert","target_format":"docx"}
  bool discovery = false;

  Json to_json() const;  // the tools/list entry
};

class Catalog {
 public:
  Catalog(const std::vector<http::Route>& routes, const jobs::PipelineRegistry& pipelines);
  const std::vector<Tool>& all() const { return tools_; }
  const Tool* find(const std::string& name) const;
  // Tools offered on a lane (/mcp, /dms, ...) or for an X-MCP-Toolsets header (comma list).
  std::vector<const Tool*> for_lane(const std::string& lane, const std::string& toolsets) const;
  std::vector<const Tool*> search(const std::string& query, size_t limit) const;

  static const std::vector<std::string>& lanes();

 private:
  void add(Tool tool);
  std::vector<Tool> tools_;
  std::map<std::string, size_t> index_;
};

// JSON Schema for a route's parameters (files become URL strings: MCP carries no uploads).
Json input_schema(const std::vector<http::Param>& params, const Json& fixed);

}  // namespace paperd::mcp
