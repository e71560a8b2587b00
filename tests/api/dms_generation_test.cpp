// API tests of document generation against a real `paperd serve`: a template rendered with
// variables and a Markdown table printed by Chromium in a worker, stored in the DMS and read back
// with pdftotext; the variable schema naming every missing variable; idempotent replays (same
// document, not billed) and conflicts; soft delete and reactivation; another account's template.
#include <gtest/gtest.h>

#include "../unit/engines/convert/convert_fixtures.h"
#include "core/fs.h"
#include "server.h"
#include "store/db.h"

using namespace paperd::testing;
using paperd::Json;

namespace {

class DmsGeneration : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new PaperdServer({}, 2);
    token_ = server_->create_token("ut", "gen-main", "enterprise", 1000);
    stranger_ = server_->create_token("ut", "gen-stranger", "enterprise", 1000);
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  DmsGeneration() : dir_(std::filesystem::temp_directory_path(), "dms-generation-") {}

  static Json post(const std::string& path, const Json& body, int* status = nullptr,
                   const std::string& token = token_) {
    auto r = server_->client(token)->Post("/latest" + path, body.dump(), "application/json");
    if (!r) return Json{{"error", "no answer"}};
    if (status) *status = r->status;
    return body_json(r);
  }
  static int64_t workspace(const std::string& name) {
    int status = 0;
    Json j = post("/documents/workspace-create", {{"name", name}}, &status);
    EXPECT_EQ(status, 200) << j.dump();
    return j["workspace"].value("id", int64_t{0});
  }
  // The stored document's text as pdftotext reads it.
  std::string document_text(const std::string& pofid) {
    auto r = server_->client(token_)->Get("/latest/documents/document-download/" + pofid);
    if (!r || r->status != 200) return "download failed";
    auto pdf = dir_.path() / "doc.pdf";
    paperd::core::atomic_write_file(pdf, r->body);
    return convert::pdf_text(pdf);
  }
  static int64_t scalar(const std::string& sql) {
    paperd::store::Connection c(server_->data_dir() / "data" / "paperd.db");
    auto row = c.query_one(sql);
    return row ? row->i64("n") : -1;
  }
  static int64_t balance() {
    return scalar("SELECT credits AS n FROM accounts WHERE name = 'gen-main'");
  }
  static int64_t documents() {
    return scalar(
        "SELECT COUNT(*) AS n FROM documents d JOIN accounts a ON a.id = d.account_id "
        "WHERE a.name = 'gen-main'");
  }

  static Json invoice_template() {
    return {{"name", "Invoice"},
            {"description", "one invoice"},
            {"html",
             "<h1>Invoice for {{customer}}</h1><p>Raw: {{{note}}}</p><table>"
             "{{#items}}<tr><td>{{name}}</td><td>{{qty}}</td></tr>{{/items}}</table>"
             "<p>Total {{total}} {{currency}}</p>"},
            {"css", "h1 { color: #123456; }"},
            {"variables",
             {{"type", "object"},
              {"properties",
               {{"customer", {{"type", "string"}}},
                {"total", {{"type", "number"}}},
                {"items", {{"type", "array"}}},
                {"currency", {{"type", "string"}, {"default", "EUR"}}}}},
              {"required", {"customer", "total", "items"}}}}};
  }

  paperd::core::TempDir dir_;
  static PaperdServer* server_;
  static std::string token_, stranger_;
};

PaperdServer* DmsGeneration::server_ = nullptr;
std::string DmsGeneration::token_, DmsGeneration::stranger_;

}  // namespace

TEST_F(DmsGeneration, TemplateWithVariablesBecomesAStoredPdf) {
  int64_t ws = workspace("Generated invoices");
  int status = 0;
  Json t = post("/document_generation/template-create", invoice_template(), &status);
  ASSERT_EQ(status, 200) << t.dump();
  int64_t id = t["template_id"];

  int64_t before = balance();
  Json vars = {{"customer", "<ACME & Sons>"},
               {"total", 99.5},
               {"note", "<b>bold note</b>"},
               {"items", {{{"name", "Sprocket"}, {"qty", 3}}, {{"name", "Flange"}, {"qty", 7}}}}};
  // variables as JSON text, as a form field would carry them
  Json g = post("/document_generation/create-from-template",
                {{"template_id", id},
                 {"variables", vars.dump()},
                 {"workspace_id", ws},
                 {"file_name", "invoice-42"},
                 {"tags", "invoice, 2024"}},
                &status);
  ASSERT_EQ(status, 200) << g.dump() << server_->log();
  EXPECT_EQ(g["status"], "success");
  EXPECT_EQ(g["workspace_id"], ws);
  EXPECT_EQ(g["file_name"], "invoice-42.pdf");
  EXPECT_EQ(g["charged_this_request"], 10);
  EXPECT_EQ(g["idempotent_replay"], false);
  EXPECT_GE(g["total_pages"].get<int>(), 1);
  EXPECT_GT(g["size"].get<int64_t>(), 500);
  EXPECT_EQ(balance(), before - 10);

  std::string text = document_text(g["pofid"]);
  EXPECT_NE(text.find("Invoice for <ACME & Sons>"), std::string::npos) << text;  // escaped, shown
  EXPECT_NE(text.find("Raw: bold note"), std::string::npos) << text;  // {{{raw}}} is markup
  EXPECT_NE(text.find("Sprocket"), std::string::npos) << text;
  EXPECT_NE(text.find("Flange"), std::string::npos) << text;
  EXPECT_NE(text.find("Total 99.5 EUR"), std::string::npos) << text;  // the default filled in
}

TEST_F(DmsGeneration, MissingRequiredVariablesAreAllNamed) {
  int64_t ws = workspace("Missing variables");
  int status = 0;
  int64_t id = post("/document_generation/template-create", invoice_template())["template_id"];
  int64_t before = balance();
  Json e =
      post("/document_generation/create-from-template",
           {{"template_id", id}, {"variables", {{"total", "ten"}}}, {"workspace_id", ws}}, &status);
  EXPECT_EQ(status, 400) << e.dump();
  EXPECT_EQ(e["code"], "INVALID_REQUEST");
  std::string msg = e["message"];
  EXPECT_NE(msg.find("'customer'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'items'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'total' must be number"), std::string::npos) << msg;
  EXPECT_EQ(balance(), before);  // nothing billed
}

TEST_F(DmsGeneration, MarkdownContentReplaysIdempotently) {
  int64_t ws = workspace("Markdown reports");
  Json body = {
      {"content",
       "# Quarterly report\n\n| Region | Revenue |\n|---|---|\n| Northwind | 4711 |\n\n"
       "~~draft~~ final.\n\n<script>\ndocument.body.innerHTML += 'INJECTED';\n</script>\n"},
      {"title", "Q3 report"},
      {"workspace_name", "Markdown reports"},
      {"idempotency_key", "report-q3-2024-0001"}};
  int status = 0;
  int64_t before = balance(), docs = documents();
  Json first = post("/document_generation/create-from-content", body, &status);
  ASSERT_EQ(status, 200) << first.dump() << server_->log();
  EXPECT_EQ(first["workspace_id"], ws);
  EXPECT_EQ(first["file_name"], "Q3 report.pdf");
  EXPECT_EQ(first["idempotent_replay"], false);
  std::string text = document_text(first["pofid"]);
  EXPECT_NE(text.find("Northwind"), std::string::npos) << text;
  EXPECT_NE(text.find("4711"), std::string::npos) << text;
  EXPECT_EQ(text.find("| Northwind"), std::string::npos) << text;  // a table, not pipes
  EXPECT_EQ(text.find("INJECTED"), std::string::npos) << text;     // raw HTML never ran

  Json again = post("/document_generation/create-from-content", body, &status);
  ASSERT_EQ(status, 200) << again.dump();
  EXPECT_EQ(again["pofid"], first["pofid"]);
  EXPECT_EQ(again["documents_id"], first["documents_id"]);
  EXPECT_EQ(again["idempotent_replay"], true);
  EXPECT_EQ(again["charged_this_request"], 0);
  EXPECT_EQ(documents(), docs + 1);   // no second document
  EXPECT_EQ(balance(), before - 10);  // billed once

  body["content"] = "# Another report";
  Json conflict = post("/document_generation/create-from-content", body, &status);
  EXPECT_EQ(status, 409) << conflict.dump();
  EXPECT_EQ(conflict["code"], "IDEMPOTENCY_CONFLICT");
  EXPECT_EQ(documents(), docs + 1);

  body["idempotency_key"] = "short";
  EXPECT_EQ(post("/document_generation/create-from-content", body, &status)["code"],
            "INVALID_REQUEST");
}

TEST_F(DmsGeneration, TemplateCrudSoftDeleteAndAccountScope) {
  int64_t ws = workspace("Letters");
  int status = 0;
  Json created = post("/document_generation/template-create",
                      {{"name", "Letter"},
                       {"html", "<p>Dear {{name}},</p>"},
                       {"variables", {{"name", {{"type", "string"}, {"required", true}}}}}},
                      &status);
  ASSERT_EQ(status, 200) << created.dump();
  int64_t id = created["template_id"];

  Json got = post("/document_generation/template-get", {{"template_id", id}});
  EXPECT_EQ(got["template"]["html"], "<p>Dear {{name}},</p>");
  EXPECT_EQ(got["template"]["active"], true);

  Json updated = post("/document_generation/template-update",
                      {{"template_id", id}, {"html", "<p>Hello {{name}}!</p>"}}, &status);
  EXPECT_EQ(status, 200) << updated.dump();
  EXPECT_EQ(updated["template"]["html"], "<p>Hello {{name}}!</p>");
  EXPECT_EQ(updated["template"]["name"], "Letter");  // fields not given stay

  // A template that does not parse, and a malformed schema, are refused and change nothing.
  EXPECT_EQ(post("/document_generation/template-update", {{"template_id", id}, {"html", "{{#a}}"}},
                 &status)["code"],
            "INVALID_REQUEST");
  EXPECT_EQ(
      post("/document_generation/template-update",
           {{"template_id", id}, {"variables", {{"x", {{"type", "date"}}}}}}, &status)["code"],
      "INVALID_REQUEST");

  auto listed = [&](bool inactive) {
    Json list = post("/document_generation/templates-list", {{"include_inactive", inactive}});
    int n = 0;
    for (const auto& t : list["templates"]) n += t["template_id"] == id;
    return n;
  };
  EXPECT_EQ(listed(false), 1);

  post("/document_generation/template-delete", {{"template_id", id}}, &status);
  EXPECT_EQ(status, 200);
  EXPECT_EQ(listed(false), 0);
  EXPECT_EQ(listed(true), 1);
  Json e =
      post("/document_generation/create-from-template",
           {{"template_id", id}, {"variables", {{"name", "Ann"}}}, {"workspace_id", ws}}, &status);
  EXPECT_EQ(status, 404) << e.dump();

  post("/document_generation/template-update", {{"template_id", id}, {"active", true}}, &status);
  EXPECT_EQ(status, 200);
  EXPECT_EQ(listed(false), 1);

  // Another account sees none of it.
  for (const char* route : {"template-get", "template-update", "template-delete"}) {
    Json j = post(std::string("/document_generation/") + route, {{"template_id", id}}, &status,
                  stranger_);
    EXPECT_EQ(status, 404) << route << " " << j.dump();
    EXPECT_EQ(j["code"], "NOT_FOUND");
  }
  Json own = post("/documents/workspace-create", {{"name", "Stranger"}}, &status, stranger_);
  Json j = post("/document_generation/create-from-template",
                {{"template_id", id},
                 {"variables", {{"name", "Ann"}}},
                 {"workspace_id", own["workspace"]["id"]}},
                &status, stranger_);
  EXPECT_EQ(status, 404) << j.dump();
  EXPECT_EQ(post("/document_generation/template-get", {{"template_id", id}})["template"]["active"],
            true);
}
