#include "engines/ocr/image_file.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>

#include "core/error.h"
#include "engines/image/pix.h"

namespace paperd::engines::ocr {

namespace {

core::Error invalid_image(const std::string& name, const std::string& why) {
  return core::Error(400, "INVALID_IMAGE", "'" + name + "' is not a readable image: " + why);
}

uint32_t le(const unsigned char* p, int n) {
  uint32_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

// Leptonica has no header-only reader for BMP (it decodes the whole file), so read the DIB
// header here. Leptonica reads uncompressed BMPs only; say so instead of "corrupt".
ImagePageInfo bmp_header(const std::filesystem::path& file, const std::string& name) {
  unsigned char h[34] = {};
  std::ifstream in(file, std::ios::binary);
  in.read(reinterpret_cast<char*>(h), sizeof h);
  if (in.gcount() < 26) throw invalid_image(name, "truncated BMP header");
  uint32_t dib = le(h + 14, 4);
  if (dib == 12) return {static_cast<int>(le(h + 18, 2)), static_cast<int>(le(h + 20, 2))};
  if (dib < 40 || in.gcount() < 34) throw invalid_image(name, "unknown BMP header");
  if (uint32_t compression = le(h + 30, 4); compression != 0)
    throw core::Error(400, "UNSUPPORTED_FORMAT",
                      "'" + name + "' is a compressed BMP (method " + std::to_string(compression) +
                          "); OCR reads uncompressed BMP, or send PNG or TIFF");
  int32_t w = static_cast<int32_t>(le(h + 18, 4)), hh = static_cast<int32_t>(le(h + 22, 4));
  if (w <= 0 || hh == 0 || hh == INT32_MIN) throw invalid_image(name, "bad BMP dimensions");
  return {w, std::abs(hh)};
}

void check_pixels(const ImagePageInfo& p, int64_t max_megapixels, const std::string& name,
                  int index, int pages) {
  if (p.width <= 0 || p.height <= 0) throw invalid_image(name, "zero image size");
  int64_t pixels = static_cast<int64_t>(p.width) * p.height;
  if (pixels > max_megapixels * 1000000)
    throw core::Error::input_too_large(
        "'" + name + "'" + (pages > 1 ? " page " + std::to_string(index + 1) : std::string()) +
        " is " + std::to_string(p.width) + "x" + std::to_string(p.height) + " pixels (" +
        std::to_string(pixels / 1000000) + " MP); the limit is " + std::to_string(max_megapixels) +
        " MP (setting max_megapixels)");
}

}  // namespace

ImageFile ImageFile::probe(const std::filesystem::path& file, const std::string& display_name,
                           int64_t max_megapixels, int64_t max_pages) {
  ImageFile img;
  img.path_ = file;
  img.name_ = display_name;
  img.format_ = sniff_format(file);
  if (img.format_ == InputFormat::kPdf || img.format_ == InputFormat::kUnknown)
    require_supported(InputFormat::kUnknown, display_name);
  const std::string path = file.string();
  if (img.format_ == InputFormat::kTiff) {
    img.tiff_ = image::TiffFile::open(file, display_name, {max_pages, max_megapixels});
    for (int i = 0; i < img.tiff_->page_count(); ++i)
      img.pages_.push_back({img.tiff_->page(i).width, img.tiff_->page(i).height});
  } else if (img.format_ == InputFormat::kBmp) {
    img.pages_.push_back(bmp_header(file, display_name));
  } else {
    int fmt = 0, w = 0, h = 0, bps = 0, spp = 0, cmap = 0;
    if (pixReadHeader(path.c_str(), &fmt, &w, &h, &bps, &spp, &cmap) != 0)
      throw invalid_image(display_name, std::string("unreadable ") +
                                            std::string(format_name(img.format_)) + " header");
    img.pages_.push_back({w, h});
  }
  for (int i = 0; i < img.page_count(); ++i)
    check_pixels(img.pages_[i], max_megapixels, display_name, i, img.page_count());
  return img;
}

PixPtr ImageFile::load(int index) const {
  const std::string path = path_.string();
  PixPtr pix(tiff_ ? image::to_pix(tiff_->decode(index)).release() : pixRead(path.c_str()));
  if (!pix)
    throw invalid_image(name_, "the " + std::string(format_name(format_)) +
                                   " data is corrupt or uses an unsupported encoding");
  const auto& expected = pages_.at(index);
  // The decoder must produce what the header promised; anything else is a crafted file.
  if (pixGetWidth(pix.get()) != expected.width || pixGetHeight(pix.get()) != expected.height)
    throw invalid_image(name_, "the decoded size differs from the header");
  return pix;
}

}  // namespace paperd::engines::ocr
