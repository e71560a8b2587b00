#include "engines/scan/image_page_source.h"

#include <leptonica/allheaders.h>

#include <cmath>
#include <functional>
#include <memory>
#include <string_view>

#include "core/error.h"
#include "core/fs.h"
#include "engines/image/pix.h"

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

}  // namespace

ImagePageSource::ImagePageSource(std::filesystem::path file, int format, const SourceLimits& limits,
                                 std::string name)
    : file_(std::move(file)), name_(std::move(name)), format_(format) {
  if (L_FORMAT_IS_TIFF(format_)) {
    tiff_ = image::TiffFile::open(file_, name_, {limits.max_pages, limits.max_megapixels});
    for (int i = 0; i < tiff_->page_count(); ++i)
      sizes_.emplace_back(tiff_->page(i).width, tiff_->page(i).height);
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
  Pix* pix = tiff_ ? image::to_pix(tiff_->decode(index)).release() : pixRead(file_.c_str());
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
