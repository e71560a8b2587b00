// The document store under a crash and with folders in the trash, against a real `paperd serve`:
// kill -9 while uploads are in flight loses no acknowledged document and leaves no half-stored
// one; trashing a folder takes its documents, restoring it brings them back.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include "server.h"

using namespace paperd::testing;
using paperd::Json;

namespace {

Json post(httplib::Client& c, const std::string& path, const Json& body, int status = 200) {
  auto r = c.Post("/latest" + path, body.dump(), "application/json");
  EXPECT_TRUE(r) << path;
  if (r) EXPECT_EQ(r->status, status) << path << ": " << r->body;
  return body_json(r);
}

httplib::Result put(httplib::Client& c, int64_t ws, const std::string& name,
                    const std::string& bytes) {
  httplib::MultipartFormDataItems items = {{"workspace_id", std::to_string(ws), "", ""}};
  items.push_back(file_part("file", name, bytes, "text/plain"));
  return c.Post("/latest/documents/document-put", items);
}

std::string text_of(int i) {
  // Large enough that a kill lands inside a request as often as between two.
  std::string s = "document " + std::to_string(i) + "\n";
  while (s.size() < 256 * 1024) s += "line of document " + std::to_string(i) + " padding text\n";
  return s;
}

}  // namespace

TEST(DmsDurability, KillNineDuringUploadsLosesNoAcknowledgedDocument) {
  PaperdServer server;
  std::string token = server.create_token("ut", "crash", "enterprise");
  auto c = server.client(token);
  int64_t ws = post(*c, "/documents/workspace-create", {{"name", "Crash"}})["workspace"]["id"];

  std::mutex m;
  std::map<std::string, int> acked;  // pofid -> document number
  std::atomic<int> attempted{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> uploaders;
  for (int t = 0; t < 3; ++t)
    uploaders.emplace_back([&, t] {
      auto uc = server.client(token);
      for (int i = t; !stop; i += 3) {
        attempted = std::max(attempted.load(), i + 1);
        auto r = put(*uc, ws, "doc" + std::to_string(i) + ".txt", text_of(i));
        if (!r) return;  // the server is gone
        if (r->status != 200) continue;
        Json j = Json::parse(r->body, nullptr, false);
        std::lock_guard lock(m);
        acked[j["results"][0]["pofid"].get<std::string>()] = i;
      }
    });
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  for (;;) {
    {
      std::lock_guard lock(m);
      if (acked.size() >= 12 || std::chrono::steady_clock::now() > deadline) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(server.stop(SIGKILL), -SIGKILL);
  stop = true;
  for (auto& u : uploaders) u.join();
  ASSERT_GE(acked.size(), 12u) << server.log();

  server.start();
  auto after = server.client(token);
  for (auto& [pofid, i] : acked) {
    auto dl = after->Get("/latest/documents/document-download/" + pofid);
    ASSERT_TRUE(dl);
    ASSERT_EQ(dl->status, 200) << pofid;
    EXPECT_TRUE(dl->body == text_of(i)) << "document " << i << " came back different";
  }
  // Every document the store lists is whole: an answer lost in the crash may have committed, a
  // half-written one must not exist.
  Json list = post(*after, "/documents/documents-list", {{"workspace_id", ws}, {"limit", 500}});
  EXPECT_GE(list["total"].get<int>(), static_cast<int>(acked.size()));
  EXPECT_LE(list["total"].get<int>(), attempted.load());
  for (const Json& d : list["documents"]) {
    std::string pofid = d["pofid"];
    auto dl = after->Get("/latest/documents/document-download/" + pofid);
    ASSERT_TRUE(dl);
    ASSERT_EQ(dl->status, 200) << pofid;
    std::string name = d["file_name"];
    int i = std::stoi(name.substr(3, name.size() - 7));
    EXPECT_TRUE(dl->body == text_of(i)) << name << " is not whole";
  }
  // The store takes uploads again after the restart.
  auto r = put(*after, ws, "after.txt", "after the crash\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
}

TEST(DmsDurability, TrashedFolderGoesAndComesBackWithItsDocuments) {
  PaperdServer server;
  auto c = server.client(server.create_token("ut", "folders", "enterprise"));
  int64_t ws = post(*c, "/documents/workspace-create", {{"name", "Staples"}})["workspace"]["id"];
  std::vector<std::string> pofids;
  for (int i = 0; i < 3; ++i) {
    auto r = put(*c, ws, "f" + std::to_string(i) + ".txt", "folder doc " + std::to_string(i));
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
    pofids.push_back(Json::parse(r->body)["results"][0]["pofid"]);
  }
  Json f = post(*c, "/documents/folder-create",
                {{"name", "Contract"}, {"pofids", Json::array({pofids[0], pofids[1]})}});
  int64_t folder = f["data"]["folder_id"];

  post(*c, "/documents/document-delete", {{"folder_id", folder}});
  for (int i = 0; i < 2; ++i) {
    auto g = c->Get("/latest/documents/document-get/" + pofids[i]);
    ASSERT_TRUE(g);
    EXPECT_EQ(g->status, 404) << "document " << i << " of the trashed folder is still live";
  }
  auto live = c->Get("/latest/documents/document-get/" + pofids[2]);
  ASSERT_TRUE(live);
  EXPECT_EQ(live->status, 200);  // not in the folder: untouched
  Json trash = post(*c, "/documents/trash-list", {{"workspace_id", ws}});
  EXPECT_EQ(trash["total"], 2);
  EXPECT_EQ(post(*c, "/documents/folder-list", {{"workspace_id", ws}})["data"]["total"], 0);

  // Another account cannot restore it.
  auto other = server.client(server.create_token("ut", "intruder", "enterprise"));
  post(*other, "/documents/document-restore", {{"folder_id", folder}}, 404);

  post(*c, "/documents/document-restore", {{"folder_id", folder}});
  for (int i = 0; i < 2; ++i) {
    auto g = c->Get("/latest/documents/document-get/" + pofids[i]);
    ASSERT_TRUE(g);
    EXPECT_EQ(g->status, 200);
  }
  Json back = post(*c, "/documents/folder-list", {{"workspace_id", ws}})["data"];
  ASSERT_EQ(back["total"], 1);
  EXPECT_EQ(back["folders"][0]["documents"].size(), 2u);
  EXPECT_EQ(post(*c, "/documents/trash-list", {{"workspace_id", ws}})["total"], 0);
}
