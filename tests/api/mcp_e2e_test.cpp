// The official MCP TypeScript SDK (StreamableHTTPClientTransport with a Bearer header) against a
// live paperd: connect, list tools, call a read tool and a job tool, and be refused with po_sk_.
#include <gtest/gtest.h>

#include "node_tools.h"
#include "server.h"

using namespace paperd::testing;

TEST(McpSdk, OfficialClientConnectsListsAndCalls) {
  std::string problem = ensure_node_tools();
  ASSERT_TRUE(problem.empty()) << problem;
  PaperdServer s;
  std::string user = s.create_token("ut", "sdk-user", "enterprise");
  std::string output;
  int rc = run_node("mcp_client.mjs", {s.url(""), user, s.system_key()}, &output);
  EXPECT_EQ(rc, 0) << output;
  std::cout << "[ mcp sdk  ] " << output;
}
