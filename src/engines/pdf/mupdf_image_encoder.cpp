// Image encoders for rendered pages: see mupdf_image_encoder.h. libjpeg and libpng report errors
// by longjmp, so each encoder keeps its C state in one function with no C++ objects between
// setjmp and the library calls.
#include "engines/pdf/mupdf_image_encoder.h"

#include <cstdio>  // jpeglib.h needs FILE

#include <jpeglib.h>
#include <png.h>
#include <webp/encode.h>

#include <algorithm>
#include <cctype>
#include <csetjmp>
#include <cstdlib>
#include <fstream>

#include "core/error.h"

namespace paperd::engines::pdf {

namespace {

struct JpegError {
  jpeg_error_mgr mgr;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void jpeg_fail(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<JpegError*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  std::longjmp(err->jump, 1);
}

// Returns false with `message` filled when libjpeg fails; on success *out/*size is a malloc'd
// buffer owned by the caller.
bool jpeg_encode(const Raster& r, int quality, unsigned char** out, unsigned long* size,
                 char* message) {
  jpeg_compress_struct cinfo{};
  JpegError err{};
  cinfo.err = jpeg_std_error(&err.mgr);
  err.mgr.error_exit = jpeg_fail;
  if (setjmp(err.jump)) {
    std::snprintf(message, JMSG_LENGTH_MAX, "%s", err.message);
    jpeg_destroy_compress(&cinfo);
    return false;
  }
  jpeg_create_compress(&cinfo);
  jpeg_mem_dest(&cinfo, out, size);
  cinfo.image_width = static_cast<JDIMENSION>(r.width);
  cinfo.image_height = static_cast<JDIMENSION>(r.height);
  cinfo.input_components = r.components;
  cinfo.in_color_space = r.components == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, quality, TRUE);
  cinfo.density_unit = 1;  // dots per inch
  cinfo.X_density = cinfo.Y_density = static_cast<UINT16>(std::clamp(r.dpi, 1.0, 65535.0));
  jpeg_start_compress(&cinfo, TRUE);
  const size_t stride = static_cast<size_t>(r.width) * r.components;
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(r.pixels.data() + cinfo.next_scanline * stride);
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  return true;
}

void png_append(png_structp png, png_bytep data, png_size_t length) {
  auto* out = static_cast<std::string*>(png_get_io_ptr(png));
  out->append(reinterpret_cast<const char*>(data), length);
}

void png_fail(png_structp png, png_const_charp msg) {
  auto* message = static_cast<char*>(png_get_error_ptr(png));
  std::snprintf(message, 200, "%s", msg);
  png_longjmp(png, 1);
}

void png_quiet(png_structp, png_const_charp) {}

bool png_encode(const Raster& r, std::string* out, char* message) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, message, png_fail, png_quiet);
  if (!png) {
    std::snprintf(message, 200, "libpng could not allocate its state");
    return false;
  }
  png_infop info = png_create_info_struct(png);
  if (!info || setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return false;
  }
  png_set_write_fn(png, out, png_append, nullptr);
  // Rendered pages are mostly flat paper and anti-aliased text: no row filter and zlib level 3
  // came out 3x faster than the Sub filter at level 6 and within 4% of the size of MuPDF's
  // own writer (no filter, level 6), which takes twice as long (bench/pdf_render.sh).
  png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
  png_set_compression_level(png, 3);
  png_set_IHDR(png, info, static_cast<png_uint_32>(r.width), static_cast<png_uint_32>(r.height), 8,
               r.components == 1 ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  auto ppm = static_cast<png_uint_32>(r.dpi / 0.0254 + 0.5);
  png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
  png_write_info(png, info);
  const size_t stride = static_cast<size_t>(r.width) * r.components;
  for (int y = 0; y < r.height; ++y)
    png_write_row(png, const_cast<png_bytep>(r.pixels.data() + y * stride));
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  return true;
}

std::string webp_encode(const Raster& r, int quality) {
  if (r.width > WEBP_MAX_DIMENSION || r.height > WEBP_MAX_DIMENSION)
    throw core::Error::invalid_request("the page is " + std::to_string(r.width) + "x" +
                                       std::to_string(r.height) + " pixels; WebP holds at most " +
                                       std::to_string(WEBP_MAX_DIMENSION) +
                                       " per side: lower the dpi");
  std::vector<unsigned char> rgb;
  const unsigned char* src = r.pixels.data();
  if (r.components == 1) {  // WebP has no gray mode
    rgb.resize(r.pixels.size() * 3);
    for (size_t i = 0; i < r.pixels.size(); ++i)
      rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = r.pixels[i];
    src = rgb.data();
  }
  uint8_t* out = nullptr;
  size_t size =
      WebPEncodeRGB(src, r.width, r.height, r.width * 3, static_cast<float>(quality), &out);
  if (size == 0 || !out) throw core::Error::internal("libwebp could not encode the page");
  std::string bytes(reinterpret_cast<const char*>(out), size);
  WebPFree(out);
  return bytes;
}

}  // namespace

std::optional<ImageFormat> image_format_from_name(std::string_view name) {
  std::string n(name);
  std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
  if (n == "jpg" || n == "jpeg") return ImageFormat::kJpeg;
  if (n == "png") return ImageFormat::kPng;
  if (n == "webp") return ImageFormat::kWebp;
  return std::nullopt;
}

std::string_view image_extension(ImageFormat f) {
  switch (f) {
    case ImageFormat::kJpeg:
      return "jpg";
    case ImageFormat::kPng:
      return "png";
    case ImageFormat::kWebp:
      return "webp";
  }
  return "bin";
}

std::string_view image_content_type(ImageFormat f) {
  switch (f) {
    case ImageFormat::kJpeg:
      return "image/jpeg";
    case ImageFormat::kPng:
      return "image/png";
    case ImageFormat::kWebp:
      return "image/webp";
  }
  return "application/octet-stream";
}

std::string encode_raster(const Raster& raster, ImageFormat format, int quality) {
  if (raster.width <= 0 || raster.height <= 0 ||
      (raster.components != 1 && raster.components != 3) ||
      raster.pixels.size() != static_cast<size_t>(raster.width) * raster.height * raster.components)
    throw core::Error::internal("encode_raster: the raster's size does not match its pixels");
  quality = std::clamp(quality, 1, 100);
  switch (format) {
    case ImageFormat::kJpeg: {
      unsigned char* buf = nullptr;
      unsigned long size = 0;
      char message[JMSG_LENGTH_MAX] = {};
      bool ok = jpeg_encode(raster, quality, &buf, &size, message);
      std::string bytes = ok ? std::string(reinterpret_cast<const char*>(buf), size) : "";
      std::free(buf);
      if (!ok) throw core::Error::internal(std::string("libjpeg failed: ") + message);
      return bytes;
    }
    case ImageFormat::kPng: {
      std::string bytes;
      bytes.reserve(raster.pixels.size() / 8);
      char message[256] = {};
      if (!png_encode(raster, &bytes, message))
        throw core::Error::internal(std::string("libpng failed: ") + message);
      return bytes;
    }
    case ImageFormat::kWebp:
      return webp_encode(raster, quality);
  }
  throw core::Error::internal("unknown image format");
}

void write_raster(const Raster& raster, ImageFormat format, int quality,
                  const std::filesystem::path& out) {
  // Outputs go to the job's private temp dir and are moved into the blob store afterwards, so a
  // plain write is enough (no fsync per page).
  std::string bytes = encode_raster(raster, format, quality);
  std::ofstream f(out, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  f.close();
  if (!f) throw core::Error::internal("cannot write " + out.string());
}

}  // namespace paperd::engines::pdf
