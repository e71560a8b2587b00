// TiffFile: see tiff_file.h. Pages whose samples libtiff hands out as they are stored (the
// baseline photometrics at 1-16 bits) are unpacked here from libtiff's strip and tile reads;
// the rest (YCbCr outside JPEG, CIE Lab, old-style JPEG, 16-bit palettes) go through libtiff's
// RGBA interface, which converts them.
#include "engines/image/tiff_file.h"

#include <tiffio.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <memory>

#include "core/error.h"

namespace paperd::engines::image {

namespace fs = std::filesystem;

namespace {

struct TiffCloser {
  void operator()(TIFF* t) const { TIFFClose(t); }
};
using TiffPtr = std::unique_ptr<TIFF, TiffCloser>;

// libtiff reports through process-wide handlers; the last error of this thread goes into ours.
thread_local std::string t_last_error;

void on_error(const char*, const char* fmt, va_list ap) {
  char buf[512];
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  t_last_error = buf;
}

TiffPtr open_tiff(const fs::path& file) {
  static const bool installed = [] {
    TIFFSetErrorHandler(on_error);
    TIFFSetWarningHandler(nullptr);
    return true;
  }();
  (void)installed;
  t_last_error.clear();
  return TiffPtr(TIFFOpen(file.c_str(), "r"));
}

core::Error invalid(const std::string& name, const std::string& what) {
  std::string msg = "'" + name + "' " + what;
  if (!t_last_error.empty()) msg += " (libtiff: " + t_last_error + ")";
  return core::Error(400, "INVALID_IMAGE", msg);
}

std::string page_name(int index) {
  return "page " + std::to_string(index + 1);
}

// The shown width and height swap for the orientations that turn the page a quarter.
bool transposed(uint16_t orientation) {
  return orientation >= ORIENTATION_LEFTTOP && orientation <= ORIENTATION_LEFTBOT;
}

// The page as shown: the stored raster turned and mirrored as the Orientation tag says.
void orient(Raster& r, uint16_t orientation) {
  if (orientation <= ORIENTATION_TOPLEFT || orientation > ORIENTATION_LEFTBOT) return;
  const int w = r.width, h = r.height, n = r.channels;
  const bool swap = transposed(orientation);
  const int dw = swap ? h : w, dh = swap ? w : h;
  auto source = [&](int x, int y) -> std::pair<int, int> {  // (column, row) in the stored raster
    switch (orientation) {
      case ORIENTATION_TOPRIGHT:
        return {w - 1 - x, y};
      case ORIENTATION_BOTRIGHT:
        return {w - 1 - x, h - 1 - y};
      case ORIENTATION_BOTLEFT:
        return {x, h - 1 - y};
      case ORIENTATION_LEFTTOP:
        return {y, x};
      case ORIENTATION_RIGHTTOP:
        return {y, h - 1 - x};
      case ORIENTATION_RIGHTBOT:
        return {w - 1 - y, h - 1 - x};
      default:
        return {w - 1 - y, x};  // ORIENTATION_LEFTBOT
    }
  };
  std::string pixels(static_cast<size_t>(dw) * dh * n, '\0');
  std::string alpha(r.alpha.empty() ? 0 : static_cast<size_t>(dw) * dh, '\0');
  for (int y = 0; y < dh; ++y)
    for (int x = 0; x < dw; ++x) {
      auto [sx, sy] = source(x, y);
      const size_t s = static_cast<size_t>(sy) * w + sx, d = static_cast<size_t>(y) * dw + x;
      std::copy_n(r.pixels.data() + s * n, n, pixels.data() + d * n);
      if (!alpha.empty()) alpha[d] = r.alpha[s];
    }
  r.width = dw;
  r.height = dh;
  r.pixels = std::move(pixels);
  r.alpha = std::move(alpha);
}

struct Layout {
  uint32_t width = 0, height = 0;
  uint16_t bits = 1, spp = 1, photometric = PHOTOMETRIC_MINISBLACK, planar = PLANARCONFIG_CONTIG;
  uint16_t format = SAMPLEFORMAT_UINT, extra_count = 0, inkset = INKSET_CMYK;
  uint16_t* extra_types = nullptr;
  int color = 1;       // colour samples per pixel
  int alpha_type = 0;  // EXTRASAMPLE_ASSOCALPHA / _UNASSALPHA of the first extra sample, or 0
};

Layout read_layout(TIFF* tif) {
  Layout l;
  TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &l.width);
  TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &l.height);
  TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &l.bits);
  TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &l.spp);
  TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &l.planar);
  TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLEFORMAT, &l.format);
  TIFFGetFieldDefaulted(tif, TIFFTAG_EXTRASAMPLES, &l.extra_count, &l.extra_types);
  TIFFGetFieldDefaulted(tif, TIFFTAG_INKSET, &l.inkset);
  if (!TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &l.photometric))
    l.photometric = l.spp - l.extra_count >= 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK;
  uint16_t compression = COMPRESSION_NONE;
  TIFFGetFieldDefaulted(tif, TIFFTAG_COMPRESSION, &compression);
  if (compression == COMPRESSION_JPEG && l.photometric == PHOTOMETRIC_YCBCR) {
    // libjpeg converts to RGB (and undoes the chroma subsampling) while it decodes.
    TIFFSetField(tif, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
    l.photometric = PHOTOMETRIC_RGB;
  }
  l.color = l.spp - l.extra_count;
  if (l.extra_count > 0 && l.extra_types &&
      (l.extra_types[0] == EXTRASAMPLE_ASSOCALPHA || l.extra_types[0] == EXTRASAMPLE_UNASSALPHA))
    l.alpha_type = l.extra_types[0];
  return l;
}

// Whether the samples are unpacked here (see the top of the file).
bool unpacked_here(const Layout& l) {
  const bool bits_ok = l.bits == 1 || l.bits == 2 || l.bits == 4 || l.bits == 8 || l.bits == 16;
  if (!bits_ok || l.format != SAMPLEFORMAT_UINT || l.extra_count > l.spp) return false;
  switch (l.photometric) {
    case PHOTOMETRIC_MINISWHITE:
    case PHOTOMETRIC_MINISBLACK:
      return l.color == 1;
    case PHOTOMETRIC_RGB:
      return l.color == 3;
    case PHOTOMETRIC_PALETTE:
      return l.color == 1 && l.bits <= 8;
    case PHOTOMETRIC_SEPARATED:
      return l.color == 4 && l.inkset == INKSET_CMYK;
    default:
      return false;
  }
}

// Every sample of the page as 8 bits, interleaved, in stored order. Samples below 8 bits are
// scaled to 0..255, except palette indexes; 16-bit samples keep their high byte.
std::string read_samples(TIFF* tif, const Layout& l, const std::string& name, int index) {
  const uint32_t w = l.width, h = l.height;
  const bool separate = l.planar == PLANARCONFIG_SEPARATE && l.spp > 1;
  const int planes = separate ? l.spp : 1, per_plane = separate ? 1 : l.spp;
  const bool scale = l.photometric != PHOTOMETRIC_PALETTE;
  const unsigned max = (1u << std::min<unsigned>(l.bits, 8)) - 1;
  std::string samples(static_cast<size_t>(w) * h * l.spp, '\0');

  // One strip or tile of `plane`, bw x bh samples per row from (x0, y0).
  auto put = [&](const uint8_t* buf, uint32_t x0, uint32_t y0, uint32_t bw, uint32_t bh,
                 int plane) {
    const size_t row_bytes = (static_cast<size_t>(bw) * per_plane * l.bits + 7) / 8;
    for (uint32_t yy = 0; yy < bh && y0 + yy < h; ++yy) {
      const uint8_t* row = buf + yy * row_bytes;
      uint8_t* out = reinterpret_cast<uint8_t*>(samples.data()) +
                     (static_cast<size_t>(y0 + yy) * w + x0) * l.spp;
      const uint32_t n = std::min(bw, w - x0);
      for (uint32_t xx = 0; xx < n; ++xx)
        for (int s = 0; s < per_plane; ++s) {
          const size_t i = static_cast<size_t>(xx) * per_plane + s;
          unsigned v;
          if (l.bits == 8) {
            v = row[i];
          } else if (l.bits == 16) {
            v = reinterpret_cast<const uint16_t*>(row)[i] >> 8;  // libtiff swabbed to native
          } else {
            const size_t bit = i * l.bits;
            v = (row[bit / 8] >> (8 - l.bits - bit % 8)) & max;
            if (scale) v = v * 255 / max;
          }
          out[static_cast<size_t>(xx) * l.spp + (separate ? plane : s)] = static_cast<uint8_t>(v);
        }
    }
  };
  auto damaged = [&](const char* what, uint32_t n) {
    return invalid(name, page_name(index) + " cannot be decoded: " + what + " " +
                             std::to_string(n) + " is damaged or missing");
  };
  if (TIFFIsTiled(tif)) {
    uint32_t tw = 0, th = 0;
    TIFFGetField(tif, TIFFTAG_TILEWIDTH, &tw);
    TIFFGetField(tif, TIFFTAG_TILELENGTH, &th);
    const tmsize_t size = TIFFTileSize(tif);
    if (tw == 0 || th == 0 || size <= 0) throw invalid(name, page_name(index) + " has bad tiles");
    std::string buf(static_cast<size_t>(size), '\0');
    for (int p = 0; p < planes; ++p)
      for (uint32_t y = 0; y < h; y += th)
        for (uint32_t x = 0; x < w; x += tw) {
          const uint32_t tile = TIFFComputeTile(tif, x, y, 0, static_cast<uint16_t>(p));
          if (TIFFReadEncodedTile(tif, tile, buf.data(), size) < 0) throw damaged("tile", tile);
          put(reinterpret_cast<const uint8_t*>(buf.data()), x, y, tw, th, p);
        }
  } else {
    uint32_t rows = h;
    TIFFGetFieldDefaulted(tif, TIFFTAG_ROWSPERSTRIP, &rows);
    rows = std::clamp<uint32_t>(rows, 1, h);
    const tmsize_t size = TIFFStripSize(tif);
    if (size <= 0) throw invalid(name, page_name(index) + " has bad strips");
    std::string buf(static_cast<size_t>(size), '\0');
    for (int p = 0; p < planes; ++p)
      for (uint32_t y = 0; y < h; y += rows) {
        const uint32_t strip = TIFFComputeStrip(tif, y, static_cast<uint16_t>(p));
        if (TIFFReadEncodedStrip(tif, strip, buf.data(), size) < 0) throw damaged("strip", strip);
        put(reinterpret_cast<const uint8_t*>(buf.data()), 0, y, w, std::min(rows, h - y), p);
      }
  }
  return samples;
}

// Colour of one pixel's colour samples into RGB or gray, per photometric.
struct Colour {
  const Layout& l;
  const uint16_t *red = nullptr, *green = nullptr, *blue = nullptr;
  int shift = 8;  // 16-bit colormap entries; 0 for the old files that wrote 8-bit ones

  int channels() const { return l.color == 1 && l.photometric != PHOTOMETRIC_PALETTE ? 1 : 3; }
  void put(const uint8_t* s, uint8_t* out) const {
    switch (l.photometric) {
      case PHOTOMETRIC_MINISWHITE:
        out[0] = static_cast<uint8_t>(255 - s[0]);
        break;
      case PHOTOMETRIC_MINISBLACK:
        out[0] = s[0];
        break;
      case PHOTOMETRIC_PALETTE:
        out[0] = static_cast<uint8_t>(red[s[0]] >> shift);
        out[1] = static_cast<uint8_t>(green[s[0]] >> shift);
        out[2] = static_cast<uint8_t>(blue[s[0]] >> shift);
        break;
      case PHOTOMETRIC_SEPARATED:
        for (int c = 0; c < 3; ++c)
          out[c] = static_cast<uint8_t>((255 - s[c]) * (255 - s[3]) / 255);
        break;
      default:
        std::copy_n(s, 3, out);  // RGB
    }
  }
};

Raster convert(const Layout& l, const std::string& samples, TIFF* tif, Alpha mode,
               const std::string& name, int index) {
  Colour colour{l};
  if (l.photometric == PHOTOMETRIC_PALETTE) {
    if (!TIFFGetField(tif, TIFFTAG_COLORMAP, &colour.red, &colour.green, &colour.blue))
      throw invalid(name, page_name(index) + " is a palette image without a colour map");
    const size_t entries = size_t{1} << l.bits;
    bool eight_bit = true;
    for (size_t i = 0; i < entries && eight_bit; ++i)
      eight_bit = colour.red[i] < 256 && colour.green[i] < 256 && colour.blue[i] < 256;
    if (eight_bit) colour.shift = 0;
  }
  Raster r;
  r.width = static_cast<int>(l.width);
  r.height = static_cast<int>(l.height);
  r.channels = colour.channels();
  const size_t n = static_cast<size_t>(l.width) * l.height;
  r.pixels.resize(n * r.channels);
  if (l.alpha_type) r.alpha.resize(n);
  const auto* s = reinterpret_cast<const uint8_t*>(samples.data());
  auto* out = reinterpret_cast<uint8_t*>(r.pixels.data());
  for (size_t i = 0; i < n; ++i) {
    const uint8_t* px = s + i * l.spp;
    uint8_t* o = out + i * r.channels;
    colour.put(px, o);
    if (!l.alpha_type) continue;
    const unsigned a = px[l.color];
    const bool associated = l.alpha_type == EXTRASAMPLE_ASSOCALPHA;
    for (int c = 0; c < r.channels; ++c) {
      const unsigned v = o[c];
      if (mode == Alpha::kComposite)  // over white
        o[c] = static_cast<uint8_t>(associated ? std::min(255u, v + 255 - a)
                                               : (v * a + 255 * (255 - a) + 127) / 255);
      else if (associated)  // the SMask wants colour as it is before the blend
        o[c] = static_cast<uint8_t>(a ? std::min(255u, v * 255 / a) : 0);
    }
    r.alpha[i] = static_cast<char>(a);
  }
  if (mode == Alpha::kComposite) r.alpha.clear();
  return r;
}

// libtiff's RGBA interface, for what is not unpacked here. Its colour comes premultiplied.
Raster decode_rgba(TIFF* tif, const Layout& l, Alpha mode, const std::string& name, int index) {
  char why[1024] = {};
  if (!TIFFRGBAImageOK(tif, why))
    throw core::Error(400, "UNSUPPORTED_FORMAT",
                      "'" + name + "' " + page_name(index) +
                          " uses a TIFF encoding paperd cannot "
                          "read: " +
                          why);
  std::vector<uint32_t> rgba(static_cast<size_t>(l.width) * l.height);
  if (!TIFFReadRGBAImageOriented(tif, l.width, l.height, rgba.data(), ORIENTATION_TOPLEFT, 0))
    throw invalid(name, page_name(index) + " cannot be decoded");
  Raster r;
  r.width = static_cast<int>(l.width);
  r.height = static_cast<int>(l.height);
  r.channels = 3;
  r.pixels.resize(rgba.size() * 3);
  const bool alpha = l.alpha_type != 0;
  if (alpha && mode == Alpha::kKeep) r.alpha.resize(rgba.size());
  for (size_t i = 0; i < rgba.size(); ++i) {
    const uint32_t v = rgba[i];
    const unsigned a = alpha ? TIFFGetA(v) : 255;
    const unsigned c[3] = {TIFFGetR(v), TIFFGetG(v), TIFFGetB(v)};
    for (int k = 0; k < 3; ++k)
      r.pixels[i * 3 + k] =
          static_cast<char>(mode == Alpha::kComposite ? std::min(255u, c[k] + 255 - a)
                                                      : (a ? std::min(255u, c[k] * 255 / a) : 0));
    if (!r.alpha.empty()) r.alpha[i] = static_cast<char>(a);
  }
  return r;
}

void check_pixels(const std::string& name, int page, uint32_t w, uint32_t h,
                  const TiffLimits& limits) {
  if (w == 0 || h == 0) throw invalid(name, page_name(page) + " has no pixels");
  const double mp = static_cast<double>(w) * h / 1e6;
  if (mp > static_cast<double>(limits.max_megapixels))
    throw core::Error::input_too_large(
        "'" + name + "' " + page_name(page) + " is " + std::to_string(w) + "x" + std::to_string(h) +
        " pixels (" + std::to_string(static_cast<int64_t>(mp)) + " megapixels); the limit is " +
        std::to_string(limits.max_megapixels) + " megapixels (setting max_megapixels)");
}

}  // namespace

TiffFile TiffFile::open(const fs::path& file, const std::string& name, const TiffLimits& limits) {
  TiffPtr tif = open_tiff(file);
  if (!tif) throw invalid(name, "is not a readable TIFF file");
  TiffFile out;
  out.file_ = file;
  out.name_ = name;
  do {
    const int page = out.page_count();
    if (page >= limits.max_pages)
      throw core::Error::input_too_large(
          "'" + name + "' has more than " + std::to_string(limits.max_pages) +
          " pages; the limit is " + std::to_string(limits.max_pages) + " (setting max_pages)");
    uint32_t w = 0, h = 0;
    uint16_t orientation = ORIENTATION_TOPLEFT, unit = RESUNIT_INCH;
    float xres = 0, yres = 0;
    TIFFGetField(tif.get(), TIFFTAG_IMAGEWIDTH, &w);
    TIFFGetField(tif.get(), TIFFTAG_IMAGELENGTH, &h);
    TIFFGetFieldDefaulted(tif.get(), TIFFTAG_ORIENTATION, &orientation);
    check_pixels(name, page, w, h, limits);
    TiffPageInfo info;
    info.width = static_cast<int>(transposed(orientation) ? h : w);
    info.height = static_cast<int>(transposed(orientation) ? w : h);
    if (TIFFGetField(tif.get(), TIFFTAG_XRESOLUTION, &xres) && xres > 0) {
      if (!TIFFGetField(tif.get(), TIFFTAG_YRESOLUTION, &yres) || yres <= 0) yres = xres;
      TIFFGetFieldDefaulted(tif.get(), TIFFTAG_RESOLUTIONUNIT, &unit);
      const double f = unit == RESUNIT_CENTIMETER ? 2.54 : unit == RESUNIT_INCH ? 1 : 0;
      info.dpi_x = (transposed(orientation) ? yres : xres) * f;
      info.dpi_y = (transposed(orientation) ? xres : yres) * f;
    }
    out.pages_.push_back(info);
  } while (TIFFReadDirectory(tif.get()));
  return out;
}

Raster TiffFile::decode(int index, Alpha alpha) const {
  if (index < 0 || index >= page_count()) throw core::Error::internal("TIFF page out of range");
  TiffPtr tif = open_tiff(file_);
  if (!tif || !TIFFSetDirectory(tif.get(), static_cast<tdir_t>(index)))
    throw invalid(name_, page_name(index) + " cannot be read");
  const Layout l = read_layout(tif.get());
  uint16_t orientation = ORIENTATION_TOPLEFT;
  TIFFGetFieldDefaulted(tif.get(), TIFFTAG_ORIENTATION, &orientation);
  Raster r;
  if (unpacked_here(l)) {
    r = convert(l, read_samples(tif.get(), l, name_, index), tif.get(), alpha, name_, index);
    orient(r, orientation);
  } else {
    // The RGBA interface turns ORIENTATION_TOPLEFT requests upright for the first four
    // orientations; a quarter turn it leaves to us.
    r = decode_rgba(tif.get(), l, alpha, name_, index);
    if (transposed(orientation)) orient(r, orientation);
  }
  const TiffPageInfo& info = pages_[index];
  if (r.width != info.width || r.height != info.height)
    throw invalid(name_, page_name(index) + " decodes to other dimensions than its header states");
  r.dpi_x = info.dpi_x;
  r.dpi_y = info.dpi_y;
  return r;
}

}  // namespace paperd::engines::image
