// The page scanner over several files and threads: reports in page order whatever the thread
// count, separator codes flagged, progress up to the total, cancellation honoured, and the page
// limit counted over all inputs together.
#include "engines/scan/page_scanner.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/fs.h"
#include "scan_fixtures.h"

using namespace paperd::engines::scan;
namespace fx = paperd::scan_fixtures;

namespace {

class ScanScanner : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<paperd::core::TempDir>(std::filesystem::temp_directory_path(),
                                                   "scan-scanner-");
    fx::text_page(path("text.png"), "Quarterly report");
    fx::qr_page(path("sep.png"), "PATCHT", 900, 1200, 10);
    fx::run(paperd::image_fixtures::magick(
        {"-size", "2480x3508", "xc:white", "-density", "300", "-units", "PixelsPerInch"},
        path("white.png"), paperd::image_fixtures::Pixels::kGray8));
    fx::pdf_from_images(path("doc.pdf"), {path("text.png"), path("sep.png"), path("white.png")});
  }
  static void TearDownTestSuite() { dir_.reset(); }
  static std::filesystem::path path(const std::string& n) { return dir_->path() / n; }
  static std::vector<ScanInput> inputs() {
    return {{path("doc.pdf"), "doc.pdf"}, {path("text.png"), "text.png"}};
  }
  static std::unique_ptr<paperd::core::TempDir> dir_;
};
std::unique_ptr<paperd::core::TempDir> ScanScanner::dir_;

}  // namespace

TEST_F(ScanScanner, SameReportsWithOneOrThreeThreads) {
  std::vector<std::vector<PageReport>> runs;
  for (int threads : {1, 3}) {
    PageScanner scanner(inputs(),
                        {.dpi = 150, .separators = SeparatorMatcher(), .threads = threads});
    ASSERT_EQ(scanner.page_count(), 4);
    int last_done = 0, last_total = 0;
    runs.push_back(
        scanner.run([&](int d, int t) { last_done = d, last_total = t; }, [] { return false; }));
    EXPECT_EQ(last_done, 4);
    EXPECT_EQ(last_total, 4);
  }
  for (const auto& r : runs) {
    ASSERT_EQ(r.size(), 4u);
    EXPECT_FALSE(r[0].blank.blank);
    EXPECT_TRUE(r[1].separator);
    ASSERT_EQ(r[1].codes.size(), 1u);
    EXPECT_EQ(r[1].codes[0].value, "PATCHT");
    EXPECT_TRUE(r[1].code_is_separator[0]);
    EXPECT_TRUE(r[2].blank.blank);
    EXPECT_EQ(r[3].input, 1u);
    EXPECT_EQ(r[3].index, 0);
    EXPECT_NEAR(r[0].dpi, 150, 0.5);  // the PDF page rendered at the asked resolution
    EXPECT_NEAR(r[3].dpi, 300, 0.5);  // the image at its own
  }
  EXPECT_DOUBLE_EQ(runs[0][0].blank.ink_coverage, runs[1][0].blank.ink_coverage);
}

TEST_F(ScanScanner, CodesAreOnlyReadWhenAsked) {
  PageScanner scanner(inputs(), {.dpi = 100});
  auto r = scanner.run([](int, int) {}, [] { return false; });
  ASSERT_EQ(r.size(), 4u);
  EXPECT_TRUE(r[1].codes.empty());
  EXPECT_FALSE(r[1].separator);
}

TEST_F(ScanScanner, CancelledRunReturnsNothing) {
  PageScanner scanner(inputs(), {.dpi = 150, .separators = SeparatorMatcher(), .threads = 1});
  EXPECT_TRUE(scanner.run([](int, int) {}, [] { return true; }).empty());
}

TEST_F(ScanScanner, PageLimitCountsAllInputs) {
  try {
    PageScanner scanner(inputs(), {.limits = {.max_pages = 3}});
    FAIL() << "no error";
  } catch (const paperd::core::Error& e) {
    EXPECT_EQ(e.status(), 413);
    EXPECT_EQ(e.code(), "INPUT_TOO_LARGE");
  }
}
