// images_to_pdf: JPEG bytes embedded unchanged, page sizes from the image resolution or A4/Letter,
// PNG alpha as an SMask, gray and 1-bit pages kept small, multi-page TIFF, WebP, GIF; bad files.
#include "engines/pdf/image_to_pdf.h"

#include <gtest/gtest.h>

#include "../../fixtures/magick.h"
#include "qpdf_test_util.h"

using namespace paperd::qpdf_test;
namespace pdf = paperd::engines::pdf;

namespace {
using paperd::image_fixtures::Pixels;
void convert(const std::vector<std::string>& ops, const fs::path& out,
             Pixels pixels = Pixels::kRgb8) {
  auto r = tool(paperd::image_fixtures::magick(ops, out, pixels));
  ASSERT_EQ(r.exit_code, 0) << r.err;
}
std::string page_size(const fs::path& f, int page = 1) {
  auto r = tool({"pdfinfo", "-f", std::to_string(page), "-l", std::to_string(page), f.string()});
  size_t at = r.out.find("size:");
  if (at == std::string::npos) return "";
  size_t b = r.out.find_first_not_of(' ', at + 5);
  return r.out.substr(b, r.out.find(" pts", b) - b);
}
std::string uncompressed(const fs::path& f) {
  return tool({"qpdf", "--qdf", "--object-streams=disable", "--decode-level=none", f.string(), "-"})
      .out;
}
}  // namespace

TEST(QpdfImageToPdf, JpegBytesAreEmbeddedUnchangedAtTheirResolution) {
  TempFolder t;
  convert({"-size", "300x200", "gradient:yellow-blue", "-density", "72", "-units", "PixelsPerInch",
           "-quality", "90"},
          t / "a.jpg");
  convert({"-size", "150x300", "plasma:", "-density", "150", "-units", "PixelsPerInch"},
          t / "b.jpg");
  auto pages =
      pdf::images_to_pdf({{t / "a.jpg", "a.jpg"}, {t / "b.jpg", "b.jpg"}}, t / "o.pdf", {});
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(pages[0].encoding, "jpeg-copied");
  EXPECT_EQ(pages[0].width, 300);
  EXPECT_EQ(pages[0].dpi, 72);
  EXPECT_TRUE(qpdf_check(t / "o.pdf"));
  EXPECT_EQ(npages(t / "o.pdf"), 2);
  std::string bytes = paperd::core::read_file(t / "o.pdf");
  EXPECT_NE(bytes.find(paperd::core::read_file(t / "a.jpg")), std::string::npos);
  EXPECT_NE(bytes.find(paperd::core::read_file(t / "b.jpg")), std::string::npos);
  EXPECT_NE(bytes.find("/DCTDecode"), std::string::npos);
  EXPECT_EQ(page_size(t / "o.pdf", 1), "300 x 200");
  EXPECT_EQ(page_size(t / "o.pdf", 2), "72 x 144");  // 150x300 px at 150 dpi
}

TEST(QpdfImageToPdf, A4AndLetterFitCentredAndFollowOrientation) {
  TempFolder t;
  convert({"-size", "400x300", "xc:red", "-quality", "90"}, t / "wide.jpg");
  pdf::ImageToPdfOptions a4;
  a4.page_size = pdf::PageSizeMode::kA4;
  pdf::images_to_pdf({{t / "wide.jpg", "wide.jpg"}}, t / "a4.pdf", a4);
  EXPECT_EQ(page_size(t / "a4.pdf"), "841.89 x 595.276");
  EXPECT_TRUE(qpdf_check(t / "a4.pdf"));
  // Scaled to the height inside 36 pt margins: 523.276 pt high, 697.7 wide, centred.
  std::string qdf = uncompressed(t / "a4.pdf");
  EXPECT_NE(qdf.find("697.7013 0 0 523.276 72.0943 36 cm"), std::string::npos) << qdf;

  pdf::ImageToPdfOptions letter;
  letter.page_size = pdf::PageSizeMode::kLetter;
  letter.orientation = pdf::PageOrientation::kPortrait;
  pdf::images_to_pdf({{t / "wide.jpg", "wide.jpg"}}, t / "letter.pdf", letter);
  EXPECT_EQ(page_size(t / "letter.pdf"), "612 x 792");
}

TEST(QpdfImageToPdf, PngAlphaBecomesSMaskAndGrayStaysGray) {
  TempFolder t;
  convert({"-size", "64x48", "xc:none", "-fill", "blue", "-draw", "circle 32,24 32,4"},
          t / "alpha.png", Pixels::kRgba8);
  convert({"-size", "64x48", "gradient:black-white", "-colorspace", "Gray"}, t / "gray.png",
          Pixels::kGray8);
  convert({"-size", "64x48", "xc:white", "-fill", "black", "-draw", "rectangle 8,8 30,30",
           "-monochrome"},
          t / "bw.png", Pixels::kBilevel);
  auto pages = pdf::images_to_pdf(
      {{t / "alpha.png", "alpha.png"}, {t / "gray.png", "gray.png"}, {t / "bw.png", "bw.png"}},
      t / "o.pdf", {});
  ASSERT_EQ(pages.size(), 3u);
  EXPECT_TRUE(pages[0].alpha);
  EXPECT_EQ(pages[0].color, "rgb");
  EXPECT_EQ(pages[1].color, "gray");
  EXPECT_EQ(pages[2].color, "bilevel");
  EXPECT_TRUE(qpdf_check(t / "o.pdf"));
  std::string qdf = uncompressed(t / "o.pdf");
  EXPECT_NE(qdf.find("/SMask"), std::string::npos);
  EXPECT_NE(qdf.find("/BitsPerComponent 1"), std::string::npos);
  EXPECT_NE(qdf.find("/FlateDecode"), std::string::npos);
  // The pixels survive: render the gray page and compare with the PNG.
  auto r = tool({"pdftoppm", "-f", "2", "-l", "2", "-r", "150", "-gray", "-png",
                 (t / "o.pdf").string(), (t / "render").string()});
  ASSERT_EQ(r.exit_code, 0);
  auto cmp = tool({"compare", "-metric", "RMSE", (t / "gray.png").string(),
                   (t / "render-2.png").string(), "null:"});
  double rmse = std::stod(cmp.err.substr(0, cmp.err.find(' ')));
  EXPECT_LT(rmse, 1500) << cmp.err;  // out of 65535
}

TEST(QpdfImageToPdf, MultiPageTiffWebpAndGif) {
  TempFolder t;
  convert({"-size", "80x60", "xc:red", "xc:green", "xc:blue", "-density", "300", "-units",
           "PixelsPerInch"},
          t / "multi.tif");
  convert({"-size", "90x30", "gradient:red-green"}, t / "w.webp");
  convert({"-size", "40x40", "plasma:"}, t / "g.gif");
  auto pages = pdf::images_to_pdf(
      {{t / "multi.tif", "multi.tif"}, {t / "w.webp", "w.webp"}, {t / "g.gif", "g.gif"}},
      t / "o.pdf", {});
  ASSERT_EQ(pages.size(), 5u);
  EXPECT_EQ(pages[2].frame, 2);
  EXPECT_EQ(pages[0].dpi, 300);
  EXPECT_EQ(npages(t / "o.pdf"), 5);
  EXPECT_TRUE(qpdf_check(t / "o.pdf"));
  EXPECT_EQ(page_size(t / "o.pdf", 1), "19.2 x 14.4");  // 80x60 px at 300 dpi
  EXPECT_EQ(page_size(t / "o.pdf", 4), "43.2 x 14.4");  // 90x30 px at 150 dpi (none stated)
}

TEST(QpdfImageToPdf, BadInputs) {
  TempFolder t;
  paperd::fixtures::write_file(t / "notes.txt", "hello");
  EXPECT_TRUE(throws_error(
      [&] {
        pdf::images_to_pdf({{t / "notes.txt", "notes.txt"}}, t / "o.pdf", {});
      },
      400, "UNSUPPORTED_FORMAT", "notes.txt"));
  convert({"-size", "50x50", "xc:red"}, t / "ok.png");
  std::string png = paperd::core::read_file(t / "ok.png");
  paperd::fixtures::write_file(t / "broken.png", png.substr(0, png.size() / 2));
  EXPECT_TRUE(throws_error(
      [&] {
        pdf::images_to_pdf({{t / "broken.png", "broken.png"}}, t / "o.pdf", {});
      },
      400, "INVALID_IMAGE", "broken.png"));
  paperd::fixtures::write_file(t / "cut.jpg", std::string("\xFF\xD8\xFF\xE0\x00\x10JFIF", 10));
  EXPECT_TRUE(throws_error(
      [&] {
        pdf::images_to_pdf({{t / "cut.jpg", "cut.jpg"}}, t / "o.pdf", {});
      },
      400, "INVALID_IMAGE", "cut.jpg"));
  convert({"-size", "2000x1000", "xc:white", "-quality", "50"}, t / "big.jpg");
  pdf::ImageToPdfOptions small;
  small.max_megapixels = 1;
  EXPECT_TRUE(throws_error(
      [&] {
        pdf::images_to_pdf({{t / "big.jpg", "big.jpg"}}, t / "o.pdf", small);
      },
      413, "INPUT_TOO_LARGE", "big.jpg"));
}
