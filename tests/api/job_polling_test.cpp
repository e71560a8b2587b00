// Clients written for the hosted API, against a real `paperd serve` (CONTRACTS §2.2): one polls
// GET /job/get until the top-level status is "completed", one reads job_result.status first, one
// reads job_status; all three finish, on a completed and on a failed job. POST /job, the generic
// job call, routes by pipeline, template or ocr_mode/model, and refuses anything else.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <thread>

#include "../unit/engines/ocr/ocr_fixtures.h"
#include "core/fs.h"
#include "server.h"

using namespace paperd::testing;
using paperd::Json;
namespace ofx = paperd::ocr_fixtures;

namespace {

PaperdServer& shared() {
  static PaperdServer server;
  return server;
}

// Polls as a client would, until done(answer) or 30 s; returns the last answer.
Json poll_until(httplib::Client& c, const std::string& job_id,
                const std::function<bool(const Json&)>& done) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  Json j;
  while (std::chrono::steady_clock::now() < deadline) {
    j = body_json(c.Get("/latest/job/get/" + job_id));
    if (done(j)) return j;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return j;
}

bool finished(const std::string& state) {
  return state == "completed" || state == "failed";
}

std::string str(const Json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}

}  // namespace

TEST(JobPolling, ClientsPollingStatusJobResultOrJobStatusAllFinish) {
  PaperdServer& s = shared();
  auto c = s.client(s.system_key());
  httplib::MultipartFormDataItems items = form({{"priority", "500"}});
  items.push_back(file_part("file", "note.txt", "polled until completed\n"));
  auto r = c->Post("/latest/job/add/spinetest___echo", items);
  ASSERT_EQ(r->status, 202) << r->body;
  Json accepted = body_json(r);
  EXPECT_EQ(accepted["status"], "success") << "answers of /job/add keep status:success";
  std::string id = accepted["job_id"];

  // While it runs, status is a state, never "success".
  Json early = body_json(c->Get("/latest/job/get/" + id));
  EXPECT_NE(early["status"], "success");
  EXPECT_EQ(early["status"], early["job_status"]);
  EXPECT_EQ(early["success"], true);

  // The index's client: "poll until status=completed".
  Json by_status = poll_until(*c, id, [](const Json& j) { return finished(str(j, "status")); });
  ASSERT_EQ(by_status["status"], "completed") << by_status.dump();
  EXPECT_EQ(by_status["job_status"], "completed");
  EXPECT_EQ(by_status["success"], true);
  // The cookbook's client: job_result.status first, then job_status.
  Json by_result = poll_until(*c, id, [](const Json& j) {
    std::string st = str(j.value("job_result", Json()), "status");
    return finished(st.empty() ? str(j, "job_status") : st);
  });
  EXPECT_EQ(by_result["job_result"]["status"], "completed");
  // The same payload under result and job_result, with every download listed.
  EXPECT_EQ(by_status["result"], by_status["job_result"]);
  ASSERT_EQ(by_status["job_result"]["output_files"].size(), 1u) << by_status.dump();
  std::string url = by_status["job_result"]["output_files"][0];
  EXPECT_EQ(by_status["result"]["files"][0], url);
  auto d = s.client()->Get(url.substr(url.find("/latest")));
  ASSERT_EQ(d->status, 200);
  EXPECT_EQ(d->body, "polled until completed\n");
  // wait_job reads job_status, as paperd's own clients did: it still works.
  EXPECT_EQ(wait_job(*c, id)["job_status"], "completed");
}

TEST(JobPolling, AFailedJobIsFailedEverywhereAClientLooks) {
  PaperdServer& s = shared();
  auto c = s.client(s.system_key());
  auto r = c->Post("/latest/job/add/spinetest___fail", form({{"priority", "500"}}));
  ASSERT_EQ(r->status, 202) << r->body;
  Json j = poll_until(*c, body_json(r)["job_id"],
                      [](const Json& j) { return finished(str(j, "status")); });
  EXPECT_EQ(j["status"], "failed") << j.dump();
  EXPECT_EQ(j["job_status"], "failed");
  EXPECT_EQ(j["job_result"]["status"], "failed");
  EXPECT_FALSE(j["error"].get<std::string>().empty());
  EXPECT_EQ(j["job_result"]["error_code"], j["error_code"]);
  // An unknown job is an error envelope, not a state.
  auto missing = c->Get("/latest/job/get/poai-job_500_1776600000.1234_0a1b2c3d");
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(body_json(missing)["status"], "error");
}

TEST(JobPolling, GenericJobCallRoutesByPipelineTemplateOrOcrMode) {
  PaperdServer& s = shared();
  auto c = s.client(s.system_key());
  // pipeline=<slug>
  auto by_slug = c->Post("/latest/job", form({{"pipeline", "spinetest___sleep"},
                                              {"seconds", "0"},
                                              {"tag", "generic"},
                                              {"priority", "999"}}));
  ASSERT_EQ(by_slug->status, 200) << by_slug->body;
  EXPECT_EQ(body_json(by_slug)["pipeline"], "spinetest___sleep");
  EXPECT_EQ(body_json(by_slug)["result"]["tag"], "generic");
  // The same as JSON, and in the async lane: a 202 to poll.
  auto json =
      c->Post("/latest/job", R"({"pipeline": "spinetest___sleep", "seconds": 0, "priority": 500})",
              "application/json");
  ASSERT_EQ(json->status, 202) << json->body;
  EXPECT_EQ(wait_job(*c, body_json(json)["job_id"])["status"], "completed");

  // template=... is a workflow job: a real merge of two PDFs made by the OCR fixtures.
  paperd::core::TempDir dir(std::filesystem::temp_directory_path(), "generic-job-");
  ofx::text_page(dir.path() / "a.png", {"Generic job call, first page."});
  ofx::text_page(dir.path() / "b.png", {"Second page of the merge."});
  ofx::images_to_pdf({dir.path() / "a.png"}, dir.path() / "a.pdf");
  ofx::images_to_pdf({dir.path() / "b.png"}, dir.path() / "b.pdf");
  httplib::MultipartFormDataItems merge = form({{"template", "pdf_merge"}, {"priority", "999"}});
  merge.push_back(
      file_part("file_1", "a.pdf", ofx::read_all(dir.path() / "a.pdf"), "application/pdf"));
  merge.push_back(
      file_part("file_2", "b.pdf", ofx::read_all(dir.path() / "b.pdf"), "application/pdf"));
  auto merged = c->Post("/latest/job", merge);
  ASSERT_EQ(merged->status, 200) << merged->body;
  Json mj = body_json(merged);
  EXPECT_EQ(mj["pipeline"], "workflow");
  EXPECT_EQ(mj["operation"], "pdf_merge");
  std::string url = mj["result"]["files"][0];
  auto pdf = s.client()->Get(url.substr(url.find("/latest")));
  ASSERT_EQ(pdf->status, 200);
  paperd::core::atomic_write_file(dir.path() / "merged.pdf", pdf->body);
  EXPECT_EQ(ofx::run({"qpdf", "--show-npages", (dir.path() / "merged.pdf").string()}).out, "2\n");

  // ocr_mode without a template is AI-OCR: the text comes back.
  httplib::MultipartFormDataItems ocr = form({{"ocr_mode", "text"}, {"priority", "999"}});
  ocr.push_back(file_part("file", "a.png", ofx::read_all(dir.path() / "a.png"), "image/png"));
  auto read = c->Post("/latest/job", ocr);
  ASSERT_EQ(read->status, 200) << read->body;
  Json oj = body_json(read);
  EXPECT_EQ(oj["pipeline"], "paperoffice_aiocr___generate");
  EXPECT_LT(ofx::cer("Generic job call, first page.",
                     oj["result"]["output"]["pages"]["00001"]["ocr_text"]),
            0.05)
      << oj.dump();

  // Nothing that names a job: 400 JOB_CONFIG_INVALID naming the three forms; nothing queued.
  auto none = c->Post("/latest/job", form({{"priority", "999"}}));
  EXPECT_EQ(none->status, 400);
  Json nj = body_json(none);
  EXPECT_EQ(nj["code"], "JOB_CONFIG_INVALID");
  for (const char* form : {"pipeline=", "template=", "ocr_mode="})
    EXPECT_NE(nj["message"].get<std::string>().find(form), std::string::npos) << nj.dump();
  auto bad = c->Post("/latest/job", form({{"pipeline", "pdf.merge"}}));
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(body_json(bad)["code"], "JOB_CONFIG_INVALID");
}
