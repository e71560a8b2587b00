// Fixtures for the scan tests (unit and API), made with the real tools: ImageMagick pages with
// scanner noise and text, qrencode QR codes composited onto pages, mutool + qpdf for PDFs, and
// EAN-13 / Code 128 bars drawn from their specifications (no generator is installed for them).
#pragma once

#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <string>
#include <vector>

#include "../../fixtures/magick.h"
#include "core/subprocess.h"

namespace paperd::scan_fixtures {

namespace fs = std::filesystem;

// An A4 page at 300 dpi, as a scanner delivers it.
inline constexpr int kPageW = 2480, kPageH = 3508;

inline void run(std::vector<std::string> argv) {
  core::ProcessOptions o;
  o.argv = std::move(argv);
  o.timeout_ms = 60000;
  auto r = core::run_process(o);
  ASSERT_TRUE(r.ok()) << o.argv[0] << " failed: " << r.err;
}

// Impulse noise over the page plus a dark scanner-edge strip along the left side.
inline void noisy_blank_page(const fs::path& out, double noise = 0.15) {
  run(image_fixtures::magick(
      {"-size", std::to_string(kPageW) + "x" + std::to_string(kPageH), "xc:white", "-attenuate",
       std::to_string(noise), "+noise", "Impulse", "-fill", "gray(15%)", "-draw",
       "rectangle 0,0 45," + std::to_string(kPageH), "-density", "300", "-units", "PixelsPerInch"},
      out, image_fixtures::Pixels::kGray8));
}

// A white page with `text` at 12 pt (50 px at 300 dpi) at (x, y), optionally noisy.
inline void text_page(const fs::path& out, const std::string& text, int x = 300, int y = 600,
                      double noise = 0) {
  std::vector<std::string> argv = {"-size", std::to_string(kPageW) + "x" + std::to_string(kPageH),
                                   "xc:white"};
  if (noise > 0)
    argv.insert(argv.end(), {"-attenuate", std::to_string(noise), "+noise", "Impulse"});
  argv.insert(argv.end(), {"-fill", "black", "-font", image_fixtures::kDejaVuSans, "-pointsize",
                           "50", "-annotate", "+" + std::to_string(x) + "+" + std::to_string(y),
                           text, "-density", "300", "-units", "PixelsPerInch"});
  run(image_fixtures::magick(argv, out, image_fixtures::Pixels::kGray8));
}

// A page carrying a QR code of `value` whose image (module `module` px, qrencode's 4-module
// quiet zone included) has its top-left corner at (x, y). Returns the symbol's own box
// {x, y, size} without the quiet zone.
inline std::array<int, 3> qr_page(const fs::path& out, const std::string& value, int x, int y,
                                  int module = 8, const std::string& caption = "") {
  fs::path qr = out.parent_path() / (out.stem().string() + "-qr.png");
  run({"qrencode", "-s", std::to_string(module), "-m", "4", "-o", qr.string(), value});
  std::vector<std::string> argv = {
      "-size",     std::to_string(kPageW) + "x" + std::to_string(kPageH), "xc:white",  qr.string(),
      "-geometry", "+" + std::to_string(x) + "+" + std::to_string(y),     "-composite"};
  if (!caption.empty())
    argv.insert(argv.end(), {"-fill", "black", "-font", image_fixtures::kDejaVuSans, "-pointsize",
                             "50", "-annotate", "+300+600", caption});
  argv.insert(argv.end(), {"-density", "300", "-units", "PixelsPerInch"});
  run(image_fixtures::magick(argv, out, image_fixtures::Pixels::kGray8));
  // The symbol side: the image side minus 8 quiet-zone modules.
  core::ProcessOptions o;
  o.argv = {"identify", "-format", "%w", qr.string()};
  int side = std::stoi(core::run_process(o).out);
  return {x + 4 * module, y + 4 * module, side - 8 * module};
}

// One PDF page per image (A4 at the images' 300 dpi), joined by qpdf.
inline void pdf_from_images(const fs::path& out, const std::vector<fs::path>& images) {
  std::vector<fs::path> pages;
  for (size_t i = 0; i < images.size(); ++i) {
    fs::path p = out.parent_path() / (out.stem().string() + "-p" + std::to_string(i) + ".pdf");
    run({"mutool", "convert", "-O", "compress", "-o", p.string(), images[i].string()});
    pages.push_back(p);
  }
  std::vector<std::string> argv = {"qpdf", "--empty", "--pages"};
  for (auto& p : pages) argv.push_back(p.string());
  argv.insert(argv.end(), {"--", out.string()});
  run(argv);
}

inline int qpdf_pages(const fs::path& pdf) {
  core::ProcessOptions o;
  o.argv = {"qpdf", "--show-npages", pdf.string()};
  auto r = core::run_process(o);
  return r.ok() ? std::stoi(r.out) : -1;
}

inline void put_u32(std::string& s, uint32_t v) {
  for (int i = 3; i >= 0; --i) s += static_cast<char>((v >> (8 * i)) & 0xff);
}

// A PNG header promising width x height gray pixels, with no pixel data behind it.
inline std::string png_bomb(uint32_t width, uint32_t height) {
  std::string png = "\x89PNG\r\n\x1a\n";
  std::string ihdr = "IHDR";
  put_u32(ihdr, width);
  put_u32(ihdr, height);
  ihdr += std::string("\x08\x00\x00\x00\x00", 5);
  put_u32(png, 13);
  png += ihdr;
  put_u32(png, static_cast<uint32_t>(
                   crc32(0, reinterpret_cast<const Bytef*>(ihdr.data()), ihdr.size())));
  put_u32(png, 0);
  png += "IEND";
  put_u32(png, 0xae426082);
  return png;
}

// ---- 1-D bars from the specifications, as module widths (bar, space, bar, ...) ----

// EAN-13 (GS1 General Specifications 5.2.1): 13 digits, the last one the check digit.
inline std::vector<int> ean13_modules(const std::string& digits) {
  static const char* kL[10] = {"0001101", "0011001", "0010011", "0111101", "0100011",
                               "0110001", "0101111", "0111011", "0110111", "0001011"};
  static const char* kParity[10] = {"LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG",
                                    "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL"};
  std::string bits = "101";
  for (int i = 1; i <= 6; ++i) {
    std::string l = kL[digits[i] - '0'];
    if (kParity[digits[0] - '0'][i - 1] == 'G') {  // G = reversed complement of L
      std::string g;
      for (auto it = l.rbegin(); it != l.rend(); ++it) g += (*it == '0' ? '1' : '0');
      l = g;
    }
    bits += l;
  }
  bits += "01010";
  for (int i = 7; i <= 12; ++i) {
    std::string r = kL[digits[i] - '0'];
    for (char& c : r) c = (c == '0' ? '1' : '0');
    bits += r;
  }
  bits += "101";
  std::vector<int> runs;  // run lengths starting with a bar
  for (size_t i = 0; i < bits.size();) {
    size_t j = i;
    while (j < bits.size() && bits[j] == bits[i]) ++j;
    runs.push_back(static_cast<int>(j - i));
    i = j;
  }
  return runs;
}

// Code 128 subset B (ISO/IEC 15417): start B, data, modulo-103 check, stop.
inline std::vector<int> code128b_modules(const std::string& text) {
  static const char* kPatterns[107] = {
      "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212",
      "221213", "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221",
      "223211", "221132", "221231", "213212", "223112", "312131", "311222", "321122", "321221",
      "312212", "322112", "322211", "212123", "212321", "232121", "111323", "131123", "131321",
      "112313", "132113", "132311", "211313", "231113", "231311", "112133", "112331", "132131",
      "113123", "113321", "133121", "313121", "211331", "231131", "213113", "213311", "213131",
      "311123", "311321", "331121", "312113", "312311", "332111", "314111", "221411", "431111",
      "111224", "111422", "121124", "121421", "141122", "141221", "112214", "112412", "122114",
      "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111", "111242",
      "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
      "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311",
      "113141", "114131", "311141", "411131", "211412", "211214", "211232", "2331112"};
  std::vector<int> values = {104};  // Start B
  for (char c : text) values.push_back(c - 32);
  int check = 104;
  for (size_t i = 1; i < values.size(); ++i) check += static_cast<int>(i) * values[i];
  values.push_back(check % 103);
  values.push_back(106);  // Stop
  std::vector<int> runs;
  for (int v : values)
    for (const char* p = kPatterns[v]; *p; ++p) runs.push_back(*p - '0');
  return runs;
}

// Draws bars (runs from *_modules) into an 8-bit gray buffer of width `stride`, starting at
// (x, y), `module` px per module, `height` px tall.
inline void draw_bars(std::vector<uint8_t>& pixels, int stride, int x, int y,
                      const std::vector<int>& runs, int module, int height) {
  int cx = x;
  for (size_t i = 0; i < runs.size(); ++i) {
    int w = runs[i] * module;
    if (i % 2 == 0)
      for (int yy = y; yy < y + height; ++yy)
        std::fill_n(pixels.begin() + static_cast<ptrdiff_t>(yy) * stride + cx, w, 0);
    cx += w;
  }
}

inline int bars_width(const std::vector<int>& runs, int module) {
  int n = 0;
  for (int r : runs) n += r;
  return n * module;
}

}  // namespace paperd::scan_fixtures
