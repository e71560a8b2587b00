// API tests of the spine against a real `paperd serve`: envelope, auth, rate limits, credits,
// jobs in both lanes, downloads, priorities, crash isolation, restarts, bad input.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <regex>
#include <set>
#include <thread>

#include "core/crypto.h"
#include "server.h"

using namespace paperd::testing;
using paperd::Json;

namespace {

// One shared server for tests that do not restart or reconfigure it.
PaperdServer& shared() {
  static PaperdServer server;
  return server;
}

std::string job_id_of(const httplib::Result& r) {
  return body_json(r).value("job_id", "");
}

// Waits for the start of a fresh second, so a burst lands in one rate-limit window.
void align_to_second() {
  using namespace std::chrono;
  auto ms = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count() % 1000;
  std::this_thread::sleep_for(milliseconds(1000 - ms + 20));
}

}  // namespace

TEST(Envelope, HealthPingAndPrefixes) {
  auto c = shared().client();
  for (std::string path : {"/health", "/latest/health"}) {
    auto r = c->Get(path);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    Json j = body_json(r);
    EXPECT_EQ(j["success"], true);
    EXPECT_EQ(j["message"], "API is healthy");
    EXPECT_TRUE(j.contains("processing_time"));
    EXPECT_TRUE(r->has_header("X-Request-Id"));
    EXPECT_TRUE(r->has_header("RateLimit-Limit"));
  }
  Json ping = body_json(c->Get("/latest/ping"));
  EXPECT_EQ(ping["data"], "pong");
  Json verbose = body_json(c->Get("/health?verbose=1"));
  EXPECT_EQ(verbose["workers"]["alive"], 2);
  EXPECT_TRUE(verbose["queue"].contains("depth"));
}

TEST(Envelope, UnknownRouteAndMethod) {
  auto c = shared().client(shared().user_token());
  auto r = c->Get("/latest/no/such/thing");
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(body_json(r)["code"], "NOT_FOUND");
  EXPECT_EQ(body_json(r)["status"], "error");
  auto m = c->Get("/latest/job/add/workflow");
  EXPECT_EQ(m->status, 405);
  EXPECT_EQ(m->get_header_value("Allow"), "POST");
}

TEST(Envelope, MetricsCountRequestsAndJobs) {
  auto c = shared().client();
  c->Get("/health");
  auto r = c->Get("/metrics");
  ASSERT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("paperd_http_requests_total{method=\"GET\",route=\"/health\""),
            std::string::npos);
  EXPECT_NE(r->body.find("paperd_queue_depth"), std::string::npos);
  EXPECT_NE(r->body.find("paperd_worker_restarts_total"), std::string::npos);
}

TEST(Auth, EveryOutcome) {
  PaperdServer& s = shared();
  const std::string path = "/latest/job/get/poai-job_100_1700000000.0000_00000000";
  auto none = s.client()->Get(path);
  EXPECT_EQ(none->status, 401);
  EXPECT_EQ(body_json(none)["code"], "AUTH_REQUIRED");

  auto garbage = s.client("not-a-token")->Get(path);
  EXPECT_EQ(garbage->status, 401);
  EXPECT_EQ(body_json(garbage)["code"], "INVALID_TOKEN");

  std::string good = s.user_token();
  std::string tampered = good;
  tampered.back() = tampered.back() == 'a' ? 'b' : 'a';
  EXPECT_EQ(body_json(s.client(tampered)->Get(path))["code"], "INVALID_TOKEN");

  int64_t id = 0;
  std::string revoked = s.create_token("ut", "auth-test", "", -1, 0, &id);
  EXPECT_EQ(s.client(revoked)->Get(path)->status, 404);  // valid: the job is just unknown
  s.revoke_token(id);
  auto r = s.client(revoked)->Get(path);
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(body_json(r)["code"], "INVALID_TOKEN");
  EXPECT_NE(body_json(r)["message"].get<std::string>().find("revoked"), std::string::npos);

  std::string expired = s.create_token("ut", "auth-test", "", -1, -10);
  auto e = s.client(expired)->Get(path);
  EXPECT_EQ(e->status, 401);
  EXPECT_NE(body_json(e)["message"].get<std::string>().find("expired"), std::string::npos);

  for (std::string kind : {"sk", "ut", "gt", "pk"}) {
    std::string t = s.create_token(kind, "auth-kinds");
    EXPECT_EQ(s.client(t)->Get(path)->status, 404) << kind;
  }
  // Visitor routes work without a token and ignore a bad one.
  EXPECT_EQ(s.client("bad")->Get("/health")->status, 200);
}

TEST(RateLimit, FreeTierFivePerSecondThen429) {
  PaperdServer& s = shared();
  std::string token = s.create_token("ut", "rate-test", "free");
  auto c = s.client(token);
  align_to_second();
  std::vector<int> statuses;
  for (int i = 0; i < 5; ++i) statuses.push_back(c->Get("/latest/billing/pricing/tiers")->status);
  auto last = c->Get("/latest/billing/pricing/tiers");
  statuses.push_back(last->status);
  EXPECT_EQ(statuses, (std::vector<int>{200, 200, 200, 200, 200, 429}));
  EXPECT_EQ(body_json(last)["code"], "RATE_LIMIT_EXCEEDED");
  EXPECT_GE(std::stoi(last->get_header_value("Retry-After")), 1);
  EXPECT_EQ(last->get_header_value("RateLimit-Remaining"), "0");
  EXPECT_EQ(last->get_header_value("X-RateLimit-Limit"), "5");
  EXPECT_EQ(last->get_header_value("RateLimit-Policy"), "5;w=1, 30;w=60, 100;w=3600, 500;w=86400");
  // Exempt routes keep answering, and still report the state.
  auto health = c->Get("/health");
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(health->get_header_value("RateLimit-Remaining"), "0");
  EXPECT_EQ(c->Get("/latest/job/get/poai-job_100_1700000000.0000_00000000")->status, 404);
  // A system key is not limited.
  auto sk = s.client(s.system_key());
  for (int i = 0; i < 8; ++i) EXPECT_EQ(sk->Get("/latest/billing/pricing/tiers")->status, 200);
}

TEST(Credits, RejectedCallsCostNothingAnd402BeforeWork) {
  PaperdServer& s = shared();
  // no_sla costs 5 credits per sleep job; the account holds 10.
  auto c = s.client(s.create_token("sk", "credit-test", "free", 10));
  auto bad =
      c->Post("/latest/job/add/spinetest___sleep", form({{"seconds", "0"}, {"priority", "5000"}}));
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(body_json(bad)["message"].get<std::string>().find("priority"), std::string::npos);
  for (int i = 0; i < 2; ++i) {
    auto ok =
        c->Post("/latest/job/add/spinetest___sleep", form({{"seconds", "0"}, {"priority", "100"}}));
    ASSERT_EQ(ok->status, 202) << ok->body;
    EXPECT_EQ(body_json(ok)["_billing"]["job"]["credits_billed"], 5);
  }
  auto broke = c->Post("/latest/job/add/spinetest___sleep",
                       form({{"seconds", "0"}, {"priority", "100"}, {"tag", "never"}}));
  EXPECT_EQ(broke->status, 402);
  EXPECT_EQ(body_json(broke)["code"], "INSUFFICIENT_CREDITS");
  EXPECT_FALSE(body_json(broke).contains("job_id"));
}

TEST(Credits, FailedJobIsRefunded) {
  PaperdServer& s = shared();
  auto c = s.client(s.create_token("sk", "refund-test", "free", 25));
  auto failed = c->Post("/latest/job/add/spinetest___fail", form({{"priority", "999"}}));
  EXPECT_EQ(failed->status, 400);
  EXPECT_EQ(body_json(failed)["code"], "INVALID_REQUEST");
  EXPECT_FALSE(body_json(failed).contains("_billing"));
  // The 25 credits came back, so another instant job (25 credits) is affordable.
  auto again =
      c->Post("/latest/job/add/spinetest___sleep", form({{"seconds", "0"}, {"priority", "999"}}));
  EXPECT_EQ(again->status, 200) << again->body;
}

TEST(Jobs, InstantLaneAnswersInlineWithDownload) {
  PaperdServer& s = shared();
  auto c = s.client(s.system_key());
  httplib::MultipartFormDataItems items = form({{"priority", "999"}});
  items.push_back(file_part("file", "hello.txt", "hello paperd\n"));
  auto r = c->Post("/latest/job/add/spinetest___echo", items);
  ASSERT_EQ(r->status, 200) << r->body;
  Json j = body_json(r);
  EXPECT_EQ(j["status"], "success");
  EXPECT_EQ(j["pipeline"], "spinetest___echo");
  EXPECT_TRUE(std::regex_match(j["job_id"].get<std::string>(),
                               std::regex(R"(poai-job_999_\d+\.\d{4}_[0-9a-f]{8})")));
  std::string url = j["result"]["files"][0];
  ASSERT_EQ(url.rfind(s.url("/latest/job/download/"), 0), 0u) << url;
  // The download link works without a token, with the right bytes and headers.
  auto d = s.client()->Get(url.substr(url.find("/latest")));
  ASSERT_EQ(d->status, 200);
  EXPECT_EQ(d->body, "hello paperd\n");
  EXPECT_EQ(d->get_header_value("Content-Type"), "text/plain");
  EXPECT_EQ(d->get_header_value("Content-Disposition"), "attachment; filename=\"hello.txt\"");
  // A Range request gets just those bytes (a resumed download).
  auto part = c->Get(url.substr(url.find("/latest")), {{"Range", "bytes=6-11"}});
  ASSERT_EQ(part->status, 206);
  EXPECT_EQ(part->body, "paperd");
  auto past = c->Get(url.substr(url.find("/latest")), {{"Range", "bytes=100-200"}});
  ASSERT_EQ(past->status, 416);
  EXPECT_EQ(past->get_header_value("Content-Range"), "bytes */13");
  // Another account's token is not the owner.
  auto other = s.client(s.create_token("ut", "someone-else"))->Get(url.substr(url.find("/latest")));
  EXPECT_EQ(other->status, 404);
  // Polling the finished job shows the same result under result and job_result.
  Json polled = body_json(c->Get("/latest/job/get/" + j["job_id"].get<std::string>()));
  EXPECT_EQ(polled["job_status"], "completed");
  EXPECT_EQ(polled["result"]["files"], j["result"]["files"]);
  EXPECT_EQ(polled["job_result"]["output_files"][0], url);
  EXPECT_EQ(s.client()->Get("/latest/job/download/0000000000000000000000000000ZZZZ")->status, 404);
}

// A request keeps its first 16 MB of uploads in memory, then spills to its temp dir (the file
// being received at that moment with what it had so far): every byte must arrive either way.
TEST(Jobs, UploadsBeyondTheMemoryBudgetArriveIntact) {
  PaperdServer& s = shared();
  auto c = s.client(s.system_key());
  httplib::MultipartFormDataItems items = form({{"priority", "999"}});
  std::vector<std::string> sent;
  for (size_t mb : {7, 7, 7, 1}) {
    std::string data = paperd::core::random_bytes(mb << 20);
    items.push_back(file_part("file_" + std::to_string(sent.size() + 1), "part.bin", data,
                              "application/x-test"));
    sent.push_back(std::move(data));
  }
  auto r = c->Post("/latest/job/add/spinetest___echo", items);
  ASSERT_EQ(r->status, 200) << r->body.substr(0, 300);
  Json j = body_json(r);
  ASSERT_EQ(j["result"]["files"].size(), sent.size());
  for (size_t i = 0; i < sent.size(); ++i) {
    std::string url = j["result"]["files"][i];
    auto d = c->Get(url.substr(url.find("/latest")));
    ASSERT_EQ(d->status, 200);
    EXPECT_EQ(d->body.size(), sent[i].size()) << i;
    EXPECT_TRUE(d->body == sent[i]) << "file " << i << " differs";
  }
  // A range far into a blob: the chunks before it are skipped (read and verified), not sent.
  std::string url = j["result"]["files"][1];
  auto part = c->Get(url.substr(url.find("/latest")), {{"Range", "bytes=5000000-5000009"}});
  ASSERT_EQ(part->status, 206);
  EXPECT_EQ(part->body, sent[1].substr(5000000, 10));
}

TEST(Jobs, AsyncLaneAnswers202AndPolls) {
  PaperdServer& s = shared();
  auto c = s.client(s.system_key());
  auto r = c->Post("/latest/job/add/spinetest___sleep",
                   form({{"seconds", "0.5"}, {"priority", "500"}, {"tag", "async"}}));
  ASSERT_EQ(r->status, 202) << r->body;
  Json j = body_json(r);
  EXPECT_EQ(j["processing_lane"], "sla_12h");
  EXPECT_EQ(j["poll_url"], s.url("/latest/job/get/") + j["job_id"].get<std::string>());
  Json done = wait_job(*c, j["job_id"]);
  EXPECT_EQ(done["job_status"], "completed");
  EXPECT_EQ(done["result"]["tag"], "async");
  EXPECT_EQ(done["progress"], 100);
  // client_wait=false on the instant lane answers at once too.
  auto nowait = c->Post("/latest/job/add/spinetest___sleep",
                        form({{"seconds", "0.2"}, {"priority", "999"}, {"client_wait", "false"}}));
  EXPECT_EQ(nowait->status, 202);
  // Another account cannot see the job.
  auto foreign = s.client(s.create_token("ut", "stranger"))
                     ->Get("/latest/job/get/" + j["job_id"].get<std::string>());
  EXPECT_EQ(foreign->status, 404);
}

TEST(Jobs, BadInputGetsTheRightCodes) {
  PaperdServer& s = shared();
  auto c = s.client(s.system_key());
  auto dot = c->Post("/latest/job/add/paperoffice.aiocr.generate", form({}));
  EXPECT_EQ(dot->status, 400);
  EXPECT_EQ(body_json(dot)["code"], "JOB_CONFIG_INVALID");
  auto unknown = c->Post("/latest/job/add/nosuch___pipeline", form({}));
  EXPECT_EQ(unknown->status, 400);
  EXPECT_EQ(body_json(unknown)["code"], "JOB_CONFIG_INVALID");
  auto malformed =
      c->Post("/latest/job/add/spinetest___sleep", "{\"seconds\": ", "application/json");
  EXPECT_EQ(malformed->status, 400);
  EXPECT_EQ(body_json(malformed)["code"], "INVALID_REQUEST");
  auto lane = c->Post("/latest/job/add/spinetest___sleep", "{\"processing_lane\":\"warp\"}",
                      "application/json");
  EXPECT_EQ(lane->status, 400);
  EXPECT_NE(body_json(lane)["message"].get<std::string>().find("processing_lane"),
            std::string::npos);
  auto no_input = c->Post("/latest/job/add/spinetest___echo", form({{"priority", "999"}}));
  EXPECT_EQ(no_input->status, 400);
  auto ssrf = c->Post("/latest/job/add/spinetest___echo",
                      form({{"source_url", "http://127.0.0.1:9/secret"}}));
  EXPECT_EQ(ssrf->status, 400);
  EXPECT_NE(body_json(ssrf)["message"].get<std::string>().find("source_url"), std::string::npos);
  // JSON bodies with typed values work as well as forms.
  auto json = c->Post("/latest/job/add/spinetest___sleep",
                      "{\"seconds\": 0, \"priority\": 999, \"tag\": \"json\"}", "application/json");
  EXPECT_EQ(json->status, 200) << json->body;
  EXPECT_EQ(body_json(json)["result"]["tag"], "json");
}

TEST(Jobs, OversizedBodyIs413) {
  PaperdServer s({{"PAPERD_MAX_UPLOAD_MB", "1"}}, 1);
  auto c = s.client(s.system_key());
  httplib::MultipartFormDataItems items = form({{"priority", "999"}});
  // Just over the limit: loopback socket buffers take the whole body, so the client finishes
  // sending and reads the 413 before the server closes the connection.
  items.push_back(file_part("file", "big.bin", std::string((1 << 20) + (64 << 10), 'x')));
  auto r = c->Post("/latest/job/add/spinetest___echo", items);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(body_json(r)["code"], "INPUT_TOO_LARGE");
  EXPECT_EQ(s.client()->Get("/health")->status, 200);
}

TEST(Jobs, DownloadLinksExpire) {
  PaperdServer s({{"PAPERD_DOWNLOAD_TTL_SECONDS", "1"}}, 1);
  auto c = s.client(s.system_key());
  httplib::MultipartFormDataItems items = form({{"priority", "999"}});
  items.push_back(file_part("file", "a.txt", "abc"));
  Json j = body_json(c->Post("/latest/job/add/spinetest___echo", items));
  std::string url = j["result"]["files"][0];
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  auto r = c->Get(url.substr(url.find("/latest")));
  EXPECT_EQ(r->status, 410);
  EXPECT_NE(body_json(r)["message"].get<std::string>().find("expired"), std::string::npos);
}

TEST(Queue, HighPriorityOvertakesQueuedLowPriority) {
  PaperdServer s({}, 1);
  auto c = s.client(s.system_key());
  // Occupy the only worker, then queue three low jobs before one high job.
  std::string blocker = job_id_of(
      c->Post("/latest/job/add/spinetest___sleep", form({{"seconds", "1"}, {"priority", "100"}})));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  std::vector<std::string> low;
  for (int i = 0; i < 3; ++i)
    low.push_back(job_id_of(c->Post("/latest/job/add/spinetest___sleep",
                                    form({{"seconds", "0.1"}, {"priority", "100"}}))));
  std::string high = job_id_of(c->Post("/latest/job/add/spinetest___sleep",
                                       form({{"seconds", "0.1"}, {"priority", "850"}})));
  Json h = wait_job(*c, high);
  ASSERT_EQ(h["job_status"], "completed");
  for (auto& id : low) {
    Json l = wait_job(*c, id);
    ASSERT_EQ(l["job_status"], "completed");
    EXPECT_LT(h["started_at"].get<std::string>(), l["started_at"].get<std::string>());
  }
  // FIFO within one priority.
  EXPECT_LT(wait_job(*c, low[0])["started_at"].get<std::string>(),
            wait_job(*c, low[1])["started_at"].get<std::string>());
}

TEST(Isolation, SegfaultKillsOnlyTheWorker) {
  PaperdServer s({}, 2);
  auto c = s.client(s.system_key());
  auto r = c->Post("/latest/job/add/spinetest___crash", form({{"priority", "999"}}));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  Json j = body_json(r);
  EXPECT_EQ(j["code"], "WORKER_CRASHED");
  EXPECT_NE(j["message"].get<std::string>().find("Segmentation fault"), std::string::npos);
  Json polled = body_json(c->Get("/latest/job/get/" + j["job_id"].get<std::string>()));
  EXPECT_EQ(polled["job_status"], "failed");
  EXPECT_EQ(polled["attempts"], 3);
  EXPECT_NE(polled["error"].get<std::string>().find("attempt 3 of 3"), std::string::npos);
  // The API kept answering and the workers were replaced.
  Json health = body_json(c->Get("/health?verbose=1"));
  EXPECT_EQ(health["success"], true);
  EXPECT_GE(health["workers"]["restarts"].get<int>(), 3);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(body_json(c->Get("/health?verbose=1"))["workers"]["alive"], 2);
  auto ok =
      c->Post("/latest/job/add/spinetest___sleep", form({{"seconds", "0"}, {"priority", "999"}}));
  EXPECT_EQ(ok->status, 200);
}

TEST(Isolation, MemoryLimitFailsTheJobNotTheServer) {
  PaperdServer s({{"PAPERD_WORKER_MEMORY_MB", "512"}}, 1);
  auto c = s.client(s.system_key());
  auto r = c->Post("/latest/job/add/spinetest___memory", form({{"priority", "999"}}));
  ASSERT_TRUE(r);
  EXPECT_GE(r->status, 400);
  EXPECT_NE(body_json(r)["message"].get<std::string>().find("memory"), std::string::npos)
      << r->body;
  EXPECT_EQ(c->Get("/health")->status, 200);
}

TEST(Isolation, KilledWorkerMidJobIsRequeuedAndCompletes) {
  PaperdServer s({}, 1);
  auto c = s.client(s.system_key());
  std::string id =
      job_id_of(c->Post("/latest/job/add/spinetest___sleep",
                        form({{"seconds", "1.5"}, {"priority", "500"}, {"tag", "survivor"}})));
  for (int i = 0; i < 100; ++i) {
    if (body_json(c->Get("/latest/job/get/" + id))["job_status"] == "processing") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  auto workers = s.worker_pids();
  ASSERT_EQ(workers.size(), 1u);
  kill(workers[0], SIGKILL);
  Json done = wait_job(*c, id, 30000);
  EXPECT_EQ(done["job_status"], "completed") << done.dump();
  EXPECT_EQ(done["attempts"], 2);
  EXPECT_EQ(done["result"]["tag"], "survivor");
}

TEST(Lifecycle, SigtermKeepsQueuedJobsForTheNextStart) {
  PaperdServer s({}, 1);
  auto c = s.client(s.system_key());
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i)
    ids.push_back(job_id_of(c->Post("/latest/job/add/spinetest___sleep",
                                    form({{"seconds", "0.5"}, {"priority", "100"}}))));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(s.stop(SIGTERM), 0);
  s.start();
  auto c2 = s.client(s.system_key());
  for (auto& id : ids) EXPECT_EQ(wait_job(*c2, id, 30000)["job_status"], "completed") << id;
}
