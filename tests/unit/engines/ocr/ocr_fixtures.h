// Fixtures for the OCR tests (unit and API), rendered from known text with the real tools:
// ImageMagick pages (DejaVu Sans, 200/300 dpi, Gaussian noise, skew, quarter turns, a ruled
// table, a form), mutool for scanned PDFs, qpdf for encryption; and the character error rate
// (Levenshtein distance over the reference length, whitespace runs folded to one space).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "../../fixtures/magick.h"
#include "core/subprocess.h"

namespace paperd::ocr_fixtures {

namespace fs = std::filesystem;

// Known text of the clean pages (no l/I/1 or O/0 look-alikes are needed to pass; they are in).
inline const std::vector<std::string> kParagraph = {
    "The quarterly report summarizes the results of the third quarter.",
    "Revenue increased by 12 percent compared to the previous year,",
    "while operating costs remained stable at 4.2 million euros.",
    "The board approved the new budget for research and development.",
};

inline const std::vector<std::string> kLeftColumn = {
    "Our first column tells the story", "of a small bakery that opened in",
    "the old town last spring. Every",  "morning the baker lights the oven",
    "before five and the first loaves", "are sold by half past six to the",
    "neighbours who wait at the door.",
};
inline const std::vector<std::string> kRightColumn = {
    "The second column turns to the",     "market square, where farmers sell",
    "apples, pears and fresh cheese",     "every Saturday. The town council",
    "plans to add a covered hall so",     "that the market can stay open in",
    "the rain during the winter months.",
};

inline const std::vector<std::string> kGerman = {
    "Sehr geehrte Damen und Herren,",
    "vielen Dank für Ihre Anfrage. Wir freuen uns, Ihnen mitzuteilen,",
    "dass die Lieferung der bestellten Waren in der nächsten Woche",
    "erfolgt. Bitte überprüfen Sie die beigefügte Rechnung.",
};

inline std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += (out.empty() ? "" : "\n") + l;
  return out;
}

inline core::ProcessResult run(std::vector<std::string> argv, int timeout_ms = 60000) {
  core::ProcessOptions o;
  o.argv = std::move(argv);
  o.timeout_ms = timeout_ms;
  auto r = core::run_process(o);
  EXPECT_TRUE(r.ok()) << o.argv[0] << " failed: " << r.err;
  return r;
}

struct PageSpec {
  int width = 2300, height = 900;  // pixels
  int dpi = 300;
  double noise = 0;      // Gaussian attenuation (0.3 is a poor scan)
  double rotate = 0;     // clockwise degrees applied after drawing (7 = skew, 90 = turned page)
  double blur = 0;       // Gaussian blur sigma
  int x = 100, y = 150;  // baseline of the first line
  double points = 12;    // font size
};

// A page with `lines` of DejaVu Sans; out's extension picks the format (png, jpg, tif, bmp, webp).
inline void text_page(const fs::path& out, const std::vector<std::string>& lines,
                      const PageSpec& s = {}) {
  std::vector<std::string> a = {"-density",
                                std::to_string(s.dpi),
                                "-units",
                                "PixelsPerInch",
                                "-size",
                                std::to_string(s.width) + "x" + std::to_string(s.height),
                                "xc:white",
                                "-font",
                                image_fixtures::kDejaVuSans,
                                "-pointsize",
                                std::to_string(s.points),
                                "-fill",
                                "black",
                                "-annotate",
                                "+" + std::to_string(s.x) + "+" + std::to_string(s.y),
                                joined(lines)};
  if (s.blur > 0) a.insert(a.end(), {"-blur", "0x" + std::to_string(s.blur)});
  if (s.noise > 0) a.insert(a.end(), {"-attenuate", std::to_string(s.noise), "+noise", "Gaussian"});
  if (s.rotate != 0)
    a.insert(a.end(), {"-background", "white", "-rotate", std::to_string(s.rotate)});
  a.insert(a.end(), {"-density", std::to_string(s.dpi)});
  run(image_fixtures::magick(a, out, image_fixtures::Pixels::kGray8));
}

// Known cells of the ruled table: 4 rows x 3 columns.
inline const std::vector<std::vector<std::string>> kTable = {{"Product", "Quantity", "Price"},
                                                             {"Apples", "12", "3.50"},
                                                             {"Oranges", "7", "4.20"},
                                                             {"Bananas", "25", "1.99"}};

// A 4 x 3 grid of 3-pixel ruling lines (cells 500/400/500 x 120 px from (100,100)) with the
// kTable texts in its cells, some text above and below.
inline void table_page(const fs::path& out) {
  std::vector<std::string> a = {"-density", "300",          "-units",   "PixelsPerInch",
                                "-size",    "1600x900",     "xc:white", "-stroke",
                                "black",    "-strokewidth", "3"};
  const int xs[] = {100, 600, 1000, 1500}, ys[] = {160, 280, 400, 520, 640};
  for (int y : ys)
    a.insert(a.end(), {"-draw", "line 100," + std::to_string(y) + " 1500," + std::to_string(y)});
  for (int x : xs)
    a.insert(a.end(),
             {"-draw", "line " + std::to_string(x) + ",160 " + std::to_string(x) + ",640"});
  a.insert(a.end(),
           {"-stroke", "none", "-font", image_fixtures::kDejaVuSans, "-pointsize", "11", "-fill",
            "black", "-annotate", "+100+100", "Price list for the spring season"});
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 3; ++c)
      a.insert(a.end(),
               {"-annotate", "+" + std::to_string(xs[c] + 30) + "+" + std::to_string(ys[r] + 75),
                kTable[r][c]});
  a.insert(a.end(), {"-annotate", "+100+760", "All prices include the statutory tax."});
  run(image_fixtures::magick(a, out, image_fixtures::Pixels::kGray8));
}

// Known cells of the borderless table: 5 rows x 4 columns, aligned by position only.
inline const std::vector<std::vector<std::string>> kAlignedTable = {
    {"Region", "Q1", "Q2", "Q3"},
    {"North", "1,200", "1,350", "1,410"},
    {"South", "980", "1,020", "1,150"},
    {"East", "1,540", "1,610", "1,700"},
    {"West", "870", "910", "990"}};

// The borderless table at columns x = 100/700/1100/1500, rows 80 px apart from y = 250.
inline void aligned_table_page(const fs::path& out) {
  std::vector<std::string> a = {"-density",
                                "300",
                                "-units",
                                "PixelsPerInch",
                                "-size",
                                "2200x1000",
                                "xc:white",
                                "-font",
                                image_fixtures::kDejaVuSans,
                                "-pointsize",
                                "11",
                                "-fill",
                                "black",
                                "-annotate",
                                "+100+100",
                                "Quarterly figures by region"};
  const int xs[] = {100, 700, 1100, 1500};
  for (int r = 0; r < 5; ++r)
    for (int c = 0; c < 4; ++c)
      a.insert(a.end(),
               {"-annotate", "+" + std::to_string(xs[c]) + "+" + std::to_string(250 + 80 * r),
                kAlignedTable[r][c]});
  a.insert(a.end(), {"-annotate", "+100+750",
                     "Figures are preliminary and subject to audit by the finance department."});
  run(image_fixtures::magick(a, out, image_fixtures::Pixels::kGray8));
}

// A form: "Name: John Smith" and "Date: 2024-05-01" on one line, "City: Berlin", a checked
// box labelled Married and an empty one labelled Single, a signed "Signature:" line and an empty
// "Unterschrift:" line.
inline void form_page(const fs::path& out) {
  run(image_fixtures::magick({"-density",
                              "300",
                              "-units",
                              "PixelsPerInch",
                              "-size",
                              "2000x1200",
                              "xc:white",
                              "-font",
                              image_fixtures::kDejaVuSans,
                              "-pointsize",
                              "11",
                              "-fill",
                              "black",
                              "-annotate",
                              "+100+150",
                              "Name: John Smith",
                              "-annotate",
                              "+1100+150",
                              "Date: 2024-05-01",
                              "-annotate",
                              "+100+300",
                              "City: Berlin",
                              "-fill",
                              "none",
                              "-stroke",
                              "black",
                              "-strokewidth",
                              "3",
                              "-draw",
                              "rectangle 100,420 150,470",
                              "-draw",
                              "rectangle 700,420 750,470",
                              "-draw",
                              "line 108,428 142,462",
                              "-draw",
                              "line 142,428 108,462",
                              "-stroke",
                              "none",
                              "-fill",
                              "black",
                              "-annotate",
                              "+180+462",
                              "Married",
                              "-annotate",
                              "+780+462",
                              "Single",
                              "-annotate",
                              "+100+800",
                              "Signature:",
                              "-stroke",
                              "black",
                              "-strokewidth",
                              "4",
                              "-fill",
                              "none",
                              "-draw",
                              "line 420,805 1200,805",
                              "-draw",
                              "bezier 450,780 520,650 600,820 680,700",
                              "-draw",
                              "bezier 680,700 760,600 820,800 900,720",
                              "-draw",
                              "bezier 900,720 980,650 1020,780 1100,740",
                              "-stroke",
                              "none",
                              "-fill",
                              "black",
                              "-annotate",
                              "+100+1050",
                              "Unterschrift:",
                              "-stroke",
                              "black",
                              "-strokewidth",
                              "4",
                              "-draw",
                              "line 450,1055 1200,1055"},
                             out, image_fixtures::Pixels::kGray8));
}

// A two-column page: `left` and `right` lines set 0.4 in apart, as in a journal.
inline void columns_page(const fs::path& out, const std::vector<std::string>& left,
                         const std::vector<std::string>& right) {
  run(image_fixtures::magick(
      {"-density", "300", "-units", "PixelsPerInch", "-size", "2000x1100", "xc:white", "-font",
       image_fixtures::kDejaVuSans, "-pointsize", "10", "-fill", "black", "-annotate", "+100+150",
       joined(left), "-annotate", "+1050+150", joined(right)},
      out, image_fixtures::Pixels::kGray8));
}

// Handwriting stand-in: the calligraphic URW Z003 font, every letter at its own size (15-18 pt),
// slant (+-6 degrees) and baseline (+-5 px), then a wave over the page. Real handwriting is
// harder; this only measures how Tesseract copes with irregular script.
inline void script_page(const fs::path& out, const std::vector<std::string>& lines,
                        unsigned seed = 7) {
  std::mt19937 rng(seed);
  auto uniform = [&](double a, double b) { return std::uniform_real_distribution<>(a, b)(rng); };
  const std::string wide = "mwMWHNQDGO", narrow = "iljtfr.,:;'1!I";
  std::vector<std::string> a = {"-density", "300",      "-units", "PixelsPerInch",       "-size",
                                "2300x800", "xc:white", "-font",  image_fixtures::kZ003, "-fill",
                                "black"};
  double y = 170;
  for (const auto& line : lines) {
    double x = 100;
    for (char ch : line) {
      double pt = uniform(15, 18), rot = uniform(-6, 6), dy = uniform(-5, 5);
      double k = wide.find(ch) != std::string::npos     ? 0.72
                 : narrow.find(ch) != std::string::npos ? 0.27
                 : ch == ' '                            ? 0.30
                                                        : 0.46;
      if (ch != ' ') {
        char geometry[64];
        std::snprintf(geometry, sizeof geometry, "%.1fx%.1f+%.0f+%.0f", rot, rot, x, y + dy);
        a.insert(a.end(),
                 {"-pointsize", std::to_string(pt), "-annotate", geometry, std::string(1, ch)});
      }
      x += pt * 300 / 72 * k * uniform(0.95, 1.1);
    }
    y += 200;
  }
  a.insert(a.end(), {"-wave", "5x260"});
  run(image_fixtures::magick(a, out, image_fixtures::Pixels::kGray8));
}

// Image files -> one PDF with a page per image (scanned-PDF stand-in); ImageMagick's PDF coder
// is disabled by policy, mutool writes it.
inline void images_to_pdf(const std::vector<fs::path>& images, const fs::path& out) {
  std::vector<std::string> a = {"mutool", "convert", "-o", out.string()};
  for (const auto& i : images) a.push_back(i.string());
  run(a);
}

inline std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Whitespace runs -> one space, trimmed.
inline std::string fold_spaces(const std::string& s) {
  std::string out;
  bool space = false;
  for (unsigned char c : s) {
    if (std::isspace(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(c);
  }
  return out;
}

// Code points of a UTF-8 string.
inline std::u32string code_points(const std::string& s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = n == 1 ? c : c & (0x7F >> n);
    for (int k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (s[i + k] & 0x3F);
    out += cp;
    i += n;
  }
  return out;
}

// Character error rate: edit distance / reference length, on whitespace-folded text.
inline double cer(const std::string& reference, const std::string& hypothesis) {
  std::u32string a = code_points(fold_spaces(reference)), b = code_points(fold_spaces(hypothesis));
  if (a.empty()) return b.empty() ? 0 : 1;
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return static_cast<double>(prev[b.size()]) / a.size();
}

}  // namespace paperd::ocr_fixtures
