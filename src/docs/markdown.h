// POST (and GET) /docs/markdown: the "MCP Server – AI Tool integration" page as Markdown, generated
// from the route table: the MCP lanes (raw-body JSON-RPC routes), auth, client setup and every
// tool with its READ-ONLY / WRITES DATA / DESTRUCTIVE label.
#pragma once

#include <string>

#include "docs/catalog.h"

namespace paperd::docs {

std::string mcp_markdown(const Source& src);

}  // namespace paperd::docs
