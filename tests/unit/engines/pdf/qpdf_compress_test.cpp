// compress_pdf: lossless levels shrink uncompressed PDFs, high downsamples images with
// Ghostscript, and nothing ever comes out larger than it went in.
#include "engines/pdf/qpdf_compress.h"

#include <gtest/gtest.h>

#include <qpdf/QPDFPageDocumentHelper.hh>

#include "../../fixtures/magick.h"
#include "engines/pdf/image_to_pdf.h"
#include "qpdf_test_util.h"

using namespace paperd::qpdf_test;
using paperd::image_fixtures::magick;
using paperd::image_fixtures::Pixels;
namespace pdf = paperd::engines::pdf;

namespace {
pdf::CompressResult compress(const fs::path& in, const fs::path& out, pdf::CompressionLevel level,
                             const std::string& password = "", int gs_processes = 2) {
  pdf::QpdfOpenOptions o;
  o.password = password;
  auto doc = pdf::QpdfDocument::open(in, o);
  pdf::CompressOptions c;
  c.level = level;
  c.ghostscript_processes = gs_processes;
  return pdf::compress_pdf(doc, out, c);
}

// Many pages of uncompressed text content.
fs::path wordy_pdf(const fs::path& file) {
  std::vector<paperd::fixtures::FixturePage> pages;
  for (int p = 0; p < 20; ++p) {
    std::vector<std::string> lines;
    for (int l = 0; l < 40; ++l)
      lines.push_back("Line " + std::to_string(l) + " of page " + std::to_string(p + 1) +
                      " with repeated words");
    pages.push_back(paperd::fixtures::FixturePage::lines(lines));
  }
  paperd::fixtures::write_file(file, paperd::fixtures::make_text_pdf(pages));
  return file;
}
// Five 300 dpi photo pages over 2 MB, widths 1500..1900 px: the pages are 360..456 pt wide,
// telling their order.
void photo_pdf(const fs::path& file, const TempFolder& t) {
  std::vector<pdf::ImageInput> images;
  for (int i = 0; i < 5; ++i) {
    const fs::path jpg = t / ("p" + std::to_string(i) + ".jpg");
    ASSERT_EQ(tool(magick({"-seed", std::to_string(i + 1), "-size",
                           std::to_string(1500 + 100 * i) + "x1800", "plasma:fractal", "-density",
                           "300", "-units", "PixelsPerInch", "-quality", "95"},
                          jpg, Pixels::kRgb8))
                  .exit_code,
              0);
    images.push_back({jpg, jpg.filename().string()});
  }
  pdf::images_to_pdf(images, file, {});
}

// The pages' widths in points, in page order.
std::vector<int> page_widths(const fs::path& file) {
  QPDF out;
  out.processFile(file.c_str());
  std::vector<int> widths;
  for (auto& page : QPDFPageDocumentHelper(out).getAllPages())
    widths.push_back(static_cast<int>(page.getMediaBox().getArrayItem(2).getNumericValue() + 0.5));
  return widths;
}
}  // namespace

TEST(QpdfCompress, LowAndMediumShrinkLosslessly) {
  TempFolder t;
  wordy_pdf(t / "in.pdf");
  for (auto level : {pdf::CompressionLevel::kLow, pdf::CompressionLevel::kMedium}) {
    auto r = compress(t / "in.pdf", t / "out.pdf", level);
    EXPECT_FALSE(r.kept_input);
    EXPECT_EQ(r.method, "qpdf");
    EXPECT_LT(r.output_size, r.input_size / 3);
    EXPECT_EQ(r.output_size, fs::file_size(t / "out.pdf"));
    EXPECT_TRUE(qpdf_check(t / "out.pdf"));
    auto texts = page_texts(t / "out.pdf");
    ASSERT_EQ(texts.size(), 20u);
    EXPECT_NE(texts[19].find("Line 39 of page 20"), std::string::npos);
    fs::remove(t / "out.pdf");
  }
}

TEST(QpdfCompress, NeverLargerThanTheInput) {
  TempFolder t;
  wordy_pdf(t / "in.pdf");
  compress(t / "in.pdf", t / "once.pdf", pdf::CompressionLevel::kMedium);
  auto r = compress(t / "once.pdf", t / "twice.pdf", pdf::CompressionLevel::kMedium);
  EXPECT_LE(r.output_size, r.input_size);
  if (r.kept_input) {
    EXPECT_EQ(paperd::core::read_file(t / "twice.pdf"), paperd::core::read_file(t / "once.pdf"));
    EXPECT_EQ(r.method, "input kept");
  }
  EXPECT_TRUE(qpdf_check(t / "twice.pdf"));
}

TEST(QpdfCompress, HighDownsamplesImagesAndKeepsEncryption) {
  TempFolder t;
  // A 300 dpi photo-like JPEG, 1500x1800 pixels.
  ASSERT_EQ(tool(magick({"-size", "1500x1800", "plasma:red-blue", "-density", "300", "-units",
                         "PixelsPerInch", "-quality", "95"},
                        t / "photo.jpg", Pixels::kRgb8))
                .exit_code,
            0);
  pdf::images_to_pdf({{t / "photo.jpg", "photo.jpg"}}, t / "img.pdf", {});
  auto lossless = compress(t / "img.pdf", t / "medium.pdf", pdf::CompressionLevel::kMedium);
  auto high = compress(t / "img.pdf", t / "high.pdf", pdf::CompressionLevel::kHigh);
  EXPECT_EQ(high.method, "ghostscript /ebook + qpdf");
  EXPECT_LT(high.output_size, lossless.output_size / 2);
  // The photo is nearly all of the file: downsampling alone, over the one page.
  EXPECT_GT(high.image_share, 0.9);
  EXPECT_FALSE(high.lossless_tried);
  ASSERT_EQ(high.ghostscript_ranges.size(), 1u);
  EXPECT_EQ(high.ghostscript_ranges[0].first, 1);
  EXPECT_EQ(high.ghostscript_ranges[0].last, 1);
  EXPECT_TRUE(qpdf_check(t / "high.pdf"));
  EXPECT_EQ(npages(t / "high.pdf"), 1);

  qpdf_encrypt(t / "img.pdf", t / "enc.pdf", "pw", "pw");
  auto enc = compress(t / "enc.pdf", t / "enc_high.pdf", pdf::CompressionLevel::kHigh, "pw");
  EXPECT_LT(enc.output_size, enc.input_size / 2);
  EXPECT_EQ(npages(t / "enc_high.pdf"), -1);  // still needs the password
  EXPECT_EQ(npages(t / "enc_high.pdf", "pw"), 1);
}

// Over 2 MB, several pages, no shared resources: two gs processes, one half of the pages each,
// joined again in page order.
TEST(QpdfCompress, HighDownsamplesTheHalvesOfALargePhotoPdfAtOnce) {
  TempFolder t;
  photo_pdf(t / "photos.pdf", t);
  ASSERT_GT(fs::file_size(t / "photos.pdf"), 2u << 20);
  auto high = compress(t / "photos.pdf", t / "high.pdf", pdf::CompressionLevel::kHigh);
  EXPECT_EQ(high.method, "ghostscript /ebook in 2 processes + qpdf");
  EXPECT_LT(high.output_size, high.input_size / 4);
  ASSERT_EQ(high.ghostscript_ranges.size(), 2u);
  EXPECT_EQ(high.ghostscript_ranges[0].last + 1, high.ghostscript_ranges[1].first);
  EXPECT_EQ(high.ghostscript_ranges[1].last, 5);
  EXPECT_FALSE(high.lossless_tried);
  EXPECT_TRUE(qpdf_check(t / "high.pdf"));
  EXPECT_EQ(page_widths(t / "high.pdf"), (std::vector<int>{360, 384, 408, 432, 456}));
}

// Text, no images: the lossless pass runs beside Ghostscript and the smaller result wins.
TEST(QpdfCompress, HighOnTextTriesTheLosslessPassToo) {
  TempFolder t;
  wordy_pdf(t / "in.pdf");
  auto high = compress(t / "in.pdf", t / "high.pdf", pdf::CompressionLevel::kHigh);
  EXPECT_EQ(high.image_share, 0);
  EXPECT_TRUE(high.lossless_tried);
  EXPECT_LT(high.output_size, high.input_size / 3);
  EXPECT_EQ(page_texts(t / "high.pdf").size(), 20u);
}

// Four processes on a 5-page photo PDF: four runs of pages, joined in order.
TEST(QpdfCompress, HighSplitsIntoAsManyRunsAsProcesses) {
  TempFolder t;
  photo_pdf(t / "photos.pdf", t);
  auto high = compress(t / "photos.pdf", t / "high.pdf", pdf::CompressionLevel::kHigh, "", 4);
  EXPECT_EQ(high.method, "ghostscript /ebook in 4 processes + qpdf");
  ASSERT_EQ(high.ghostscript_ranges.size(), 4u);
  EXPECT_EQ(high.ghostscript_ranges[0].first, 1);
  for (size_t k = 1; k < 4; ++k)
    EXPECT_EQ(high.ghostscript_ranges[k].first, high.ghostscript_ranges[k - 1].last + 1);
  EXPECT_EQ(high.ghostscript_ranges[3].last, 5);
  EXPECT_EQ(page_widths(t / "high.pdf"), (std::vector<int>{360, 384, 408, 432, 456}));
}

TEST(QpdfCompress, LevelNames) {
  EXPECT_EQ(pdf::parse_compression_level("high"), pdf::CompressionLevel::kHigh);
  EXPECT_TRUE(throws_error([] { pdf::parse_compression_level("extreme"); }, 400, "INVALID_REQUEST",
                           "compression"));
}
