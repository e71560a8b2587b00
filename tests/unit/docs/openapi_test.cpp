// OpenAPI generator: every route under its path and method, unique operationIds, path and query
// parameters, the three request encodings, one example per pipeline variant, visitor security, the
// MCP lanes as JSON-RPC, and every $ref resolving inside the document.
#include "docs/openapi.h"

#include <gtest/gtest.h>

#include <set>

#include "fixture.h"

namespace paperd::docs {
namespace {

using testing::Fixture;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

void collect_refs(const Json& j, std::vector<std::string>& out) {
  if (j.is_object()) {
    for (auto& [k, v] : j.items()) {
      if (k == "$ref" && v.is_string()) out.push_back(v);
      collect_refs(v, out);
    }
  } else if (j.is_array()) {
    for (const auto& v : j) collect_refs(v, out);
  }
}

class OpenApiTest : public ::testing::Test {
 protected:
  Fixture fx;
  Json doc = openapi_document(fx.source());
  const Json& op(const std::string& method, const std::string& path) {
    return doc["paths"][path][lower(method)];
  }
};

TEST_F(OpenApiTest, TopLevelAndRoundTrip) {
  Json parsed = Json::parse(doc.dump());
  EXPECT_EQ(parsed, doc);
  EXPECT_EQ(doc["openapi"], "3.1.0");
  EXPECT_EQ(doc["info"]["title"], "PaperOffice AI API (paperd)");
  EXPECT_EQ(doc["info"]["version"], "9.9.9");
  EXPECT_EQ(doc["servers"][0]["url"], "http://docs.test:8080/latest");
  EXPECT_EQ(doc["components"]["securitySchemes"]["bearerAuth"]["scheme"], "bearer");
  EXPECT_EQ(doc["security"][0].count("bearerAuth"), 1u);
  for (const char* key : {"openapi", "info", "servers", "paths", "components"})
    EXPECT_TRUE(doc.contains(key)) << key;
}

TEST_F(OpenApiTest, EveryRouteOnceWithUniqueOperationIds) {
  std::set<std::string> ids;
  size_t operations = 0;
  for (auto& [path, item] : doc["paths"].items())
    for (auto& [method, o] : item.items()) {
      ++operations;
      EXPECT_TRUE(ids.insert(o["operationId"].get<std::string>()).second) << o["operationId"];
      EXPECT_FALSE(o["tags"].empty());
      EXPECT_TRUE(o["responses"].contains("500"));
    }
  EXPECT_EQ(operations, fx.routes.size());
  for (const auto& r : fx.routes)
    EXPECT_FALSE(op(r.method, r.path).is_null()) << r.method << " " << r.path;
  EXPECT_EQ(op("GET", "/health")["operationId"], "po_health_get");
  EXPECT_EQ(op("GET", "/ping")["operationId"], "get_ping");
}

TEST_F(OpenApiTest, ParametersByLocation) {
  const Json& get = op("GET", "/job/get/{job_id}");
  ASSERT_EQ(get["parameters"].size(), 2u);
  EXPECT_EQ(get["parameters"][0]["name"], "job_id");
  EXPECT_EQ(get["parameters"][0]["in"], "path");
  EXPECT_EQ(get["parameters"][0]["required"], true);
  EXPECT_EQ(get["parameters"][1]["in"], "query");
  EXPECT_EQ(get["parameters"][1]["schema"]["type"], "boolean");
  EXPECT_TRUE(get["responses"].contains("404"));
  EXPECT_TRUE(get["responses"].contains("401"));

  std::set<std::string> tile_params;
  for (const auto& p : op("GET", "/maptiles/tiles/get/{z}/{x}/{y}.pbf")["parameters"])
    if (p["in"] == "path") tile_params.insert(p["name"]);
  EXPECT_EQ(tile_params, (std::set<std::string>{"x", "y", "z"}));

  const Json& translate = op("POST", "/translate/text");
  EXPECT_FALSE(translate.contains("parameters"));
  const Json& body = translate["requestBody"];
  EXPECT_EQ(body["required"], true);
  for (const char* type :
       {"multipart/form-data", "application/x-www-form-urlencoded", "application/json"}) {
    const Json& schema = body["content"][type]["schema"];
    EXPECT_EQ(schema["properties"]["target_language"]["enum"], Json({"en", "fr"})) << type;
    EXPECT_EQ(schema["properties"]["formality"]["maximum"], 1.0);
    EXPECT_EQ(schema["required"], Json({"text", "target_language"}));
  }
  EXPECT_TRUE(translate["responses"].contains("402"));
}

TEST_F(OpenApiTest, FilesOnlyInMultipart) {
  const Json& content = op("POST", "/documents/document-put")["requestBody"]["content"];
  EXPECT_EQ(content["multipart/form-data"]["schema"]["properties"]["file"],
            Json({{"type", "string"}, {"format", "binary"}}));
  EXPECT_FALSE(content["application/json"]["schema"]["properties"].contains("file"));
  EXPECT_FALSE(
      content["application/x-www-form-urlencoded"]["schema"]["properties"].contains("file"));
}

TEST_F(OpenApiTest, JobRouteHasOneExamplePerVariant) {
  const Json& job = op("POST", "/job/add/{pipeline}");
  const Json& examples = job["requestBody"]["content"]["multipart/form-data"]["examples"];
  EXPECT_EQ(examples.size(), testing::kVariantCount);
  EXPECT_EQ(examples["po_pdf_convert_docx"]["value"],
            Json({{"template", "pdf_convert"}, {"target_format", "docx"}}));
  EXPECT_EQ(examples["po_workflow_pdf_merge"]["value"], Json({{"template", "pdf_merge"}}));
  EXPECT_TRUE(examples.contains("po_paperoffice_aiocr_generate"));
  EXPECT_EQ(job["parameters"][0]["schema"]["enum"],
            Json({"paperoffice_aiocr___generate", "spinetest___sleep", "workflow"}));
  EXPECT_TRUE(job["responses"].contains("202"));
  EXPECT_TRUE(job["responses"].contains("200"));
  // The same variants, machine-readable: what a coverage count matches index rows against.
  const Json& tools = job["x-pipeline-tools"];
  ASSERT_EQ(tools.size(), testing::kVariantCount);
  EXPECT_EQ(tools[0], Json({{"title", "Convert PDF to Word"},
                            {"category", "Document AI — PDF"},
                            {"method", "POST"},
                            {"path", "/job/add/workflow"},
                            {"fixed", {{"template", "pdf_convert"}, {"target_format", "docx"}}},
                            {"mcp_tool", "po_pdf_convert_docx"}}));
  EXPECT_EQ(tools[2]["path"], "/job/add/workflow");
  EXPECT_EQ(tools[2]["title"], "Merge pdf");
  EXPECT_EQ(tools[3]["path"], "/job/add/paperoffice_aiocr___generate");
}

TEST_F(OpenApiTest, VisitorSecurityAndMcpLanes) {
  EXPECT_EQ(op("GET", "/health")["security"][0], Json::object());
  EXPECT_FALSE(op("GET", "/health")["responses"].contains("401"));
  EXPECT_FALSE(op("GET", "/job/get/{job_id}").contains("security"));
  EXPECT_TRUE(op("GET", "/admin/accounts")["responses"].contains("403"));
  const Json& mcp = op("POST", "/mcp");
  EXPECT_EQ(mcp["tags"][0], "MCP Server");
  const Json& json = mcp["requestBody"]["content"]["application/json"];
  EXPECT_EQ(json["examples"]["initialize"]["value"]["method"], "initialize");
  EXPECT_FALSE(mcp["requestBody"]["content"].contains("multipart/form-data"));
}

TEST_F(OpenApiTest, EveryRefResolves) {
  std::vector<std::string> refs;
  collect_refs(doc, refs);
  ASSERT_FALSE(refs.empty());
  for (const auto& r : refs) {
    ASSERT_TRUE(r.starts_with("#/")) << r;
    EXPECT_FALSE(doc.at(Json::json_pointer(r.substr(1))).is_null()) << r;
  }
}

}  // namespace
}  // namespace paperd::docs
