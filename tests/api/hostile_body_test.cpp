// Hostile JSON bodies against a real `paperd serve`: nested millions deep, millions of empty
// arrays, or just over a route's JSON limit, to the job route (50 MB for uploads) and to MCP.
// Each is refused with the API's code naming the limit, and the API process's memory after
// twenty of them stays within a few MB of what it was before.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "server.h"

using namespace paperd::testing;
using paperd::Json;

namespace {

int64_t rss_kb(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string key;
  while (in >> key) {
    if (key == "VmRSS:") {
      int64_t kb = 0;
      in >> kb;
      return kb;
    }
    in.ignore(1 << 12, '\n');
  }
  return -1;
}

std::string nested(size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

std::string flat_empty_arrays(size_t bytes) {
  std::string s = "{\"items\": [";
  while (s.size() + 5 < bytes) s += "[],";
  return s + "[]]}";
}

struct Hostile {
  std::string path, body;
  int status;
  std::string code, names;  // the answer's code and a phrase its message holds
};

}  // namespace

TEST(HostileBody, RefusedEarlyAndTheProcessKeepsItsMemory) {
  PaperdServer s({}, 1);
  auto c = s.client(s.system_key());
  auto mcp = s.client(s.user_token());  // MCP takes user tokens, not po_sk_ keys
  c->set_read_timeout(30, 0);
  mcp->set_read_timeout(30, 0);
  auto client_for = [&](const std::string& path) { return path == "/mcp" ? mcp.get() : c.get(); };
  // Warm-up: every code path the hostile bodies take runs once before the baseline.
  auto ok = c->Post("/latest/job/add/spinetest___sleep",
                    "{\"seconds\": 0, \"priority\": 999, \"tag\": \"warm\"}", "application/json");
  ASSERT_TRUE(ok);
  ASSERT_EQ(ok->status, 200) << ok->body;
  std::vector<Hostile> bodies = {
      {"/latest/job/add/spinetest___sleep", nested(3'000'000), 413, "INPUT_TOO_LARGE",
       "limit of 1048576 bytes for JSON"},
      {"/latest/job/add/spinetest___sleep", nested(500'000), 400, "INVALID_REQUEST",
       "deeper than 64 levels"},
      {"/latest/job/add/spinetest___sleep", flat_empty_arrays(1'000'000), 413, "INPUT_TOO_LARGE",
       "more than 100000 values"},
      {"/mcp", nested(1'500'000), 400, "INVALID_REQUEST", "deeper than 64 levels"},
      {"/mcp", flat_empty_arrays(3'000'000), 413, "INPUT_TOO_LARGE", "more than 100000 values"},
  };
  for (const auto& h : bodies) {  // once each, so allocator caches settle before the baseline
    auto r = client_for(h.path)->Post(h.path, h.body, "application/json");
    ASSERT_TRUE(r) << h.path;
  }
  int64_t idle = rss_kb(s.pid());
  ASSERT_GT(idle, 0);
  for (int i = 0; i < 20; ++i) {
    const Hostile& h = bodies[i % bodies.size()];
    auto r = client_for(h.path)->Post(h.path, h.body, "application/json");
    ASSERT_TRUE(r) << h.path << " body " << i << ": " << httplib::to_string(r.error());
    EXPECT_EQ(r->status, h.status) << r->body;
    Json j = body_json(r);
    EXPECT_EQ(j["code"], h.code) << r->body;
    EXPECT_NE(j["message"].get<std::string>().find(h.names), std::string::npos) << r->body;
  }
  int64_t after = rss_kb(s.pid());
  RecordProperty("rss_growth_kb", std::to_string(after - idle));
  std::printf("API process RSS: %lld kB before, %lld kB after 20 hostile bodies\n",
              static_cast<long long>(idle), static_cast<long long>(after));
  EXPECT_LT(after - idle, 8 * 1024)
      << "idle " << idle << " kB, after 20 hostile bodies " << after << " kB";
  // Nothing was queued, and the server answers as before.
  EXPECT_EQ(s.client()->Get("/health")->status, 200);
  auto again =
      c->Post("/latest/job/add/spinetest___sleep",
              "{\"seconds\": 0, \"priority\": 999, \"tag\": \"after\"}", "application/json");
  ASSERT_TRUE(again);
  EXPECT_EQ(body_json(again)["result"]["tag"], "after");
}
