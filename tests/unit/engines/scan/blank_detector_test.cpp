// Blank-page detection on scanner-like pages made by ImageMagick: noise and a dark edge strip
// stay blank, one short line of text does not, and the threshold decides in between.
#include "engines/scan/blank_detector.h"

#include <gtest/gtest.h>

#include <memory>

#include "core/fs.h"
#include "engines/scan/page_source.h"
#include "scan_fixtures.h"

using namespace paperd::engines::scan;
namespace fx = paperd::scan_fixtures;

namespace {

class ScanBlank : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<paperd::core::TempDir>(std::filesystem::temp_directory_path(),
                                                   "scan-blank-");
  }
  static void TearDownTestSuite() { dir_.reset(); }
  static std::filesystem::path path(const std::string& name) { return dir_->path() / name; }
  static GrayImage load(const std::filesystem::path& p) {
    return open_page_source(p, {})->page(0, 0);
  }
  static std::unique_ptr<paperd::core::TempDir> dir_;
};
std::unique_ptr<paperd::core::TempDir> ScanBlank::dir_;

}  // namespace

TEST_F(ScanBlank, NoisyPageWithEdgeStripIsBlank) {
  fx::noisy_blank_page(path("noise.png"));
  GrayImage page = load(path("noise.png"));
  EXPECT_EQ(page.width, fx::kPageW);
  EXPECT_NEAR(page.dpi, 300, 1);
  BlankResult r = detect_blank(page);
  EXPECT_TRUE(r.blank) << r.reason;
  EXPECT_LT(r.ink_coverage, 0.001);
  EXPECT_FALSE(r.reason.empty());
}

TEST_F(ScanBlank, HeavyNoiseIsStillBlank) {
  fx::noisy_blank_page(path("heavy.png"), 1.0);  // about 5 % of the pixels flipped
  BlankResult r = detect_blank(load(path("heavy.png")));
  EXPECT_TRUE(r.blank) << r.reason;
}

TEST_F(ScanBlank, ShortLineOfTextIsNotBlank) {
  fx::text_page(path("line.png"), "Invoice 2024", 300, 600, 0.15);
  BlankResult r = detect_blank(load(path("line.png")));
  EXPECT_FALSE(r.blank) << r.reason;
  EXPECT_GT(r.ink_coverage, 0.015);
  EXPECT_LT(r.ink_coverage, 0.2);
  // The same page is blank for a user who counts a line as nothing.
  BlankResult lenient = detect_blank(load(path("line.png")), {.threshold_percent = 0.5});
  EXPECT_TRUE(lenient.blank);
  EXPECT_DOUBLE_EQ(lenient.ink_coverage, r.ink_coverage);
}

TEST_F(ScanBlank, TextInsideTheMarginIsIgnored) {
  // A footer 4 mm from the bottom edge: inside the default 10 mm margin.
  fx::text_page(path("footer.png"), "Page 7 of 12", 1000, fx::kPageH - 50);
  EXPECT_TRUE(detect_blank(load(path("footer.png"))).blank);
  EXPECT_FALSE(detect_blank(load(path("footer.png")), {.margin_mm = 2}).blank);
}

TEST_F(ScanBlank, DarkPageIsNotBlank) {
  GrayImage dark{
      .width = 800, .height = 1000, .dpi = 100, .pixels = std::vector<uint8_t>(800 * 1000, 20)};
  BlankResult r = detect_blank(dark);
  EXPECT_FALSE(r.blank);
  EXPECT_GT(r.ink_coverage, 99);
}

TEST_F(ScanBlank, TransparentPngIsPaper) {
  // Fully transparent black pixels with one opaque black bar: the bar is ink, the rest paper.
  fx::run(paperd::image_fixtures::magick(
      {"-size", "1240x1754", "xc:none", "-fill", "black", "-draw", "rectangle 300,300 900,340",
       "-density", "150", "-units", "PixelsPerInch"},
      path("alpha.png"), paperd::image_fixtures::Pixels::kGrayAlpha8));
  GrayImage page = load(path("alpha.png"));
  EXPECT_EQ(page.pixels[100 * 1240 + 100], 255);
  BlankResult r = detect_blank(page);
  EXPECT_FALSE(r.blank) << r.reason;
  EXPECT_NEAR(r.ink_coverage, 100.0 * 601 * 41 / ((1240 - 118) * (1754 - 118)), 0.2);
}
