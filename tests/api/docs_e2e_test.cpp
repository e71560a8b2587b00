// End-to-end checks of the generated docs against a live `paperd serve`, with real clients written
// by others: @apidevtools/swagger-parser validates /docs/openapi.json, and newman runs the served
// /docs/postman collection with a system key. The route list to compare with comes from
// /job/pricelist and the pipelines from /health?verbose=1, which read the table independently.
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <set>

#include "node_tools.h"
#include "server.h"

using namespace paperd::testing;
using paperd::Json;

namespace {

class DocsE2e : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    install_error_ = new std::string(ensure_node_tools());
    server_ = new PaperdServer();
  }
  static void TearDownTestSuite() {
    delete server_;
    delete install_error_;
  }
  void SetUp() override { ASSERT_TRUE(install_error_->empty()) << *install_error_; }

  static std::string base() { return server_->url("/latest"); }

  // "METHOD /path" of every registered route, from the price list.
  static std::set<std::string> registered_routes() {
    auto c = server_->client(server_->system_key());
    Json list = body_json(c->Get("/latest/job/pricelist"));
    std::set<std::string> out;
    for (const auto& row : list["data"]["pricelist"])
      out.insert(row["endpoint"].get<std::string>());
    return out;
  }

  // visitor=true sends no token (the docs need none); otherwise the system key, which is not
  // rate limited, so a burst of checks does not meet the visitor limit of 5/s.
  static std::string get_text(const std::string& path, std::string* content_type = nullptr,
                              bool visitor = false) {
    auto c = visitor ? server_->client() : server_->client(server_->system_key());
    auto r = c->Get(path);
    if (!r || r->status != 200) return "";
    if (content_type) *content_type = r->get_header_value("Content-Type");
    return r->body;
  }

  static PaperdServer* server_;
  static std::string* install_error_;
};

PaperdServer* DocsE2e::server_ = nullptr;
std::string* DocsE2e::install_error_ = nullptr;

TEST_F(DocsE2e, OpenApiValidatesWithSwaggerParser) {
  std::string text = get_text("/latest/docs/openapi.json", nullptr, true);
  ASSERT_FALSE(text.empty());
  Json doc = Json::parse(text);
  EXPECT_EQ(doc["openapi"], "3.1.0");
  EXPECT_EQ(doc["servers"][0]["url"], base());
  size_t operations = 0;
  for (auto& [path, item] : doc["paths"].items()) operations += item.size();

  std::string out;
  int rc = run_node("validate_openapi.mjs", {base() + "/docs/openapi.json"}, &out);
  ASSERT_EQ(rc, 0) << out;
  Json result = Json::parse(out.substr(out.rfind("{\"valid\"")));
  EXPECT_EQ(result["valid"], true);
  EXPECT_EQ(result["operations"], operations);
  EXPECT_EQ(operations, registered_routes().size());
  std::cout << "[ openapi  ] swagger-parser: valid, " << result["paths"] << " paths, " << operations
            << " operations\n";
}

TEST_F(DocsE2e, NewmanRunsThePostmanCollection) {
  std::string collection = get_text("/latest/docs/postman", nullptr, true);
  ASSERT_FALSE(collection.empty());
  auto c = server_->client();
  auto posted = c->Post("/latest/docs/postman");
  ASSERT_TRUE(posted);
  EXPECT_EQ(posted->body, collection);  // GET and POST serve the same collection
  Json doc = Json::parse(collection);
  size_t items = 0;
  for (const auto& folder : doc["item"]) items += folder["item"].size();

  std::string summary_file = (e2e_dir() / "newman-summary.json").string();
  std::string out;
  int rc = run_node("run_postman.mjs",
                    {base() + "/docs/postman", base(), server_->system_key(), summary_file}, &out);
  ASSERT_EQ(rc, 0) << out;
  std::ifstream in(summary_file);
  Json summary = Json::parse(in);
  EXPECT_EQ(summary["requests"], items) << out;
  EXPECT_EQ(summary["requests_failed"], 0) << summary["failures"].dump(2);
  EXPECT_EQ(summary["assertions"], items);  // one test per request
  EXPECT_EQ(summary["assertions_failed"], 0) << summary["failures"].dump(2) << "\n" << out;
  const Json& status_checks = summary["by_test"]["status is 2xx"];
  EXPECT_GT(status_checks["total"].get<int>(), 5);
  EXPECT_EQ(status_checks["failed"], 0);
  std::cout << "[ newman   ] " << summary["requests"] << " requests run, " << summary["assertions"]
            << " assertions, " << summary["assertions_failed"]
            << " failed; by test: " << summary["by_test"].dump() << "\n";
}

TEST_F(DocsE2e, EveryRouteAndPipelineInEveryDocument) {
  auto routes = registered_routes();
  ASSERT_GT(routes.size(), 10u);
  std::string content_type;
  std::string llms = get_text("/latest/docs/llms.txt", &content_type, true);
  EXPECT_EQ(content_type, "text/plain; charset=utf-8");
  std::string full = get_text("/latest/docs/llms-full.txt");
  Json openapi = Json::parse(get_text("/latest/docs/openapi.json"));
  Json postman = Json::parse(get_text("/docs/postman"));
  std::multiset<std::string> postman_routes;
  std::set<std::string> postman_urls;
  for (const auto& folder : postman["item"])
    for (const auto& item : folder["item"]) {
      std::string d = item["request"]["description"];
      postman_routes.insert(d.substr(1, d.find('`', 1) - 1));
      postman_urls.insert(item["request"]["url"]["raw"].get<std::string>() + " " +
                          item["request"]["method"].get<std::string>());
    }
  for (const auto& r : routes) {
    std::string method = r.substr(0, r.find(' '));
    std::string path = r.substr(r.find(' ') + 1);
    std::string lower = method;
    for (auto& ch : lower) ch = static_cast<char>(std::tolower(ch));
    EXPECT_TRUE(openapi["paths"].contains(path) && openapi["paths"][path].contains(lower)) << r;
    EXPECT_NE(llms.find("** — `" + r + "` — "), std::string::npos) << r;
    EXPECT_NE(full.find("`" + r + "`"), std::string::npos) << r;
    EXPECT_GE(postman_routes.count(r), 1u) << r;
  }
  // Every pipeline is a Postman request and an llms.txt line of its own.
  Json health = body_json(server_->client(server_->system_key())->Get("/health?verbose=1"));
  ASSERT_FALSE(health["pipelines"].empty());
  for (const auto& p : health["pipelines"]) {
    std::string name = p;
    std::string slug = name.starts_with("workflow/") ? "workflow" : name;
    EXPECT_TRUE(postman_urls.count("{{base_url}}/job/add/" + slug + " POST")) << name;
    EXPECT_NE(llms.find("`POST /job/add/" + slug + "`"), std::string::npos) << name;
  }

  auto c = server_->client(server_->system_key());
  for (std::string method : {"POST", "GET"}) {
    auto r = method == "POST" ? c->Post("/latest/docs/markdown") : c->Get("/latest/docs/markdown");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    Json j = body_json(r);
    EXPECT_EQ(j["status"], "success");
    std::string md = j["data"]["markdown"];
    EXPECT_TRUE(md.starts_with("# MCP Server – AI Tool integration")) << md.substr(0, 200);
    EXPECT_NE(md.find("po_job_get"), std::string::npos);
  }
  std::cout << "[ coverage ] " << routes.size() << " routes, " << health["pipelines"].size()
            << " pipelines; llms.txt " << llms.size() << " B, llms-full.txt " << full.size()
            << " B, postman " << postman.dump().size() << " B\n";
}

}  // namespace
