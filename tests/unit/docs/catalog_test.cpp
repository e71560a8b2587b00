// The shared catalogue of the docs generators: variant expansion, tool names for pipelines without
// variants, example values, the prior-state rule and the small text helpers.
#include "docs/catalog.h"

#include <gtest/gtest.h>

#include "fixture.h"

namespace paperd::docs {
namespace {

TEST(DocsCatalog, DefaultToolNames) {
  EXPECT_EQ(default_tool_name({.name = "workflow/pdf_merge"}), "po_workflow_pdf_merge");
  EXPECT_EQ(default_tool_name({.name = "paperoffice_aiocr___generate"}),
            "po_paperoffice_aiocr_generate");
  EXPECT_EQ(pipeline_slug({.name = "workflow/pdf_merge"}), "workflow");
  EXPECT_EQ(pipeline_selector({.name = "workflow/pdf_merge"}), Json({{"template", "pdf_merge"}}));
  EXPECT_EQ(pipeline_selector({.name = "a___b"}), Json::object());
}

TEST(DocsCatalog, OperationsExpandTheJobRoute) {
  testing::Fixture fx;
  auto src = fx.source();
  EXPECT_EQ(route_operations(src).size(), fx.routes.size());
  auto variants = pipeline_operations(src);
  ASSERT_EQ(variants.size(), testing::kVariantCount);
  EXPECT_EQ(variants[0].path, "/job/add/workflow");
  EXPECT_EQ(variants[0].fixed, Json({{"template", "pdf_convert"}, {"target_format", "docx"}}));
  EXPECT_TRUE(variants[0].path_params.empty());
  EXPECT_EQ(variants[0].effect, Effect::kWritesData);
  EXPECT_EQ(all_operations(src, true).size(), fx.routes.size() - 1 + testing::kVariantCount);
  EXPECT_EQ(all_operations(src, false).size(), fx.routes.size() + testing::kVariantCount);

  // Without the job route there are no variants.
  std::erase_if(fx.routes, [](const http::Route& r) { return r.path == kJobRoutePath; });
  EXPECT_TRUE(pipeline_operations(fx.source()).empty());
}

TEST(DocsCatalog, PriorState) {
  testing::Fixture fx;
  auto ops = all_operations(fx.source(), false);
  auto state = [&](const std::string& method, const std::string& path) {
    for (const auto& op : ops)
      if (op.method == method && op.path == path) return needs_prior_state(op);
    ADD_FAILURE() << "no " << path;
    return false;
  };
  EXPECT_FALSE(state("GET", "/health"));
  EXPECT_FALSE(state("POST", "/translate/text"));
  EXPECT_FALSE(state("POST", "/job/add/spinetest___sleep"));
  EXPECT_TRUE(state("GET", "/job/get/{job_id}"));
  EXPECT_TRUE(state("POST", "/documents/document-delete"));
  EXPECT_TRUE(state("GET", "/admin/accounts"));
  EXPECT_TRUE(state("POST", "/documents/document-put"));
  EXPECT_TRUE(state("POST", "/job/add/workflow"));

  // A pipeline field with nothing to send may be what validate() needs (url or html).
  fx.pipeline_storage[3].params.push_back({.name = "url"});
  auto again = all_operations(fx.source(), false);
  for (const auto& op : again)
    if (op.path == "/job/add/spinetest___sleep") EXPECT_TRUE(needs_prior_state(op));
  fx.pipeline_storage[3].params.back().example = "https://example.com/";
  again = all_operations(fx.source(), false);
  for (const auto& op : again)
    if (op.path == "/job/add/spinetest___sleep") EXPECT_FALSE(needs_prior_state(op));
}

TEST(DocsCatalog, ExampleValues) {
  using http::ParamType;
  EXPECT_EQ(example_value({.name = "n", .type = ParamType::kInteger, .minimum = 72}), 72);
  EXPECT_EQ(example_value({.name = "n", .type = ParamType::kInteger, .enum_values = {"90", "180"}}),
            90);
  EXPECT_EQ(example_value({.name = "source_url"}), "https://example.com/document.pdf");
  EXPECT_EQ(example_value({.name = "x", .default_value = "d", .example = "e"}), "e");
}

TEST(DocsCatalog, TextHelpers) {
  EXPECT_EQ(one_line("  a\n\tb  c \n"), "a b c");
  EXPECT_EQ(one_line("abcdefghij", 8), "abcde...");
  EXPECT_EQ(one_line("ääääää", 8), "ää...");  // never cuts inside a UTF-8 sequence
  EXPECT_EQ(release_tag(1776600000), "R20260419.1200");
  EXPECT_EQ(server_root("http://h:1/latest"), "http://h:1");
  EXPECT_EQ(server_root("https://api.example.com"), "https://api.example.com");
}

}  // namespace
}  // namespace paperd::docs
