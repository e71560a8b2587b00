// read_scanned_pages and upright_text_layer: see scan_reader.h.
#include "engines/split/scan_reader.h"

#include "core/fs.h"
#include "engines/pdf/qpdf_document.h"
#include "engines/pdf/qpdf_split.h"

namespace paperd::engines::split {

namespace {

// A box of a w x h image after the image is turned `degrees` clockwise (0, 90, 180, 270).
ocr::Rect turn(const ocr::Rect& r, int w, int h, int degrees) {
  switch (degrees) {
    case 90:
      return {h - r.bottom(), r.x, r.h, r.w};
    case 180:
      return {w - r.right(), h - r.bottom(), r.w, r.h};
    case 270:
      return {r.y, w - r.right(), r.h, r.w};
    default:
      return r;
  }
}

}  // namespace

pdf::PageText upright_text_layer(const ocr::PageResult& page) {
  const int degrees = ((page.rotation_applied % 360) + 360) % 360;
  const bool sideways = degrees == 90 || degrees == 270;
  const double scale = 72.0 / (page.dpi > 0 ? page.dpi : 300);
  auto to_points = [&](const ocr::Rect& r) {
    ocr::Rect u = turn(r, page.width, page.height, degrees);
    return pdf::Box{u.x * scale, u.y * scale, u.right() * scale, u.bottom() * scale};
  };
  pdf::PageText text;
  text.width = (sideways ? page.height : page.width) * scale;
  text.height = (sideways ? page.width : page.height) * scale;
  for (const auto& b : page.blocks) {
    pdf::TextBlock block{to_points(b.box), {}};
    for (const auto& l : b.lines) {
      pdf::TextLine line{l.text, to_points(l.box), {}};
      for (const auto& w : l.words) line.words.push_back({w.text, to_points(w.box)});
      if (!line.text.empty()) block.lines.push_back(std::move(line));
    }
    if (block.lines.empty()) continue;
    if (!text.plain.empty()) text.plain += "\n\n";
    for (size_t i = 0; i < block.lines.size(); ++i)
      text.plain += (i ? "\n" : "") + block.lines[i].text;
    text.blocks.push_back(std::move(block));
  }
  return text;
}

std::vector<pdf::PageText> read_scanned_pages(const std::filesystem::path& pdf_path,
                                              const std::string& password, int64_t max_pages,
                                              const std::vector<int>& pages,
                                              const ocr::DocumentOptions& options,
                                              const ocr::ProgressFn& progress) {
  std::vector<pdf::PageText> texts;
  if (pages.empty()) return texts;
  // One-page PDFs rather than the whole file: the OCR engine reads a list of inputs on its
  // thread pool, and only these pages are rendered and recognized.
  core::TempDir dir(
      options.work_dir.empty() ? std::filesystem::temp_directory_path() : options.work_dir,
      "scans-");
  std::vector<ocr::DocumentInput> inputs;
  {
    auto doc = pdf::QpdfDocument::open(pdf_path, {.password = password,
                                                  .display_name = pdf_path.filename().string(),
                                                  .max_pages = max_pages});
    std::vector<pdf::PageRange> ranges;
    for (int p : pages) ranges.push_back({p + 1, p + 1});
    for (const auto& part : pdf::split_pdf(doc, ranges, dir.path(), "page"))
      inputs.push_back({part.file, "page " + part.range.label()});
  }
  ocr::DocumentOptions o = options;
  o.password.clear();  // the one-page copies are written without encryption
  o.force_ocr = true;  // chosen for lacking a usable text layer
  o.searchable_pdf = false;
  o.only_page = 0;
  o.work_dir = dir.path();
  ocr::DocumentResult result = ocr::read_documents(
      inputs, o, progress ? progress : [](int, int) {});
  for (const auto& page : result.pages) texts.push_back(upright_text_layer(page));
  return texts;
}

}  // namespace paperd::engines::split
