// The MCP page (POST /docs/markdown): lanes from the raw-body routes, the auth rule, and every tool
// name with its READ-ONLY / WRITES DATA / DESTRUCTIVE label, pipeline variants included.
#include "docs/markdown.h"

#include <gtest/gtest.h>

#include "fixture.h"

namespace paperd::docs {
namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(McpMarkdown, LanesAuthAndTools) {
  testing::Fixture fx;
  std::string md = mcp_markdown(fx.source());
  EXPECT_TRUE(md.starts_with("# MCP Server – AI Tool integration\n"));
  EXPECT_TRUE(has(md, "| `http://docs.test:8080/mcp` | POST, GET | default lane"));
  EXPECT_TRUE(has(md, "| `http://docs.test:8080/dms` | POST |"));
  EXPECT_TRUE(has(md, "`po_sk_`"));
  EXPECT_TRUE(has(md, "Bearer po_ut_"));
  EXPECT_TRUE(has(md, "Bearer po_gt_"));
  EXPECT_TRUE(has(md, "\"url\": \"http://docs.test:8080/mcp\""));
  EXPECT_TRUE(has(md, "- `po_health_get` — READ-ONLY — **Ping management endpoint**"));
  EXPECT_TRUE(has(md, "- `po_documents_delete` — DESTRUCTIVE — **Delete document**"));
  EXPECT_TRUE(has(md, "- `po_translate_text` — WRITES DATA — "));
  EXPECT_TRUE(has(md,
                  "- `po_pdf_convert_docx` — WRITES DATA — **Convert PDF to Word**: PDF to "
                  "DOCX. (`POST /job/add/workflow target_format=docx template=pdf_convert`)"));
  EXPECT_TRUE(has(md, "- `po_workflow_pdf_merge` — WRITES DATA"));
  EXPECT_TRUE(has(md, "- `po_paperoffice_aiocr_generate` — WRITES DATA"));
  EXPECT_TRUE(has(md, "- `po_spinetest_sleep` — WRITES DATA"));
  // 4 routes with an mcp_name + 5 variants.
  EXPECT_TRUE(has(md, "## Tools (9)")) << md;
}

TEST(McpMarkdown, NoLanesRegistered) {
  testing::Fixture fx;
  std::erase_if(fx.routes, [](const http::Route& r) { return r.raw_body; });
  std::string md = mcp_markdown(fx.source());
  EXPECT_TRUE(has(md, "not enabled"));
}

}  // namespace
}  // namespace paperd::docs
