// llms.txt and llms-full.txt: the seed's index format (title, Quick Start, "### category" and one
// "- **Title** — `METHOD /path` — summary" line per route and variant), and the full reference
// with every parameter and an answer example.
#include "docs/llms.h"

#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "fixture.h"

namespace paperd::docs {
namespace {

using testing::Fixture;

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(LlmsIndex, SeedFormat) {
  Fixture fx;
  std::string text = llms_index(fx.source());
  EXPECT_TRUE(text.starts_with("# PaperOffice AI API (paperd)\n\n> "));
  EXPECT_TRUE(has(text, "## Quick Start\n- **Base URL:** `http://docs.test:8080/latest`"));
  EXPECT_TRUE(has(text, "- **Postman Collection:** [http://docs.test:8080/latest/docs/postman]"));
  EXPECT_TRUE(has(text, "- **MCP Server:** `http://docs.test:8080/mcp`"));
  EXPECT_TRUE(has(text, "\n## API Endpoints (Index)\n"));
  EXPECT_TRUE(has(text, "\n### Document AI — PDF\n"));

  // Every index line parses like the seed's, and every route and variant has one.
  static const std::regex kLine("- \\*\\*(.+)\\*\\* — `([A-Z]+) (/[^`]*)` — (.*)");
  std::istringstream in(text.substr(text.find("## API Endpoints (Index)")));
  std::string line;
  std::multiset<std::string> targets;
  while (std::getline(in, line)) {
    if (!line.starts_with("- **") || line.starts_with("- **OpenAPI") ||
        line.starts_with("- **Postman") || line.starts_with("- **Pricing"))
      continue;
    std::smatch m;
    ASSERT_TRUE(std::regex_match(line, m, kLine)) << line;
    targets.insert(m[2].str() + " " + m[3].str());
  }
  for (const auto& r : fx.routes) EXPECT_EQ(targets.count(r.method + " " + r.path), 1u) << r.path;
  EXPECT_EQ(targets.count("POST /job/add/workflow"), 3u);  // docx, xlsx, merge
  EXPECT_EQ(targets.size(), fx.routes.size() + testing::kVariantCount);
  EXPECT_TRUE(has(text,
                  "- **Convert PDF to Word** — `POST /job/add/workflow` — "
                  "target_format=docx, template=pdf_convert: PDF to DOCX.\n"));
}

TEST(LlmsIndex, SummariesAreCut) {
  Fixture fx;
  fx.routes[1].summary = std::string(300, 'x') + "\n  tail";
  std::string text = llms_index(fx.source());
  EXPECT_TRUE(has(text, "`GET /ping` — " + std::string(157, 'x') + "...\n"));
}

TEST(LlmsFull, EveryRouteWithParametersAndAnswer) {
  Fixture fx;
  std::string text = llms_full(fx.source());
  for (const auto& r : fx.routes) {
    EXPECT_TRUE(has(text, "`" + r.method + " " + r.path + "`")) << r.path;
    for (const auto& p : r.params) EXPECT_TRUE(has(text, "| `" + p.name + "` |")) << p.name;
  }
  EXPECT_TRUE(has(text, "| `target_language` | body | string (en, fr) | yes |  |  |"));
  EXPECT_TRUE(has(text, "| `text` | body | string | yes |  | text \\| with a pipe |"));
  EXPECT_TRUE(has(text, "| `job_id` | path | string | yes |"));
  EXPECT_TRUE(has(text,
                  "| `target_format` | body | string (docx, xlsx, jpg) | yes | "
                  "`\"docx\"` (fixed) |"));
  EXPECT_TRUE(has(text, "`POST /job/add/workflow` with target_format=xlsx, template=pdf_convert"));
  EXPECT_TRUE(has(text, "- MCP tool: `po_documents_delete` (DESTRUCTIVE)"));
  EXPECT_TRUE(has(text, "\"processing_time\": \"12.34ms\""));
  EXPECT_TRUE(has(text, "\"job_status\": \"completed\""));
  EXPECT_TRUE(has(text, "\"jsonrpc\": \"2.0\""));
}

}  // namespace
}  // namespace paperd::docs
