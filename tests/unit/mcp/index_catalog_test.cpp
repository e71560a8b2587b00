// The server's real route table and pipeline registry against the public index
// (docs/api/endpoints.tsv): every pipeline tool variant is an index row of its pipeline's route,
// no row is claimed twice, every MCP tool name is unique and follows the po_ snake_case rule on
// every lane, docs and MCP name the same tools, and a variant's fixed parameters are left out of
// its inputSchema (catalog.cpp sets them on every call; the caller cannot change them).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "api/context.h"
#include "app/commands.h"
#include "core/fs.h"
#include "docs/catalog.h"
#include "mcp/catalog.h"

namespace paperd {
namespace {

struct IndexRow {
  std::string category, title, method, path;
};

std::vector<IndexRow> read_index() {
  std::ifstream in(std::filesystem::path(PAPERD_SOURCE_DIR) / "docs/api/endpoints.tsv");
  std::vector<IndexRow> rows;
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (header) {
      header = false;
      continue;
    }
    std::vector<std::string> cols;
    std::stringstream ss(line);
    for (std::string col; std::getline(ss, col, '\t');) cols.push_back(col);
    if (cols.size() >= 4) rows.push_back({cols[0], cols[1], cols[2], cols[3]});
  }
  return rows;
}

// The rows a registry's variants claim, keyed "POST /job/add/<slug>\t<title>"; each problem (a
// title that is no row of its route, a row claimed twice) is one line of `problems`.
std::map<std::string, std::string> claimed_rows(const jobs::PipelineRegistry& registry,
                                                const std::vector<IndexRow>& index,
                                                std::vector<std::string>& problems) {
  std::set<std::string> rows;
  for (const auto& r : index) rows.insert(r.method + " " + r.path + "\t" + r.title);
  std::map<std::string, std::string> claimed;  // row -> pipeline
  for (const auto* p : registry.all())
    for (const auto& v : p->tools) {
      std::string key = "POST /job/add/" + docs::pipeline_slug(*p) + "\t" + v.title;
      if (!rows.count(key))
        problems.push_back(p->name + ": '" + v.title + "' is no index row of POST /job/add/" +
                           docs::pipeline_slug(*p));
      else if (!claimed.emplace(key, p->name).second)
        problems.push_back(p->name + ": '" + v.title + "' is already served by " + claimed[key]);
    }
  return claimed;
}

// The server's full route table and pipelines, as `paperd serve` builds them (no listener).
class ServerTables : public ::testing::Test {
 protected:
  core::TempDir dir{std::filesystem::temp_directory_path(), "index-catalog-"};
  core::Config config;
  store::Database db{dir.path() / "t.db"};
  store::BlobStore blobs{dir.path() / "blobs", store::MasterKey::from_bytes(std::string(32, 'k'))};
  services::Tiers tiers = services::Tiers::defaults();
  services::Accounts accounts{db, tiers};
  jobs::Queue queue{db};
  jobs::PipelineRegistry pipelines;
  net::OutboundPolicy outbound;
  http::Metrics metrics;
  http::Router router;
  std::unique_ptr<api::ApiContext> ctx;
  std::vector<IndexRow> index = read_index();

  void SetUp() override {
    config.data_dir = dir.path();
    db.migrate();
    app::register_pipelines(pipelines, config);
    ctx = std::make_unique<api::ApiContext>(api::ApiContext{
        config, db, blobs, tiers, accounts, queue, pipelines, nullptr, outbound, metrics});
    api::add_all_routes(router, *ctx);
  }
};

TEST_F(ServerTables, IndexFileIsTheFullIndex) {
  ASSERT_EQ(index.size(), 307u);  // CONTRACTS §3.1
  size_t workflow = 0;
  for (const auto& r : index) workflow += r.method == "POST" && r.path == "/job/add/workflow";
  EXPECT_EQ(workflow, 49u);
}

TEST_F(ServerTables, EveryToolVariantIsAnIndexRowOfItsRoute) {
  std::vector<std::string> problems;
  auto claimed = claimed_rows(pipelines, index, problems);
  for (const auto& p : problems) ADD_FAILURE() << p;
  // The PDF tools serve every row of their category, and the whitepage scan both of its rows.
  for (const auto& r : index) {
    bool ours = r.category == "Document AI — PDF" || r.title.find("whitepage") != std::string::npos;
    if (ours) {
      EXPECT_TRUE(claimed.count(r.method + " " + r.path + "\t" + r.title))
          << "no tool variant for index row '" << r.title << "'";
    }
  }
  EXPECT_GE(claimed.size(), 22u);
}

TEST_F(ServerTables, CheckCatchesAWrongTitleAndADoubleClaim) {
  jobs::PipelineRegistry bad;
  bad.add({.name = "workflow/pdf_merge",
           .tools = {{.mcp_name = "po_pdf_merge", .title = "Merge PDF files"},
                     {.mcp_name = "po_pdf_merge_again", .title = "Merge pdf"}}});
  bad.add(
      {.name = "workflow/pdf_join", .tools = {{.mcp_name = "po_pdf_join", .title = "Merge pdf"}}});
  bad.add({.name = "paperoffice_aiocr___generate",
           .tools = {{.mcp_name = "po_x", .title = "Compress PDF"}}});  // a row of another route
  std::vector<std::string> problems;
  claimed_rows(bad, index, problems);
  std::string all;
  for (const auto& p : problems) all += p + "\n";
  EXPECT_EQ(problems.size(), 3u) << all;
  EXPECT_NE(all.find("'Merge pdf' is already served by workflow/pdf_join"), std::string::npos)
      << all;
  EXPECT_NE(all.find("'Merge PDF files' is no index row"), std::string::npos) << all;
  EXPECT_NE(
      all.find("'Compress PDF' is no index row of POST /job/add/paperoffice_aiocr___generate"),
      std::string::npos)
      << all;
}

TEST_F(ServerTables, McpToolNamesAreUniqueOnEveryLaneAndFollowTheRule) {
  std::unique_ptr<mcp::Catalog> catalog;
  // The catalog refuses a name used twice (Error::internal).
  ASSERT_NO_THROW(catalog = std::make_unique<mcp::Catalog>(router.routes(), pipelines));
  const std::regex rule("^po_[a-z0-9]+(_[a-z0-9]+)*$");
  std::set<std::string> all;
  for (const auto& t : catalog->all()) {
    EXPECT_TRUE(all.insert(t.name).second) << t.name;
    EXPECT_TRUE(std::regex_match(t.name, rule)) << t.name;
  }
  for (const auto& lane : mcp::Catalog::lanes()) {
    std::set<std::string> names;
    auto tools = catalog->for_lane(lane, "");
    EXPECT_FALSE(tools.empty()) << lane;
    for (const auto* t : tools) EXPECT_TRUE(names.insert(t->name).second) << lane << " " << t->name;
  }
  EXPECT_EQ(catalog->for_lane("/mcp-full", "").size(), catalog->all().size());

  // The docs list the same tools under the same names (discovery tools are MCP-only).
  docs::Source src{router.routes(), pipelines.all(), "http://x/latest", "0", 0};
  std::set<std::string> documented;
  for (const auto& op : docs::all_operations(src, true))
    if (!op.mcp_name.empty()) {
      EXPECT_TRUE(documented.insert(op.mcp_name).second) << op.mcp_name;
    }
  std::set<std::string> listed;
  for (const auto& t : catalog->all())
    if (!t.discovery) listed.insert(t.name);
  EXPECT_EQ(documented, listed);
}

TEST_F(ServerTables, FixedParametersAreSetAndLeftOutOfTheSchema) {
  mcp::Catalog catalog(router.routes(), pipelines);
  size_t checked = 0;
  for (const auto* p : pipelines.all())
    for (const auto& v : p->tools) {
      const mcp::Tool* t = catalog.find(v.mcp_name);
      ASSERT_NE(t, nullptr) << v.mcp_name;
      EXPECT_EQ(t->title, v.title);
      EXPECT_EQ(t->pipeline, docs::pipeline_slug(*p)) << t->name;
      Json want = docs::pipeline_selector(*p);
      want.update(v.fixed_params);
      EXPECT_EQ(t->fixed, want) << t->name;
      const Json& props = t->input_schema["properties"];
      for (auto& [k, value] : t->fixed.items()) {
        EXPECT_FALSE(props.contains(k)) << t->name << " offers its fixed field " << k;
        for (const auto& r : t->input_schema.value("required", Json::array()))
          EXPECT_NE(r, k) << t->name;
      }
      // Every other parameter of the pipeline stays open to the caller.
      for (const auto& param : p->params)
        if (!t->fixed.contains(param.name) && param.type != http::ParamType::kFile) {
          EXPECT_TRUE(props.contains(param.name)) << t->name << " lacks " << param.name;
        }
      ++checked;
    }
  EXPECT_GE(checked, 22u);

  // pdf_convert's Word row: target_format is fixed, the page selection is not.
  const mcp::Tool* word = catalog.find("po_pdf_convert_word");
  ASSERT_NE(word, nullptr);
  EXPECT_EQ(word->fixed, Json({{"template", "pdf_convert"}, {"target_format", "docx"}}));
  EXPECT_TRUE(word->input_schema["properties"].contains("pages"));
}

}  // namespace
}  // namespace paperd
