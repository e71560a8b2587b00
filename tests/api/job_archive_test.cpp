// API tests of result.archive_url through a real `paperd serve`: a split's parts downloaded as one
// ZIP (read back by libarchive, `unzip -t` and Python's zipfile: names and order as in
// result.files, each entry the bytes of its own download, the page counts qpdf sees), duplicate
// names made unique, the archive's name, no archive for one output, and the token rules of single
// downloads (foreign Bearer and unknown token 404, expired 410); an unreadable blob cuts the
// download short without harming the server.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "../unit/engines/archive/zip_read_back.h"
#include "../unit/engines/pdf/qpdf_test_util.h"
#include "core/fs.h"
#include "core/ids.h"
#include "core/subprocess.h"
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

std::string path_of(const std::string& url) {
  return url.substr(url.find("/latest"));
}

using paperd::zip_test::read_back;  // the ZIP's entries as libarchive reads them

httplib::Result echo(httplib::Client& c, const std::vector<std::string>& names) {
  httplib::MultipartFormDataItems items = form({{"priority", "999"}});
  for (size_t i = 0; i < names.size(); ++i)
    items.push_back(file_part("file_" + std::to_string(i + 1), names[i], "bytes of " + names[i]));
  return c.Post("/latest/job/add/spinetest___echo", items);
}

}  // namespace

TEST(JobArchive, SplitPartsDownloadAsOneZip) {
  qt::TempFolder t;
  auto c = server().client(server().system_key());
  std::vector<fixtures::FixturePage> pages;
  for (const char* text : {"P1", "P2", "P3", "P4", "P5"})
    pages.push_back(fixtures::FixturePage::lines({text}));
  httplib::MultipartFormDataItems items =
      form({{"template", "pdf_split"}, {"ranges", "1-2,3,4-"}, {"priority", "999"}});
  items.push_back(file_part("file", "book.pdf", fixtures::make_text_pdf(pages), "application/pdf"));
  auto r = c->Post("/latest/job/add/workflow", items);
  ASSERT_EQ(r->status, 200) << r->body;
  Json result = body_json(r)["result"];
  ASSERT_EQ(result["files"].size(), 3u);
  std::string archive_url = result["archive_url"];
  ASSERT_EQ(archive_url.rfind(server().url("/latest/job/download/"), 0), 0u) << archive_url;

  // The token alone is enough, as for a single file.
  auto zip = server().client()->Get(path_of(archive_url));
  ASSERT_EQ(zip->status, 200) << zip->body;
  EXPECT_EQ(zip->get_header_value("Content-Type"), "application/zip");
  EXPECT_EQ(zip->get_header_value("Content-Disposition"), "attachment; filename=\"book.zip\"");
  EXPECT_EQ(zip->get_header_value("Cache-Control"), "private, no-store");
  EXPECT_EQ(zip->get_header_value("Content-Length"), std::to_string(zip->body.size()));

  // In the order of result.files, each entry the bytes of its own download.
  auto entries = read_back(zip->body);
  const std::vector<std::string> names = {"book_1-2.pdf", "book_3.pdf", "book_4-5.pdf"};
  const std::vector<int> page_counts = {2, 1, 2};
  ASSERT_EQ(entries.size(), 3u);
  for (size_t i = 0; i < entries.size(); ++i) {
    EXPECT_EQ(entries[i].name, names[i]);
    auto single = c->Get(path_of(result["files"][i]));
    ASSERT_EQ(single->status, 200);
    EXPECT_TRUE(entries[i].bytes == single->body) << names[i];
    auto part = t / names[i];
    paperd::core::atomic_write_file(part, entries[i].bytes);
    EXPECT_EQ(qt::npages(part), page_counts[i]) << names[i];
  }

  // Two more readers written by others: Info-ZIP and Python.
  auto file = t / "book.zip";
  paperd::core::atomic_write_file(file, zip->body);
  auto unzip = paperd::core::run_process({.argv = {"unzip", "-t", file.string()}});
  EXPECT_TRUE(unzip.ok()) << unzip.out << unzip.err;
  auto py = paperd::core::run_process({.argv = {"python3", "-c",
                                                "import sys, zipfile\n"
                                                "z = zipfile.ZipFile(sys.argv[1])\n"
                                                "assert z.testzip() is None\n"
                                                "print(' '.join(z.namelist()))\n",
                                                file.string()}});
  ASSERT_TRUE(py.ok()) << py.err;
  EXPECT_EQ(py.out, "book_1-2.pdf book_3.pdf book_4-5.pdf\n");

  // Polling shows the same archive link; output_files lists the files only.
  Json polled = body_json(c->Get("/latest/job/get/" + body_json(r)["job_id"].get<std::string>()));
  EXPECT_EQ(polled["result"]["archive_url"], archive_url);
  EXPECT_EQ(polled["job_result"]["output_files"], result["files"]);
  // A Bearer that is not the owner's is refused, as for a single file.
  auto other = server().client(server().create_token("ut", "archive-stranger"));
  EXPECT_EQ(other->Get(path_of(archive_url))->status, 404);
}

TEST(JobArchive, DuplicateNamesAreMadeUnique) {
  auto c = server().client(server().system_key());
  auto r = echo(*c, {"scan.txt", "scan.txt", "scan.TXT"});
  ASSERT_EQ(r->status, 200) << r->body;
  auto zip = c->Get(path_of(body_json(r)["result"]["archive_url"]));
  ASSERT_EQ(zip->status, 200);
  EXPECT_EQ(zip->get_header_value("Content-Disposition"), "attachment; filename=\"scan.zip\"");
  auto entries = read_back(zip->body);
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].name, "scan.txt");
  EXPECT_EQ(entries[1].name, "scan (2).txt");
  EXPECT_EQ(entries[2].name, "scan (3).TXT");
  EXPECT_EQ(entries[2].bytes, "bytes of scan.TXT");

  // Files that share no name: the archive is named after the job.
  auto other = echo(*c, {"a.txt", "b.txt"});
  ASSERT_EQ(other->status, 200) << other->body;
  std::string job_id = body_json(other)["job_id"];
  auto named = c->Get(path_of(body_json(other)["result"]["archive_url"]));
  EXPECT_EQ(named->get_header_value("Content-Disposition"),
            "attachment; filename=\"job-" + job_id.substr(job_id.rfind('_') + 1) + ".zip\"");
}

TEST(JobArchive, OneOutputHasNoArchive) {
  auto c = server().client(server().system_key());
  auto r = echo(*c, {"only.txt"});
  ASSERT_EQ(r->status, 200) << r->body;
  Json j = body_json(r);
  EXPECT_EQ(j["result"]["files"].size(), 1u);
  EXPECT_FALSE(j["result"].contains("archive_url")) << j.dump();
  Json polled = body_json(c->Get("/latest/job/get/" + j["job_id"].get<std::string>()));
  EXPECT_FALSE(polled["result"].contains("archive_url"));
  EXPECT_EQ(polled["job_result"]["output_files"].size(), 1u);
}

TEST(JobArchive, UnknownAndExpiredArchiveTokens) {
  PaperdServer s({{"PAPERD_DOWNLOAD_TTL_SECONDS", "1"}}, 1);
  auto c = s.client(s.system_key());
  auto r = echo(*c, {"a.txt", "b.txt"});
  ASSERT_EQ(r->status, 200) << r->body;
  std::string archive_url = body_json(r)["result"]["archive_url"];
  EXPECT_EQ(c->Get("/latest/job/download/" + paperd::core::make_download_token())->status, 404);
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  auto expired = c->Get(path_of(archive_url));
  EXPECT_EQ(expired->status, 410);
  EXPECT_NE(body_json(expired)["message"].get<std::string>().find("expired"), std::string::npos);
}

// The status line is out before the first entry is read: a blob that cannot be read then cuts the
// download short (the client sees a truncated body), and the server goes on serving.
TEST(JobArchive, UnreadableBlobCutsTheDownloadNotTheServer) {
  PaperdServer s({}, 1);
  auto c = s.client(s.system_key());
  auto r = echo(*c, {"a.txt", "b.txt"});
  ASSERT_EQ(r->status, 200) << r->body;
  const auto blobs = s.data_dir() / "data" / "blobs";
  std::filesystem::rename(blobs, s.data_dir() / "blobs-away");
  std::filesystem::create_directory(blobs);
  auto cut = c->Get(path_of(body_json(r)["result"]["archive_url"]));
  EXPECT_FALSE(cut) << "status " << cut->status << ", " << cut->body.size() << " bytes";
  EXPECT_EQ(c->Get("/health")->status, 200);
  EXPECT_NE(s.log().find("body stream failed"), std::string::npos) << s.log();
}
