// The rows every generated document lists, derived from the route table and the pipeline registry:
// one per route, and for POST /job/add/{pipeline} one per pipeline tool variant (the index rows
// that share the job route). All generators read this list, so a route added anywhere shows up
// everywhere.
#pragma once

#include <array>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "http/route.h"
#include "jobs/pipeline.h"

namespace paperd::docs {

// What a generator reads. Pure data: generators never touch the server.
struct Source {
  const std::vector<http::Route>& routes;
  std::vector<const jobs::Pipeline*> pipelines;
  std::string base_url;      // e.g. http://host:8080/latest (from the request)
  std::string version;       // PAPERD_VERSION
  int64_t release_time = 0;  // unix seconds, shown as "Documentation release R<yyyymmdd>.<hhmm>"
};

enum class Effect { kReadOnly, kWritesData, kDestructive };

struct Operation {
  const http::Route* route = nullptr;        // the route that serves it
  const jobs::Pipeline* pipeline = nullptr;  // set for a pipeline variant of the job route
  std::string method;
  std::string path;  // the route's path; for a variant the slug is filled in (/job/add/workflow)
  std::string category, title, summary;
  std::string mcp_name;  // empty = not an MCP tool
  Effect effect = Effect::kReadOnly;
  Json fixed = Json::object();  // fields that select a variant (template, target_format...)
  std::vector<http::Param> path_params;  // the {name} segments still open in `path`
  std::vector<http::Param> params;       // query or body fields (never path parameters)
  bool needs_input = false;              // a pipeline that needs a file or source_url
  bool mcp_transport() const { return route->raw_body; }
};

inline constexpr std::string_view kJobRoutePath = "/job/add/{pipeline}";
inline constexpr std::string_view kGenericJobPath = "/job";  // POST /job (CONTRACTS §2.2)
inline constexpr std::string_view kJobGetPath = "/job/get/{job_id}";
// The states /job/get reports in `status`, `job_status` and `job_result.status`.
inline constexpr std::array<std::string_view, 5> kJobStates = {"queued", "processing", "waiting",
                                                               "completed", "failed"};
Json job_states_json();  // kJobStates as a JSON array
inline constexpr std::string_view kMcpFolder = "MCP Server";

// One operation per route, in table order.
std::vector<Operation> route_operations(const Source& src);
// One operation per pipeline tool variant (a pipeline without tools is one variant). Empty when
// the job route is not registered.
std::vector<Operation> pipeline_operations(const Source& src);
// Routes plus variants: the index rows. With replace_job_route the generic job route is left out
// when variants exist (Postman: one runnable request per variant).
std::vector<Operation> all_operations(const Source& src, bool replace_job_route);

// The slug a pipeline is posted to and the fields that select it: "workflow/pdf_merge" →
// ("workflow", {template: pdf_merge}); "paperoffice_aiocr___generate" → (itself, {}).
std::string pipeline_slug(const jobs::Pipeline& p);
Json pipeline_selector(const jobs::Pipeline& p);
// The MCP name of a pipeline without tool variants: "po_" + name, "workflow/" → "workflow_",
// "___" → "_".
std::string default_tool_name(const jobs::Pipeline& p);

std::vector<std::string> path_param_names(std::string_view path);
Json example_value(const http::Param& p);
// Example fields of a request: the fixed ones, every required one and those with an explicit
// example; with all_optional, every optional field too. File fields are left out.
Json example_fields(const Operation& op, bool all_optional = false);
// The file fields a request should carry (declared file params, or `file` for a pipeline input).
std::vector<http::Param> file_params(const Operation& op);
// True when a request cannot succeed on a fresh account with example values: open path
// parameters, a required file, a system key, a destructive call, a required id, or a pipeline
// field without a value to send (its validate() may require it).
bool needs_prior_state(const Operation& op);
// A JSON example of the success answer.
Json answer_example(const Operation& op);
// A Markdown table of the operation's parameters (path, fields, files): name, in, type,
// required, default, description. Empty when it has none.
std::string params_markdown(const Operation& op);

std::string_view effect_label(Effect e);  // READ-ONLY | WRITES DATA | DESTRUCTIVE
std::string_view auth_label(http::Auth a);
std::string credits_label(int64_t credits);
// Whitespace collapsed to single spaces; cut at max characters with "..." (0 = no cut).
std::string one_line(std::string_view text, size_t max = 0);
// "R20260419.1530" (UTC).
std::string release_tag(int64_t unix_seconds);
// The base URL without its /latest (or /V5) suffix: where the MCP lanes live.
std::string server_root(const std::string& base_url);
// Categories A–Z, each with its operations sorted by title (case-insensitive).
std::vector<std::pair<std::string, std::vector<const Operation*>>> by_category(
    const std::vector<Operation>& ops);

}  // namespace paperd::docs
