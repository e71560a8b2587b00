#include "engines/ocr/result_json.h"

#include <tesseract/baseapi.h>

#include <cmath>
#include <cstdio>

#include "engines/ocr/language.h"

namespace paperd::engines::ocr {

namespace {

double round_to(double v, int digits) {
  double f = std::pow(10.0, digits);
  return std::round(v * f) / f;
}

Json rect_json(const Rect& r) {
  return {{"x", r.x}, {"y", r.y}, {"w", r.w}, {"h", r.h}};
}

Json box_json(int id, const std::string& text, const Rect& r, double conf, const char* type) {
  return {{"id", id},
          {"text", text},
          {"x", r.x},
          {"y", r.y},
          {"w", r.w},
          {"h", r.h},
          {"confidence", round_to(conf, 4)},
          {"type", type}};
}

std::string page_key(int number) {
  char key[16];
  std::snprintf(key, sizeof key, "%05d", number);
  return key;
}

}  // namespace

std::string mode_name(OcrMode mode) {
  switch (mode) {
    case OcrMode::kGrid:
      return "grid";
    case OcrMode::kComplete:
      return "complete";
    case OcrMode::kText:
      break;
  }
  return "text";
}

std::string engine_version() {
  return std::string("tesseract ") + tesseract::TessBaseAPI::Version();
}

Json page_json(const PageResult& page, OcrMode mode, bool word_boxes) {
  Json j = {{"ocr_text", page.text()},
            {"line_count", page.line_count()},
            {"char_count", page.char_count()},
            {"confidence_avg", round_to(page.confidence(), 4)},
            {"language",
             {{"primary", page.language.code.empty() ? "" : iso639_1(page.language.code)},
              {"code", page.language.code},
              {"confidence", round_to(page.language.confidence, 4)}}},
            {"original_image_width", page.width},
            {"original_image_height", page.height},
            {"dpi", page.dpi},
            {"processing_time", round_to(page.seconds, 3)},
            {"rotation_applied", page.rotation_applied},
            {"skew_angle", page.skew_angle},
            {"source", page.source}};
  if (!page.ocr_language.empty()) j["ocr_language"] = page.ocr_language;
  if (mode != OcrMode::kText || word_boxes) {
    Json boxes = Json::array();
    int id = 0;
    for (const auto& b : page.blocks) {
      boxes.push_back(box_json(id++, b.text(), b.box, b.confidence(), "block"));
      for (const auto& l : b.lines) {
        boxes.push_back(box_json(id++, l.text, l.box, l.confidence, "line"));
        for (const auto& w : l.words)
          boxes.push_back(box_json(id++, w.text, w.box, w.confidence, "word"));
      }
    }
    j["bounding_boxes"] = std::move(boxes);
  }
  if (mode == OcrMode::kComplete) {
    Json layout = Json::array();
    for (const auto& r : page.layout) {
      Json item = rect_json(r.box);
      item["type"] = layout_type_name(r.type);
      item["text"] = r.text;
      layout.push_back(std::move(item));
    }
    j["layout"] = std::move(layout);
    Json tables = Json::array();
    for (const auto& t : page.tables) {
      Json cells = Json::array();
      for (const auto& c : t.cells) {
        Json cell = rect_json(c.box);
        cell["row"] = c.row;
        cell["col"] = c.col;
        cell["text"] = c.text;
        cells.push_back(std::move(cell));
      }
      tables.push_back({{"rows", t.grid()},
                        {"cells", std::move(cells)},
                        {"row_count", t.rows},
                        {"column_count", t.cols},
                        {"ruled", t.ruled},
                        {"bounding_box", rect_json(t.box)}});
    }
    j["tables"] = std::move(tables);
  }
  return j;
}

Json output_json(const DocumentResult& doc, OcrMode mode, bool word_boxes, bool form_fields) {
  Json pages = Json::object();
  Json fields = Json::array();
  std::string fulltext;
  int lines = 0, chars = 0, with_words = 0;
  double conf = 0;
  for (size_t i = 0; i < doc.pages.size(); ++i) {
    const PageResult& p = doc.pages[i];
    int number = doc.page_numbers.at(i);
    pages[page_key(number)] = page_json(p, mode, word_boxes);
    if (!fulltext.empty()) fulltext += "\n\n";
    fulltext += "***Page " + std::to_string(number) + " of " + std::to_string(doc.total_pages) +
                "***\n\n" + p.text();
    lines += p.line_count();
    chars += p.char_count();
    if (!p.words().empty()) conf += p.confidence(), ++with_words;
    for (const auto& f : p.fields)
      fields.push_back({{"page", number},
                        {"key", f.key},
                        {"value", f.value},
                        {"type", f.type},
                        {"confidence", round_to(f.confidence, 4)},
                        {"key_box", rect_json(f.key_box)},
                        {"value_box", rect_json(f.value_box)}});
  }
  Json out = {{"ocr_mode", mode_name(mode)},
              {"pages", std::move(pages)},
              {"summary",
               {{"total_pages", static_cast<int>(doc.pages.size())},
                {"total_lines", lines},
                {"total_chars", chars},
                {"avg_confidence", round_to(with_words ? conf / with_words : 0, 4)},
                {"poaiocr_extracted_fulltext", fulltext},
                {"processing_engine", engine_version()}}}};
  if (form_fields) out["fields"] = std::move(fields);
  return out;
}

}  // namespace paperd::engines::ocr
