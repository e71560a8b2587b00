// images_to_pdf: see image_to_pdf.h. Each input is sniffed from its bytes, turned into one or more
// page images (a JPEG's own bytes, or decoded pixels), and each page image becomes a page.
#include "engines/pdf/image_to_pdf.h"

#include <leptonica/allheaders.h>
#include <png.h>
#include <webp/decode.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <memory>

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>

#include "core/error.h"
#include "core/fs.h"
#include "engines/image/tiff_file.h"
#include "engines/pdf/qpdf_document.h"

namespace paperd::engines::pdf {

namespace fs = std::filesystem;

namespace {

enum class Format { kUnknown, kJpeg, kPng, kTiff, kWebp, kGif, kBmp, kPnm, kPdf };

core::Error invalid_image(const std::string& name, const std::string& why) {
  return core::Error(400, "INVALID_IMAGE", "'" + name + "' is not a readable image: " + why);
}

std::string read_head(const fs::path& file, size_t n) {
  std::ifstream in(file, std::ios::binary);
  std::string buf(n, '\0');
  in.read(buf.data(), static_cast<std::streamsize>(n));
  buf.resize(static_cast<size_t>(in.gcount()));
  return buf;
}

Format sniff(const std::string& h) {
  auto starts = [&](std::string_view magic) { return h.compare(0, magic.size(), magic) == 0; };
  if (starts("\xFF\xD8\xFF")) return Format::kJpeg;
  if (starts("\x89PNG\r\n\x1A\n")) return Format::kPng;
  if (starts(std::string_view("II*\0", 4)) || starts(std::string_view("MM\0*", 4)))
    return Format::kTiff;
  if (starts("RIFF") && h.size() >= 12 && h.compare(8, 4, "WEBP") == 0) return Format::kWebp;
  if (starts("GIF87a") || starts("GIF89a")) return Format::kGif;
  if (starts("BM")) return Format::kBmp;
  if (h.size() >= 2 && h[0] == 'P' && h[1] >= '1' && h[1] <= '6') return Format::kPnm;
  if (starts("%PDF")) return Format::kPdf;
  return Format::kUnknown;
}

void check_pixels(const std::string& name, int64_t w, int64_t h, int64_t max_megapixels) {
  if (w <= 0 || h <= 0) throw invalid_image(name, "it has no pixels");
  if (w * h > max_megapixels * 1000000)
    throw core::Error::input_too_large("'" + name + "' is " + std::to_string(w) + "x" +
                                       std::to_string(h) + " pixels; the limit is " +
                                       std::to_string(max_megapixels) + " megapixels");
}

// One page's picture: either a JPEG file passed through, or 8-bit pixels (1-bit when bilevel).
struct PageImage {
  int width = 0, height = 0;
  double dpi_x = 0, dpi_y = 0;  // 0 = unknown
  int rotate = 0;               // clockwise, from EXIF orientation
  // JPEG pass-through
  bool jpeg = false;
  fs::path jpeg_file;
  bool adobe_inverted = false;  // Adobe CMYK JPEGs store inverted values
  // Decoded pixels
  int components = 3;  // 1 gray, 3 RGB, 4 CMYK (JPEG only)
  int bits = 8;        // 1 for bilevel
  std::string pixels;  // rows top to bottom, packed
  std::string alpha;   // 8-bit, empty when opaque
};

// ---- JPEG: the header only --------------------------------------------------------------

uint16_t be16(const unsigned char* p) {
  return static_cast<uint16_t>(p[0] << 8 | p[1]);
}

// EXIF orientation (1..8) from an APP1 payload, 0 when absent.
int exif_orientation(const std::string& app1) {
  if (app1.size() < 14 || app1.compare(0, 6, std::string_view("Exif\0\0", 6)) != 0) return 0;
  const auto* t = reinterpret_cast<const unsigned char*>(app1.data()) + 6;
  const size_t n = app1.size() - 6;
  bool le = t[0] == 'I';
  auto u16 = [&](size_t o) -> unsigned {
    return o + 2 > n ? 0 : le ? (t[o] | t[o + 1] << 8) : (t[o] << 8 | t[o + 1]);
  };
  auto u32 = [&](size_t o) -> size_t {
    return o + 4 > n ? 0
           : le      ? (size_t(t[o]) | size_t(t[o + 1]) << 8 | size_t(t[o + 2]) << 16 |
                   size_t(t[o + 3]) << 24)
                     : (size_t(t[o]) << 24 | size_t(t[o + 1]) << 16 | size_t(t[o + 2]) << 8 |
                   size_t(t[o + 3]));
  };
  size_t ifd = u32(4);
  unsigned entries = u16(ifd);
  for (unsigned i = 0; i < entries && i < 512; ++i) {
    size_t e = ifd + 2 + i * 12;
    if (e + 12 > n) break;
    if (u16(e) == 0x0112) return static_cast<int>(u16(e + 8));
  }
  return 0;
}

PageImage probe_jpeg(const fs::path& file, const std::string& name, int64_t max_megapixels) {
  std::ifstream in(file, std::ios::binary);
  unsigned char m[2];
  in.read(reinterpret_cast<char*>(m), 2);
  PageImage img;
  img.jpeg = true;
  img.jpeg_file = file;
  bool adobe = false;
  while (in) {
    in.read(reinterpret_cast<char*>(m), 2);
    if (!in) break;
    if (m[0] != 0xFF) throw invalid_image(name, "its JPEG markers are damaged");
    int marker = m[1];
    if (marker == 0xFF) {  // fill byte
      in.seekg(-1, std::ios::cur);
      continue;
    }
    if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) continue;
    if (marker == 0xD9 || marker == 0xDA) break;  // end of image / start of scan before SOF
    unsigned char lb[2];
    in.read(reinterpret_cast<char*>(lb), 2);
    int len = be16(lb);
    if (!in || len < 2) throw invalid_image(name, "a JPEG segment is truncated");
    std::string seg(static_cast<size_t>(len - 2), '\0');
    in.read(seg.data(), len - 2);
    if (!in) throw invalid_image(name, "a JPEG segment is truncated");
    const auto* s = reinterpret_cast<const unsigned char*>(seg.data());
    if (marker == 0xE0 && seg.size() >= 12 &&
        seg.compare(0, 5, std::string_view("JFIF\0", 5)) == 0) {
      int units = s[7];
      double x = be16(s + 8), y = be16(s + 10);
      if (units == 1 && x > 1) img.dpi_x = x, img.dpi_y = y;
      if (units == 2 && x > 1) img.dpi_x = x * 2.54, img.dpi_y = y * 2.54;
    } else if (marker == 0xE1) {
      int o = exif_orientation(seg);
      img.rotate = o == 3 ? 180 : o == 6 ? 90 : o == 8 ? 270 : 0;
    } else if (marker == 0xEE && seg.size() >= 12 && seg.compare(0, 5, "Adobe") == 0) {
      adobe = true;
    } else if ((marker >= 0xC0 && marker <= 0xCF) && marker != 0xC4 && marker != 0xC8 &&
               marker != 0xCC) {
      if (seg.size() < 6) throw invalid_image(name, "its JPEG frame header is truncated");
      if (s[0] != 8)
        throw core::Error(400, "UNSUPPORTED_FORMAT",
                          "'" + name + "' is a " + std::to_string(s[0]) +
                              "-bit JPEG; PDF embeds 8-bit JPEGs only");
      if (marker == 0xC3 || marker == 0xC7 || marker == 0xCB || marker == 0xCF)
        throw core::Error(400, "UNSUPPORTED_FORMAT",
                          "'" + name + "' is a lossless JPEG, which PDF cannot embed");
      img.height = be16(s + 1);
      img.width = be16(s + 3);
      img.components = s[5];
      if (img.components != 1 && img.components != 3 && img.components != 4)
        throw invalid_image(name, std::to_string(img.components) + " colour components");
      check_pixels(name, img.width, img.height, max_megapixels);
      img.adobe_inverted = img.components == 4 && adobe;
      return img;
    }
  }
  throw invalid_image(name, "no JPEG frame header found");
}

// ---- decoded formats --------------------------------------------------------------------

// pHYs from the PNG chunk list (the simplified libpng API does not report it).
std::pair<double, double> png_dpi(const fs::path& file) {
  std::string head = read_head(file, 1 << 16);
  size_t p = 8;
  while (p + 12 <= head.size()) {
    const auto* c = reinterpret_cast<const unsigned char*>(head.data()) + p;
    uint32_t len = uint32_t(c[0]) << 24 | uint32_t(c[1]) << 16 | uint32_t(c[2]) << 8 | c[3];
    std::string type(head.data() + p + 4, 4);
    if (type == "pHYs" && len >= 9 && p + 8 + 9 <= head.size() && c[16] == 1) {
      auto u32 = [](const unsigned char* q) {
        return uint32_t(q[0]) << 24 | uint32_t(q[1]) << 16 | uint32_t(q[2]) << 8 | q[3];
      };
      return {u32(c + 8) * 0.0254, u32(c + 12) * 0.0254};
    }
    if (type == "IDAT" || type == "IEND") break;
    p += 12 + len;
  }
  return {0, 0};
}

// Splits interleaved pixels with an alpha channel into colour and alpha.
void split_alpha(PageImage& img, const unsigned char* px, int channels) {
  const size_t n = static_cast<size_t>(img.width) * img.height;
  const int colour = channels - 1;
  img.components = colour;
  img.pixels.resize(n * colour);
  img.alpha.resize(n);
  for (size_t i = 0; i < n; ++i) {
    std::memcpy(&img.pixels[i * colour], px + i * channels, colour);
    img.alpha[i] = static_cast<char>(px[i * channels + colour]);
  }
}

PageImage decode_png(const fs::path& file, const std::string& name, int64_t max_megapixels) {
  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&png, file.c_str())) throw invalid_image(name, png.message);
  std::unique_ptr<png_image, void (*)(png_imagep)> guard(&png, png_image_free);
  check_pixels(name, png.width, png.height, max_megapixels);
  png.format &= (PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA);
  std::string buf(PNG_IMAGE_SIZE(png), '\0');
  if (!png_image_finish_read(&png, nullptr, buf.data(), 0, nullptr))
    throw invalid_image(name, png.message);
  PageImage img;
  img.width = static_cast<int>(png.width);
  img.height = static_cast<int>(png.height);
  std::tie(img.dpi_x, img.dpi_y) = png_dpi(file);
  int channels = PNG_IMAGE_SAMPLE_CHANNELS(png.format);
  if (png.format & PNG_FORMAT_FLAG_ALPHA) {
    split_alpha(img, reinterpret_cast<const unsigned char*>(buf.data()), channels);
  } else {
    img.components = channels;
    img.pixels = std::move(buf);
  }
  return img;
}

// Every page of a TIFF, decoded by engines/image with its alpha kept for the SMask.
std::vector<PageImage> decode_tiff(const fs::path& file, const std::string& name,
                                   int64_t max_megapixels, int64_t max_pages) {
  const image::TiffFile tiff = image::TiffFile::open(file, name, {max_pages, max_megapixels});
  std::vector<PageImage> out;
  for (int i = 0; i < tiff.page_count(); ++i) {
    image::Raster r = tiff.decode(i, image::Alpha::kKeep);
    PageImage img;
    img.width = r.width;
    img.height = r.height;
    img.dpi_x = r.dpi_x;
    img.dpi_y = r.dpi_y;
    img.components = r.channels;
    img.pixels = std::move(r.pixels);
    img.alpha = std::move(r.alpha);
    out.push_back(std::move(img));
  }
  return out;
}

PageImage decode_webp(const fs::path& file, const std::string& name, int64_t max_megapixels) {
  std::string data = core::read_file(file);
  const auto* bytes = reinterpret_cast<const uint8_t*>(data.data());
  WebPBitstreamFeatures features;
  if (WebPGetFeatures(bytes, data.size(), &features) != VP8_STATUS_OK)
    throw invalid_image(name, "its WebP header is damaged");
  if (features.has_animation)
    throw core::Error(400, "UNSUPPORTED_FORMAT", "'" + name + "' is an animated WebP");
  check_pixels(name, features.width, features.height, max_megapixels);
  int w = 0, h = 0;
  std::unique_ptr<uint8_t, void (*)(void*)> px(features.has_alpha
                                                   ? WebPDecodeRGBA(bytes, data.size(), &w, &h)
                                                   : WebPDecodeRGB(bytes, data.size(), &w, &h),
                                               WebPFree);
  if (!px) throw invalid_image(name, "its WebP data cannot be decoded");
  PageImage img;
  img.width = w;
  img.height = h;
  if (features.has_alpha) {
    split_alpha(img, px.get(), 4);
  } else {
    img.components = 3;
    img.pixels.assign(reinterpret_cast<const char*>(px.get()), static_cast<size_t>(w) * h * 3);
  }
  return img;
}

struct PixCloser {
  void operator()(PIX* p) const { pixDestroy(&p); }
};

// GIF, BMP and PNM through Leptonica.
PageImage decode_leptonica(const fs::path& file, const std::string& name, int64_t max_megapixels) {
  l_int32 format = 0, w = 0, h = 0, bps = 0, spp = 0, cmap = 0;
  if (pixReadHeader(file.c_str(), &format, &w, &h, &bps, &spp, &cmap) != 0)
    throw invalid_image(name, "its header cannot be read");
  check_pixels(name, w, h, max_megapixels);
  std::unique_ptr<PIX, PixCloser> pix(pixRead(file.c_str()));
  if (!pix) throw invalid_image(name, "Leptonica cannot decode it");
  std::unique_ptr<PIX, PixCloser> rgb(pixConvertTo32(pix.get()));
  if (!rgb) throw invalid_image(name, "Leptonica cannot convert it to RGB");
  PageImage img;
  img.width = w;
  img.height = h;
  img.dpi_x = pixGetXRes(pix.get());
  img.dpi_y = pixGetYRes(pix.get());
  img.components = 3;
  img.pixels.resize(static_cast<size_t>(w) * h * 3);
  for (int y = 0; y < h; ++y) {
    const l_uint32* line = pixGetData(rgb.get()) + static_cast<size_t>(y) * pixGetWpl(rgb.get());
    for (int x = 0; x < w; ++x) {
      l_int32 r, g, b;
      extractRGBValues(line[x], &r, &g, &b);
      char* d = &img.pixels[(static_cast<size_t>(y) * w + x) * 3];
      d[0] = static_cast<char>(r), d[1] = static_cast<char>(g), d[2] = static_cast<char>(b);
    }
  }
  return img;
}

// Smallest faithful form of decoded pixels: RGB that is all gray becomes gray, gray that is all
// black and white becomes 1-bit, an alpha channel that is all opaque is dropped.
void simplify(PageImage& img) {
  if (!img.alpha.empty() &&
      std::all_of(img.alpha.begin(), img.alpha.end(), [](char a) { return a == char(255); }))
    img.alpha.clear();
  const size_t n = static_cast<size_t>(img.width) * img.height;
  if (img.components == 3) {
    bool gray = true;
    for (size_t i = 0; i < n && gray; ++i)
      gray =
          img.pixels[i * 3] == img.pixels[i * 3 + 1] && img.pixels[i * 3] == img.pixels[i * 3 + 2];
    if (gray) {
      std::string g(n, '\0');
      for (size_t i = 0; i < n; ++i) g[i] = img.pixels[i * 3];
      img.pixels = std::move(g);
      img.components = 1;
    }
  }
  if (img.components == 1 && img.alpha.empty() &&
      std::all_of(img.pixels.begin(), img.pixels.end(),
                  [](char v) { return v == 0 || v == char(255); })) {
    const size_t row = (static_cast<size_t>(img.width) + 7) / 8;
    std::string bits(row * img.height, '\0');
    for (int y = 0; y < img.height; ++y)
      for (int x = 0; x < img.width; ++x)
        if (img.pixels[static_cast<size_t>(y) * img.width + x])
          bits[y * row + x / 8] |= static_cast<char>(0x80 >> (x % 8));
    img.pixels = std::move(bits);
    img.bits = 1;
  }
}

std::vector<PageImage> load(const ImageInput& input, const ImageToPdfOptions& o) {
  const std::string head = read_head(input.path, 64);
  switch (sniff(head)) {
    case Format::kJpeg:
      return {probe_jpeg(input.path, input.name, o.max_megapixels)};
    case Format::kPng:
      return {decode_png(input.path, input.name, o.max_megapixels)};
    case Format::kTiff:
      return decode_tiff(input.path, input.name, o.max_megapixels, o.max_pages);
    case Format::kWebp:
      return {decode_webp(input.path, input.name, o.max_megapixels)};
    case Format::kGif:
    case Format::kBmp:
    case Format::kPnm:
      return {decode_leptonica(input.path, input.name, o.max_megapixels)};
    case Format::kPdf:
      throw core::Error(400, "UNSUPPORTED_FORMAT",
                        "'" + input.name +
                            "' is already a PDF; image_to_pdf takes images "
                            "(JPEG, PNG, TIFF, WebP, GIF, BMP, PNM)");
    case Format::kUnknown:
      break;
  }
  throw core::Error(400, "UNSUPPORTED_FORMAT",
                    "'" + input.name +
                        "' is not an image this tool reads (JPEG, PNG, TIFF, "
                        "WebP, GIF, BMP, PNM)");
}

// ---- PDF objects ------------------------------------------------------------------------

std::string deflate(const std::string& raw) {
  uLongf size = compressBound(raw.size());
  std::string out(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(out.data()), &size,
                reinterpret_cast<const Bytef*>(raw.data()), raw.size(), 6) != Z_OK)
    throw core::Error::internal("zlib could not compress an image");
  out.resize(size);
  return out;
}

QPDFObjectHandle name(const char* n) {
  return QPDFObjectHandle::newName(n);
}

// An image XObject stream with its dictionary filled in; the caller supplies the data.
QPDFObjectHandle new_image(QPDF& pdf, int width, int height, int bits, const char* color_space) {
  QPDFObjectHandle stream = pdf.newStream();
  QPDFObjectHandle dict = stream.getDict();
  dict.replaceKey("/Type", name("/XObject"));
  dict.replaceKey("/Subtype", name("/Image"));
  dict.replaceKey("/Width", QPDFObjectHandle::newInteger(width));
  dict.replaceKey("/Height", QPDFObjectHandle::newInteger(height));
  dict.replaceKey("/BitsPerComponent", QPDFObjectHandle::newInteger(bits));
  dict.replaceKey("/ColorSpace", name(color_space));
  return stream;
}

QPDFObjectHandle image_xobject(QPDF& pdf, const PageImage& img) {
  QPDFObjectHandle stream = new_image(pdf, img.width, img.height, img.bits,
                                      img.components == 1   ? "/DeviceGray"
                                      : img.components == 4 ? "/DeviceCMYK"
                                                            : "/DeviceRGB");
  QPDFObjectHandle dict = stream.getDict();
  if (img.jpeg) {
    if (img.adobe_inverted)
      dict.replaceKey("/Decode", QPDFObjectHandle::parse("[1 0 1 0 1 0 1 0]"));
    // The file's bytes go into the PDF as they are, read only when the PDF is written.
    fs::path file = img.jpeg_file;
    stream.replaceStreamData(
        [file](Pipeline* p) {
          std::ifstream in(file, std::ios::binary);
          char buf[1 << 16];
          while (in.read(buf, sizeof buf) || in.gcount() > 0)
            p->write(reinterpret_cast<unsigned char*>(buf), static_cast<size_t>(in.gcount()));
          p->finish();
        },
        name("/DCTDecode"), QPDFObjectHandle::newNull());
  } else {
    stream.replaceStreamData(deflate(img.pixels), name("/FlateDecode"),
                             QPDFObjectHandle::newNull());
    if (!img.alpha.empty()) {
      QPDFObjectHandle mask = new_image(pdf, img.width, img.height, 8, "/DeviceGray");
      mask.replaceStreamData(deflate(img.alpha), name("/FlateDecode"), QPDFObjectHandle::newNull());
      dict.replaceKey("/SMask", mask);
    }
  }
  return stream;
}

std::string fmt_num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

void add_page(QPDF& pdf, const PageImage& img, const ImageToPdfOptions& o, double dpi_x,
              double dpi_y) {
  // Layout happens in the unrotated frame; /Rotate turns the finished page like the EXIF tag
  // asks, and centring is symmetric, so swapping the page's sides is all the rotation needs.
  const bool sideways = img.rotate == 90 || img.rotate == 270;
  const double natural_w = img.width * 72.0 / dpi_x, natural_h = img.height * 72.0 / dpi_y;
  double page_w = natural_w, page_h = natural_h, draw_w = natural_w, draw_h = natural_h;
  if (o.page_size != PageSizeMode::kFit) {
    double a = o.page_size == PageSizeMode::kA4 ? 595.276 : 612;
    double b = o.page_size == PageSizeMode::kA4 ? 841.89 : 792;
    // Shown orientation of the image (after EXIF rotation) picks the paper orientation.
    const double shown_w = sideways ? natural_h : natural_w;
    const double shown_h = sideways ? natural_w : natural_h;
    bool landscape = o.orientation == PageOrientation::kLandscape ||
                     (o.orientation == PageOrientation::kAuto && shown_w > shown_h);
    double shown_page_w = landscape ? b : a, shown_page_h = landscape ? a : b;
    page_w = sideways ? shown_page_h : shown_page_w;
    page_h = sideways ? shown_page_w : shown_page_h;
    const double box_w = std::max(1.0, page_w - 2 * o.margin_pt);
    const double box_h = std::max(1.0, page_h - 2 * o.margin_pt);
    const double scale = std::min(box_w / natural_w, box_h / natural_h);
    draw_w = natural_w * scale;
    draw_h = natural_h * scale;
  }
  const double x = (page_w - draw_w) / 2, y = (page_h - draw_h) / 2;
  QPDFObjectHandle xobject = image_xobject(pdf, img);
  std::string content = "q " + fmt_num(draw_w) + " 0 0 " + fmt_num(draw_h) + " " + fmt_num(x) +
                        " " + fmt_num(y) + " cm /Im0 Do Q\n";
  QPDFObjectHandle page = QPDFObjectHandle::newDictionary();
  page.replaceKey("/Type", name("/Page"));
  page.replaceKey("/MediaBox", QPDFObjectHandle::newFromRectangle({0, 0, page_w, page_h}));
  QPDFObjectHandle xobjects = QPDFObjectHandle::newDictionary();
  xobjects.replaceKey("/Im0", xobject);
  QPDFObjectHandle resources = QPDFObjectHandle::newDictionary();
  resources.replaceKey("/XObject", xobjects);
  page.replaceKey("/Resources", resources);
  page.replaceKey("/Contents", pdf.newStream(content));
  if (img.rotate) page.replaceKey("/Rotate", QPDFObjectHandle::newInteger(img.rotate));
  QPDFPageDocumentHelper(pdf).addPage(QPDFPageObjectHelper(pdf.makeIndirectObject(page)), false);
}

}  // namespace

std::vector<ImagePageInfo> images_to_pdf(const std::vector<ImageInput>& inputs, const fs::path& out,
                                         const ImageToPdfOptions& options) {
  if (inputs.empty()) throw core::Error::invalid_request("image_to_pdf needs at least one image");
  auto pdf = QPDF::create();
  pdf->emptyPDF();
  std::vector<ImagePageInfo> pages;
  for (size_t i = 0; i < inputs.size(); ++i) {
    std::vector<PageImage> images = load(inputs[i], options);
    for (size_t f = 0; f < images.size(); ++f) {
      PageImage& img = images[f];
      if (static_cast<int64_t>(pages.size()) >= options.max_pages)
        throw core::Error::input_too_large("the PDF would have more than " +
                                           std::to_string(options.max_pages) + " pages");
      if (!img.jpeg) simplify(img);
      // A resolution below 10 dpi is a placeholder (JFIF writes 1:1 for "aspect ratio only");
      // like a missing one it falls back to the default.
      double dx = img.dpi_x >= 10 ? img.dpi_x : options.default_dpi;
      double dy = img.dpi_y >= 10 ? img.dpi_y : dx;
      add_page(*pdf, img, options, dx, dy);
      ImagePageInfo info;
      info.source = inputs[i].name;
      info.frame = static_cast<int>(f);
      info.width = img.width;
      info.height = img.height;
      info.dpi = dx;
      info.encoding = img.jpeg ? "jpeg-copied" : "flate";
      info.color = img.bits == 1         ? "bilevel"
                   : img.components == 1 ? "gray"
                   : img.components == 4 ? "cmyk"
                                         : "rgb";
      info.alpha = !img.alpha.empty();
      pages.push_back(info);
      // The decoded pixels now live (compressed) in the PDF; free the raw copy early.
      img.pixels.clear();
      img.pixels.shrink_to_fit();
      img.alpha.clear();
      img.alpha.shrink_to_fit();
    }
    if (options.progress) options.progress(i + 1, inputs.size());
  }
  QpdfWriteOptions write;
  write.preserve_encryption = false;
  write_pdf(*pdf, out, write, "the PDF made from the images");
  return pages;
}

}  // namespace paperd::engines::pdf
