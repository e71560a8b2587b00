#include "engines/scan/image_page_source.h"

#include <leptonica/allheaders.h>
#include <tiffio.h>

#include <cmath>
#include <functional>
#include <memory>
#include <string_view>

#include "core/error.h"
#include "core/fs.h"

namespace paperd::engines::scan {

namespace {

core::Error invalid_image(const std::string& name, const std::string& what) {
  return {400, "INVALID_IMAGE", "'" + name + "' " + what};
}

void check_pixels(int64_t width, int64_t height, int page, const std::string& name,
                  const SourceLimits& limits) {
  std::string where = "page " + std::to_string(page) + " of '" + name + "'";
  if (width <= 0 || height <= 0) throw core::Error(400, "INVALID_IMAGE", where + " has no pixels");
  double mp = static_cast<double>(width) * static_cast<double>(height) / 1e6;
  if (mp > static_cast<double>(limits.max_megapixels))
    throw core::Error::input_too_large(
        where + " is " + std::to_string(width) + "x" + std::to_string(height) + " pixels (" +
        std::to_string(static_cast<int64_t>(mp)) + " megapixels); the limit is " +
        std::to_string(limits.max_megapixels) + " megapixels");
}

struct TiffCloser {
  void operator()(TIFF* t) const { TIFFClose(t); }
};

// Width and height of every directory (page) of a TIFF, read from the tags alone.
std::vector<std::pair<int, int>> tiff_page_sizes(const std::filesystem::path& file,
                                                 const std::string& name,
                                                 const SourceLimits& limits) {
  std::unique_ptr<TIFF, TiffCloser> tif(TIFFOpen(file.c_str(), "r"));
  if (!tif) throw invalid_image(name, "is not a readable TIFF file");
  std::vector<std::pair<int, int>> sizes;
  do {
    uint32_t w = 0, h = 0;
    TIFFGetField(tif.get(), TIFFTAG_IMAGEWIDTH, &w);
    TIFFGetField(tif.get(), TIFFTAG_IMAGELENGTH, &h);
    int page = static_cast<int>(sizes.size()) + 1;
    if (page > limits.max_pages)
      throw core::Error::input_too_large("'" + name + "' has more than " +
                                         std::to_string(limits.max_pages) + " pages (the limit)");
    check_pixels(w, h, page, name, limits);
    sizes.emplace_back(static_cast<int>(w), static_cast<int>(h));
  } while (TIFFReadDirectory(tif.get()));
  return sizes;
}

// Any TIFF libtiff can read (16-bit samples, gray + alpha, odd photometrics Leptonica refuses),
// as 8-bit RGBA with white under transparent parts.
Pix* read_tiff_rgba(const std::filesystem::path& file, int index) {
  std::unique_ptr<TIFF, TiffCloser> tif(TIFFOpen(file.c_str(), "r"));
  if (!tif || !TIFFSetDirectory(tif.get(), static_cast<tdir_t>(index))) return nullptr;
  uint32_t w = 0, h = 0;
  TIFFGetField(tif.get(), TIFFTAG_IMAGEWIDTH, &w);
  TIFFGetField(tif.get(), TIFFTAG_IMAGELENGTH, &h);
  std::vector<uint32_t> raster(static_cast<size_t>(w) * h);
  if (!TIFFReadRGBAImageOriented(tif.get(), w, h, raster.data(), ORIENTATION_TOPLEFT, 0))
    return nullptr;
  Pix* pix = pixCreate(static_cast<int>(w), static_cast<int>(h), 32);
  if (!pix) return nullptr;
  l_uint32* data = pixGetData(pix);
  int wpl = pixGetWpl(pix);
  for (uint32_t y = 0; y < h; ++y)
    for (uint32_t x = 0; x < w; ++x) {
      uint32_t v = raster[static_cast<size_t>(y) * w + x];
      uint32_t a = TIFFGetA(v), inv = 255 - a;
      auto blend = [&](uint32_t c) { return (c * a + 255 * inv) / 255; };
      composeRGBPixel(static_cast<l_int32>(blend(TIFFGetR(v))),
                      static_cast<l_int32>(blend(TIFFGetG(v))),
                      static_cast<l_int32>(blend(TIFFGetB(v))), data + y * wpl + x);
    }
  float xres = 0;
  if (TIFFGetField(tif.get(), TIFFTAG_XRESOLUTION, &xres) && xres > 0)
    pixSetResolution(pix, static_cast<l_int32>(xres), static_cast<l_int32>(xres));
  return pix;
}

}  // namespace

ImagePageSource::ImagePageSource(std::filesystem::path file, int format, const SourceLimits& limits,
                                 std::string name)
    : file_(std::move(file)), name_(std::move(name)), format_(format) {
  if (L_FORMAT_IS_TIFF(format_)) {
    sizes_ = tiff_page_sizes(file_, name_, limits);
    return;
  }
  l_int32 fmt = 0, w = 0, h = 0, bps = 0, spp = 0, cmap = 0;
  if (pixReadHeader(file_.c_str(), &fmt, &w, &h, &bps, &spp, &cmap) != 0)
    throw invalid_image(name_, "has an unreadable image header");
  check_pixels(w, h, 1, name_, limits);
  sizes_.emplace_back(w, h);
}

std::string ImagePageSource::format() const {
  if (L_FORMAT_IS_TIFF(format_)) return "tiff";
  if (format_ == IFF_JFIF_JPEG) return "jpeg";
  const char* ext = getFormatExtension(format_);
  return ext ? ext : "image";
}

PixPtr ImagePageSource::decode(int index) const {
  if (index < 0 || index >= page_count())
    throw core::Error::internal("image page index out of range");
  Pix* pix = nullptr;
  if (L_FORMAT_IS_TIFF(format_)) {
    pix = pixReadTiff(file_.c_str(), index);
    if (!pix) pix = read_tiff_rgba(file_, index);
  } else {
    pix = pixRead(file_.c_str());
  }
  if (!pix) throw invalid_image(name_, "page " + std::to_string(index + 1) + " cannot be decoded");
  PixPtr owned(pix);
  // The header promised these dimensions; a file that decodes larger is lying about itself.
  auto [w, h] = sizes_[index];
  if (pixGetWidth(pix) != w || pixGetHeight(pix) != h)
    throw invalid_image(name_, "decodes to other dimensions than its header states");
  return owned;
}

GrayImage ImagePageSource::page(int index, double) const {
  PixPtr pix = decode(index);
  return gray_from_pix(pix.get());
}

PdfPageRef ImagePageSource::pdf_page(int index, const std::filesystem::path& work_dir) const {
  PixPtr pix = decode(index);
  int res = static_cast<int>(std::lround(
      estimate_dpi(pixGetWidth(pix.get()), pixGetHeight(pix.get()), pixGetXRes(pix.get()))));
  l_uint8* data = nullptr;
  size_t size = 0;
  if (pixConvertToPdfData(pix.get(), L_DEFAULT_ENCODE, 85, &data, &size, 0, 0, res, nullptr,
                          nullptr, 0) != 0 ||
      !data)
    throw core::Error::internal("leptonica could not write page " + std::to_string(index + 1) +
                                " as PDF");
  std::unique_ptr<l_uint8, void (*)(void*)> owned(data, lept_free);
  auto out = work_dir / ("scan-" + std::to_string(std::hash<std::string>{}(file_.string())) + "-" +
                         std::to_string(index) + ".pdf");
  core::atomic_write_file(out, std::string_view(reinterpret_cast<const char*>(data), size));
  return {out, 0};
}

}  // namespace paperd::engines::scan
