// A JSON client of one server and token for API tests: POST a JSON body or GET, expect a status
// (a mismatch fails the test with the path and the answer), get the parsed answer back.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <memory>
#include <string>

#include "core/json.h"
#include "server.h"

namespace paperd::testing {

class JsonApi {
 public:
  JsonApi(const PaperdServer& server, const std::string& token) : c_(server.client(token)) {}

  Json post(const std::string& path, const Json& body, int status = 200) {
    return expect(c_->Post("/latest" + path, body.dump(), "application/json"), path, status);
  }
  Json get(const std::string& path, int status = 200) {
    return expect(c_->Get("/latest" + path), path, status);
  }
  Json get(const std::string& path, const httplib::Params& query, int status = 200) {
    return expect(c_->Get("/latest" + path, query, httplib::Headers{}), path, status);
  }
  Json del(const std::string& path, int status = 200) {
    return expect(c_->Delete("/latest" + path), path, status);
  }
  httplib::Client& client() { return *c_; }
  // document-put of one file into a workspace; the file's entry of the answer (pofid, ...).
  Json upload(int64_t workspace_id, const std::string& name, const std::string& bytes,
              int status = 200) {
    httplib::MultipartFormDataItems items = {{"workspace_id", std::to_string(workspace_id), "", ""},
                                             file_part("file", name, bytes)};
    Json j = expect(c_->Post("/latest/documents/document-put", items), "document-put", status);
    return j.contains("results") ? j["results"][0] : j;
  }

 protected:
  static Json expect(const httplib::Result& r, const std::string& path, int status) {
    EXPECT_TRUE(r) << path;
    if (r) EXPECT_EQ(r->status, status) << path << ": " << r->body;
    return body_json(r);
  }
  std::unique_ptr<httplib::Client> c_;
};

}  // namespace paperd::testing
