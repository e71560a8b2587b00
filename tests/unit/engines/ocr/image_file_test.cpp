// Raster inputs are checked from their headers before decoding: formats by magic bytes, page
// counts of multi-page TIFFs, decompression bombs refused with 413 INPUT_TOO_LARGE, corrupt
// bodies with 400 INVALID_IMAGE, and anything else with 400 UNSUPPORTED_FORMAT.
#include "engines/ocr/image_file.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include "core/error.h"
#include "core/fs.h"
#include "engines/ocr/input_format.h"
#include "ocr_fixtures.h"

namespace paperd::engines::ocr {
namespace {

namespace fx = ocr_fixtures;

std::string be32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

// A PNG whose header promises w x h pixels (and carries no image data).
std::string png_header(uint32_t w, uint32_t h) {
  std::string ihdr = "IHDR" + be32(w) + be32(h) + std::string("\x08\x00\x00\x00\x00", 5);
  uint32_t crc = crc32(0, reinterpret_cast<const Bytef*>(ihdr.data()), ihdr.size());
  // An IEND chunk after it: Leptonica refuses files under 40 bytes.
  return std::string("\x89PNG\r\n\x1a\n", 8) + be32(13) + ihdr + be32(crc) + be32(0) + "IEND" +
         std::string("\xae\x42\x60\x82", 4);
}

core::Error probe_error(const std::filesystem::path& p, int64_t max_mp = 200) {
  try {
    ImageFile f = ImageFile::probe(p, p.filename().string(), max_mp, 5000);
    f.load(0);
  } catch (const core::Error& e) {
    return e;
  }
  return core::Error(0, "", "no error");
}

class OcrImageFile : public ::testing::Test {
 protected:
  core::TempDir dir{std::filesystem::temp_directory_path(), "ocr-image-"};
  std::filesystem::path file(const std::string& name) const { return dir.path() / name; }
};

TEST_F(OcrImageFile, SniffsFormatsByContent) {
  EXPECT_EQ(sniff_bytes(std::string_view("\xFF\xD8\xFF\xE0", 4)), InputFormat::kJpeg);
  EXPECT_EQ(sniff_bytes(png_header(1, 1)), InputFormat::kPng);
  EXPECT_EQ(sniff_bytes(std::string_view("II*\0\x08\0\0\0", 8)), InputFormat::kTiff);
  EXPECT_EQ(sniff_bytes(std::string_view("MM\0*\0\0\0\x08", 8)), InputFormat::kTiff);
  EXPECT_EQ(sniff_bytes(std::string_view("RIFF\x10\0\0\0WEBPVP8 ", 16)), InputFormat::kWebp);
  EXPECT_EQ(sniff_bytes("BM" + std::string(30, '\0')), InputFormat::kBmp);
  EXPECT_EQ(sniff_bytes("%PDF-1.7\n"), InputFormat::kPdf);
  EXPECT_EQ(sniff_bytes("hello, world"), InputFormat::kUnknown);
  EXPECT_EQ(sniff_bytes("GIF89a...."), InputFormat::kUnknown);
}

TEST_F(OcrImageFile, ReadsEveryFormatAndTiffPages) {
  fx::PageSpec small{.width = 400, .height = 200, .x = 20, .y = 100};
  for (std::string ext : {"png", "jpg", "bmp", "webp", "tif"}) {
    auto p = file("page." + ext);
    fx::text_page(file("page.png"), {"Hello"}, small);
    // ImageMagick writes gray BMPs run-length encoded, which Leptonica cannot read.
    if (ext == "bmp")
      fx::run(image_fixtures::magick({file("page.png").string(), "-compress", "None"}, p,
                                     image_fixtures::Pixels::kRgb8));
    else if (ext != "png")
      fx::run(
          image_fixtures::magick({file("page.png").string()}, p, image_fixtures::Pixels::kGray8));
    ImageFile f = ImageFile::probe(p, p.filename().string(), 200, 5000);
    ASSERT_EQ(f.page_count(), 1) << ext;
    EXPECT_EQ(f.page(0).width, 400) << ext;
    EXPECT_EQ(f.page(0).height, 200) << ext;
    PixPtr pix = f.load(0);
    EXPECT_EQ(pixGetWidth(pix.get()), 400) << ext;
  }
  auto multi = file("multi.tif");
  fx::run(image_fixtures::magick(
      {file("page.png").string(), file("page.png").string(), file("page.png").string()}, multi,
      image_fixtures::Pixels::kGray8));
  ImageFile f = ImageFile::probe(multi, "multi.tif", 200, 5000);
  EXPECT_EQ(f.page_count(), 3);
  EXPECT_EQ(pixGetHeight(f.load(2).get()), 200);
  EXPECT_EQ(probe_error(multi).code(), "");
  try {
    ImageFile::probe(multi, "multi.tif", 200, 2);
    FAIL();
  } catch (const core::Error& e) {
    EXPECT_EQ(e.code(), "INPUT_TOO_LARGE");
  }
}

TEST_F(OcrImageFile, DecompressionBombsAreRefusedFromTheHeader) {
  auto png = file("bomb.png");
  core::atomic_write_file(png, png_header(30000, 30000));
  core::Error e = probe_error(png);
  EXPECT_EQ(e.status(), 413);
  EXPECT_EQ(e.code(), "INPUT_TOO_LARGE");
  EXPECT_NE(std::string(e.what()).find("30000x30000"), std::string::npos) << e.what();
  // A lower limit catches smaller images too.
  fx::text_page(file("ok.png"), {"Hi"}, {.width = 2000, .height = 1000});
  EXPECT_EQ(probe_error(file("ok.png"), 1).code(), "INPUT_TOO_LARGE");

  std::string bmp = "BM" + std::string(12, '\0');
  bmp += std::string("\x28\0\0\0", 4) + std::string("\xa0\x86\x01\0", 4) +
         std::string("\xa0\x86\x01\0", 4) + std::string(30, '\0');  // 100000 x 100000
  core::atomic_write_file(file("bomb.bmp"), bmp);
  EXPECT_EQ(probe_error(file("bomb.bmp")).code(), "INPUT_TOO_LARGE");
}

TEST_F(OcrImageFile, CorruptAndForeignFiles) {
  fx::text_page(file("good.png"), {"Hello"}, {.width = 600, .height = 300});
  std::string bytes = fx::read_all(file("good.png"));
  core::atomic_write_file(file("cut.png"), bytes.substr(0, bytes.size() / 2));
  core::Error cut = probe_error(file("cut.png"));
  EXPECT_EQ(cut.status(), 400);
  EXPECT_EQ(cut.code(), "INVALID_IMAGE");

  core::atomic_write_file(file("notes.txt"), "just some text, not an image");
  core::Error text = probe_error(file("notes.txt"));
  EXPECT_EQ(text.status(), 400);
  EXPECT_EQ(text.code(), "UNSUPPORTED_FORMAT");
  EXPECT_NE(std::string(text.what()).find("notes.txt"), std::string::npos);

  core::atomic_write_file(file("header.png"), png_header(100, 100));
  EXPECT_EQ(probe_error(file("header.png")).code(), "INVALID_IMAGE");

  fx::run(image_fixtures::magick({file("good.png").string(), "-compress", "RLE"},
                                 "BMP3:" + file("rle.bmp").string(),
                                 image_fixtures::Pixels::kGray8));
  core::Error rle = probe_error(file("rle.bmp"));
  EXPECT_EQ(rle.code(), "UNSUPPORTED_FORMAT") << rle.what();
  EXPECT_NE(std::string(rle.what()).find("compressed BMP"), std::string::npos);
}

}  // namespace
}  // namespace paperd::engines::ocr
