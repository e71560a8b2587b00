// API tests of webhooks against a real `paperd serve` and a receiver on loopback started here:
// every delivery's HMAC recomputed and its headers and body checked, for real uploads and jobs;
// a receiver failing half its calls still gets every event (duplicates only with the same event
// id); kill -9 with pending and in-flight deliveries, then delivery after a restart on the same
// data; a one-time job subscription fires once; 410 disables; consecutive failures pause and
// notify; a hanging receiver holds up neither other subscriptions nor the API; validation errors
// name the field; another account's ids are 404. No timed assertions: polls with deadlines.
#include <gtest/gtest.h>
#include <httplib.h>
#include <openssl/evp.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "core/crypto.h"
#include "json_api.h"
#include "server.h"

using namespace paperd::testing;
using paperd::Json;

namespace {

// The retry schedule is short here; pausing is out of the way except in its own test.
std::map<std::string, std::string> server_env(const std::string& pause_after = "1000") {
  return {{"PAPERD_OUTBOUND_ALLOW", "127.0.0.1"},
          {"PAPERD_WEBHOOK_RETRY_SECONDS",
           "0.05,0.1,0.1,0.2,0.2,0.2,0.3,0.3,0.3,0.3,0.3,0.3,0.3,0.3,0.3,0.3,0.3,0.3,0.3,0.3,0.3,"
           "0.3,0.3,0.3,0.3"},
          {"PAPERD_WEBHOOK_TIMEOUT_SECONDS", "2"},
          {"PAPERD_WEBHOOK_PAUSE_AFTER", pause_after}};
}

PaperdServer& shared() {
  static PaperdServer server(server_env());
  return server;
}

// A webhook receiver on 127.0.0.1: records every call and answers as its mode says.
class Receiver {
 public:
  enum class Mode { kOk, kFlaky, kGone, kFail, kHang };
  struct Call {
    std::multimap<std::string, std::string> headers;
    std::string body;
    int answered = 0;
    int epoch = 0;  // the receiver's epoch when the call arrived
    std::string header(const std::string& name) const {
      for (auto& [k, v] : headers)
        if (strcasecmp(k.c_str(), name.c_str()) == 0) return v;
      return "";
    }
  };

  Receiver() {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      Mode mode;
      int epoch;
      {
        std::lock_guard lock(mu_);
        mode = mode_;
        epoch = epoch_;
      }
      int status = 200;
      if (mode == Mode::kFlaky) status = coin() ? 200 : 500;
      if (mode == Mode::kGone) status = 410;
      if (mode == Mode::kFail) status = 503;
      if (mode == Mode::kHang) {
        {
          std::lock_guard lock(mu_);
          ++hanging_;
        }
        std::unique_lock lock(mu_);
        hang_cv_.wait_for(lock, std::chrono::seconds(30), [this] { return released_; });
        --hanging_;
        status = 200;
      }
      Call call;
      for (auto& [k, v] : req.headers) call.headers.emplace(k, v);
      call.body = req.body;
      call.answered = status;
      call.epoch = epoch;
      {
        std::lock_guard lock(mu_);
        calls_.push_back(std::move(call));
      }
      res.status = status;
      res.set_content(status == 200 ? "{\"ok\":true}" : "{\"ok\":false}", "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~Receiver() {
    release();
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  void set_mode(Mode m) {
    std::lock_guard lock(mu_);
    mode_ = m;
  }
  void set_epoch(int e) {
    std::lock_guard lock(mu_);
    epoch_ = e;
  }
  void release() {
    {
      std::lock_guard lock(mu_);
      released_ = true;
    }
    hang_cv_.notify_all();
  }
  int hanging() {
    std::lock_guard lock(mu_);
    return hanging_;
  }
  std::vector<Call> calls() {
    std::lock_guard lock(mu_);
    return calls_;
  }

 private:
  bool coin() {
    std::lock_guard lock(mu_);
    return std::uniform_int_distribution<int>(0, 1)(rng_) == 1;
  }
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  std::condition_variable hang_cv_;
  Mode mode_ = Mode::kOk;
  int epoch_ = 0;
  bool released_ = false;
  int hanging_ = 0;
  std::mt19937 rng_{12345};
  std::vector<Call> calls_;
};

class Api : public JsonApi {
 public:
  Api(PaperdServer& s, const std::string& token) : JsonApi(s, token) {}
  // A job of the test pipeline that sleeps `seconds`; returns its id.
  std::string sleep_job(double seconds = 0) {
    auto r = c_->Post("/latest/job/add/spinetest___sleep",
                      form({{"priority", "500"}, {"seconds", std::to_string(seconds)}}));
    EXPECT_TRUE(r);
    if (!r) return "";
    EXPECT_TRUE(r->status == 200 || r->status == 202) << r->body;
    return body_json(r).value("job_id", "");
  }
};

std::string hmac_hex(const std::string& key, const std::string& body) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  size_t len = 0;
  EXPECT_TRUE(EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key.data(), key.size(),
                        reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac,
                        sizeof mac, &len));
  return paperd::core::hex(std::string(reinterpret_cast<const char*>(mac), len));
}

// Polls until pred() is true or 60 s have passed; returns pred()'s last value.
template <typename F>
bool eventually(F pred, int seconds = 60) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return pred();
}

// Checks one delivery as a receiver must: the signature over the raw body, the headers against
// the body, the body's fields. Returns the parsed body.
Json verify(const Receiver::Call& call, const std::string& secret, int64_t subscription_id) {
  EXPECT_EQ(call.header("X-PaperOffice-Signature"), "sha256=" + hmac_hex(secret, call.body));
  Json body = Json::parse(call.body, nullptr, false);
  EXPECT_TRUE(body.is_object()) << call.body;
  if (!body.is_object()) return Json::object();
  EXPECT_EQ(call.header("Content-Type"), "application/json");
  EXPECT_EQ(call.header("User-Agent"), "PaperOffice-Webhooks/1.0");
  EXPECT_EQ(call.header("X-PaperOffice-Event"), body["event_type"]);
  EXPECT_EQ(call.header("X-PaperOffice-Event-ID"), body["event_id"]);
  EXPECT_FALSE(call.header("X-PaperOffice-Delivery").empty());
  EXPECT_GE(std::stoi(call.header("X-PaperOffice-Delivery")), 1);
  int64_t ts = std::stoll(call.header("X-PaperOffice-Timestamp"));
  EXPECT_LT(std::abs(ts - static_cast<int64_t>(time(nullptr))), 600);
  EXPECT_EQ(body["subscription_id"], subscription_id);
  EXPECT_TRUE(body["timestamp"].is_string());
  EXPECT_TRUE(body["data"].is_object());
  std::string type = body["event_type"];
  if (type.rfind("job.", 0) == 0) {
    EXPECT_EQ(body["event"], type);
    EXPECT_EQ(body["job_id"], body["data"]["job_id"]);
    EXPECT_EQ(body["status"], body["data"]["status"]);
  }
  return body;
}

std::vector<Json> delivered(Receiver& r, const std::string& secret, int64_t sub) {
  std::vector<Json> out;
  for (auto& c : r.calls())
    if (c.answered == 200) out.push_back(verify(c, secret, sub));
  return out;
}

Json subscribe(Api& api, const std::string& name, const std::string& url, Json events,
               Json extra = Json::object()) {
  Json body = {{"name", name}, {"url", url}, {"events", events}};
  body.update(extra);
  return api.post("/webhooks/subscribe", body);
}

std::string pdf_bytes() {
  return "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]"
         "/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
         "trailer<</Root 1 0 R>>\n%%EOF\n";
}

// Rows of a table in the server's database (read-only), for what the API does not show.
int64_t count_rows(const PaperdServer& s, const std::string& sql) {
  sqlite3* db = nullptr;
  int64_t n = -1;
  if (sqlite3_open_v2((s.data_dir() / "data" / "paperd.db").c_str(), &db, SQLITE_OPEN_READONLY,
                      nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
      n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return n;
}

}  // namespace

TEST(Webhooks, SignedDeliveriesOfRealUploadsAndJobs) {
  Receiver rx;
  Api api(shared(), shared().create_token("ut", "wh-signed", "enterprise"));
  Json sub = subscribe(api, "all-events", rx.url(), {"*"});
  ASSERT_TRUE(sub["secret"].is_string()) << sub.dump();
  std::string secret = sub["secret"];
  EXPECT_EQ(secret.rfind("whsec_", 0), 0u);
  int64_t id = sub["subscription_id"];
  // The secret is shown once: the list does not carry it.
  Json list = api.get("/webhooks/list");
  ASSERT_EQ(list["total"], 1);
  EXPECT_FALSE(list["subscriptions"][0].contains("secret"));
  EXPECT_EQ(list["subscriptions"][0]["name"], "all-events");

  // The test event: delivered now, its outcome in the answer.
  Json test = api.post("/webhooks/test", {{"subscription_id", id}});
  EXPECT_EQ(test["delivered"], true) << test.dump();
  EXPECT_EQ(test["status_code"], 200);
  EXPECT_EQ(test["response_snippet"], "{\"ok\":true}");
  auto calls = rx.calls();
  ASSERT_EQ(calls.size(), 1u);
  Json t = verify(calls[0], secret, id);
  EXPECT_EQ(t["event_type"], "test");
  EXPECT_EQ(t["event_id"], test["event_id"]);

  // A real upload and a real job.
  int64_t ws = api.post("/documents/workspace-create", {{"name", "wh"}})["workspace"]["id"];
  httplib::MultipartFormDataItems items = {{"workspace_id", std::to_string(ws), "", ""}};
  items.push_back(file_part("file", "a.pdf", pdf_bytes(), "application/pdf"));
  auto up = api.client().Post("/latest/documents/document-put", items);
  ASSERT_EQ(up->status, 200) << up->body;
  std::string pofid = body_json(up)["results"][0]["pofid"];
  std::string job = api.sleep_job(0.3);
  ASSERT_FALSE(job.empty());

  auto has = [&](const std::string& type) {
    for (auto& b : delivered(rx, secret, id))
      if (b["event_type"] == type) return true;
    return false;
  };
  ASSERT_TRUE(eventually([&] { return has("document.uploaded") && has("job.completed"); }))
      << shared().log();
  std::set<std::string> types;
  for (auto& b : delivered(rx, secret, id)) {
    types.insert(b["event_type"]);
    if (b["event_type"] == "document.uploaded") {
      EXPECT_EQ(b["data"]["pofid"], pofid);
      EXPECT_EQ(b["data"]["workspace_id"], ws);
    }
    if (b["event_type"] == "job.completed") {
      EXPECT_EQ(b["job_id"], job);
      EXPECT_EQ(b["status"], "completed");
      EXPECT_EQ(b["data"]["pipeline"], "spinetest___sleep");
    }
  }
  EXPECT_TRUE(types.count("job.queued")) << "job.queued is delivered too";
  EXPECT_TRUE(types.count("workspace.created"));

  // The log: every delivery with its status code, latency and snippet.
  Json log = api.get("/webhooks/deliveries?subscription_id=" + std::to_string(id) +
                     "&state=delivered&per_page=100");
  EXPECT_GE(log["total"].get<int>(), 4) << log.dump();
  for (auto& d : log["deliveries"]) {
    EXPECT_EQ(d["status_code"], 200);
    EXPECT_TRUE(d["latency_ms"].is_number());
    EXPECT_EQ(d["response_snippet"], "{\"ok\":true}");
    EXPECT_EQ(d["attempts"].size(), d["attempt"].get<size_t>());
  }
  Json page = api.get("/webhooks/deliveries?per_page=1&page=2");
  EXPECT_EQ(page["deliveries"].size(), 1u);
  EXPECT_EQ(page["page"], 2);

  // Update: a new secret signs what comes next.
  Json rotated = api.post("/webhooks/update", {{"subscription_id", id}, {"rotate_secret", true}});
  ASSERT_TRUE(rotated["secret"].is_string());
  EXPECT_NE(rotated["secret"], secret);
  Json again = api.post("/webhooks/test", {{"subscription_id", id}});
  EXPECT_EQ(again["delivered"], true);
  EXPECT_EQ(rx.calls().back().header("X-PaperOffice-Signature"),
            "sha256=" + hmac_hex(rotated["secret"], rx.calls().back().body));

  // Delete keeps the log.
  Json del = api.post("/webhooks/delete", {{"subscription_id", id}});
  EXPECT_EQ(del["deleted"], true);
  EXPECT_EQ(api.get("/webhooks/list")["total"], 0);
  EXPECT_GE(api.get("/webhooks/deliveries?subscription_id=" + std::to_string(id))["total"], 4);
  api.post("/webhooks/test", {{"subscription_id", id}}, 404);
}

TEST(Webhooks, FiltersByWorkspaceAndPipelineAndAGivenSecret) {
  Receiver rx;
  Api api(shared(), shared().create_token("ut", "wh-filter", "enterprise"));
  int64_t ws1 = api.post("/documents/workspace-create", {{"name", "one"}})["workspace"]["id"];
  int64_t ws2 = api.post("/documents/workspace-create", {{"name", "two"}})["workspace"]["id"];
  std::string secret = "a-secret-of-my-own-choosing";
  Json sub = subscribe(api, "ws2-only", rx.url(), {"document.created"},
                       {{"secret", secret}, {"filters", {{"workspace_id", ws2}}}});
  EXPECT_FALSE(sub.contains("secret")) << "a given secret is not echoed";
  int64_t id = sub["subscription_id"];
  Json jobs_only = subscribe(api, "fail-jobs", rx.url(), {"job.failed", "job.completed"},
                             {{"secret", secret}, {"filters", {{"pipeline", "spinetest___fail"}}}});
  auto upload = [&](int64_t ws, const std::string& name) {
    httplib::MultipartFormDataItems items = {{"workspace_id", std::to_string(ws), "", ""}};
    items.push_back(file_part("file", name, pdf_bytes(), "application/pdf"));
    auto r = api.client().Post("/latest/documents/document-put", items);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
  };
  upload(ws1, "in-one.pdf");
  upload(ws2, "in-two.pdf");
  ASSERT_EQ(wait_job(api.client(), api.sleep_job(0))["job_status"], "completed");
  auto r = api.client().Post("/latest/job/add/spinetest___fail", form({{"priority", "500"}}));
  ASSERT_TRUE(r);
  std::string failed = body_json(r).value("job_id", "");
  ASSERT_EQ(wait_job(api.client(), failed)["job_status"], "failed");
  // The last event: once it has arrived, every event before it has been fanned out.
  upload(ws2, "marker.pdf");
  auto count = [&](const std::string& type) {
    int n = 0;
    for (auto& c : rx.calls()) n += Json::parse(c.body)["event_type"] == type;
    return n;
  };
  ASSERT_TRUE(eventually([&] {
    return count("document.uploaded") == 2 && count("job.failed") == 1;
  })) << shared().log();
  for (auto& c : rx.calls()) {
    Json b = Json::parse(c.body);
    EXPECT_EQ(c.header("X-PaperOffice-Signature"), "sha256=" + hmac_hex(secret, c.body));
    if (b["event_type"] == "document.uploaded") {
      EXPECT_EQ(b["subscription_id"], id);
      EXPECT_EQ(b["data"]["workspace_id"], ws2);
    } else {
      EXPECT_EQ(b["event_type"], "job.failed");
      EXPECT_EQ(b["job_id"], failed);
      EXPECT_EQ(b["status"], "failed");
      EXPECT_EQ(b["data"]["error"]["code"], "INVALID_REQUEST");
      EXPECT_EQ(b["subscription_id"], jobs_only["subscription_id"]);
    }
  }
  // Nothing else was even queued: not ws1's upload, not the sleep job's completion.
  EXPECT_EQ(api.get("/webhooks/deliveries?subscription_id=" + std::to_string(id))["total"], 2);
  EXPECT_EQ(api.get("/webhooks/deliveries?subscription_id=" +
                    std::to_string(jobs_only["subscription_id"].get<int64_t>()))["total"],
            1);
}

TEST(Webhooks, AReceiverFailingHalfItsCallsStillGetsEveryEvent) {
  Receiver rx;
  rx.set_mode(Receiver::Mode::kFlaky);
  Api api(shared(), shared().create_token("ut", "wh-flaky", "enterprise"));
  Json sub = subscribe(api, "flaky", rx.url(), {"job.completed"});
  std::string secret = sub["secret"];
  std::set<std::string> jobs;
  for (int i = 0; i < 30; ++i) jobs.insert(api.sleep_job(0));
  ASSERT_EQ(jobs.size(), 30u);
  auto got = [&] {
    std::set<std::string> seen;
    for (auto& b : delivered(rx, secret, sub["subscription_id"])) seen.insert(b["job_id"]);
    return seen;
  };
  ASSERT_TRUE(eventually([&] { return got() == jobs; }, 120)) << got().size() << " of 30\n"
                                                              << shared().log();
  // Every call of one job carried the same event id; some were retries.
  std::map<std::string, std::set<std::string>> ids;
  int failures = 0, retries = 0;
  for (auto& c : rx.calls()) {
    Json b = verify(c, secret, sub["subscription_id"]);
    ids[b["job_id"]].insert(b["event_id"]);
    failures += c.answered != 200;
    retries += std::stoi(c.header("X-PaperOffice-Delivery")) > 1;
  }
  for (auto& [job, events] : ids) EXPECT_EQ(events.size(), 1u) << job;
  EXPECT_GT(failures, 0);
  EXPECT_GT(retries, 0);
  Json log = api.get("/webhooks/deliveries?state=delivered&per_page=100");
  EXPECT_EQ(log["total"], 30);
}

TEST(Webhooks, PendingDeliveriesSurviveKill9) {
  PaperdServer s(server_env());
  Receiver rx;
  rx.set_mode(Receiver::Mode::kHang);
  Api api(s, s.create_token("ut", "wh-kill", "enterprise"));
  Json sub = subscribe(api, "durable", rx.url(), {"job.completed"});
  std::string secret = sub["secret"];
  std::set<std::string> jobs;
  for (int i = 0; i < 8; ++i) jobs.insert(api.sleep_job(0));
  for (auto& j : jobs) ASSERT_EQ(wait_job(api.client(), j)["job_status"], "completed");
  // Some deliveries are in flight (the receiver holds them), the others wait their turn.
  ASSERT_TRUE(eventually([&] { return rx.hanging() >= 1; })) << s.log();
  ASSERT_EQ(s.stop(SIGKILL), -SIGKILL);
  rx.set_epoch(1);  // the calls held over the kill arrived in epoch 0: they do not count
  rx.release();
  rx.set_mode(Receiver::Mode::kOk);
  s.start();
  auto got = [&] {
    std::set<std::string> seen;
    for (auto& c : rx.calls())
      if (c.epoch == 1 && c.answered == 200)
        seen.insert(verify(c, secret, sub["subscription_id"])["job_id"]);
    return seen;
  };
  // Every job is delivered after the restart (those held before the kill too: the server never
  // heard their answer, so at least once means once more).
  ASSERT_TRUE(eventually([&] { return got() == jobs; }, 120)) << got().size() << "\n" << s.log();
  // Retried, not sent anew: attempt numbers go on from before the kill.
  bool retried = false;
  for (auto& c : rx.calls()) retried |= c.epoch == 1 && c.header("X-PaperOffice-Delivery") != "1";
  EXPECT_TRUE(retried);
}

TEST(Webhooks, AOneTimeJobSubscriptionFiresOnce) {
  Receiver rx;
  Api api(shared(), shared().create_token("ut", "wh-job", "enterprise"));
  std::string job = api.sleep_job(1);
  Json sub = api.post("/webhooks/subscribe-job", {{"job_id", job}, {"url", rx.url()}});
  std::string secret = sub["secret"];
  int64_t id = sub["subscription_id"];
  Json listed = api.get("/webhooks/job-subscriptions");
  ASSERT_EQ(listed["total"], 1);
  EXPECT_EQ(listed["subscriptions"][0]["job_id"], job);
  ASSERT_EQ(wait_job(api.client(), job)["job_status"], "completed");
  ASSERT_TRUE(eventually([&] { return !delivered(rx, secret, id).empty(); })) << shared().log();
  // Removed after delivery.
  ASSERT_TRUE(eventually([&] { return api.get("/webhooks/job-subscriptions")["total"] == 0; }));
  auto d = delivered(rx, secret, id);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0]["event_type"], "job.completed");
  EXPECT_EQ(d[0]["job_id"], job);
  EXPECT_EQ(api.get("/webhooks/deliveries?subscription_id=" + std::to_string(id))["total"], 1);

  // A job that ended already: its final event goes out at once, once.
  Receiver late;
  Json sub2 = api.post("/webhooks/subscribe-job", {{"job_id", job}, {"url", late.url()}});
  ASSERT_TRUE(eventually([&] { return !late.calls().empty(); })) << shared().log();
  auto d2 = delivered(late, sub2["secret"], sub2["subscription_id"]);
  ASSERT_EQ(d2.size(), 1u);
  EXPECT_EQ(d2[0]["event_id"], d[0]["event_id"]) << "the same event, not a copy";
  // Job subscriptions take job events only; another account's job is 404.
  Json bad = api.post("/webhooks/subscribe-job",
                      {{"job_id", job}, {"url", rx.url()}, {"events", {"document.uploaded"}}}, 400);
  EXPECT_NE(bad["message"].get<std::string>().find("events"), std::string::npos);
  Api other(shared(), shared().create_token("ut", "wh-job-other", "enterprise"));
  other.post("/webhooks/subscribe-job", {{"job_id", job}, {"url", rx.url()}}, 404);
}

TEST(Webhooks, GoneDisablesTheSubscription) {
  Receiver rx;
  rx.set_mode(Receiver::Mode::kGone);
  Api api(shared(), shared().create_token("ut", "wh-gone", "enterprise"));
  Json sub = subscribe(api, "gone", rx.url(), {"job.completed"});
  api.sleep_job(0);
  auto status = [&] { return api.get("/webhooks/list")["subscriptions"][0]["status"]; };
  ASSERT_TRUE(eventually([&] { return status() == "disabled"; })) << shared().log();
  EXPECT_GE(count_rows(shared(),
                       "SELECT COUNT(*) FROM account_notifications WHERE kind = "
                       "'webhook.disabled'"),
            1);
  EXPECT_EQ(rx.calls().size(), 1u) << "a 410 is not retried";
  EXPECT_NE(
      api.get("/webhooks/list")["subscriptions"][0]["status_reason"].get<std::string>().find("410"),
      std::string::npos);
  Json log = api.get("/webhooks/deliveries");
  ASSERT_EQ(log["total"], 1);
  EXPECT_EQ(log["deliveries"][0]["state"], "failed");
  EXPECT_EQ(log["deliveries"][0]["status_code"], 410);
  // Nothing more reaches a disabled subscription: a witness hears the next job, the log of the
  // disabled one stays as it was.
  Receiver witness;
  Json w = subscribe(api, "witness", witness.url(), {"job.completed"});
  std::string next = api.sleep_job(0);
  ASSERT_TRUE(eventually([&] {
    for (auto& d : delivered(witness, w["secret"], w["subscription_id"]))
      if (d["job_id"] == next) return true;
    return false;
  }));
  EXPECT_EQ(rx.calls().size(), 1u);
  EXPECT_EQ(api.get("/webhooks/deliveries?subscription_id=" +
                    std::to_string(sub["subscription_id"].get<int64_t>()))["total"],
            1);
  // status=active turns it on again.
  rx.set_mode(Receiver::Mode::kOk);
  api.post("/webhooks/update", {{"subscription_id", sub["subscription_id"]}, {"status", "active"}});
  api.sleep_job(0);
  ASSERT_TRUE(eventually([&] { return rx.calls().size() >= 2; }));
  EXPECT_EQ(rx.calls().back().answered, 200);
  EXPECT_EQ(api.get("/webhooks/list")["subscriptions"][0]["status"], "active");
}

TEST(Webhooks, ConsecutiveFailuresPauseAndNotifyTheAccount) {
  PaperdServer s(server_env("3"));
  Receiver rx;
  rx.set_mode(Receiver::Mode::kFail);
  Api api(s, s.create_token("ut", "wh-pause", "enterprise"));
  Json sub = subscribe(api, "pausing", rx.url(), {"job.completed"});
  api.sleep_job(0);
  auto status = [&] { return api.get("/webhooks/list")["subscriptions"][0]["status"]; };
  ASSERT_TRUE(eventually([&] { return status() == "paused"; })) << s.log();
  EXPECT_EQ(count_rows(s,
                       "SELECT COUNT(*) FROM account_notifications WHERE kind = "
                       "'webhook.paused'"),
            1);
  // The event waits while paused and goes out once the subscription is resumed.
  Json pending = api.get("/webhooks/deliveries?state=pending");
  ASSERT_EQ(pending["total"], 1) << pending.dump();
  EXPECT_EQ(pending["deliveries"][0]["attempt"], 3);
  EXPECT_TRUE(pending["deliveries"][0]["next_retry_at"].is_string());
  rx.set_mode(Receiver::Mode::kOk);
  api.post("/webhooks/update", {{"subscription_id", sub["subscription_id"]}, {"status", "active"}});
  ASSERT_TRUE(
      eventually([&] { return api.get("/webhooks/deliveries?state=delivered")["total"] == 1; }));
  EXPECT_EQ(rx.calls().back().header("X-PaperOffice-Delivery"), "4");
}

TEST(Webhooks, AHangingReceiverBlocksNeitherOthersNorTheApi) {
  Receiver slow, fast;
  slow.set_mode(Receiver::Mode::kHang);
  Api api(shared(), shared().create_token("ut", "wh-hang", "enterprise"));
  Json a = subscribe(api, "slow", slow.url(), {"job.completed"});
  Json b = subscribe(api, "fast", fast.url(), {"job.completed"});
  std::set<std::string> jobs;
  for (int i = 0; i < 12; ++i) jobs.insert(api.sleep_job(0));
  auto got = [&] {
    std::set<std::string> seen;
    for (auto& d : delivered(fast, b["secret"], b["subscription_id"])) seen.insert(d["job_id"]);
    return seen;
  };
  ASSERT_TRUE(eventually([&] { return got() == jobs; })) << shared().log();
  EXPECT_GE(slow.hanging(), 1) << "the slow receiver still holds its calls";
  auto health = api.client().Get("/latest/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  slow.release();
}

TEST(Webhooks, BadInputNamesTheField) {
  Receiver rx;
  Api api(shared(), shared().create_token("ut", "wh-bad", "enterprise"));
  auto message = [](const Json& j) { return j.value("message", ""); };
  auto names = [&](const Json& body, const std::string& field) {
    Json r = api.post("/webhooks/subscribe", body, 400);
    EXPECT_EQ(r["code"], "INVALID_REQUEST") << r.dump();
    EXPECT_NE(message(r).find(field), std::string::npos) << field << ": " << r.dump();
  };
  Json ok = {{"name", "x"}, {"url", rx.url()}, {"events", {"job.completed"}}};
  auto with = [&](const char* k, Json v) {
    Json b = ok;
    b[k] = v;
    return b;
  };
  names(with("url", "http://1.1.1.1/hook"), "https");  // public, but not https
  names(with("url", "https://10.1.2.3/hook"), "url");  // a private address
  names(with("url", "ftp://example.com/x"), "url");
  names(with("url", ""), "url");
  names(with("events", {"job.finished"}), "events");
  names(with("events", Json::array()), "events");
  names(with("filters", {{"workspace_id", "abc"}}), "filters.workspace_id");
  names(with("filters", {{"colour", "red"}}), "filters.colour");
  names(with("filters", {{"pipeline", "no.dots"}}), "filters.pipeline");
  names(with("filters", {{"pipeline", "nosuch___pipeline"}}), "filters.pipeline");
  names(with("filters", "[1,2]"), "filters");
  names(with("secret", "short"), "secret");
  names(with("name", ""), "name");
  api.post("/webhooks/subscribe", ok);
  names(ok, "name");  // the same name again
  EXPECT_EQ(api.get("/webhooks/list")["total"], 1) << "nothing was stored by a rejected request";
  Json r = api.get("/webhooks/deliveries?state=lost", 400);
  EXPECT_NE(message(r).find("state"), std::string::npos);
  Json info = api.get("/webhooks/info");
  EXPECT_GE(info["data"]["events"].size(), 23u);
  EXPECT_EQ(info["data"]["signature"]["algorithm"], "HMAC-SHA256");
}

TEST(Webhooks, AnotherAccountsIdsAre404) {
  Receiver rx;
  Api owner(shared(), shared().create_token("ut", "wh-owner", "enterprise"));
  Api other(shared(), shared().create_token("ut", "wh-intruder", "enterprise"));
  // Not "*": the owner's own workspace.created would reach the receiver, and the check below is
  // that nothing the intruder does does.
  Json sub = subscribe(owner, "mine", rx.url(), {"document.uploaded"});
  int64_t id = sub["subscription_id"];
  int64_t ws = owner.post("/documents/workspace-create", {{"name", "private"}})["workspace"]["id"];
  other.post("/webhooks/update", {{"subscription_id", id}, {"name", "stolen"}}, 404);
  other.post("/webhooks/delete", {{"subscription_id", id}}, 404);
  other.post("/webhooks/test", {{"subscription_id", id}}, 404);
  other.get("/webhooks/deliveries?subscription_id=" + std::to_string(id), 404);
  other.post("/webhooks/subscribe",
             {{"name", "spy"}, {"url", rx.url()}, {"filters", {{"workspace_id", ws}}}}, 404);
  EXPECT_EQ(other.get("/webhooks/list")["total"], 0);
  EXPECT_EQ(owner.get("/webhooks/list")["subscriptions"][0]["name"], "mine");
  EXPECT_TRUE(rx.calls().empty());
}
