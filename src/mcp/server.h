// The MCP server: JSON-RPC 2.0 over Streamable HTTP (single JSON answers, no SSE streams) on the
// lanes of CONTRACTS §2.10. It negotiates the protocol version, keeps sessions
// (Mcp-Session-Id), lists a lane's tools page by page and calls them through a ToolRunner that
// runs the same route handlers as REST. Thread-safe.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "core/json.h"
#include "http/route.h"
#include "mcp/catalog.h"

namespace paperd::mcp {

struct CallOutcome {
  Json structured;  // the REST answer
  bool is_error = false;
  std::string summary;  // one line for the text content
};
using ToolRunner =
    std::function<CallOutcome(const Tool&, const Json& arguments, const http::Request& incoming)>;

inline constexpr const char* kLatestProtocol = "2025-11-25";
const std::vector<std::string>& supported_protocols();

class Server {
 public:
  Server(const Catalog& catalog, ToolRunner runner, std::vector<std::string> allowed_origins);
  // One HTTP exchange on `lane` (POST = JSON-RPC, DELETE = end session, GET = 405).
  http::Response handle(const std::string& lane, http::Request& req);

 private:
  struct Session {
    int64_t account_id = 0;
    std::string lane;
    std::string protocol;
  };
  Json dispatch(const Json& msg, const std::string& lane, const std::string& toolsets,
                http::Request& req, std::string* new_session);
  Json call_tool(const Tool& tool, const Json& args, const std::string& lane,
                 const std::string& toolsets, const http::Request& req);
  bool origin_allowed(const std::string& origin) const;

  const Catalog& catalog_;
  ToolRunner runner_;
  std::vector<std::string> allowed_origins_;
  std::mutex mu_;
  std::map<std::string, Session> sessions_;
};

}  // namespace paperd::mcp
