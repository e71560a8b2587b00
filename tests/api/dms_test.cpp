// API tests of the document store core against a real `paperd serve`: workspaces and group
// tokens, uploads (bytes back equal bytes in, blobs not plaintext, type from the bytes, versions,
// a refused upload stores nothing), edits and revisions, rename rules, legal hold on every
// destructive path, trash with restore, retention purge and confirmations, lifecycle, search
// ranking, ZIP export, the signed PUT upload, and 404 for another account's ids.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "../unit/engines/archive/zip_read_back.h"
#include "../unit/engines/ocr/ocr_fixtures.h"
#include "../unit/engines/pdf/pdf_text_fixture.h"
#include "core/crypto.h"
#include "core/fs.h"
#include "json_api.h"
#include "server.h"

using namespace paperd::testing;
using paperd::Json;
namespace fixtures = paperd::fixtures;

namespace {

PaperdServer& shared() {
  static PaperdServer server;
  return server;
}

class Api : public JsonApi {
 public:
  explicit Api(const std::string& token) : JsonApi(shared(), token) {}
  httplib::Result raw_get(const std::string& path) { return c_->Get("/latest" + path); }
  Json put(int64_t ws, const std::string& name, const std::string& bytes,
           std::initializer_list<std::pair<std::string, std::string>> extra = {},
           int status = 200) {
    httplib::MultipartFormDataItems items = form(extra);
    items.push_back({"workspace_id", std::to_string(ws), "", ""});
    items.push_back(file_part("file", name, bytes, "application/octet-stream"));
    auto r = c_->Post("/latest/documents/document-put", items);
    EXPECT_TRUE(r);
    if (r) EXPECT_EQ(r->status, status) << r->body;
    return body_json(r);
  }
};

int64_t workspace(Api& api, const std::string& name) {
  return api.post("/documents/workspace-create", {{"name", name}})["workspace"]["id"];
}

std::string pdf_with(const std::vector<std::string>& lines) {
  return fixtures::make_text_pdf({fixtures::FixturePage::lines(lines)});
}

bool any_file_contains(const std::filesystem::path& dir, const std::string& needle) {
  for (auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::string s((std::istreambuf_iterator<char>(in)), {});
    if (s.find(needle) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST(DmsCore, WorkspacesAndGroupTokens) {
  Api a(shared().create_token("ut", "dms-ws", "enterprise"));
  int64_t ws = workspace(a, "Accounting");
  a.post("/documents/workspace-create", {{"name", "Accounting"}}, 409);
  a.post("/documents/workspace-create", {{"name", "Bad"}, {"ai_dms_mode", "mega"}}, 400);
  Json list = a.get("/documents/workspaces-list");
  ASSERT_EQ(list["workspaces"].size(), 1u);
  EXPECT_EQ(list["workspaces"][0]["name"], "Accounting");
  EXPECT_EQ(a.get("/documents/workspace-list")["total"], 1);
  Json up = a.post("/documents/workspace-update", {{"workspace_id", ws}, {"description", "books"}});
  EXPECT_EQ(up["workspace"]["description"], "books");

  // A group token sees its group's workspaces only.
  Api g(shared().create_token("gt", "dms-ws"));
  EXPECT_EQ(g.get("/documents/workspaces-list")["total"], 0);
  Json denied = g.post("/documents/workspace-access-check", {{"workspace_id", ws}});
  EXPECT_EQ(denied["has_access"], false);
  g.put(ws, "a.txt", "group upload\n", {}, 403);
  int64_t gws = workspace(g, "Group space");
  EXPECT_EQ(g.get("/documents/workspaces-list")["total"], 1);
  EXPECT_EQ(a.get("/documents/workspaces-list")["total"], 2);  // the account sees all
  EXPECT_EQ(a.post("/documents/workspace-access-check", {{"workspace_id", gws}})["has_access"],
            true);
  Json health = a.post("/documents/workspace-storage-health", {{"workspace_id", ws}});
  EXPECT_EQ(health["healthy"], true);
  EXPECT_EQ(health["encrypted"], true);

  // Delete needs the name repeated.
  Json no = a.post("/documents/workspace-delete", {{"workspace_id", gws}}, 400);
  EXPECT_EQ(no["code"], "TARGET_CONFIRMATION_REQUIRED");
  a.post("/documents/workspace-delete", {{"workspace_id", gws}, {"confirm_name", "Group space"}});
  EXPECT_EQ(a.get("/documents/workspaces-list")["total"], 1);
}

TEST(DmsCore, UploadStoresEncryptedBytesAndTellsTypeFromContent) {
  Api a(shared().create_token("ut", "dms-up", "enterprise"));
  int64_t ws = workspace(a, "Inbox");
  std::string marker = "PlaintextMarker" + std::to_string(std::rand());
  std::string pdf = pdf_with({"Invoice 4711", marker});
  // Named .txt, but the bytes are a PDF: stored as a PDF.
  Json up = a.put(ws, "scan.txt", pdf, {{"tags", "inbox, 2026"}, {"description", "first"}});
  ASSERT_EQ(up["results"].size(), 1u);
  Json r = up["results"][0];
  EXPECT_EQ(up["status"], "success");
  EXPECT_EQ(up["workspace_name"], "Inbox");
  EXPECT_EQ(up["ai_dms_refused_count"], 0);
  EXPECT_EQ(r["mime_type"], "application/pdf");
  EXPECT_EQ(r["filename"], "scan.txt.pdf");
  EXPECT_EQ(r["total_pages"], 1);
  EXPECT_EQ(r["version"], 1);
  EXPECT_EQ(r["size"], pdf.size());
  std::string sha = paperd::core::hex(paperd::core::sha256(pdf));
  EXPECT_EQ(r["sha256"], sha);
  std::string pofid = r["pofid"];
  EXPECT_TRUE(pofid.starts_with(sha + ".POD1.AI")) << pofid;
  EXPECT_TRUE(pofid.ends_with(".pdf"));
  int64_t id = r["documents_id"];

  auto dl = a.raw_get("/documents/document-download/" + pofid);
  ASSERT_TRUE(dl);
  EXPECT_EQ(dl->status, 200);
  EXPECT_EQ(dl->body, pdf);
  EXPECT_NE(dl->get_header_value("Content-Disposition").find("scan.txt.pdf"), std::string::npos);
  EXPECT_FALSE(any_file_contains(shared().data_dir() / "data" / "blobs", marker));

  Json got = a.get("/documents/document-get/" + std::to_string(id))["data"];
  EXPECT_EQ(got["pofid"], pofid);
  EXPECT_EQ(got["tags"], Json::array({"2026", "inbox"}));
  EXPECT_EQ(got["legal_hold"], false);
  Json text = a.get("/documents/ocr-get?pofid=" + pofid);
  EXPECT_NE(text["pages"][0]["text"].get<std::string>().find("Invoice 4711"), std::string::npos);
  Json meta = a.post("/documents/document-metadata", {{"pofid", pofid}});
  EXPECT_EQ(meta["metadata"]["total_pages"], 1);
  EXPECT_EQ(meta["metadata"]["mime_type"], "application/pdf");

  Json dup = a.post("/documents/duplicate-check", {{"sha256", sha}});
  EXPECT_EQ(dup["is_duplicate"], true);
  EXPECT_EQ(dup["duplicates"][0]["pofid"], pofid);

  // Bytes that are no accepted format: 400, nothing stored.
  size_t before = a.post("/documents/global-stats", Json::object())["data"]["documents"];
  Json bad = a.put(ws, "x.pdf", std::string("\x00\x01\x02garbage\xff", 11), {}, 400);
  EXPECT_EQ(bad["code"], "UNSUPPORTED_FORMAT");
  EXPECT_EQ(a.post("/documents/global-stats", Json::object())["data"]["documents"], before);

  // A new version keeps the old one downloadable.
  std::string v2 = pdf_with({"Invoice 4711 corrected"});
  Json up2 = a.put(ws, "scan.pdf", v2, {{"version_of_pofid", pofid}});
  EXPECT_EQ(up2["results"][0]["documents_id"], id);
  EXPECT_EQ(up2["results"][0]["version"], 2);
  EXPECT_EQ(a.raw_get("/documents/document-download/" + std::to_string(id))->body, v2);
  EXPECT_EQ(a.raw_get("/documents/document-download/" + std::to_string(id) + "?version=1")->body,
            pdf);
  EXPECT_EQ(a.raw_get("/documents/document-download/" + pofid)->body, pdf);  // old POFID: v1
  Json revs = a.get("/documents/document-revisions?pofid=" + std::to_string(id));
  EXPECT_EQ(revs["versions"].size(), 2u);
}

TEST(DmsCore, EditsRenamesAndRevisions) {
  Api a(shared().create_token("ut", "dms-edit", "enterprise"));
  int64_t ws = workspace(a, "Edits");
  std::string pofid = a.put(ws, "letter.txt", "Dear reader\n")["results"][0]["pofid"];
  Json e = a.post("/documents/document-edit/" + pofid, {{"date", "05.03.2026"},
                                                        {"amount", "1.234,50"},
                                                        {"currency", "eur"},
                                                        {"iban", "DE89 3704 0044 0532 0130 00"},
                                                        {"_project", "Apollo"}});
  EXPECT_EQ(e["changed"].size(), 5u);
  Json fields = e["data"]["meta_fields"];
  EXPECT_EQ(fields["_document_date"]["value"], "2026-03-05");
  EXPECT_EQ(fields["_amount_total"]["value"], 1234.5);
  EXPECT_EQ(fields["_currency"]["value"], "EUR");
  EXPECT_EQ(fields["_iban"]["value"], "DE89370400440532013000");
  Json badiban =
      a.post("/documents/document-edit/" + pofid, {{"iban", "DE00370400440532013000"}}, 400);
  EXPECT_NE(badiban["message"].get<std::string>().find("iban"), std::string::npos);
  a.post("/documents/document-edit/" + pofid, {{"date", "31.02.2026"}}, 400);
  a.post("/documents/document-edit/" + pofid, {{"colour", "red"}}, 400);
  // A stale revision is a conflict, never a lost update.
  int64_t rev = e["revision"];
  a.post("/documents/document-edit/" + pofid, {{"sender", "ACME"}, {"expected_revision", rev}});
  Json conflict = a.post("/documents/document-edit/" + pofid,
                         {{"sender", "Other"}, {"expected_revision", rev}}, 409);
  EXPECT_EQ(conflict["code"], "REVISION_CONFLICT");

  Json rn = a.post("/documents/document-rename", {{"pofid", pofid}, {"new_name", "answer.doc"}});
  EXPECT_EQ(rn["file_name"], "answer.doc.txt");  // the extension stays
  EXPECT_EQ(
      a.post("/documents/document-rename", {{"pofid", pofid}, {"new_name", "../etc"}}, 400)["code"],
      "INVALID_FILENAME");
  a.post("/documents/document-rename", {{"pofid", pofid}, {"new_name", "a/b"}}, 400);

  Json revs = a.get("/documents/document-revisions?pofid=" + pofid)["revisions"];
  bool saw_date = false, saw_rename = false;
  for (auto& r : revs) {
    if (r["field"] == "_document_date")
      saw_date = r["new_value"] == "2026-03-05" && r["old_value"].is_null();
    if (r["action"] == "renamed") saw_rename = r["old_value"] == "letter.txt";
    EXPECT_FALSE(r["user"].get<std::string>().empty());
  }
  EXPECT_TRUE(saw_date);
  EXPECT_TRUE(saw_rename);

  // Exact search on a typed meta field.
  Json exact = a.post("/documents/document-search", {{"mode", "exact"},
                                                     {"workspace_id", ws},
                                                     {"field_key", "amount"},
                                                     {"field_value", "1234.50"}});
  ASSERT_EQ(exact["total"], 1);
  EXPECT_EQ(exact["results"][0]["pofid"], pofid);

  // Lifecycle: allowed transitions only.
  Json lc = a.get("/documents/document-lifecycle-get?pofid=" + pofid);
  EXPECT_EQ(lc["lifecycle_status"], "draft");
  EXPECT_EQ(a.post("/documents/document-lifecycle-transition",
                   {{"pofid", pofid}, {"to_status", "approved"}}, 409)["code"],
            "INVALID_TRANSITION");
  a.post("/documents/document-lifecycle-transition",
         {{"pofid", pofid}, {"to_status", "in_review"}});
  Json ok = a.post("/documents/document-lifecycle-transition",
                   {{"pofid", pofid}, {"to_status", "approved"}});
  EXPECT_EQ(ok["lifecycle_status"], "approved");

  // Tags.
  a.post("/documents/document-tag-add", {{"pofid", pofid}, {"tags", "contract,Customer A"}});
  EXPECT_EQ(a.get("/documents/document-tags?pofid=" + pofid)["tags"].size(), 2u);
  Json ac = a.get("/documents/tag-autocomplete?q=cust");
  ASSERT_EQ(ac["tags"].size(), 1u);
  EXPECT_EQ(ac["tags"][0]["tag"], "Customer A");
  a.post("/documents/document-tag-remove", {{"pofid", pofid}, {"tag", "contract"}});
  EXPECT_EQ(a.get("/documents/document-tags?pofid=" + pofid)["tags"].size(), 1u);
}

TEST(DmsCore, LegalHoldBlocksEveryDestructivePath) {
  Api a(shared().create_token("ut", "dms-hold", "enterprise"));
  int64_t ws = workspace(a, "Held"), other = workspace(a, "Elsewhere");
  std::string pofid = a.put(ws, "contract.txt", "binding terms\n")["results"][0]["pofid"];
  a.post("/documents/document-legal-hold", {{"pofid", pofid}, {"reason", "litigation 12/26"}});
  auto held = [](const Json& j) {
    return j["code"] == "LEGAL_HOLD_ACTIVE" &&
           j["message"].get<std::string>().find("litigation 12/26") != std::string::npos;
  };
  EXPECT_TRUE(held(a.del("/documents/document-delete?pofid=" + pofid, 409)));
  EXPECT_TRUE(
      held(a.post("/documents/document-delete", {{"pofid", pofid}, {"mode", "instant"}}, 409)));
  EXPECT_TRUE(held(
      a.post("/documents/document-move", {{"pofid", pofid}, {"target_workspace_id", other}}, 409)));
  EXPECT_TRUE(held(a.put(ws, "contract.txt", "changed\n", {{"version_of_pofid", pofid}}, 409)));
  EXPECT_EQ(a.post("/documents/workspace-delete", {{"workspace_id", ws}, {"confirm_name", "Held"}},
                   409)["code"],
            "LEGAL_HOLD_ACTIVE");
  EXPECT_EQ(
      a.get("/documents/document-legal-holds-list?workspace_id=" + std::to_string(ws))["total"], 1);
  EXPECT_EQ(a.get("/documents/document-get/" + pofid)["data"]["legal_hold"], true);
  EXPECT_EQ(a.post("/documents/document-legal-hold-release", {{"pofid", pofid}}, 400)["code"],
            "TARGET_CONFIRMATION_REQUIRED");
  a.post("/documents/document-legal-hold-release", {{"pofid", pofid}, {"confirm_pofid", pofid}});
  a.post("/documents/document-move", {{"pofid", pofid}, {"target_workspace_id", other}});
  EXPECT_EQ(a.get("/documents/document-get/" + pofid)["data"]["workspace_id"], other);
}

TEST(DmsCore, TrashRestoreEmptyAndRetentionPurge) {
  Api a(shared().create_token("ut", "dms-trash", "enterprise"));
  int64_t ws = workspace(a, "Bin");
  std::string p1 = a.put(ws, "one.txt", "first\n")["results"][0]["pofid"];
  std::string p2 = a.put(ws, "two.txt", "second\n")["results"][0]["pofid"];
  std::string p3 = a.put(ws, "three.txt", "third\n")["results"][0]["pofid"];
  a.del("/documents/document-delete?pofid=" + p1);
  a.post("/documents/document-delete", {{"pofid", p2}});
  a.get("/documents/document-get/" + p1, 404);
  Json trash = a.post("/documents/trash-list", {{"workspace_id", ws}});
  ASSERT_EQ(trash["total"], 2);
  EXPECT_EQ(trash["items"][0]["days_remaining"], 30);
  EXPECT_EQ(trash["items"][0]["is_restorable"], true);
  a.post("/documents/document-restore", {{"pofids", Json::array({p1})}});
  EXPECT_EQ(a.get("/documents/document-get/" + p1)["data"]["deleted"], false);
  EXPECT_EQ(a.post("/documents/trash-empty", Json::object(), 400)["code"],
            "TARGET_CONFIRMATION_REQUIRED");
  a.post("/documents/trash-empty", {{"confirm_count", 5}}, 400);
  EXPECT_EQ(a.post("/documents/trash-empty", {{"confirm_count", 1}})["purged_count"], 1);
  a.post("/documents/document-restore", {{"pofid", p2}}, 404);

  // Retention 0: the sweep purges trashed documents and their blobs.
  a.post("/documents/trash-settings", {{"retention_days", 0}});
  EXPECT_EQ(a.get("/documents/trash-settings")["retention_days"], 0);
  a.del("/documents/document-delete?pofid=" + p3);
  Json gone = a.post("/documents/trash-list", Json::object());  // purges first
  EXPECT_EQ(gone["total"], 0);
  a.post("/documents/document-restore", {{"pofid", p3}}, 404);
  a.post("/documents/trash-settings", {{"retention_days", 30}});
  // Instant delete.
  a.post("/documents/document-delete", {{"pofid", p1}, {"mode", "instant"}});
  a.post("/documents/document-restore", {{"pofid", p1}}, 404);
}

TEST(DmsCore, SearchRanksTheBetterMatchFirst) {
  Api a(shared().create_token("ut", "dms-search", "enterprise"));
  int64_t ws = workspace(a, "Library");
  a.put(ws, "weak.txt", "a note that mentions zeppelinfahrt once among many other words here\n");
  std::string strong = a.put(ws, "strong.pdf",
                             pdf_with({"Zeppelinfahrt report", "zeppelinfahrt costs",
                                       "zeppelinfahrt schedule"}))["results"][0]["pofid"];
  a.put(ws, "none.txt", "nothing relevant\n");
  Json r =
      a.get("/documents/document-search?workspace_id=" + std::to_string(ws) + "&q=zeppelinfahrt");
  ASSERT_EQ(r["total"], 2) << r.dump();
  EXPECT_EQ(r["results"][0]["pofid"], strong);
  EXPECT_EQ(r["results"][0]["page"], 1);
  EXPECT_NE(r["results"][0]["snippet"].get<std::string>().find("<mark>"), std::string::npos);
  // Phrases, prefixes, exclusion and diacritics folded.
  EXPECT_EQ(a.post("/documents/document-search",
                   {{"workspace_id", ws}, {"mode", "fulltext"}, {"query", "zeppelin*"}})["total"],
            2);
  EXPECT_EQ(a.post("/documents/document-search", {{"workspace_id", ws},
                                                  {"mode", "fulltext"},
                                                  {"query", "zeppelinfahrt -schedule"}})["total"],
            1);
  EXPECT_EQ(a.post("/documents/document-search", {{"workspace_id", ws},
                                                  {"mode", "fulltext"},
                                                  {"query", "\"zeppelinfahrt costs\""}})["total"],
            1);
  a.put(ws, "cafe.txt", "Rechnung Café Müller\n");
  EXPECT_EQ(a.post("/documents/document-search",
                   {{"workspace_id", ws}, {"query", "cafe muller"}})["total"],
            1);
  a.post("/documents/document-search", {{"workspace_id", ws}, {"query", "-only"}}, 400);
  a.post("/documents/document-search", {{"workspace_id", ws}, {"query", "x"}, {"mode", "psychic"}},
         400);
  // A meta field and a tag are found too.
  Json list = a.post("/documents/documents-list", {{"workspace_id", ws}, {"limit", 2}});
  EXPECT_EQ(list["total"], 4);
  EXPECT_EQ(list["documents"].size(), 2u);
  Json found =
      a.post("/documents/documents-list", {{"workspace_id", ws}, {"global_search", "Müller"}});
  EXPECT_EQ(found["total"], 1);

  // __document__data__<key> filters: the meta value compared after the edit's normalisation.
  a.post("/documents/document-edit/" + strong, {{"date", "05.03.2026"}, {"sender", "ACME GmbH"}});
  Json by_date = a.post("/documents/documents-list",
                        {{"workspace_id", ws}, {"__document__data__date", "2026-03-05"}});
  ASSERT_EQ(by_date["total"], 1) << by_date.dump();
  EXPECT_EQ(by_date["documents"][0]["pofid"], strong);
  EXPECT_EQ(a.post("/documents/documents-list", {{"workspace_id", ws},
                                                 {"__document__data__date", "05.03.2026"},
                                                 {"global_search", "zeppelinfahrt"}})["total"],
            1);
  EXPECT_EQ(a.post("/documents/documents-list",
                   {{"workspace_id", ws}, {"__document__data__sender", "Other AG"}})["total"],
            0);
  EXPECT_EQ(a.post("/documents/documents-list",
                   {{"workspace_id", ws}, {"__document__data__colour", "red"}}, 400)["message"]
                    .get<std::string>()
                    .find("colour") != std::string::npos,
            true);
}

TEST(DmsCore, ExportZipMatchesTheOriginals) {
  Api a(shared().create_token("ut", "dms-export", "enterprise"));
  int64_t ws = workspace(a, "Export");
  std::string pdf = pdf_with({"export me"});
  std::string p1 = a.put(ws, "a.pdf", pdf)["results"][0]["pofid"];
  std::string p2 = a.put(ws, "b.txt", "plain text\n")["results"][0]["pofid"];
  auto r = a.client().Post("/latest/documents/documents-export", Json{{"workspace_id", ws}}.dump(),
                           "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  auto files = paperd::zip_test::read_back(r->body);
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0].name, "a.pdf");
  EXPECT_EQ(files[0].bytes, pdf);
  EXPECT_EQ(files[1].bytes, "plain text\n");
  Json meta = Json::parse(files[2].bytes);
  EXPECT_EQ(meta["documents"][0]["pofid"], p1);
  EXPECT_EQ(meta["documents"][1]["pofid"], p2);
}

TEST(DmsCore, SignedPutUploadForAgents) {
  Api a(shared().create_token("ut", "dms-put", "enterprise"));
  int64_t ws = workspace(a, "Agents");
  Json slot = a.post("/documents/upload-url", {{"filename", "agent.txt"}});
  std::string url = slot["upload_url"];
  std::string path = url.substr(url.find("/latest"));
  auto anon = shared().client();
  auto bad = anon->Put(path.substr(0, path.find("signature=") + 10) + "wrong", "x", "text/plain");
  EXPECT_EQ(bad->status, 404);
  auto put = anon->Put(path, "agent bytes\n", "text/plain");
  ASSERT_EQ(put->status, 200) << put->body;
  EXPECT_EQ(anon->Put(path, "again", "text/plain")->status, 409);
  Json stored =
      a.post("/documents/upload", {{"upload_id", slot["upload_id"]}, {"workspace_id", ws}});
  std::string pofid = stored["pofid"];
  EXPECT_EQ(a.raw_get("/documents/document-download/" + pofid)->body, "agent bytes\n");
  a.post("/documents/upload", {{"upload_id", slot["upload_id"]}, {"workspace_id", ws}}, 409);
}

TEST(DmsCore, AnotherAccountGets404Everywhere) {
  Api a(shared().create_token("ut", "dms-owner", "enterprise"));
  Api b(shared().create_token("ut", "dms-stranger", "enterprise"));
  int64_t ws = workspace(a, "Private");
  Json up = a.put(ws, "secret.txt", "secret\n")["results"][0];
  std::string pofid = up["pofid"], id = std::to_string(up["documents_id"].get<int64_t>());
  for (const std::string& ref : {pofid, id}) {
    b.get("/documents/document-get/" + ref, 404);
    EXPECT_EQ(b.raw_get("/documents/document-download/" + ref)->status, 404);
    b.post("/documents/document-edit/" + ref, {{"sender", "x"}}, 404);
    b.post("/documents/document-rename", {{"pofid", ref}, {"new_name", "x"}}, 404);
    b.post("/documents/document-copy", {{"pofid", ref}, {"target_workspace_id", ws}}, 404);
    b.get("/documents/document-revisions?pofid=" + ref, 404);
    b.post("/documents/document-metadata", {{"pofid", ref}}, 404);
    b.get("/documents/ocr-get?pofid=" + ref, 404);
    b.post("/documents/document-summary", {{"pofid", ref}}, 404);
    b.get("/documents/document-lifecycle-get?pofid=" + ref, 404);
    b.post("/documents/document-lifecycle-transition", {{"pofid", ref}, {"to_status", "in_review"}},
           404);
    b.post("/documents/document-legal-hold", {{"pofid", ref}, {"reason", "x"}}, 404);
    b.post("/documents/document-legal-hold-release", {{"pofid", ref}, {"confirm_pofid", ref}}, 404);
    b.post("/documents/document-tag-add", {{"pofid", ref}, {"tag", "x"}}, 404);
    b.get("/documents/document-tags?pofid=" + ref, 404);
    b.del("/documents/document-delete?pofid=" + ref, 404);
    b.post("/documents/document-restore", {{"pofid", ref}}, 404);
    b.post("/documents/documents-export", {{"pofids", ref}}, 404);
    b.get("/document_intelligence/meta_fields/" + ref, 404);
    b.post("/documents/document-batch-process", {{"pofids", ref}}, 404);
  }
  b.post("/documents/workspace-update", {{"workspace_id", ws}, {"name", "x"}}, 404);
  b.post("/documents/workspace-delete", {{"workspace_id", ws}, {"confirm_name", "Private"}}, 404);
  b.put(ws, "x.txt", "x\n", {}, 404);
  Json own = b.post("/documents/workspace-create", {{"name", "Mine"}});
  int64_t bws = own["workspace"]["id"];
  b.post("/documents/document-move", {{"pofid", pofid}, {"target_workspace_id", bws}}, 404);
  a.post("/documents/document-move", {{"pofid", pofid}, {"target_workspace_id", bws}}, 404);
  EXPECT_EQ(b.get("/documents/document-search?q=secret")["total"], 0);
  EXPECT_EQ(a.get("/documents/document-get/" + pofid)["data"]["file_name"], "secret.txt");
}

TEST(DmsCore, AiDmsWorkspaceOcrsScannedUploads) {
  Api a(shared().create_token("ut", "dms-ai", "enterprise"));
  Json ws = a.post("/documents/workspace-create", {{"name", "Scans"}, {"ai_dms_mode", "basic"}});
  int64_t id = ws["workspace"]["id"];
  paperd::core::TempDir dir(std::filesystem::temp_directory_path(), "dms-ocr-");
  auto png = dir.path() / "scan.png";
  paperd::ocr_fixtures::text_page(png, {"Quarterly shipment of blue widgets"});
  std::ifstream in(png, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  Json r = a.put(id, "scan.png", bytes)["results"][0];
  EXPECT_EQ(r["mime_type"], "image/png");
  EXPECT_EQ(r["ai_dms"]["mode"], "basic");
  EXPECT_EQ(r["ai_dms"]["status"], "queued");
  std::string pofid = r["pofid"];
  Json doc;
  for (int i = 0; i < 120; ++i) {
    doc = a.get("/documents/document-get/" + pofid)["data"];
    if (doc["ai_dms"]["status"] == "completed" || doc["ai_dms"]["status"] == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  ASSERT_EQ(doc["ai_dms"]["status"], "completed") << doc.dump();
  Json text = a.get("/documents/ocr-get?pofid=" + pofid);
  std::string t = text["pages"][0]["text"];
  EXPECT_NE(t.find("widgets"), std::string::npos) << t;
  EXPECT_TRUE(text["pages"][0]["confidence"].is_number());
  // The OCR text is searchable, and the OCR read-back route answers by pofid too.
  Json hit = a.get("/documents/document-search?workspace_id=" + std::to_string(id) + "&q=widgets");
  EXPECT_EQ(hit["total"], 1);
}
