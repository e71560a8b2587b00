// The warm LibreOffice pool against a real soffice: text survives DOCX/ODT → PDF, formulas are
// recalculated, a fake DOCX is refused naming the file, and an instance that overruns its time
// limit is killed with its process group and replaced.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "convert_fixtures.h"
#include "core/error.h"
#include "core/fs.h"
#include "engines/convert/office_pool.h"

namespace cv = paperd::engines::convert;
namespace fx = paperd::testing::convert;
using paperd::core::Error;
using paperd::core::TempDir;

namespace {

// Killed processes linger as zombies until init reaps them; give it a moment.
bool group_alive(pid_t pgid) {
  for (int i = 0; i < 300; ++i) {
    if (::kill(-pgid, 0) != 0) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

class OfficePoolTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>(std::filesystem::temp_directory_path(), "office-test-");
    cv::OfficeOptions o;
    o.work_dir = dir_->path() / "work";
    pool_ = std::make_unique<cv::OfficePool>(o, 1);
  }
  static void TearDownTestSuite() {
    pool_.reset();
    dir_.reset();
  }
  static std::filesystem::path path(const std::string& name) { return dir_->path() / name; }
  static cv::OfficeFile file(const std::string& name) {
    return {path(name), path(name + ".pdf"), name};
  }

  static std::unique_ptr<TempDir> dir_;
  static std::unique_ptr<cv::OfficePool> pool_;
};
std::unique_ptr<TempDir> OfficePoolTest::dir_;
std::unique_ptr<cv::OfficePool> OfficePoolTest::pool_;

}  // namespace

TEST(OfficeImportFilter, PlainTextOnlyFitsTextExtensions) {
  EXPECT_TRUE(cv::import_filter_fits("a.docx", "MS Word 2007 XML"));
  EXPECT_TRUE(cv::import_filter_fits("notes.txt", "Text"));
  EXPECT_TRUE(cv::import_filter_fits("table.CSV", "Text - txt - csv (StarCalc)"));
  EXPECT_FALSE(cv::import_filter_fits("report.docx", "Text"));
  EXPECT_FALSE(cv::import_filter_fits("sheet.xlsx", "Text (encoded)"));
}

TEST_F(OfficePoolTest, DocxOdtAndXlsxBecomePdfsWithTheirText) {
  fx::make_docx(path("letter.docx"), {"Dear reader,", "the warm pool converted this DOCX."});
  fx::make_odt(path("notes.odt"), "An OpenDocument text about zebras.");
  fx::make_xlsx_with_formula(path("sums.xlsx"), "Grand total");
  auto results = pool_->convert({file("letter.docx"), file("notes.odt"), file("sums.xlsx")}, 60000);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].import_filter, "MS Word 2007 XML");
  EXPECT_NE(fx::pdf_text(path("letter.docx.pdf")).find("the warm pool converted this DOCX"),
            std::string::npos);
  EXPECT_NE(fx::pdf_text(path("notes.odt.pdf")).find("OpenDocument text about zebras"),
            std::string::npos);
  // libxlsxwriter cached 0 for =A1+A2; only the forced recalculation prints 5555.
  std::string sums = fx::pdf_text(path("sums.xlsx.pdf"));
  EXPECT_NE(sums.find("5555"), std::string::npos) << sums;
  EXPECT_NE(sums.find("Grand total"), std::string::npos);
  EXPECT_EQ(fx::pdf_info(path("letter.docx.pdf"), "Pages"), "1");
}

TEST_F(OfficePoolTest, WarmInstanceIsReusedAndFast) {
  fx::make_docx(path("warm.docx"), {"Warm conversion."});
  pool_->convert({file("warm.docx")}, 60000);
  auto pids = pool_->instance_pids();
  ASSERT_EQ(pids.size(), 1u);
  auto start = std::chrono::steady_clock::now();
  pool_->convert({file("warm.docx")}, 60000);
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(pool_->instance_pids(), pids);  // the same process served both
  EXPECT_LT(ms, 900) << "a warm conversion should not pay LibreOffice's start-up";
}

TEST_F(OfficePoolTest, FakeDocxIsUnsupportedDocumentNamingTheFile) {
  {
    std::ofstream out(path("broken.docx"), std::ios::binary);
    out << "PK\x03\x04 this is not really a zip archive at all";
  }
  try {
    pool_->convert({file("broken.docx")}, 60000);
    FAIL() << "a fake DOCX was converted";
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), 400);
    EXPECT_EQ(e.code(), "UNSUPPORTED_DOCUMENT");
    EXPECT_NE(std::string(e.what()).find("broken.docx"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find(dir_->path().string()), std::string::npos)
        << "temp paths must not leak: " << e.what();
  }
  // The instance survives a refused document.
  fx::make_docx(path("after.docx"), {"Still working."});
  EXPECT_NO_THROW(pool_->convert({file("after.docx")}, 60000));
}

TEST_F(OfficePoolTest, SpreadsheetCannotFetchFromTheNetwork) {
  httplib::Server server;
  std::atomic<int> hits{0};
  server.Get("/leak", [&](const httplib::Request&, httplib::Response& res) {
    ++hits;
    res.set_content("LEAKEDSECRET", "text/plain");
  });
  int port = server.bind_to_any_port("127.0.0.1");
  std::thread serving([&] { server.listen_after_bind(); });
  fx::make_xlsx_fetching(path("fetch.xlsx"), "http://127.0.0.1:" + std::to_string(port) + "/leak");
  pool_->convert({file("fetch.xlsx")}, 60000);
  server.stop();
  serving.join();
  std::string text = fx::pdf_text(path("fetch.xlsx.pdf"));
  EXPECT_NE(text.find("below the fetch"), std::string::npos);
  EXPECT_EQ(text.find("LEAKEDSECRET"), std::string::npos);
  EXPECT_EQ(hits.load(), 0) << "WEBSERVICE() reached a loopback server";
}

TEST_F(OfficePoolTest, OverrunKillsTheProcessGroupAndTheReplacementWorks) {
  fx::make_docx(path("slow.docx"), {"Any document takes longer than a millisecond."});
  pool_->convert({file("slow.docx")}, 60000);  // warm
  auto before = pool_->instance_pids();
  ASSERT_EQ(before.size(), 1u);
  try {
    pool_->convert({file("slow.docx")}, 1);
    FAIL() << "a 1 ms limit was met";
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), 504);
    EXPECT_EQ(e.code(), "CONVERSION_TIMEOUT");
    EXPECT_NE(std::string(e.what()).find("slow.docx"), std::string::npos);
  }
  EXPECT_FALSE(group_alive(before[0])) << "soffice and its driver must be gone";
  auto after = pool_->instance_pids();
  ASSERT_EQ(after.size(), 1u) << "a replacement starts at once";
  EXPECT_NE(after[0], before[0]);
  auto results = pool_->convert({file("slow.docx")}, 60000);
  EXPECT_NE(fx::pdf_text(path("slow.docx.pdf")).find("longer than a millisecond"),
            std::string::npos);
}

TEST_F(OfficePoolTest, OfficeThatDiedWhileIdleIsReplacedWithoutFailingTheJob) {
  fx::make_docx(path("idle.docx"), {"Converted after the office died."});
  pool_->convert({file("idle.docx")}, 60000);
  auto before = pool_->instance_pids();
  ASSERT_EQ(before.size(), 1u);
  // Kill LibreOffice behind its driver's back: every process of the group but the leader.
  int killed = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    std::getline(stat, line);
    auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 2));
    std::string state, ppid, pgrp;
    rest >> state >> ppid >> pgrp;
    pid_t pid = std::stoi(name);
    if (pgrp == std::to_string(before[0]) && pid != before[0] && state != "Z") {
      ::kill(pid, SIGKILL);
      ++killed;
    }
  }
  ASSERT_GT(killed, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto results = pool_->convert({file("idle.docx")}, 60000);
  EXPECT_NE(fx::pdf_text(path("idle.docx.pdf")).find("Converted after the office died"),
            std::string::npos);
  EXPECT_NE(pool_->instance_pids(), before);
}

TEST(OfficePool, DestroyingThePoolEndsEveryInstance) {
  TempDir dir(std::filesystem::temp_directory_path(), "office-test-");
  fx::make_docx(dir.path() / "a.docx", {"Pool of two."});
  fx::make_docx(dir.path() / "b.docx", {"Second file."});
  std::vector<pid_t> pids;
  {
    cv::OfficeOptions o;
    o.work_dir = dir.path() / "work";
    cv::OfficePool pool(o, 2);
    auto r = pool.convert({{dir.path() / "a.docx", dir.path() / "a.pdf", "a.docx"},
                           {dir.path() / "b.docx", dir.path() / "b.pdf", "b.docx"}},
                          60000);
    ASSERT_EQ(r.size(), 2u);
    pids = pool.instance_pids();
    EXPECT_EQ(pids.size(), 2u);
  }
  for (pid_t p : pids) EXPECT_FALSE(group_alive(p));
  EXPECT_NE(fx::pdf_text(dir.path() / "b.pdf").find("Second file."), std::string::npos);
  EXPECT_TRUE(std::filesystem::is_empty(dir.path() / "work"));
}
