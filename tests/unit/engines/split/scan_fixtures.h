// Scanned pages for the AI split tests (unit and API): letter-size page images with a known top
// block and footer, drawn by ImageMagick in DejaVu Sans at 200 dpi, with no text layer once in a
// PDF (ocr_fixtures::images_to_pdf or mutool convert).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "../ocr/ocr_fixtures.h"

namespace paperd::split_fixtures {

// `top` at the top left (one line each), `footer` centred at the bottom ("Page 1 of 2").
inline void scanned_page(const std::filesystem::path& out, const std::vector<std::string>& top,
                         const std::string& footer) {
  ocr_fixtures::run(image_fixtures::magick(
      {"-density", "200", "-units", "PixelsPerInch", "-size", "1700x2200", "xc:white", "-font",
       image_fixtures::kDejaVuSans, "-pointsize", "12", "-fill", "black", "-annotate", "+150+200",
       ocr_fixtures::joined(top), "-annotate", "+750+2050", footer},
      out, image_fixtures::Pixels::kGray8));
}

// Page images -> an image-only PDF, streams compressed (mutool; ImageMagick's PDF coder is off
// by policy).
inline void scans_to_pdf(const std::vector<std::filesystem::path>& images,
                         const std::filesystem::path& out) {
  std::vector<std::string> a = {"mutool", "convert", "-O", "compress", "-o", out.string()};
  for (const auto& i : images) a.push_back(i.string());
  ocr_fixtures::run(a);
}

// The scanned half of the split tests: invoice INV-1001 on two pages ("Page 1 of 2", "Page 2 of
// 2"), then invoice INV-1002 on one; written as an image-only PDF to out.
inline void scanned_invoices(const std::filesystem::path& dir, const std::filesystem::path& out) {
  scanned_page(dir / "scan1.png",
               {"ACME Corporation", "42 Main Street, 12345 Springfield", "", "INVOICE",
                "Invoice No: INV-1001", "Date: 03.03.2024"},
               "Page 1 of 2");
  scanned_page(dir / "scan2.png", {"Further items", "Hosting 10.00"}, "Page 2 of 2");
  scanned_page(dir / "scan3.png",
               {"Globex GmbH", "Hauptstrasse 5, 10115 Berlin", "", "INVOICE",
                "Invoice No: INV-1002", "Date: 15.04.2024"},
               "Page 1 of 1");
  scans_to_pdf({dir / "scan1.png", dir / "scan2.png", dir / "scan3.png"}, out);
}

}  // namespace paperd::split_fixtures
