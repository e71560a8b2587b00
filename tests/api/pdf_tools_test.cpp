// API tests of the qpdf/Ghostscript PDF tools through a real `paperd serve`: merge two PDFs in
// the instant lane and download the result, protect + unlock round trip (wrong password → 400
// INVALID_PASSWORD), a file that is not a PDF (400 INVALID_PDF), split in the async lane, and
// the legacy pdfstudio___jpg_to_pdf slug.
#include <gtest/gtest.h>

#include <filesystem>

#include "../unit/engines/pdf/qpdf_test_util.h"
#include "../unit/fixtures/magick.h"
#include "core/fs.h"
#include "server.h"

using namespace paperd::testing;
using paperd::Json;
namespace qt = paperd::qpdf_test;
namespace fixtures = paperd::fixtures;

namespace {

PaperdServer& server() {
  static PaperdServer s;
  return s;
}

std::string text_pdf(const std::vector<std::string>& texts) {
  std::vector<fixtures::FixturePage> pages;
  for (const auto& t : texts) pages.push_back(fixtures::FixturePage::lines({t}));
  return fixtures::make_text_pdf(pages);
}

httplib::Result post_workflow(httplib::Client& c, const std::string& tmpl,
                              std::vector<std::pair<std::string, std::string>> fields,
                              const std::vector<httplib::MultipartFormData>& files) {
  httplib::MultipartFormDataItems items = form({{"template", tmpl}});
  for (auto& [k, v] : fields) items.push_back({k, v, "", ""});
  for (const auto& f : files) items.push_back(f);
  return c.Post("/latest/job/add/workflow", items);
}

// GET a download URL the API returned and store it in dir/name.
std::filesystem::path download(const std::string& url, const std::filesystem::path& file) {
  auto r = server().client()->Get(url.substr(url.find("/latest")));
  EXPECT_EQ(r->status, 200);
  paperd::core::atomic_write_file(file, r->body);
  return file;
}

}  // namespace

TEST(PdfToolsApi, MergeTwoPdfsInstantAndDownload) {
  qt::TempFolder t;
  auto c = server().client(server().system_key());
  auto r = post_workflow(
      *c, "pdf_merge", {{"priority", "999"}, {"output_filename", "both.pdf"}},
      {file_part("file_1", "first.pdf", text_pdf({"First A", "First B"}), "application/pdf"),
       file_part("file_2", "second.pdf", text_pdf({"Second A"}), "application/pdf")});
  ASSERT_EQ(r->status, 200) << r->body;
  Json j = body_json(r);
  EXPECT_EQ(j["operation"], "pdf_merge");
  EXPECT_EQ(j["result"]["pages"], 3);
  ASSERT_EQ(j["result"]["files"].size(), 1u);
  auto file = download(j["result"]["files"][0], t / "both.pdf");
  EXPECT_TRUE(qt::qpdf_check(file));
  EXPECT_EQ(qt::page_texts(file), (std::vector<std::string>{"First A", "First B", "Second A"}));
  Json outlines = qt::qpdf_json(file, "outlines")["outlines"];
  ASSERT_EQ(outlines.size(), 2u);
  EXPECT_EQ(outlines[1]["title"], "second");
  EXPECT_EQ(outlines[1]["destpageposfrom1"], 3);
}

TEST(PdfToolsApi, ProtectThenUnlockWithWrongAndRightPassword) {
  qt::TempFolder t;
  auto c = server().client(server().system_key());
  auto p = post_workflow(*c, "pdf_protect",
                         {{"priority", "999"}, {"password", "s3cret"}, {"allow_print", "false"}},
                         {file_part("file", "doc.pdf", text_pdf({"Private"}), "application/pdf")});
  ASSERT_EQ(p->status, 200) << p->body;
  Json pj = body_json(p);
  EXPECT_EQ(pj["result"]["encryption"], "AES-256 (R6)");
  auto locked = download(pj["result"]["files"][0], t / "locked.pdf");
  EXPECT_EQ(qt::npages(locked), -1);
  EXPECT_EQ(qt::npages(locked, "s3cret"), 1);
  std::string enc =
      qt::tool({"qpdf", "--password=s3cret", "--show-encryption", locked.string()}).out;
  EXPECT_NE(enc.find("R = 6"), std::string::npos);
  EXPECT_NE(enc.find("print high resolution: not allowed"), std::string::npos);

  const std::string bytes = paperd::core::read_file(locked);
  auto wrong = post_workflow(*c, "pdf_unlock", {{"priority", "999"}, {"password", "guess"}},
                             {file_part("file", "locked.pdf", bytes, "application/pdf")});
  ASSERT_EQ(wrong->status, 400) << wrong->body;
  EXPECT_EQ(body_json(wrong)["code"], "INVALID_PASSWORD");
  EXPECT_NE(body_json(wrong)["message"].get<std::string>().find("locked.pdf"), std::string::npos);

  auto none = post_workflow(*c, "pdf_remove_restrictions", {{"priority", "999"}},
                            {file_part("file", "locked.pdf", bytes, "application/pdf")});
  ASSERT_EQ(none->status, 400) << none->body;
  EXPECT_EQ(body_json(none)["code"], "PDF_PASSWORD_REQUIRED");

  auto right = post_workflow(*c, "pdf_unlock", {{"priority", "999"}, {"password", "s3cret"}},
                             {file_part("file", "locked.pdf", bytes, "application/pdf")});
  ASSERT_EQ(right->status, 200) << right->body;
  EXPECT_EQ(body_json(right)["result"]["was_encrypted"], true);
  auto open = download(body_json(right)["result"]["files"][0], t / "open.pdf");
  EXPECT_TRUE(qt::qpdf_check(open));
  EXPECT_EQ(qt::page_texts(open), (std::vector<std::string>{"Private"}));
}

TEST(PdfToolsApi, NotAPdfIsInvalidPdf) {
  auto c = server().client(server().system_key());
  auto r = post_workflow(*c, "pdf_rotate", {{"priority", "999"}, {"angle", "90"}},
                         {file_part("file", "holiday.pdf", "these are not PDF bytes")});
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_EQ(body_json(r)["code"], "INVALID_PDF");
  EXPECT_NE(body_json(r)["message"].get<std::string>().find("holiday.pdf"), std::string::npos);
  // Parameters are checked before a job exists.
  auto bad = post_workflow(*c, "pdf_rotate", {{"priority", "999"}, {"angle", "45"}},
                           {file_part("file", "a.pdf", text_pdf({"x"}), "application/pdf")});
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(body_json(bad)["code"], "INVALID_REQUEST");
}

TEST(PdfToolsApi, SplitRangesAsyncAndLegacyJpgToPdf) {
  qt::TempFolder t;
  auto c = server().client(server().system_key());
  auto r = post_workflow(
      *c, "pdf_split", {{"ranges", "1-2,4-"}},
      {file_part("file", "book.pdf", text_pdf({"P1", "P2", "P3", "P4", "P5"}), "application/pdf")});
  ASSERT_EQ(r->status, 202) << r->body;
  Json done = wait_job(*c, body_json(r)["job_id"]);
  ASSERT_EQ(done["job_status"], "completed") << done.dump();
  Json parts = done["result"]["parts"];
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0]["filename"], "book_1-2.pdf");
  EXPECT_EQ(parts[1]["filename"], "book_4-5.pdf");
  auto second = download(parts[1]["file"], t / "b.pdf");
  EXPECT_EQ(qt::page_texts(second), (std::vector<std::string>{"P4", "P5"}));

  ASSERT_EQ(qt::tool(paperd::image_fixtures::magick({"-size", "120x80", "xc:orange"}, t / "p.jpg",
                                                    paperd::image_fixtures::Pixels::kRgb8))
                .exit_code,
            0);
  const std::string jpeg = paperd::core::read_file(t / "p.jpg");
  httplib::MultipartFormDataItems items = form({{"priority", "999"}});
  items.push_back(file_part("file", "p.jpg", jpeg, "image/jpeg"));
  auto j = c->Post("/latest/job/add/pdfstudio___jpg_to_pdf", items);
  ASSERT_EQ(j->status, 200) << j->body;
  auto pdf = download(body_json(j)["result"]["files"][0], t / "p.pdf");
  EXPECT_TRUE(qt::qpdf_check(pdf));
  EXPECT_NE(paperd::core::read_file(pdf).find(jpeg), std::string::npos);
}
