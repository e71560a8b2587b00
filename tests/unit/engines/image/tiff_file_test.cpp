// TiffFile against TIFFs written here with libtiff itself (not through ImageMagick's choices):
// every bit depth, alpha, palette, min-is-white, CMYK, planar 2, tiles, CCITT, LZW, JPEG,
// Deflate, PackBits, orientation and multi-page files decode to the known pixels; damaged files
// and decompression bombs get clear errors. Plus the three consumers (scan, OCR, image-to-PDF) on
// the page that once failed: 1-bit gray with an alpha sample.
#include "engines/image/tiff_file.h"

#include <gtest/gtest.h>
#include <tiffio.h>

#include <functional>
#include <memory>

#include "core/error.h"
#include "core/fs.h"
#include "core/subprocess.h"
#include "engines/ocr/image_file.h"
#include "engines/pdf/image_to_pdf.h"
#include "engines/scan/page_source.h"

namespace paperd::engines::image {
namespace {

namespace fs = std::filesystem;

constexpr int kW = 37, kH = 23;  // odd sizes: partial bytes, strips and tiles

// The known 8-bit picture: sample s of pixel (x, y).
using Pattern = std::function<unsigned(int x, int y, int s)>;

unsigned checker(int x, int y, int) {
  return (x / 4 + y / 3) % 2 ? 255 : 0;
}
unsigned ramp(int x, int y, int s) {
  return static_cast<unsigned>(x * 7 + y * 11 + s * 40) % 256;
}
unsigned smooth(int x, int y, int s) {  // for JPEG: no edges to ring at
  return s == 0 ? x * 6 : s == 1 ? y * 10 : 128;
}
unsigned holes(int x, int y, int) {  // alpha: every third column transparent
  return x % 3 == 0 ? 0 : 255;
}

struct Spec {
  uint16_t bits = 8, photometric = PHOTOMETRIC_MINISBLACK, compression = COMPRESSION_NONE;
  uint16_t planar = PLANARCONFIG_CONTIG, orientation = ORIENTATION_TOPLEFT;
  int colour = 1;      // colour samples
  uint16_t alpha = 0;  // EXTRASAMPLE_* of one extra sample, 0 for none
  bool tiled = false;
  Pattern pattern = ramp;  // colour samples (8-bit values, reduced to `bits`)
  Pattern alpha_pattern = holes;
  std::vector<uint16_t> palette;  // r, g, b of each entry (16-bit), for PHOTOMETRIC_PALETTE
};

struct TiffCloser {
  void operator()(TIFF* t) const { TIFFClose(t); }
};

// The stored value of sample s at (x, y) for spec's bit depth.
unsigned stored(const Spec& sp, int x, int y, int s) {
  unsigned v8 = s < sp.colour ? sp.pattern(x, y, s) : sp.alpha_pattern(x, y, s);
  if (sp.photometric == PHOTOMETRIC_PALETTE && s < sp.colour) return v8 % (1u << sp.bits);
  if (sp.bits == 16) return v8 * 257;
  return v8 >> (8 - std::min<int>(sp.bits, 8));
}

// Row y of the given samples [s0, s0 + n), packed at sp.bits.
std::string packed_row(const Spec& sp, int y, int x0, int width, int s0, int n) {
  std::string row(static_cast<size_t>((width * n * sp.bits + 7) / 8), '\0');
  for (int x = 0; x < width; ++x)
    for (int k = 0; k < n; ++k) {
      const int px = std::min(x0 + x, kW - 1), i = x * n + k;
      const unsigned v = stored(sp, px, y, s0 + k);
      if (sp.bits == 16) {
        reinterpret_cast<uint16_t*>(row.data())[i] = static_cast<uint16_t>(v);
      } else if (sp.bits == 8) {
        row[i] = static_cast<char>(v);
      } else {
        const size_t bit = static_cast<size_t>(i) * sp.bits;
        row[bit / 8] = static_cast<char>(row[bit / 8] | v << (8 - sp.bits - bit % 8));
      }
    }
  return row;
}

void write_page(TIFF* t, const Spec& sp) {
  const int spp = sp.colour + (sp.alpha ? 1 : 0);
  TIFFSetField(t, TIFFTAG_IMAGEWIDTH, kW);
  TIFFSetField(t, TIFFTAG_IMAGELENGTH, kH);
  TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, sp.bits);
  TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, spp);
  TIFFSetField(t, TIFFTAG_PHOTOMETRIC, sp.photometric);
  TIFFSetField(t, TIFFTAG_PLANARCONFIG, sp.planar);
  TIFFSetField(t, TIFFTAG_COMPRESSION, sp.compression);
  TIFFSetField(t, TIFFTAG_ORIENTATION, sp.orientation);
  TIFFSetField(t, TIFFTAG_XRESOLUTION, 200.0);
  TIFFSetField(t, TIFFTAG_YRESOLUTION, 200.0);
  TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
  if (sp.alpha) {
    uint16_t type = sp.alpha;
    TIFFSetField(t, TIFFTAG_EXTRASAMPLES, 1, &type);
  }
  if (sp.photometric == PHOTOMETRIC_SEPARATED) TIFFSetField(t, TIFFTAG_INKSET, INKSET_CMYK);
  if (sp.photometric == PHOTOMETRIC_PALETTE) {
    const size_t n = size_t{1} << sp.bits;
    std::vector<uint16_t> r(n), g(n), b(n);
    for (size_t i = 0; i < n && i * 3 + 2 < sp.palette.size(); ++i)
      r[i] = sp.palette[i * 3], g[i] = sp.palette[i * 3 + 1], b[i] = sp.palette[i * 3 + 2];
    TIFFSetField(t, TIFFTAG_COLORMAP, r.data(), g.data(), b.data());
  }
  if (sp.compression == COMPRESSION_JPEG) {
    TIFFSetField(t, TIFFTAG_JPEGQUALITY, 95);
    if (sp.photometric == PHOTOMETRIC_YCBCR)
      TIFFSetField(t, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
  }
  const bool separate = sp.planar == PLANARCONFIG_SEPARATE;
  const int planes = separate ? spp : 1, per_plane = separate ? 1 : spp;
  if (sp.tiled) {
    TIFFSetField(t, TIFFTAG_TILEWIDTH, 16);
    TIFFSetField(t, TIFFTAG_TILELENGTH, 16);
    for (int p = 0; p < planes; ++p)
      for (int y0 = 0; y0 < kH; y0 += 16)
        for (int x0 = 0; x0 < kW; x0 += 16) {
          std::string tile;
          for (int y = y0; y < y0 + 16; ++y)
            tile += packed_row(sp, std::min(y, kH - 1), x0, 16, separate ? p : 0, per_plane);
          ASSERT_GE(TIFFWriteTile(t, tile.data(), x0, y0, 0, static_cast<uint16_t>(p)), 0);
        }
  } else {
    // JPEG wants whole MCU rows per strip: 16 with YCbCr's 2x2 subsampling.
    TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, 16);
    for (int p = 0; p < planes; ++p)
      for (int y = 0; y < kH; ++y) {
        std::string row = packed_row(sp, y, 0, kW, separate ? p : 0, per_plane);
        ASSERT_EQ(TIFFWriteScanline(t, row.data(), y, static_cast<uint16_t>(p)), 1);
      }
  }
  ASSERT_TRUE(TIFFWriteDirectory(t));
}

void write_tiff(const fs::path& file, const std::vector<Spec>& pages) {
  std::unique_ptr<TIFF, TiffCloser> t(TIFFOpen(file.c_str(), "w"));
  ASSERT_TRUE(t);
  for (const Spec& sp : pages) write_page(t.get(), sp);
}

// The 8-bit value a decoder should give for sample s (colour) at bits < 8: v * 255 / max.
unsigned expected(const Spec& sp, int x, int y, int s) {
  const unsigned v = stored(sp, x, y, s);
  if (sp.bits == 16) return v >> 8;
  const unsigned max = (1u << sp.bits) - 1;
  return sp.bits == 8 ? v : v * 255 / max;
}

class TiffDecode : public ::testing::Test {
 protected:
  TiffDecode() : dir_(fs::temp_directory_path(), "tiff-decode-") {}
  fs::path path(const std::string& n) const { return dir_.path() / n; }

  Raster one(const Spec& sp, Alpha alpha = Alpha::kComposite) {
    write_tiff(path("t.tif"), {sp});
    TiffFile f = TiffFile::open(path("t.tif"), "t.tif");
    EXPECT_EQ(f.page_count(), 1);
    EXPECT_NEAR(f.page(0).dpi_x, 200, 0.01);
    return f.decode(0, alpha);
  }

  // Gray pages: every pixel equals `want`.
  void expect_gray(const Raster& r, const std::function<unsigned(int, int)>& want,
                   unsigned tolerance = 0) {
    ASSERT_EQ(r.channels, 1);
    ASSERT_EQ(r.width, kW);
    ASSERT_EQ(r.height, kH);
    int bad = 0;
    for (int y = 0; y < kH; ++y)
      for (int x = 0; x < kW; ++x) {
        const int got = static_cast<uint8_t>(r.pixels[static_cast<size_t>(y) * kW + x]);
        if (std::abs(got - static_cast<int>(want(x, y))) > static_cast<int>(tolerance) && bad++ < 3)
          ADD_FAILURE() << "(" << x << "," << y << ") = " << got << ", want " << want(x, y);
      }
  }
  void expect_rgb(const Raster& r, const std::function<unsigned(int, int, int)>& want,
                  unsigned tolerance = 0) {
    ASSERT_EQ(r.channels, 3);
    ASSERT_EQ(r.width, kW);
    ASSERT_EQ(r.height, kH);
    int bad = 0;
    for (int y = 0; y < kH; ++y)
      for (int x = 0; x < kW; ++x)
        for (int s = 0; s < 3; ++s) {
          const int got = static_cast<uint8_t>(r.pixels[(static_cast<size_t>(y) * kW + x) * 3 + s]);
          if (std::abs(got - static_cast<int>(want(x, y, s))) > static_cast<int>(tolerance) &&
              bad++ < 3)
            ADD_FAILURE() << "(" << x << "," << y << ")[" << s << "] = " << got << ", want "
                          << want(x, y, s);
        }
  }

  core::TempDir dir_;
};

TEST_F(TiffDecode, GrayAtEveryBitDepth) {
  for (uint16_t bits : {1, 2, 4, 8, 16}) {
    SCOPED_TRACE("bits " + std::to_string(bits));
    Spec sp{.bits = bits, .pattern = bits == 1 ? checker : ramp};
    expect_gray(one(sp), [&](int x, int y) { return expected(sp, x, y, 0); });
  }
}

TEST_F(TiffDecode, MinIsWhiteFaxPagesInEveryCompression) {
  for (uint16_t c :
       {COMPRESSION_NONE, COMPRESSION_CCITTRLE, COMPRESSION_CCITTFAX3, COMPRESSION_CCITTFAX4,
        COMPRESSION_LZW, COMPRESSION_PACKBITS, COMPRESSION_ADOBE_DEFLATE}) {
    SCOPED_TRACE("compression " + std::to_string(c));
    Spec sp{.bits = 1, .photometric = PHOTOMETRIC_MINISWHITE, .compression = c, .pattern = checker};
    // Stored 1 is black in min-is-white: the picture reads inverted.
    expect_gray(one(sp), [](int x, int y) { return 255 - checker(x, y, 0); });
  }
  Spec gray8{.bits = 8, .photometric = PHOTOMETRIC_MINISWHITE, .compression = COMPRESSION_LZW};
  expect_gray(one(gray8), [](int x, int y) { return 255 - ramp(x, y, 0); });
}

TEST_F(TiffDecode, GrayWithAlphaIsCompositedOnWhite) {
  // The page that failed on a fresh machine: 1-bit gray with an alpha sample (2 samples/pixel).
  for (uint16_t bits : {1, 8}) {
    for (uint16_t type : {EXTRASAMPLE_UNASSALPHA, EXTRASAMPLE_ASSOCALPHA}) {
      SCOPED_TRACE("bits " + std::to_string(bits) + " alpha type " + std::to_string(type));
      // Associated alpha stores colour premultiplied: transparent pixels hold 0.
      Pattern colour = [&](int x, int y, int s) {
        unsigned v = bits == 1 ? checker(x, y, s) : ramp(x, y, s);
        return type == EXTRASAMPLE_ASSOCALPHA && holes(x, y, 0) == 0 ? 0u : v;
      };
      Spec sp{.bits = bits, .compression = COMPRESSION_PACKBITS, .alpha = type, .pattern = colour};
      expect_gray(one(sp),
                  [&](int x, int y) { return holes(x, y, 0) == 0 ? 255u : expected(sp, x, y, 0); });
      Raster kept = one(sp, Alpha::kKeep);
      ASSERT_EQ(kept.alpha.size(), static_cast<size_t>(kW) * kH);
      EXPECT_EQ(static_cast<uint8_t>(kept.alpha[0]), 0);    // column 0 is transparent
      EXPECT_EQ(static_cast<uint8_t>(kept.alpha[1]), 255);  // column 1 opaque
    }
  }
  // A transparent black pixel reads white; the opaque ones keep their value.
  Spec sp{.bits = 8, .alpha = EXTRASAMPLE_UNASSALPHA, .pattern = [](int, int, int) { return 0u; }};
  expect_gray(one(sp), [](int x, int) { return x % 3 == 0 ? 255u : 0u; });
}

TEST_F(TiffDecode, RgbContigPlanarSixteenBitAndAlpha) {
  auto rgb = [](int x, int y, int s) { return ramp(x, y, s); };
  expect_rgb(one({.photometric = PHOTOMETRIC_RGB, .compression = COMPRESSION_LZW, .colour = 3}),
             rgb);
  expect_rgb(one({.photometric = PHOTOMETRIC_RGB,
                  .compression = COMPRESSION_ADOBE_DEFLATE,
                  .planar = PLANARCONFIG_SEPARATE,
                  .colour = 3}),
             rgb);
  expect_rgb(one({.bits = 16, .photometric = PHOTOMETRIC_RGB, .colour = 3}), rgb);
  Spec rgba{.photometric = PHOTOMETRIC_RGB,
            .planar = PLANARCONFIG_SEPARATE,
            .colour = 3,
            .alpha = EXTRASAMPLE_UNASSALPHA};
  expect_rgb(one(rgba), [](int x, int y, int s) { return x % 3 == 0 ? 255u : ramp(x, y, s); });
}

TEST_F(TiffDecode, PaletteMinIsWhiteAndCmyk) {
  Spec pal{.bits = 4, .photometric = PHOTOMETRIC_PALETTE, .compression = COMPRESSION_PACKBITS};
  for (unsigned i = 0; i < 16; ++i)
    pal.palette.insert(pal.palette.end(), {uint16_t(i * 4096), uint16_t(65535 - i * 4096),
                                           uint16_t(i % 2 ? 65535 : 0)});
  expect_rgb(one(pal), [&](int x, int y, int s) {
    unsigned i = stored(pal, x, y, 0);
    return static_cast<unsigned>(pal.palette[i * 3 + s] >> 8);
  });
  Spec pal8{.bits = 8, .photometric = PHOTOMETRIC_PALETTE};
  for (unsigned i = 0; i < 256; ++i)
    pal8.palette.insert(pal8.palette.end(), {uint16_t(i * 257), uint16_t(i * 257), 0});
  expect_rgb(one(pal8), [](int x, int y, int s) { return s == 2 ? 0u : ramp(x, y, 0); });

  Spec cmyk{
      .photometric = PHOTOMETRIC_SEPARATED,
      .compression = COMPRESSION_LZW,
      .colour = 4,
      .pattern = [](int x, int y, int s) { return s == 3 ? (x < 18 ? 0u : 255u) : ramp(x, y, s); }};
  expect_rgb(
      one(cmyk), [](int x, int y, int s) { return x < 18 ? 255 - ramp(x, y, s) : 0u; }, 1);
}

TEST_F(TiffDecode, TilesJpegAndOrientation) {
  expect_rgb(one({.photometric = PHOTOMETRIC_RGB,
                  .compression = COMPRESSION_ADOBE_DEFLATE,
                  .colour = 3,
                  .tiled = true}),
             [](int x, int y, int s) { return ramp(x, y, s); });
  Spec bw{.bits = 1, .compression = COMPRESSION_CCITTFAX4, .tiled = true, .pattern = checker};
  expect_gray(one(bw), [](int x, int y) { return checker(x, y, 0); });
  // JPEG in YCbCr, decoded to RGB by libjpeg: lossy, so within a tolerance.
  expect_rgb(one({.photometric = PHOTOMETRIC_YCBCR,
                  .compression = COMPRESSION_JPEG,
                  .colour = 3,
                  .pattern = smooth}),
             smooth, 12);
  expect_gray(
      one({.compression = COMPRESSION_JPEG, .pattern = smooth}),
      [](int x, int y) { return smooth(x, y, 0); }, 8);

  // RIGHTTOP: stored row 0 is the right column, shown turned a quarter clockwise.
  write_tiff(path("r.tif"), {{.orientation = ORIENTATION_RIGHTTOP}});
  TiffFile f = TiffFile::open(path("r.tif"), "r.tif");
  EXPECT_EQ(f.page(0).width, kH);
  EXPECT_EQ(f.page(0).height, kW);
  Raster r = f.decode(0);
  ASSERT_EQ(r.width, kH);
  for (int y = 0; y < kW; ++y)
    for (int x = 0; x < kH; ++x)
      ASSERT_EQ(static_cast<uint8_t>(r.pixels[static_cast<size_t>(y) * kH + x]),
                ramp(y, kH - 1 - x, 0))
          << x << "," << y;
  // BOTRIGHT: turned half way.
  write_tiff(path("b.tif"), {{.orientation = ORIENTATION_BOTRIGHT}});
  Raster b = TiffFile::open(path("b.tif"), "b.tif").decode(0);
  EXPECT_EQ(static_cast<uint8_t>(b.pixels[0]), ramp(kW - 1, kH - 1, 0));
}

TEST_F(TiffDecode, MultiPageFilesMixVariants) {
  write_tiff(path("m.tif"), {{.bits = 1,
                              .photometric = PHOTOMETRIC_MINISWHITE,
                              .compression = COMPRESSION_CCITTFAX4,
                              .pattern = checker},
                             {.bits = 1, .alpha = EXTRASAMPLE_UNASSALPHA, .pattern = checker},
                             {.photometric = PHOTOMETRIC_RGB,
                              .compression = COMPRESSION_LZW,
                              .colour = 3,
                              .tiled = true}});
  TiffFile f = TiffFile::open(path("m.tif"), "m.tif");
  ASSERT_EQ(f.page_count(), 3);
  expect_gray(f.decode(0), [](int x, int y) { return 255 - checker(x, y, 0); });
  expect_gray(f.decode(1), [](int x, int y) { return x % 3 == 0 ? 255u : checker(x, y, 0); });
  expect_rgb(f.decode(2), [](int x, int y, int s) { return ramp(x, y, s); });
  try {
    TiffFile::open(path("m.tif"), "m.tif", {.max_pages = 2});
    FAIL() << "no error";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.status(), 413);
    EXPECT_EQ(e.code(), "INPUT_TOO_LARGE");
  }
}

TEST_F(TiffDecode, DamagedFilesAndBombsAreClearErrors) {
  write_tiff(path("ok.tif"),
             {{.photometric = PHOTOMETRIC_RGB, .compression = COMPRESSION_LZW, .colour = 3}});
  std::string bytes = core::read_file(path("ok.tif"));
  // The directory sits at the end of what libtiff wrote: cut the pixel data instead.
  std::string cut = bytes;
  for (size_t i = 16; i < cut.size() / 2; ++i) cut[i] = '\xff';
  core::atomic_write_file(path("cut.tif"), cut);
  try {
    TiffFile f = TiffFile::open(path("cut.tif"), "cut.tif");
    f.decode(0);
    FAIL() << "no error";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.status(), 400) << e.what();
    EXPECT_EQ(e.code(), "INVALID_IMAGE") << e.what();
    EXPECT_NE(std::string(e.what()).find("cut.tif"), std::string::npos) << e.what();
  }
  core::atomic_write_file(path("half.tif"), bytes.substr(0, bytes.size() / 2));
  EXPECT_THROW(TiffFile::open(path("half.tif"), "half.tif").decode(0), core::Error);
  core::atomic_write_file(path("junk.tif"), std::string("II*\0", 4) + std::string(60, '\x07'));
  EXPECT_THROW(TiffFile::open(path("junk.tif"), "junk.tif"), core::Error);

  // 100000 x 100000 promised by a directory of one tiny strip: refused before decoding.
  {
    std::unique_ptr<TIFF, TiffCloser> t(TIFFOpen(path("bomb.tif").c_str(), "w"));
    TIFFSetField(t.get(), TIFFTAG_IMAGEWIDTH, 100000);
    TIFFSetField(t.get(), TIFFTAG_IMAGELENGTH, 100000);
    TIFFSetField(t.get(), TIFFTAG_BITSPERSAMPLE, 1);
    TIFFSetField(t.get(), TIFFTAG_SAMPLESPERPIXEL, 1);
    TIFFSetField(t.get(), TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
    TIFFSetField(t.get(), TIFFTAG_COMPRESSION, COMPRESSION_CCITTFAX4);
    TIFFSetField(t.get(), TIFFTAG_ROWSPERSTRIP, 100000);
    std::string row(100000 / 8, '\0');
    TIFFWriteScanline(t.get(), row.data(), 0, 0);
  }
  ASSERT_LT(fs::file_size(path("bomb.tif")), 4096u);
  try {
    TiffFile::open(path("bomb.tif"), "bomb.tif");
    FAIL() << "no error";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.status(), 413);
    EXPECT_NE(std::string(e.what()).find("100000x100000"), std::string::npos) << e.what();
  }
}

// The three consumers on the page that failed: a 2-page TIFF whose page 2 is 1-bit gray with an
// alpha sample.
TEST_F(TiffDecode, ScanOcrAndImageToPdfReadTheOnceFailingPage) {
  write_tiff(path("two.tif"), {{.bits = 1,
                                .photometric = PHOTOMETRIC_MINISWHITE,
                                .compression = COMPRESSION_CCITTFAX4,
                                .pattern = checker},
                               {.bits = 1,
                                .compression = COMPRESSION_PACKBITS,
                                .alpha = EXTRASAMPLE_UNASSALPHA,
                                .pattern = checker}});
  auto source = scan::open_page_source(path("two.tif"), {});
  ASSERT_EQ(source->page_count(), 2);
  scan::GrayImage page = source->page(1, 0);
  EXPECT_EQ(page.width, kW);
  EXPECT_EQ(page.pixels[0], 255);                         // transparent column: white
  EXPECT_EQ(page.pixels[1], checker(1, 0, 0) ? 255 : 0);  // opaque: the checker

  ocr::ImageFile image = ocr::ImageFile::probe(path("two.tif"), "two.tif", 200, 5000);
  ASSERT_EQ(image.page_count(), 2);
  ocr::PixPtr pix = image.load(1);
  EXPECT_EQ(pixGetWidth(pix.get()), kW);
  EXPECT_EQ(pixGetHeight(pix.get()), kH);

  auto pages = pdf::images_to_pdf({{path("two.tif"), "two.tif"}}, path("two.pdf"), {});
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(pages[0].color, "bilevel");
  core::ProcessOptions o;
  o.argv = {"qpdf", "--show-npages", path("two.pdf").string()};
  auto r = core::run_process(o);
  ASSERT_TRUE(r.ok()) << r.err;
  EXPECT_EQ(std::stoi(r.out), 2);
}

}  // namespace
}  // namespace paperd::engines::image
