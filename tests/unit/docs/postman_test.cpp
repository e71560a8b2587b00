// Postman generator: the v2.1 header of CONTRACTS §2.11, folders (intro first, then A–Z), every
// route as a request, one request per pipeline variant with its selector, bodies by kind, and the
// test script chosen by whether a request can pass without prior state.
#include "docs/postman.h"

#include <gtest/gtest.h>

#include <map>

#include "fixture.h"

namespace paperd::docs {
namespace {

using testing::Fixture;

class PostmanTest : public ::testing::Test {
 protected:
  Fixture fx;
  Json doc = postman_collection(fx.source());

  std::vector<const Json*> requests() const {
    std::vector<const Json*> out;
    for (const auto& folder : doc["item"])
      for (const auto& item : folder["item"]) out.push_back(&item);
    return out;
  }
  // The item whose description names the route and whose URL ends with `url_path`.
  const Json* find(const std::string& route, const std::string& url_path = "") const {
    for (const auto* item : requests()) {
      const Json& req = (*item)["request"];
      if (!req["description"].get<std::string>().starts_with("`" + route + "`")) continue;
      std::string raw = req["url"]["raw"];
      if (url_path.empty() || raw.find("{{base_url}}" + url_path) == 0) return item;
    }
    return nullptr;
  }
  static std::string script(const Json& item) {
    std::string s;
    for (const auto& line : item["event"][0]["script"]["exec"]) s += line.get<std::string>();
    return s;
  }
  static std::map<std::string, Json> formdata(const Json& item) {
    std::map<std::string, Json> out;
    for (const auto& row : item["request"]["body"]["formdata"]) out[row["key"]] = row;
    return out;
  }
};

TEST_F(PostmanTest, HeaderPerContract) {
  EXPECT_EQ(doc["info"]["name"], "PaperOffice AI API");
  EXPECT_EQ(doc["info"]["schema"],
            "https://schema.getpostman.com/json/collection/v2.1.0/collection.json");
  std::string description = doc["info"]["description"];
  EXPECT_NE(description.find("Documentation release R20260419.1200"), std::string::npos)
      << description;
  EXPECT_EQ(doc["auth"]["type"], "bearer");
  EXPECT_EQ(doc["auth"]["bearer"][0]["value"], "{{bearer_token}}");
  EXPECT_EQ(doc["variable"][0]["key"], "base_url");
  EXPECT_EQ(doc["variable"][0]["value"], "http://docs.test:8080/latest");
  EXPECT_EQ(doc["variable"][1]["key"], "bearer_token");
  EXPECT_EQ(doc["variable"][1]["value"], "");
}

TEST_F(PostmanTest, FoldersIntroFirstThenAToZ) {
  ASSERT_GT(doc["item"].size(), 2u);
  EXPECT_EQ(doc["item"][0]["name"], "🚀 Introduction & Basics");
  std::vector<std::string> intro;
  for (const auto& item : doc["item"][0]["item"]) intro.push_back(item["request"]["url"]["raw"]);
  EXPECT_EQ(intro, (std::vector<std::string>{"{{base_url}}/health", "{{base_url}}/ping",
                                             "{{base_url}}/billing/pricing/tiers"}));
  for (size_t i = 2; i < doc["item"].size(); ++i)
    EXPECT_LT(doc["item"][i - 1]["name"].get<std::string>(),
              doc["item"][i]["name"].get<std::string>());
}

TEST_F(PostmanTest, EveryRouteAndVariantIsARequest) {
  for (const auto& r : fx.routes)
    EXPECT_NE(find(r.method + " " + r.path), nullptr) << r.method << " " << r.path;
  // The job route is replaced by its variants: 5 variants, no generic request.
  size_t jobs = 0;
  for (const auto* item : requests())
    if ((*item)["request"]["description"].get<std::string>().starts_with(
            "`POST /job/add/{pipeline}`"))
      ++jobs;
  EXPECT_EQ(jobs, testing::kVariantCount);
  EXPECT_EQ(requests().size(), fx.routes.size() - 1 + testing::kVariantCount);

  const Json* word = nullptr;
  for (const auto* item : requests())
    if ((*item)["name"] == "Convert PDF to Word") word = item;
  ASSERT_NE(word, nullptr);
  EXPECT_EQ((*word)["request"]["url"]["raw"], "{{base_url}}/job/add/workflow");
  auto fields = formdata(*word);
  EXPECT_EQ(fields["template"]["value"], "pdf_convert");
  EXPECT_EQ(fields["target_format"]["value"], "docx");
  EXPECT_EQ(fields["file"]["type"], "file");
  EXPECT_FALSE(fields["file"].contains("src"));
  EXPECT_FALSE(fields["file"].contains("disabled"));
  const Json* sleep = nullptr;
  for (const auto* item : requests())
    if ((*item)["name"] == "Sleep (test)") sleep = item;
  ASSERT_NE(sleep, nullptr);
  EXPECT_EQ(formdata(*sleep)["file"]["disabled"], true);
  EXPECT_EQ(fields["priority"]["disabled"], true);

  const Json* merge_item = nullptr;
  for (const auto* item : requests())
    if ((*item)["name"] == "Merge pdf") merge_item = item;
  ASSERT_NE(merge_item, nullptr);
  auto merge_fields = formdata(*merge_item);
  EXPECT_EQ(merge_fields["file_1"]["type"], "file");
  EXPECT_EQ(merge_fields["file_2"]["type"], "file");
  EXPECT_EQ(merge_fields.count("file"), 0u);
}

TEST_F(PostmanTest, BodiesAndUrls) {
  const Json* translate = find("POST /translate/text");
  ASSERT_NE(translate, nullptr);
  const Json& body = (*translate)["request"]["body"];
  EXPECT_EQ(body["mode"], "raw");
  EXPECT_EQ(Json::parse(body["raw"].get<std::string>()),
            Json({{"text", "Hallo Welt"}, {"target_language", "en"}}));

  const Json* put = find("POST /documents/document-put");
  ASSERT_NE(put, nullptr);
  EXPECT_EQ((*put)["request"]["body"]["mode"], "formdata");

  const Json* get = find("GET /job/get/{job_id}");
  ASSERT_NE(get, nullptr);
  const Json& url = (*get)["request"]["url"];
  EXPECT_EQ(url["raw"], "{{base_url}}/job/get/:job_id");
  EXPECT_EQ(url["variable"][0]["key"], "job_id");
  EXPECT_EQ(url["query"][0]["key"], "compact");
  EXPECT_EQ(url["query"][0]["disabled"], true);

  const Json* tile = find("GET /maptiles/tiles/get/{z}/{x}/{y}.pbf");
  ASSERT_NE(tile, nullptr);
  EXPECT_EQ((*tile)["request"]["url"]["raw"], "{{base_url}}/maptiles/tiles/get/:z/:x/example.pbf");

  const Json* mcp = find("POST /mcp");
  ASSERT_NE(mcp, nullptr);
  Json rpc = Json::parse((*mcp)["request"]["body"]["raw"].get<std::string>());
  EXPECT_EQ(rpc["jsonrpc"], "2.0");
  EXPECT_EQ(rpc["method"], "initialize");
  const Json* mcp_get = find("GET /mcp");
  ASSERT_NE(mcp_get, nullptr);
  EXPECT_FALSE((*mcp_get)["request"].contains("body"));
}

TEST_F(PostmanTest, TestScriptsByPriorState) {
  auto status_check = [&](const std::string& route, const std::string& url = "") {
    const Json* item = find(route, url);
    return item ? script(*item) : std::string("<missing " + route + ">");
  };
  const std::string two_xx = "status is 2xx";
  const std::string envelope = "answers the JSON envelope";
  EXPECT_NE(status_check("GET /health").find(two_xx), std::string::npos);
  EXPECT_NE(status_check("POST /translate/text").find(two_xx), std::string::npos);
  EXPECT_NE(status_check("POST /job/add/{pipeline}", "/job/add/spinetest___sleep").find(two_xx),
            std::string::npos);
  // job/get checks the polling contract: status is the job's state (CONTRACTS §2.2).
  EXPECT_NE(status_check("GET /job/get/{job_id}").find("j.job_status).to.eql(j.status)"),
            std::string::npos);
  EXPECT_NE(status_check("POST /documents/document-delete").find(envelope), std::string::npos);
  EXPECT_NE(status_check("POST /documents/document-put").find(envelope), std::string::npos);
  EXPECT_NE(status_check("GET /admin/accounts").find(envelope), std::string::npos);
  EXPECT_NE(status_check("POST /job/add/{pipeline}", "/job/add/paperoffice_aiocr___generate")
                .find(envelope),
            std::string::npos);
  EXPECT_NE(status_check("POST /mcp").find("below(500)"), std::string::npos);
}

}  // namespace
}  // namespace paperd::docs
