// The official MCP TypeScript SDK against a live paperd: connect with a user token over
// Streamable HTTP, list every tool (following cursors), call a read tool and a job tool, and be
// refused with a system key. Prints one JSON line; exits non-zero on any failed expectation.
// Usage: node mcp_client.mjs <base_url> <po_ut_token> <po_sk_token>
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [, , base, userToken, systemKey] = process.argv;
const transport = (token, lane) =>
  new StreamableHTTPClientTransport(new URL(base + lane), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
const failures = [];
const expect = (ok, what) => { if (!ok) failures.push(what); };

const client = new Client({ name: "paperd-e2e", version: "1.0.0" });
await client.connect(transport(userToken, "/mcp-full"));
const version = client.getServerVersion();
expect(version?.name === "paperd", `server name ${version?.name}`);

const tools = [];
let cursor;
do {
  const page = await client.listTools(cursor ? { cursor } : {});
  tools.push(...page.tools);
  cursor = page.nextCursor;
} while (cursor);
const names = new Set(tools.map((t) => t.name));
for (const n of ["po_job_get", "po_mcp_tools_search", "po_spinetest_sleep"])
  expect(names.has(n), `tools/list lacks ${n}`);

const read = await client.callTool({ name: "po_billing_pricing_tiers_list", arguments: {} });
expect(!read.isError && read.structuredContent?.data?.tiers?.length >= 4, "read tool");

const job = await client.callTool({ name: "po_spinetest_sleep", arguments: { seconds: 0.1, tag: "sdk" } });
expect(!job.isError && job.structuredContent?.job_status === "completed" &&
       job.structuredContent?.result?.tag === "sdk", `job tool: ${JSON.stringify(job.structuredContent)}`);

const bad = await client.callTool({ name: "po_spinetest_sleep", arguments: { seconds: "lots" } });
expect(bad.isError === true, "schema failure is isError");
await client.close();

let refused = "";
try {
  const other = new Client({ name: "paperd-e2e-sk", version: "1.0.0" });
  await other.connect(transport(systemKey, "/mcp"));
  refused = "connected";
} catch (e) {
  refused = e?.code === 401 ? "401" : String(e?.message ?? e);
}
expect(refused.includes("401"), `system key not refused with 401: ${refused}`);

console.log(JSON.stringify({ tools: tools.length, protocol: client.transport?.protocolVersion ?? null, failures }));
process.exit(failures.length ? 1 : 0);
