#include "docs/markdown.h"

#include <algorithm>
#include <map>

namespace paperd::docs {

namespace {

// What each lane is for (CONTRACTS §2.10); the paths themselves come from the route table.
std::string lane_note(const std::string& path) {
  static const std::map<std::string, std::string> kNotes = {
      {"/mcp", "default lane: read-safe tools, same scope as /cursor"},
      {"/cursor", "read-safe tools for coding assistants"},
      {"/dms", "the Documents Operations catalogue plus the discovery tools"},
      {"/claude", "alias of /dms (the directory set), without text-to-speech"},
      {"/openai", "core tools plus the four discovery tools"},
      {"/chatgpt", "same as /openai"},
      {"/grok", "same catalogue as /dms"},
      {"/mcp-full", "every tool of the server"},
  };
  auto it = kNotes.find(path);
  return it == kNotes.end() ? "" : it->second;
}

}  // namespace

std::string mcp_markdown(const Source& src) {
  auto ops = all_operations(src, /*replace_job_route=*/true);
  std::string root = server_root(src.base_url);
  std::vector<const Operation*> lanes;
  for (const auto& op : ops)
    if (op.mcp_transport()) lanes.push_back(&op);

  std::string out =
      "# MCP Server – AI Tool integration\n\n"
      "paperd speaks the Model Context Protocol (JSON-RPC 2.0 over Streamable HTTP; protocol "
      "versions 2025-11-25, 2025-06-18 and 2025-03-26), so AI agents (Claude, Cursor, ChatGPT, "
      "Grok and any MCP client) call the same handlers as the REST API. Every tool is derived "
      "from the server's route table.\n\n## Endpoints and lanes\n\n";
  if (lanes.empty()) {
    out += "The MCP server is not enabled on this server.\n";
  } else {
    // One row per lane path, with the methods it answers (POST JSON-RPC, GET, DELETE).
    std::vector<std::pair<std::string, std::string>> rows;  // path, methods
    std::map<std::string, std::string> summaries;
    for (const auto* op : lanes) {
      auto it = std::find_if(rows.begin(), rows.end(),
                             [&](const auto& row) { return row.first == op->path; });
      if (it == rows.end()) {
        rows.emplace_back(op->path, op->method);
        summaries[op->path] = op->summary;
      } else {
        it->second += ", " + op->method;
      }
    }
    out += "| URL | methods | lane |\n|---|---|---|\n";
    for (const auto& [path, methods] : rows) {
      std::string note = lane_note(path);
      out += "| `" + root + path + "` | " + methods + " | " +
             one_line(note.empty() ? summaries[path] : note) + " |\n";
    }
    out +=
        "\nThe header `X-MCP-Toolsets: document-ai,workflow-ai` picks toolsets. `initialize` "
        "answers an `Mcp-Session-Id` header to send back; `DELETE` on the lane ends the "
        "session.\n";
  }
  out +=
      "\n## Authentication\n\n"
      "Send `Authorization: Bearer po_ut_…` (user token) or `Bearer po_gt_…` (group token). "
      "System keys (`po_sk_`) and publishable keys (`po_pk_`) are refused: they are for "
      "server-to-server REST calls and browser widgets. A missing or bad token answers 401 with "
      "`WWW-Authenticate`. Operators create a user token with `paperd token create --kind ut`.\n"
      "\n## Client configuration\n\n"
      "```json\n" +
      Json{{"mcpServers",
            {{"paperoffice",
              {{"type", "http"},
               {"url", root + (lanes.empty() ? std::string("/mcp") : lanes.front()->path)},
               {"headers", {{"Authorization", "Bearer po_ut_YOUR_TOKEN"}}}}}}}}
          .dump(2) +
      "\n```\n"
      "\n## Discovery tools\n\n"
      "- `po_mcp_tools_search` `{query}`: find tools by words; answers matches with their "
      "compact schema\n"
      "- `po_mcp_tools_schema` `{tool_id}`: the full input schema of one tool\n"
      "- `po_mcp_tools_call_read` / `po_mcp_tools_call_write` `{tool_id, arguments}`: call any "
      "tool of the full catalogue from a small lane\n"
      "\nTool descriptions start with READ-ONLY, WRITES DATA or DESTRUCTIVE, matching the "
      "`readOnlyHint` and `destructiveHint` annotations. Results come back as "
      "`structuredContent` plus a text summary; API errors set `isError`. Job tools either "
      "answer within the instant lane or return the `job_id` to poll with `po_job_get`.\n";

  std::vector<Operation> tools;
  for (const auto& op : ops)
    if (!op.mcp_name.empty()) tools.push_back(op);
  out += "\n## Tools (" + std::to_string(tools.size()) + ")\n";
  for (const auto& [category, list] : by_category(tools)) {
    out += "\n### " + category + "\n\n";
    for (const auto* op : list) {
      std::string target = op->method + " " + op->path;
      for (auto& [k, v] : op->fixed.items())
        target += " " + k + "=" + (v.is_string() ? v.get<std::string>() : v.dump());
      out += "- `" + op->mcp_name + "` — " + std::string(effect_label(op->effect)) + " — **" +
             one_line(op->title) + "**: " + one_line(op->summary, 200) + " (`" + target + "`)\n";
    }
  }
  return out;
}

}  // namespace paperd::docs
