// Rendered pages encoded as JPEG, PNG and WebP decode back to the same size (and, for PNG, the
// same pixels).
#include "engines/pdf/mupdf_image_encoder.h"

#include <gtest/gtest.h>

#include <cstdio>

#include <jpeglib.h>
#include <png.h>
#include <webp/decode.h>

#include "core/fs.h"
#include "pdf_text_fixture.h"

using namespace paperd;
using namespace paperd::engines::pdf;

namespace {

Raster page_raster(bool gray) {
  core::TempDir dir(std::filesystem::temp_directory_path(), "enc-");
  auto p = dir.path() / "a.pdf";
  fixtures::write_file(p, fixtures::make_text_pdf({fixtures::FixturePage::lines(
                              {"Encoded page", "with two lines"}, 300, 200)}));
  return Document::open(p).render(0, 100, gray);
}

std::pair<int, int> jpeg_size(const std::string& bytes) {
  jpeg_decompress_struct cinfo{};
  jpeg_error_mgr err{};
  cinfo.err = jpeg_std_error(&err);
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  jpeg_read_header(&cinfo, TRUE);
  std::pair<int, int> wh{static_cast<int>(cinfo.image_width), static_cast<int>(cinfo.image_height)};
  EXPECT_EQ(cinfo.X_density, 100);
  jpeg_destroy_decompress(&cinfo);
  return wh;
}

}  // namespace

TEST(MupdfImageEncoder, PngRoundTripsPixels) {
  for (bool gray : {false, true}) {
    Raster r = page_raster(gray);
    std::string png = encode_raster(r, ImageFormat::kPng);
    png_image img{};
    img.version = PNG_IMAGE_VERSION;
    ASSERT_TRUE(png_image_begin_read_from_memory(&img, png.data(), png.size()));
    EXPECT_EQ(static_cast<int>(img.width), r.width);
    EXPECT_EQ(static_cast<int>(img.height), r.height);
    img.format = gray ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
    std::vector<unsigned char> px(PNG_IMAGE_SIZE(img));
    ASSERT_TRUE(png_image_finish_read(&img, nullptr, px.data(), 0, nullptr));
    EXPECT_EQ(px, r.pixels);
  }
}

TEST(MupdfImageEncoder, JpegAndWebpDecode) {
  Raster r = page_raster(false);
  EXPECT_EQ(r.width, 417);  // 300 pt at 100 dpi, rounded up
  EXPECT_EQ(jpeg_size(encode_raster(r, ImageFormat::kJpeg, 90)), std::make_pair(r.width, r.height));
  std::string webp = encode_raster(r, ImageFormat::kWebp, 80);
  int w = 0, h = 0;
  ASSERT_TRUE(WebPGetInfo(reinterpret_cast<const uint8_t*>(webp.data()), webp.size(), &w, &h));
  EXPECT_EQ(w, r.width);
  EXPECT_EQ(h, r.height);
  Raster g = page_raster(true);
  EXPECT_EQ(jpeg_size(encode_raster(g, ImageFormat::kJpeg)), std::make_pair(g.width, g.height));
  std::string gray_webp = encode_raster(g, ImageFormat::kWebp);
  ASSERT_TRUE(
      WebPGetInfo(reinterpret_cast<const uint8_t*>(gray_webp.data()), gray_webp.size(), &w, &h));
  EXPECT_EQ(w, g.width);
  EXPECT_EQ(image_format_from_name("JPEG"), ImageFormat::kJpeg);
  EXPECT_FALSE(image_format_from_name("gif"));
}
