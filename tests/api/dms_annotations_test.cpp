// API tests of a document's notes and comments, folders, edit sessions and publishers against a
// real `paperd serve`: own-only changes, comment threads, stapling and dissolving, the edit lock's
// readonly / heartbeat / lost-after-expiry states (2 s lifetime here), rename with alias and merge
// moving documents, and 404 for another account's ids on every id-bearing route.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "json_api.h"
#include "server.h"

using namespace paperd::testing;
using paperd::Json;

namespace {

PaperdServer& shared() {
  static PaperdServer server(
      std::map<std::string, std::string>{{"PAPERD_EDIT_SESSION_TTL_SECONDS", "2"}});
  return server;
}

// A caller: one token, JSON in, JSON out, the status checked.
class Api : public JsonApi {
 public:
  explicit Api(const std::string& token) : JsonApi(shared(), token) {}
  // Every GET here sends query parameters (hides JsonApi's get(path, status), which a `{}`
  // query would otherwise select).
  Json get(const std::string& path, const httplib::Params& query, int status = 200) {
    return JsonApi::get(path, query, status);
  }

  int64_t workspace() {
    static int n = 0;
    Json j = post("/documents/workspace-create", {{"name", "annot-ws-" + std::to_string(++n)}});
    return j["workspace"]["id"].get<int64_t>();
  }
  std::string upload(int64_t workspace_id) {
    static int n = 0;
    httplib::MultipartFormDataItems items = {
        {"workspace_id", std::to_string(workspace_id), "", ""},
        file_part("file", "a.txt", "hello notes\n" + std::to_string(++n) + "\n")};
    auto r = c_->Post("/latest/documents/document-put", items);
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "no answer");
    return body_json(r)["results"][0].value("pofid", "");
  }
};

// Two tokens of one account (a1 writes, a2 is a colleague) and a token of another account.
struct Callers {
  Api a1{shared().create_token("ut", "annot-a", "enterprise")};
  Api a2{shared().create_token("ut", "annot-a")};
  Api b{shared().create_token("ut", "annot-b", "enterprise")};
};

Callers& callers() {
  static Callers c;
  return c;
}

std::string code_of(const Json& j) {
  return j.value("code", "");
}

}  // namespace

TEST(DmsAnnotNotes, OnlyTheAuthorChangesANote) {
  auto& [a1, a2, b] = callers();
  std::string pofid = a1.upload(a1.workspace());
  Json note = a1.post("/documents/document-note-create", {{"pofid", pofid}, {"text", "first"}});
  int64_t id = note["data"]["note_id"];
  a1.post("/documents/document-note-create", {{"pofid", pofid}, {"note", "by alias"}});

  Json list = a2.get("/documents/document-notes", {{"pofid", pofid}});
  ASSERT_EQ(list["data"]["notes"].size(), 2u);
  EXPECT_EQ(list["data"]["notes"][0]["text"], "first");
  EXPECT_EQ(list["data"]["notes"][0]["own"], false);

  EXPECT_EQ(
      code_of(a2.post("/documents/document-note-update", {{"note_id", id}, {"text", "x"}}, 403)),
      "NOT_NOTE_AUTHOR");
  EXPECT_EQ(code_of(a2.post("/documents/document-note-delete", {{"note_id", id}}, 403)),
            "NOT_NOTE_AUTHOR");
  EXPECT_EQ(a1.post("/documents/document-note-update",
                    {{"note_id", id}, {"text", "edited"}})["data"]["text"],
            "edited");

  // Bad input names the field.
  Json empty = a1.post("/documents/document-note-create", {{"pofid", pofid}, {"text", " "}}, 400);
  EXPECT_NE(empty.value("message", "").find("'text'"), std::string::npos);
  a1.post("/documents/document-note-create", {{"pofid", pofid}, {"text", std::string(10001, 'x')}},
          400);
  a1.post("/documents/document-note-update", {{"text", "no id"}}, 400);

  // Another account sees none of it.
  EXPECT_EQ(
      code_of(b.post("/documents/document-note-create", {{"pofid", pofid}, {"text", "x"}}, 404)),
      "DOCUMENT_NOT_FOUND");
  b.get("/documents/document-notes", {{"pofid", pofid}}, 404);
  EXPECT_EQ(
      code_of(b.post("/documents/document-note-update", {{"note_id", id}, {"text", "x"}}, 404)),
      "NOTE_NOT_FOUND");
  b.post("/documents/document-note-delete", {{"note_id", id}}, 404);

  a1.post("/documents/document-note-delete", {{"note_id", id}});
  list = a1.get("/documents/document-notes", {{"pofid", pofid}});
  ASSERT_EQ(list["data"]["notes"].size(), 1u);
  EXPECT_EQ(list["data"]["notes"][0]["text"], "by alias");
  a1.post("/documents/document-note-update", {{"note_id", id}, {"text", "gone"}}, 404);
}

TEST(DmsAnnotComments, ThreadsRepliesResolveAndDelete) {
  auto& [a1, a2, b] = callers();
  int64_t ws = a1.workspace();
  std::string pofid = a1.upload(ws), other = a1.upload(ws);
  auto create = [&](Api& who, const std::string& doc, const std::string& text, Json parent,
                    int status = 200) {
    Json body = {{"pofid", doc}, {"text", text}};
    if (!parent.is_null()) body["parent_id"] = parent;
    return who.post("/documents/document-comment-create", body, status);
  };
  int64_t c1 = create(a1, pofid, "top one", nullptr)["data"]["comment_id"];
  int64_t r1 = create(a2, pofid, "reply", c1)["data"]["comment_id"];
  int64_t r2 = create(a1, pofid, "reply to reply", r1)["data"]["comment_id"];
  int64_t c2 = create(a2, pofid, "top two", nullptr)["data"]["comment_id"];
  create(a1, other, "wrong thread", c1, 400);

  Json list = a1.get("/documents/document-comments", {{"pofid", pofid}})["data"];
  EXPECT_EQ(list["total"], 4);
  ASSERT_EQ(list["comments"].size(), 2u);
  EXPECT_EQ(list["comments"][0]["comment_id"], c1);
  EXPECT_EQ(list["comments"][0]["replies"][0]["comment_id"], r1);
  EXPECT_EQ(list["comments"][0]["replies"][0]["replies"][0]["comment_id"], r2);
  EXPECT_EQ(list["comments"][1]["comment_id"], c2);

  // Anyone of the account resolves and reopens a thread.
  EXPECT_EQ(
      a2.post("/documents/document-comment-resolve", {{"comment_id", c1}})["data"]["resolved"],
      true);
  list = a1.get("/documents/document-comments", {{"pofid", pofid}})["data"];
  EXPECT_EQ(list["comments"][0]["resolved"], true);
  EXPECT_EQ(list["open_threads"], 1);
  a1.post("/documents/document-comment-resolve", {{"comment_id", c1}, {"resolved", "false"}});
  list = a1.get("/documents/document-comments", {{"pofid", pofid}})["data"];
  EXPECT_EQ(list["comments"][0]["resolved"], false);
  EXPECT_TRUE(list["comments"][0]["resolved_at"].is_null());

  // Own only.
  EXPECT_EQ(code_of(a2.post("/documents/document-comment-update",
                            {{"comment_id", c1}, {"text", "mine now"}}, 403)),
            "NOT_COMMENT_AUTHOR");
  a2.post("/documents/document-comment-delete", {{"comment_id", c1}}, 403);
  a1.post("/documents/document-comment-update", {{"comment_id", c1}, {"text", "top, edited"}});

  // Another account: 404 on the document and on every comment id.
  b.get("/documents/document-comments", {{"pofid", pofid}}, 404);
  create(b, pofid, "x", nullptr, 404);
  for (const char* path :
       {"/documents/document-comment-update", "/documents/document-comment-delete",
        "/documents/document-comment-resolve"})
    EXPECT_EQ(code_of(b.post(path, {{"comment_id", c1}, {"text", "x"}}, 404)), "COMMENT_NOT_FOUND");

  // Deleting a comment takes its replies with it, whoever wrote them.
  EXPECT_EQ(
      a1.post("/documents/document-comment-delete", {{"comment_id", c1}})["data"]["deleted_count"],
      3);
  list = a1.get("/documents/document-comments", {{"pofid", pofid}})["data"];
  ASSERT_EQ(list["comments"].size(), 1u);
  EXPECT_EQ(list["comments"][0]["text"], "top two");
  EXPECT_EQ(list["total"], 1);
  create(a1, pofid, "reply to a deleted one", r1, 404);
}

TEST(DmsAnnotFolders, StapleListUpdateDissolve) {
  auto& [a1, a2, b] = callers();
  int64_t ws = a1.workspace(), ws2 = a1.workspace();
  std::string p1 = a1.upload(ws), p2 = a1.upload(ws), p3 = a1.upload(ws2);

  Json f = a1.post("/documents/folder-create", {{"name", "Contract"}, {"pofids", p1 + ", " + p2}});
  int64_t id = f["data"]["folder_id"];
  EXPECT_EQ(f["data"]["workspace_id"], ws);
  ASSERT_EQ(f["data"]["document_count"], 2);
  EXPECT_EQ(f["data"]["documents"][0]["pofid"], p1);

  EXPECT_EQ(code_of(a1.post("/documents/folder-create",
                            {{"name", "Again"}, {"pofids", Json::array({p1})}}, 409)),
            "ALREADY_IN_FOLDER");
  a1.post("/documents/folder-create", {{"name", "Mixed"}, {"pofids", Json::array({p3, p1})}}, 400);
  a1.post("/documents/folder-create", {{"name", "Empty"}, {"pofids", Json::array()}}, 400);
  a1.post("/documents/folder-create", {{"pofids", Json::array({p3})}}, 400);

  Json list = a2.post("/documents/folder-list", {{"workspace_id", ws}})["data"];
  ASSERT_EQ(list["folders"].size(), 1u);
  EXPECT_EQ(list["folders"][0]["documents"].size(), 2u);
  EXPECT_EQ(a1.post("/documents/folder-list", {{"workspace_id", ws2}})["data"]["total"], 0);

  Json u = a2.post("/documents/folder-update",
                   {{"folder_id", id}, {"name", "Contract 2026"}, {"color", "#3366ff"}});
  EXPECT_EQ(u["data"]["name"], "Contract 2026");
  EXPECT_EQ(u["data"]["color"], "#3366ff");
  a1.post("/documents/folder-update", {{"folder_id", id}}, 400);

  // Another account: 404 for the workspace, the folder and the documents.
  b.post("/documents/folder-list", {{"workspace_id", ws}}, 404);
  EXPECT_EQ(code_of(b.post("/documents/folder-update", {{"folder_id", id}, {"name", "x"}}, 404)),
            "FOLDER_NOT_FOUND");
  b.post("/documents/folder-dissolve", {{"folder_id", id}}, 404);
  b.post("/documents/folder-create", {{"name", "x"}, {"pofids", Json::array({p3})}}, 404);

  Json d = a1.post("/documents/folder-dissolve", {{"folder_id", id}});
  EXPECT_EQ(d["data"]["documents_released"].size(), 2u);
  EXPECT_EQ(a1.post("/documents/folder-list", {{"workspace_id", ws}})["data"]["total"], 0);
  a1.post("/documents/folder-dissolve", {{"folder_id", id}}, 404);
  // The documents stay and can be stapled again.
  a1.post("/documents/folder-create", {{"name", "Again"}, {"pofids", Json::array({p2, p1})}});
}

TEST(DmsAnnotEditSessions, AcquireReadonlyHeartbeatAndLost) {
  auto& [a1, a2, b] = callers();
  std::string pofid = a1.upload(a1.workspace());
  auto status = [&](Api& who) {
    return who.get("/documents/document-edit-session-status", {{"pofid", pofid}})["data"].value(
        "status", "");
  };
  EXPECT_EQ(status(a1), "free");
  Json mine = a1.post("/documents/document-edit-session-acquire", {{"pofid", pofid}})["data"];
  ASSERT_EQ(mine["status"], "mine");
  EXPECT_EQ(mine["heartbeat_interval_seconds"], 30);
  std::string s1 = mine["session_id"];
  EXPECT_EQ(status(a1), "mine");
  EXPECT_EQ(status(a2), "taken");
  Json ro = a2.post("/documents/document-edit-session-acquire", {{"pofid", pofid}})["data"];
  EXPECT_EQ(ro["status"], "readonly");
  EXPECT_FALSE(ro.value("holder", "").empty());
  EXPECT_FALSE(ro.contains("session_id"));
  EXPECT_EQ(code_of(a2.post("/documents/document-edit-session-release", {{"pofid", pofid}}, 403)),
            "NOT_SESSION_HOLDER");
  EXPECT_EQ(
      code_of(a2.post("/documents/document-edit-session-heartbeat", {{"session_id", s1}}, 409)),
      "EDIT_SESSION_LOST");
  EXPECT_EQ(a1.post("/documents/document-edit-session-heartbeat",
                    {{"session_id", s1}, {"pofid", pofid}})["data"]["status"],
            "mine");

  // Another account reaches neither the document nor the session.
  b.post("/documents/document-edit-session-acquire", {{"pofid", pofid}}, 404);
  b.get("/documents/document-edit-session-status", {{"pofid", pofid}}, 404);
  EXPECT_EQ(
      code_of(b.post("/documents/document-edit-session-heartbeat", {{"session_id", s1}}, 404)),
      "EDIT_SESSION_NOT_FOUND");
  b.post("/documents/document-edit-session-release", {{"session_id", s1}}, 404);
  b.post("/documents/document-edit-session-release", {{"pofid", pofid}}, 404);

  // Released: the session is lost, the lock free for the colleague.
  EXPECT_EQ(
      a1.post("/documents/document-edit-session-release", {{"session_id", s1}})["data"]["released"],
      true);
  a1.post("/documents/document-edit-session-heartbeat", {{"session_id", s1}}, 409);
  Json a2s = a2.post("/documents/document-edit-session-acquire", {{"pofid", pofid}})["data"];
  ASSERT_EQ(a2s["status"], "mine");
  std::string s2 = a2s["session_id"];

  // Without a heartbeat for the lifetime (2 s here) the lock expires and another token takes it.
  std::this_thread::sleep_for(std::chrono::milliseconds(2300));
  EXPECT_EQ(status(a1), "free");
  Json again = a1.post("/documents/document-edit-session-acquire", {{"pofid", pofid}})["data"];
  ASSERT_EQ(again["status"], "mine");
  EXPECT_NE(again["session_id"], s2);
  EXPECT_EQ(
      code_of(a2.post("/documents/document-edit-session-heartbeat", {{"session_id", s2}}, 409)),
      "EDIT_SESSION_LOST");
  a2.post("/documents/document-edit-session-heartbeat", {}, 400);
}

TEST(DmsAnnotPublishers, RenameKeepsAliasAndMergeMovesDocuments) {
  auto& [a1, a2, b] = callers();
  auto create = [](Api& who, const std::string& name, int status = 200) {
    return who.post("/publishers/create", {{"name", name}}, status);
  };
  int64_t acme = create(a1, "ACME GmbH")["data"]["publisher_id"];
  int64_t inc = create(a2, "Acme Inc")["data"]["publisher_id"];
  EXPECT_EQ(code_of(create(a1, "acme gmbh", 409)), "PUBLISHER_EXISTS");
  create(a1, "", 400);

  Json renamed = a1.post("/publishers/" + std::to_string(acme) + "/rename", {{"name", "ACME"}});
  EXPECT_EQ(renamed["data"]["name"], "ACME");
  EXPECT_EQ(renamed["data"]["aliases"], Json::array({"ACME GmbH"}));
  EXPECT_EQ(code_of(create(a1, "ACME GmbH", 409)), "PUBLISHER_EXISTS");  // the alias is taken

  // A document of the source publisher (set with document-edit).
  std::string pofid = a1.upload(a1.workspace());
  a1.post("/documents/document-edit/" + pofid, {{"publisher_id", inc}});

  Json merged =
      a1.post("/publishers/" + std::to_string(inc) + "/merge", {{"target_publisher_id", acme}});
  EXPECT_EQ(merged["data"]["documents_moved"], 1);
  EXPECT_EQ(merged["data"]["target"]["document_count"], 1);
  Json aliases = merged["data"]["target"]["aliases"];
  EXPECT_NE(std::find(aliases.begin(), aliases.end(), "Acme Inc"), aliases.end());
  EXPECT_NE(std::find(aliases.begin(), aliases.end(), "ACME GmbH"), aliases.end());
  EXPECT_EQ(code_of(a1.post("/publishers/" + std::to_string(inc) + "/merge",
                            {{"target_publisher_id", acme}}, 409)),
            "PUBLISHER_MERGED");
  a1.post("/publishers/" + std::to_string(acme) + "/merge", {{"target_publisher_id", acme}}, 400);

  Json list = a2.get("/publishers/list", {})["data"];
  ASSERT_EQ(list["publishers"].size(), 1u);
  EXPECT_EQ(list["publishers"][0]["publisher_id"], acme);

  // Another account: its own list is empty; every id of this one is 404.
  EXPECT_EQ(b.get("/publishers/list", {})["data"]["total"], 0);
  int64_t theirs = create(b, "ACME")["data"]["publisher_id"];
  EXPECT_EQ(
      code_of(b.post("/publishers/" + std::to_string(acme) + "/rename", {{"name", "x"}}, 404)),
      "PUBLISHER_NOT_FOUND");
  b.post("/publishers/" + std::to_string(acme) + "/merge", {{"target_publisher_id", theirs}}, 404);
  b.post("/publishers/" + std::to_string(theirs) + "/merge", {{"target_publisher_id", acme}}, 404);
  b.post("/publishers/abc/rename", {{"name", "x"}}, 400);
}
