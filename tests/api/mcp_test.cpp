// The MCP server over real HTTP: JSON-RPC framing and errors, auth rules, lanes, sessions,
// discovery tools, and tool calls that run the REST handlers.
#include <gtest/gtest.h>

#include <set>

#include "server.h"

using namespace paperd::testing;
using paperd::Json;

namespace {

PaperdServer& mcp_server() {
  static PaperdServer server;
  return server;
}

std::string header_of(const httplib::Headers& h, const std::string& key, size_t, const char*) {
  auto it = h.find(key);
  return it == h.end() ? std::string() : it->second;
}

struct Rpc {
  int status = 0;
  Json body;
  httplib::Headers headers;
};

Rpc post(const std::string& lane, const std::string& token, const std::string& body,
         httplib::Headers extra = {}) {
  auto c = mcp_server().client(token);
  auto r = c->Post(lane, extra, body, "application/json");
  Rpc out;
  if (!r) return out;
  out.status = r->status;
  out.headers = r->headers;
  out.body = Json::parse(r->body, nullptr, false);
  return out;
}

Json call(const std::string& lane, const std::string& token, const std::string& method,
          Json params = Json::object()) {
  Json msg = {{"jsonrpc", "2.0"}, {"id", 7}, {"method", method}, {"params", params}};
  return post(lane, token, msg.dump()).body;
}

const std::string& user() {
  static std::string t = mcp_server().create_token("ut", "mcp-user", "enterprise");
  return t;
}

// Every tool of a lane, following nextCursor through the pages of tools/list.
Json list_tools(const std::string& lane, const httplib::Headers& headers = {}) {
  Json tools = Json::array();
  std::string cursor;
  for (int page = 0; page < 100; ++page) {
    Json params = cursor.empty() ? Json::object() : Json{{"cursor", cursor}};
    Json msg = {{"jsonrpc", "2.0"}, {"id", page}, {"method", "tools/list"}, {"params", params}};
    Json result = post(lane, user(), msg.dump(), headers).body["result"];
    for (auto& t : result["tools"]) tools.push_back(t);
    if (!result.contains("nextCursor")) break;
    cursor = result["nextCursor"];
  }
  return tools;
}

}  // namespace

TEST(Mcp, InitializeNegotiatesVersionsAndIssuesSession) {
  for (std::string v : {"2025-11-25", "2025-06-18", "2025-03-26"}) {
    Rpc r = post("/mcp", user(),
                 Json{{"jsonrpc", "2.0"},
                      {"id", 1},
                      {"method", "initialize"},
                      {"params",
                       {{"protocolVersion", v},
                        {"capabilities", Json::object()},
                        {"clientInfo", {{"name", "t"}, {"version", "1"}}}}}}
                     .dump());
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.body["result"]["protocolVersion"], v);
    EXPECT_EQ(r.body["result"]["serverInfo"]["name"], "paperd");
    EXPECT_TRUE(r.body["result"]["capabilities"].contains("tools"));
    EXPECT_EQ(header_of(r.headers, "Mcp-Session-Id", 0, "").size(), 32u);
  }
  Json old = call("/mcp", user(), "initialize", {{"protocolVersion", "1999-01-01"}});
  EXPECT_EQ(old["result"]["protocolVersion"], "2025-11-25");
}

TEST(Mcp, NotificationsAreAcceptedWithoutAnswer) {
  Rpc r = post("/mcp", user(), R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
  EXPECT_EQ(r.status, 202);
  EXPECT_EQ(call("/mcp", user(), "ping")["result"], Json::object());
}

TEST(Mcp, JsonRpcErrorsHaveTheRightCodes) {
  EXPECT_EQ(post("/mcp", user(), "{not json").body["error"]["code"], -32700);
  EXPECT_EQ(post("/mcp", user(), R"({"id":1,"method":"ping"})").body["error"]["code"], -32600);
  EXPECT_EQ(call("/mcp", user(), "tools/frobnicate")["error"]["code"], -32601);
  Json no_name = call("/mcp", user(), "tools/call", {{"arguments", Json::object()}});
  EXPECT_EQ(no_name["error"]["code"], -32602);
  Json unknown = call("/mcp-full", user(), "tools/call", {{"name", "po_no_such_tool"}});
  EXPECT_EQ(unknown["error"]["code"], -32602);
  EXPECT_NE(unknown["error"]["message"].get<std::string>().find("po_no_such_tool"),
            std::string::npos);
  Json batch =
      post("/mcp", user(),
           R"([{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","id":2,"method":"x"}])")
          .body;
  ASSERT_TRUE(batch.is_array());
  EXPECT_EQ(batch.size(), 2u);
}

TEST(Mcp, AuthAcceptsUserAndGroupTokensOnly) {
  PaperdServer& s = mcp_server();
  const std::string ping = R"({"jsonrpc":"2.0","id":1,"method":"ping"})";
  Rpc none = post("/mcp", "", ping);
  EXPECT_EQ(none.status, 401);
  EXPECT_FALSE(header_of(none.headers, "WWW-Authenticate", 0, "").empty());
  EXPECT_EQ(post("/mcp", "po_ut_bogus", ping).status, 401);
  EXPECT_EQ(post("/mcp", s.system_key(), ping).status, 401);
  EXPECT_EQ(post("/mcp", s.create_token("pk", "mcp-pk"), ping).status, 401);
  EXPECT_EQ(post("/mcp", s.create_token("gt", "mcp-gt"), ping).status, 200);
  EXPECT_EQ(post("/mcp", user(), ping, {{"Origin", "https://evil.example"}}).status, 403);
  EXPECT_EQ(post("/mcp", user(), ping, {{"Origin", "http://localhost:3000"}}).status, 200);
}

TEST(Mcp, SessionsEndWithDelete) {
  Rpc init = post("/mcp", user(), R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{}})");
  std::string sid = header_of(init.headers, "Mcp-Session-Id", 0, "");
  httplib::Headers h = {{"Mcp-Session-Id", sid}};
  EXPECT_EQ(post("/mcp", user(), R"({"jsonrpc":"2.0","id":2,"method":"ping"})", h).status, 200);
  auto c = mcp_server().client(user());
  EXPECT_EQ(c->Delete("/mcp", h)->status, 200);
  EXPECT_EQ(post("/mcp", user(), R"({"jsonrpc":"2.0","id":3,"method":"ping"})", h).status, 404);
  EXPECT_EQ(c->Get("/mcp")->status, 405);
}

TEST(Mcp, ToolsCarryVerdictsAndLanesFilterThem) {
  std::set<std::string> names;
  for (auto& t : list_tools("/mcp-full")) {
    std::string name = t["name"];
    EXPECT_TRUE(names.insert(name).second) << "duplicate " << name;
    EXPECT_EQ(name.rfind("po_", 0), 0u) << name;
    std::string d = t["description"];
    bool ro = t["annotations"]["readOnlyHint"], de = t["annotations"]["destructiveHint"];
    EXPECT_EQ(d.rfind(de ? "DESTRUCTIVE." : ro ? "READ-ONLY." : "WRITES DATA.", 0), 0u) << name;
    EXPECT_EQ(t["inputSchema"]["type"], "object") << name;
  }
  for (std::string n : {"po_job_get", "po_mcp_tools_search", "po_mcp_tools_schema",
                        "po_mcp_tools_call_read", "po_mcp_tools_call_write", "po_spinetest_echo",
                        "po_ocr_text", "po_ocr_complete", "po_ocr_us_tax_forms", "po_ocr_text_get"})
    EXPECT_TRUE(names.count(n)) << n;
  // The default lane is read-safe, plus the discovery tools.
  for (auto& t : list_tools("/mcp"))
    EXPECT_TRUE(t["annotations"]["readOnlyHint"].get<bool>() ||
                t["name"] == "po_mcp_tools_call_write")
        << t["name"];
  // Toolsets pick by category.
  Json ws = list_tools("/mcp", {{"X-MCP-Toolsets", "account"}});
  bool pricing = false;
  for (auto& t : ws) pricing |= t["name"] == "po_billing_pricing_tiers_list";
  EXPECT_TRUE(pricing);
}

TEST(Mcp, ToolCallsRunTheRestHandlers) {
  PaperdServer& s = mcp_server();
  Json mcp =
      call("/mcp-full", user(), "tools/call",
           {{"name", "po_billing_pricing_tiers_list"}, {"arguments", Json::object()}})["result"];
  EXPECT_EQ(mcp["isError"], false);
  Json rest = body_json(s.client(user())->Get("/latest/billing/pricing/tiers"));
  EXPECT_EQ(mcp["structuredContent"]["data"], rest["data"]);
  EXPECT_EQ(mcp["content"][0]["type"], "text");

  Json job = call("/mcp-full", user(), "tools/call",
                  {{"name", "po_spinetest_sleep"},
                   {"arguments", {{"seconds", 0.1}, {"tag", "via-mcp"}}}})["result"];
  EXPECT_EQ(job["isError"], false) << job.dump();
  EXPECT_EQ(job["structuredContent"]["job_status"], "completed");
  EXPECT_EQ(job["structuredContent"]["result"]["tag"], "via-mcp");

  Json bad = call("/mcp-full", user(), "tools/call",
                  {{"name", "po_spinetest_sleep"}, {"arguments", {{"seconds", "lots"}}}})["result"];
  EXPECT_EQ(bad["isError"], true);
  EXPECT_NE(bad["structuredContent"]["message"].get<std::string>().find("seconds"),
            std::string::npos);

  Json missing = call("/mcp", user(), "tools/call",
                      {{"name", "po_job_get"},
                       {"arguments", {{"job_id", "poai-job_1_1.0000_deadbeef"}}}})["result"];
  EXPECT_EQ(missing["isError"], true);
  EXPECT_EQ(missing["structuredContent"]["code"], "NOT_FOUND");
}

TEST(Mcp, DiscoveryToolsFindDescribeAndCall) {
  Json found =
      call("/mcp", user(), "tools/call",
           {{"name", "po_mcp_tools_search"}, {"arguments", {{"query", "sleep"}}}})["result"];
  ASSERT_FALSE(found["structuredContent"]["matches"].empty());
  EXPECT_EQ(found["structuredContent"]["matches"][0]["tool_id"], "po_spinetest_sleep");
  EXPECT_EQ(found["structuredContent"]["matches"][0]["execute_via"], "po_mcp_tools_call_write");
  Json schema =
      call("/mcp", user(), "tools/call",
           {{"name", "po_mcp_tools_schema"}, {"arguments", {{"tool_id", "po_job_get"}}}})["result"];
  EXPECT_EQ(schema["structuredContent"]["tool"]["inputSchema"]["required"][0], "job_id");
  Json refused =
      call("/mcp", user(), "tools/call",
           {{"name", "po_mcp_tools_call_read"},
            {"arguments",
             {{"tool_id", "po_spinetest_sleep"}, {"arguments", {{"seconds", 0}}}}}})["result"];
  EXPECT_EQ(refused["isError"], true);
  Json written =
      call("/mcp", user(), "tools/call",
           {{"name", "po_mcp_tools_call_write"},
            {"arguments",
             {{"tool_id", "po_spinetest_sleep"}, {"arguments", {{"seconds", 0}}}}}})["result"];
  EXPECT_EQ(written["isError"], false) << written.dump();
}
