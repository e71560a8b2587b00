// Page sources and split outputs: every image format, multi-page TIFFs, PDFs rendered by MuPDF,
// limits checked from the headers alone (a decompression bomb is refused undecoded), and
// segment PDFs written by qpdf whose page counts qpdf confirms.
#include "engines/scan/page_source.h"

#include <gtest/gtest.h>

#include <fstream>

#include "core/error.h"
#include "core/fs.h"
#include "engines/scan/segment_writer.h"
#include "scan_fixtures.h"

using namespace paperd::engines::scan;
namespace fx = paperd::scan_fixtures;
using paperd::core::Error;
using paperd::image_fixtures::magick;
using paperd::image_fixtures::Pixels;

namespace {

class ScanPages : public ::testing::Test {
 protected:
  ScanPages() : dir_(std::filesystem::temp_directory_path(), "scan-pages-") {}
  std::filesystem::path path(const std::string& name) const { return dir_.path() / name; }

  // The error code and status open_page_source + page(0) end with.
  static std::pair<int, std::string> failure(const std::filesystem::path& p, SourceLimits l = {}) {
    try {
      open_page_source(p, l)->page(0, 100);
    } catch (const Error& e) {
      return {e.status(), e.code()};
    }
    return {0, ""};
  }
  paperd::core::TempDir dir_;
};

}  // namespace

TEST_F(ScanPages, ImageFormats) {
  // A4 at 150 dpi in colour, written in each format.
  fx::run(magick(
      {"-size", "1240x1754", "xc:white", "-fill", "navy", "-draw", "rectangle 200,200 900,260"},
      path("page.png"), Pixels::kRgb8));
  for (std::string ext : {"jpg", "webp", "bmp", "tif", "gif", "jp2", "pnm"}) {
    fx::run(magick({path("page.png").string()}, path("page." + ext), Pixels::kRgb8));
    auto src = open_page_source(path("page." + ext), {});
    ASSERT_EQ(src->page_count(), 1) << ext;
    GrayImage g = src->page(0, 0);
    EXPECT_EQ(g.width, 1240) << ext;
    EXPECT_EQ(g.height, 1754) << ext;
    EXPECT_NEAR(g.dpi, 150, 1) << ext;  // estimated from the A4 shape where the file says nothing
    EXPECT_LT(g.pixels[230 * 1240 + 500], 100) << ext;  // the navy bar is dark in gray
    EXPECT_GT(g.pixels[100 * 1240 + 100], 240) << ext;
  }
  EXPECT_EQ(open_page_source(path("page.jpg"), {})->format(), "jpeg");
  EXPECT_EQ(open_page_source(path("page.webp"), {})->format(), "webp");
}

TEST_F(ScanPages, MultiPageTiff) {
  fx::run(magick({"-size", "600x800", "xc:white", "-size", "700x900", "xc:gray", "-size",
                  "800x1000", "xc:black"},
                 path("multi.tif"), Pixels::kGray8));
  auto src = open_page_source(path("multi.tif"), {});
  ASSERT_EQ(src->page_count(), 3);
  EXPECT_EQ(src->format(), "tiff");
  EXPECT_EQ(src->page(1, 0).width, 700);
  EXPECT_EQ(src->page(2, 0).height, 1000);
  EXPECT_EQ(src->page(2, 0).pixels[0], 0);
  // 16-bit gray + alpha, which Leptonica refuses, is read through libtiff's RGBA path.
  fx::run(
      magick({"-size", "300x400", "xc:white", "-fill", "black", "-draw", "rectangle 50,50 100,100"},
             path("g16.tif"), Pixels::kGrayAlpha16));
  GrayImage g16 = open_page_source(path("g16.tif"), {})->page(0, 0);
  ASSERT_EQ(g16.width, 300);
  EXPECT_EQ(g16.pixels[75 * 300 + 75], 0);
  EXPECT_EQ(g16.pixels[200 * 300 + 200], 255);
  // Too many pages is refused before any page is decoded.
  try {
    open_page_source(path("multi.tif"), {.max_pages = 2});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), 413);
    EXPECT_EQ(e.code(), "INPUT_TOO_LARGE");
  }
}

TEST_F(ScanPages, BadInputs) {
  paperd::core::atomic_write_file(path("notes.txt"), "just some text, not a page\n");
  EXPECT_EQ(failure(path("notes.txt")), std::make_pair(400, std::string("UNSUPPORTED_FORMAT")));
  // 100000 x 100000 pixels = 10 gigapixels promised by 57 bytes.
  paperd::core::atomic_write_file(path("bomb.png"), fx::png_bomb(100000, 100000));
  EXPECT_EQ(failure(path("bomb.png")), std::make_pair(413, std::string("INPUT_TOO_LARGE")));
  fx::run(magick({"-size", "1500x1000", "xc:white"}, path("wide.png"), Pixels::kGray8));
  EXPECT_EQ(failure(path("wide.png"), {.max_megapixels = 1}),
            std::make_pair(413, std::string("INPUT_TOO_LARGE")));
  // A PNG cut short after its header: the header passes, decoding fails with a clear 400.
  fx::text_page(path("full.png"), "cut");
  std::string bytes = paperd::core::read_file(path("full.png"));
  paperd::core::atomic_write_file(path("cut.png"), bytes.substr(0, bytes.size() / 3));
  EXPECT_EQ(failure(path("cut.png")).first, 400);
  paperd::core::atomic_write_file(path("broken.pdf"), "%PDF-1.7\nthis is not a PDF body\n");
  EXPECT_EQ(failure(path("broken.pdf")).first, 400);
}

TEST_F(ScanPages, PdfRenderedAndSplit) {
  fx::text_page(path("a.png"), "Page one");
  fx::text_page(path("b.png"), "Page two");
  fx::pdf_from_images(path("doc.pdf"), {path("a.png"), path("b.png"), path("a.png")});
  auto pdf = open_page_source(path("doc.pdf"), {});
  ASSERT_EQ(pdf->page_count(), 3);
  EXPECT_EQ(pdf->format(), "pdf");
  GrayImage g = pdf->page(1, 100);
  EXPECT_NEAR(g.width, 827, 2);  // A4 at 100 dpi
  EXPECT_NEAR(g.height, 1169, 2);
  EXPECT_NEAR(g.dpi, 100, 0.5);
  // The render resolution drops to keep a page inside the pixel limit.
  GrayImage capped = open_page_source(path("doc.pdf"), {.max_megapixels = 1})->page(0, 300);
  EXPECT_LE(static_cast<double>(capped.width) * capped.height, 1e6);
  EXPECT_GT(capped.width, 500);

  // Pages 3 and 1 of the PDF plus an image page, in that order.
  auto image = open_page_source(path("b.png"), {});
  std::filesystem::create_directories(path("work"));
  SegmentWriter writer;
  writer.write({pdf->pdf_page(2, path("work")), pdf->pdf_page(0, path("work")),
                image->pdf_page(0, path("work"))},
               path("out.pdf"));
  writer.write({pdf->pdf_page(1, path("work"))}, path("one.pdf"));
  EXPECT_EQ(fx::qpdf_pages(path("out.pdf")), 3);
  EXPECT_EQ(fx::qpdf_pages(path("one.pdf")), 1);
  // The image page keeps its size: A4 at the image's 300 dpi.
  auto out = open_page_source(path("out.pdf"), {});
  EXPECT_NEAR(out->page(2, 100).width, 827, 2);
}
