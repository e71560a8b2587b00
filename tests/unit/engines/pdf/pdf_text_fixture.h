// Test fixture: writes small, valid PDFs with known text (Helvetica, WinAnsi) at known positions,
// so tests of text extraction, rendering, conversion and AI split have exact ground truth.
// Header-only; used by unit tests and API tests.
#pragma once

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace paperd::fixtures {

struct FixtureText {
  double x = 72, y = 72;  // points from the page's top-left (baseline of the text)
  std::string text;       // ASCII
  double size = 12;
};

// An 8-bit gray picture placed on the page (a scan, a barcode sheet).
struct FixtureImage {
  double x = 0, y = 0, w = 0, h = 0;  // points; x, y = top-left from the page's top-left
  int px_w = 0, px_h = 0;
  std::string gray;  // px_w * px_h bytes, rows top to bottom
};

struct FixturePage {
  double width = 612, height = 792;
  std::vector<FixtureText> items;
  std::vector<FixtureImage> images;
  // Convenience: lines stacked from the top at 72 pt margin, 16 pt apart.
  static FixturePage lines(const std::vector<std::string>& ls, double w = 612, double h = 792) {
    FixturePage p{w, h, {}, {}};
    double y = 72;
    for (const auto& l : ls) {
      p.items.push_back({72, y, l, 12});
      y += 16;
    }
    return p;
  }
};

inline std::string pdf_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '(' || c == ')' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

inline std::string make_text_pdf(const std::vector<FixturePage>& pages) {
  // Objects: 1 catalog, 2 pages, 3 font, then per page: page, content, images.
  std::vector<std::string> objs(3);
  std::vector<int> page_ids;
  for (const auto& p : pages) {
    int page_id = static_cast<int>(objs.size()) + 1;
    page_ids.push_back(page_id);
    objs.emplace_back();  // page, filled below
    objs.emplace_back();  // content
    std::string content, xobjects;
    for (size_t k = 0; k < p.images.size(); ++k) {
      const auto& im = p.images[k];
      int id = static_cast<int>(objs.size()) + 1;
      objs.push_back("<< /Type /XObject /Subtype /Image /Width " + std::to_string(im.px_w) +
                     " /Height " + std::to_string(im.px_h) +
                     " /ColorSpace /DeviceGray /BitsPerComponent 8 /Length " +
                     std::to_string(im.gray.size()) + " >>\nstream\n" + im.gray + "\nendstream");
      xobjects += "/Im" + std::to_string(k) + " " + std::to_string(id) + " 0 R ";
      char buf[160];
      std::snprintf(buf, sizeof buf, "q %.2f 0 0 %.2f %.2f %.2f cm /Im%zu Do Q\n", im.w, im.h, im.x,
                    p.height - im.y - im.h, k);
      content += buf;
    }
    for (const auto& t : p.items) {
      char buf[128];
      std::snprintf(buf, sizeof buf, "BT /F1 %.2f Tf %.2f %.2f Td (", t.size, t.x, p.height - t.y);
      content += buf + pdf_escape(t.text) + ") Tj ET\n";
    }
    char box[96];
    std::snprintf(box, sizeof box, "[0 0 %.2f %.2f]", p.width, p.height);
    objs[page_id - 1] = "<< /Type /Page /Parent 2 0 R /MediaBox " + std::string(box) +
                        " /Resources << /Font << /F1 3 0 R >> /XObject << " + xobjects +
                        ">> >> /Contents " + std::to_string(page_id + 1) + " 0 R >>";
    objs[page_id] =
        "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "endstream";
  }
  std::string kids;
  for (int id : page_ids) kids += std::to_string(id) + " 0 R ";
  objs[0] = "<< /Type /Catalog /Pages 2 0 R >>";
  objs[1] = "<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages.size()) + " >>";
  objs[2] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>";
  std::string out = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objs.size(); ++i) {
    offsets.push_back(out.size());
    out += std::to_string(i + 1) + " 0 obj\n" + objs[i] + "\nendobj\n";
  }
  size_t xref = out.size();
  out += "xref\n0 " + std::to_string(objs.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t off : offsets) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%010zu 00000 n \n", off);
    out += buf;
  }
  out += "trailer\n<< /Size " + std::to_string(objs.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return out;
}

inline void write_file(const std::filesystem::path& p, const std::string& data) {
  std::ofstream(p, std::ios::binary) << data;
}

}  // namespace paperd::fixtures
