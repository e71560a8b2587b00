// Barcode and QR decoding: a qrencode QR code composited onto a page, and EAN-13 and Code 128
// symbols drawn from their specifications, decoded with the right type, value and position.
#include "engines/scan/code_reader.h"

#include <gtest/gtest.h>

#include <memory>

#include "core/fs.h"
#include "engines/scan/page_source.h"
#include "scan_fixtures.h"

using namespace paperd::engines::scan;
namespace fx = paperd::scan_fixtures;

namespace {

GrayImage white_page(int w = fx::kPageW, int h = fx::kPageH, double dpi = 300) {
  return {.width = w,
          .height = h,
          .dpi = dpi,
          .pixels = std::vector<uint8_t>(static_cast<size_t>(w) * h, 255)};
}

// Overlap of the decoded box with the expected one, as a share of the expected area.
double overlap(const Code& c, int x, int y, int w, int h) {
  int ix = std::max(0, std::min(c.x + c.w, x + w) - std::max(c.x, x));
  int iy = std::max(0, std::min(c.y + c.h, y + h) - std::max(c.y, y));
  return static_cast<double>(ix) * iy / (static_cast<double>(w) * h);
}

}  // namespace

TEST(ScanCodes, QrCodeOnAPage) {
  paperd::core::TempDir dir(std::filesystem::temp_directory_path(), "scan-qr-");
  auto [x, y, side] = fx::qr_page(dir.path() / "qr.png", "hello-paperd", 1500, 300, 8,
                                  "Invoice 2024 with a QR code");
  GrayImage page = open_page_source(dir.path() / "qr.png", {})->page(0, 0);
  CodeReader reader;
  auto codes = reader.read(page);
  ASSERT_EQ(codes.size(), 1u);
  EXPECT_EQ(codes[0].type, "QR-Code");
  EXPECT_EQ(codes[0].value, "hello-paperd");
  EXPECT_GT(overlap(codes[0], x, y, side, side), 0.9)
      << codes[0].x << "," << codes[0].y << " " << codes[0].w << "x" << codes[0].h;
  EXPECT_LE(std::abs(codes[0].w - side), 16);
}

TEST(ScanCodes, Ean13AndCode128DrawnFromTheSpec) {
  GrayImage page = white_page();
  auto ean = fx::ean13_modules("4006381333931");
  auto c128 = fx::code128b_modules("SEP-0042");
  fx::draw_bars(page.pixels, page.width, 400, 900, ean, 4, 300);
  fx::draw_bars(page.pixels, page.width, 400, 2000, c128, 4, 250);
  CodeReader reader;
  auto codes = reader.read(page);
  ASSERT_EQ(codes.size(), 2u);
  EXPECT_EQ(codes[0].type, "EAN-13");
  EXPECT_EQ(codes[0].value, "4006381333931");
  EXPECT_GT(overlap(codes[0], 400, 900, fx::bars_width(ean, 4), 300), 0.5);
  EXPECT_EQ(codes[1].type, "CODE-128");
  EXPECT_EQ(codes[1].value, "SEP-0042");
  EXPECT_GT(overlap(codes[1], 400, 2000, fx::bars_width(c128, 4), 250), 0.5);
  EXPECT_EQ(codes[1].orientation, "up");
}

TEST(ScanCodes, RotatedBarcodeReportsOrientation) {
  GrayImage page = white_page(1200, 1600, 150);
  auto c128 = fx::code128b_modules("PATCHT");
  // Draw into a transposed buffer, then transpose: bars run horizontally, read top to bottom.
  GrayImage t = white_page(1600, 1200, 150);
  fx::draw_bars(t.pixels, t.width, 300, 400, c128, 3, 200);
  for (int y = 0; y < t.height; ++y)
    for (int x = 0; x < t.width; ++x)
      page.pixels[static_cast<size_t>(x) * page.width + y] =
          t.pixels[static_cast<size_t>(y) * t.width + x];
  auto codes = CodeReader().read(page);
  ASSERT_EQ(codes.size(), 1u);
  EXPECT_EQ(codes[0].value, "PATCHT");
  EXPECT_NE(codes[0].orientation, "up");
}

TEST(ScanCodes, BlankAndNoisyPagesHaveNoCodes) {
  paperd::core::TempDir dir(std::filesystem::temp_directory_path(), "scan-noise-");
  fx::noisy_blank_page(dir.path() / "noise.png", 1.0);
  CodeReader reader;
  EXPECT_TRUE(reader.read(white_page()).empty());
  EXPECT_TRUE(reader.read(open_page_source(dir.path() / "noise.png", {})->page(0, 0)).empty());
}

TEST(ScanCodes, SmallCodeOnACoarseScanIsFoundByTheRetry) {
  // A 100 dpi scan of a QR code with 1-px modules: too fine for zbar at its own size; found at
  // double size.
  paperd::core::TempDir dir(std::filesystem::temp_directory_path(), "scan-coarse-");
  fx::run({"qrencode", "-s", "1", "-m", "4", "-o", (dir.path() / "q.png").string(), "coarse"});
  fx::run(paperd::image_fixtures::magick(
      {"-size", "827x1169", "xc:white", (dir.path() / "q.png").string(), "-geometry", "+500+100",
       "-composite", "-density", "100", "-units", "PixelsPerInch"},
      dir.path() / "page.png", paperd::image_fixtures::Pixels::kGray8));
  GrayImage page = open_page_source(dir.path() / "page.png", {})->page(0, 0);
  EXPECT_NEAR(page.dpi, 100, 1);
  auto codes = CodeReader().read(page);
  ASSERT_EQ(codes.size(), 1u);
  EXPECT_EQ(codes[0].value, "coarse");
  EXPECT_GT(overlap(codes[0], 504, 104, 21, 21), 0.6)
      << codes[0].x << "," << codes[0].y << " " << codes[0].w << "x" << codes[0].h;
}
