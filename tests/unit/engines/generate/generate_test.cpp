// engines/generate: Markdown with GFM extensions and raw HTML dropped, Mustache escaping and
// sections, the work and output bounds, and both spellings of the variable schema.
#include <gtest/gtest.h>

#include <map>

#include "core/error.h"
#include "engines/generate/html_page.h"
#include "engines/generate/markdown.h"
#include "engines/generate/template_renderer.h"
#include "engines/generate/variable_schema.h"

using namespace paperd;
using namespace paperd::engines::generate;

namespace {

std::string code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const core::Error& e) {
    return e.code() + ": " + e.what();
  }
  return "";
}

TEST(GenerateMarkdown, TablesStrikethroughAutolinksTasklists) {
  std::string html = markdown_to_html(
      "# Title\n\n| Item | Qty |\n|---|---:|\n| Widget | 3 |\n\n~~old~~ "
      "see https://example.com\n\n- [x] done\n- [ ] open\n");
  EXPECT_NE(html.find("<h1>Title</h1>"), std::string::npos) << html;
  EXPECT_NE(html.find("<table>"), std::string::npos) << html;
  EXPECT_NE(html.find("<td>Widget</td>"), std::string::npos) << html;
  EXPECT_NE(html.find("<del>old</del>"), std::string::npos) << html;
  EXPECT_NE(html.find("<a href=\"https://example.com\">"), std::string::npos) << html;
  EXPECT_NE(html.find("type=\"checkbox\""), std::string::npos) << html;
}

TEST(GenerateMarkdown, RawHtmlAndJavascriptLinksAreDropped) {
  std::string html = markdown_to_html(
      "Hello <script>alert(1)</script>\n\n<div "
      "onclick=\"x()\">raw</div>\n\n[x](javascript:alert(1))");
  EXPECT_EQ(html.find("<script"), std::string::npos) << html;
  EXPECT_EQ(html.find("onclick"), std::string::npos) << html;
  EXPECT_EQ(html.find("javascript:"), std::string::npos) << html;
  EXPECT_NE(html.find("Hello"), std::string::npos);
}

TEST(GenerateTemplate, EscapesByDefaultTripleIsRaw) {
  Json vars = {{"name", "<b>Tom & Jerry</b>"}, {"total", 12.5}, {"count", 3}};
  EXPECT_EQ(render_template("{{name}}|{{{name}}}|{{& name}}|{{total}}|{{count}}", vars),
            "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;|<b>Tom & Jerry</b>|<b>Tom & Jerry</b>|12.5|3");
}

TEST(GenerateTemplate, SectionsLoopsAndFalsyValues) {
  Json vars = {{"items", {{{"n", "a"}}, {{"n", "b"}}}},
               {"paid", false},
               {"note", nullptr},
               {"tags", {"x", "y"}}};
  EXPECT_EQ(render_template("{{#items}}[{{n}}]{{/items}}{{^paid}}unpaid{{/paid}}{{note}}"
                            "{{#tags}}<{{.}}>{{/tags}}{{missing}}",
                            vars),
            "[a][b]unpaid<x><y>");
}

TEST(GenerateTemplate, RefusesPartialsDelimitersBadSyntaxAndTooMuchWork) {
  EXPECT_NE(code_of([] {
              render_template("{{> evil}}", {{"evil", "{{x}}"}});
            }).find("partials"),
            std::string::npos);
  EXPECT_NE(code_of([] { render_template("{{=<% %>=}}", Json::object()); }).find("INVALID"),
            std::string::npos);
  EXPECT_NE(code_of([] { check_template("{{#a}}never closed"); }).find("INVALID_REQUEST"),
            std::string::npos);
  // Three nested loops over a 1000-item list: 10^9 iterations.
  Json big = {{"a", Json::array()}};
  for (int i = 0; i < 1000; ++i) big["a"].push_back(i);
  EXPECT_NE(code_of([&] {
              render_template("{{#a}}{{#a}}{{#a}}x{{/a}}{{/a}}{{/a}}", big);
            }).find("too much work"),
            std::string::npos);
  // One long value printed in a loop: bounded output, refused before rendering.
  Json wide = {{"a", Json::array()}, {"s", std::string(100000, '"')}};
  for (int i = 0; i < 100; ++i) wide["a"].push_back(i);
  EXPECT_NE(code_of([&] { render_template("{{#a}}{{s}}{{/a}}", wide); }).find("INPUT_TOO_LARGE"),
            std::string::npos);
  // A realistic invoice passes.
  Json invoice = {{"items", Json::array()}};
  for (int i = 0; i < 500; ++i) invoice["items"].push_back({{"name", "Widget"}, {"qty", i}});
  EXPECT_NO_THROW(
      render_template("{{#items}}<tr><td>{{name}}</td><td>{{qty}}</td></tr>{{/items}}", invoice));
}

TEST(GenerateSchema, JsonSchemaSpelling) {
  Json schema = {{"type", "object"},
                 {"properties",
                  {{"customer", {{"type", "string"}}},
                   {"qty", {{"type", "integer"}}},
                   {"status", {{"type", "string"}, {"enum", {"open", "paid"}}}},
                   {"items", {{"type", "array"}}}}},
                 {"required", {"customer", "qty", "items"}}};
  // Problems come in the schema's (sorted) order: customer, items, qty, status.
  auto problems = validate_variables(schema, {{"qty", "3"}, {"status", "late"}});
  ASSERT_EQ(problems.size(), 4u);
  std::map<std::string, std::string> kinds;
  for (const auto& p : problems) kinds[p.variable] = p.kind;
  EXPECT_EQ(kinds["customer"], "missing");
  EXPECT_EQ(kinds["items"], "missing");
  EXPECT_EQ(kinds["qty"], "type");
  EXPECT_EQ(kinds["status"], "enum");
  EXPECT_TRUE(
      validate_variables(schema, {{"customer", "A"}, {"qty", 3.0}, {"items", Json::array()}})
          .empty());
}

TEST(GenerateSchema, ShortSpellingDefaultsAndBadDeclarations) {
  Json schema = {{"name", {{"type", "string"}, {"required", true}}},
                 {"paid", "boolean"},
                 {"currency", {{"type", "string"}, {"required", true}, {"default", "EUR"}}},
                 {"meta", {{"type", {"object", "null"}}}}};
  auto problems = validate_variables(schema, {{"paid", 1}, {"meta", nullptr}});
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].variable, "name");
  EXPECT_EQ(problems[0].kind, "missing");
  EXPECT_EQ(problems[1].variable, "paid");
  EXPECT_EQ(with_defaults(schema, {{"name", "x"}})["currency"], "EUR");
  EXPECT_TRUE(validate_variables(Json::object(), {{"anything", 1}}).empty());
  EXPECT_TRUE(validate_variables({{"type", "object"}}, Json::object()).empty());
  EXPECT_NE(code_of([] {
              parse_variable_schema({{"x", {{"type", "date"}}}});
            }).find("'x'"),
            std::string::npos);
  EXPECT_NE(code_of([] { parse_variable_schema(Json::array({1})); }).find("INVALID_REQUEST"),
            std::string::npos);
}

TEST(GeneratePage, WrapsFragmentsOnly) {
  EXPECT_TRUE(is_full_document("  <!DOCTYPE html><html></html>"));
  EXPECT_TRUE(is_full_document("<HTML><body>x</body></HTML>"));
  EXPECT_FALSE(is_full_document("<p>x</p>"));
  std::string page = html_page("<p>x</p>", "A <b>", "p{}");
  EXPECT_NE(page.find("<meta charset=\"utf-8\">"), std::string::npos);
  EXPECT_NE(page.find("<title>A &lt;b&gt;</title>"), std::string::npos);
  EXPECT_NE(page.find("<style>p{}</style>"), std::string::npos);
}

}  // namespace
