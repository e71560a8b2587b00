// The OCR engine's result model: words, lines and blocks with pixel boxes, layout regions,
// tables and form fields of one page, and the totals of a document. Recognition (Tesseract) and
// the born-digital path (PDF text layer) both produce it; result_json.h turns it into the API's
// `output` object.
#pragma once

#include <string>
#include <vector>

namespace paperd::engines::ocr {

// Pixels, origin top-left.
struct Rect {
  int x = 0, y = 0, w = 0, h = 0;
  int right() const { return x + w; }
  int bottom() const { return y + h; }
  int cx() const { return x + w / 2; }
  int cy() const { return y + h / 2; }
  bool empty() const { return w <= 0 || h <= 0; }
};
Rect unite(const Rect& a, const Rect& b);
int overlap_area(const Rect& a, const Rect& b);
bool contains_point(const Rect& r, int x, int y);

struct OcrWord {
  std::string text;
  Rect box;
  double confidence = 0;  // 0..1
};

struct OcrLine {
  std::string text;  // words joined by single spaces
  Rect box;
  double confidence = 0;
  std::vector<OcrWord> words;
};

// What Tesseract's page layout analysis (or the PDF) says a block is.
enum class BlockKind { kText, kHeading, kTable, kImage, kOther };

// A paragraph-sized text region (Tesseract's RIL_PARA; a MuPDF text block).
struct OcrBlock {
  Rect box;
  BlockKind kind = BlockKind::kText;
  std::vector<OcrLine> lines;
  std::string text() const;  // lines joined by '\n'
  double confidence() const;
};

enum class LayoutType { kTitle, kParagraph, kList, kTable, kFigure, kHeader, kFooter };
const char* layout_type_name(LayoutType t);

struct LayoutRegion {
  LayoutType type = LayoutType::kParagraph;
  Rect box;
  std::string text;
};

struct TableCell {
  int row = 0, col = 0;
  std::string text;
  Rect box;
};

struct Table {
  Rect box;
  int rows = 0, cols = 0;
  std::vector<TableCell> cells;  // row-major, rows * cols entries
  bool ruled = true;             // found from ruling lines (false: from text alignment)
  std::vector<std::vector<std::string>> grid() const;
};

struct FormField {
  std::string key;
  std::string value;
  std::string type;  // text | checkbox | signature
  double confidence = 0;
  Rect key_box, value_box;
};

struct LanguageGuess {
  std::string code;  // Tesseract code (deu)
  double confidence = 0;
};

struct PageResult {
  std::string source = "ocr";  // ocr | text_layer
  int width = 0, height = 0;   // original image (or rendered page) size
  int dpi = 0;
  int rotation_applied = 0;  // clockwise degrees turned to make the page upright
  double skew_angle = 0;     // degrees the content was skewed, clockwise positive; corrected
  std::string ocr_language;  // the Tesseract language set the text was read with
  LanguageGuess language;
  std::vector<OcrBlock> blocks;
  std::vector<Rect> figures;  // image regions from layout analysis
  std::vector<LayoutRegion> layout;
  std::vector<Table> tables;
  std::vector<FormField> fields;
  double seconds = 0;

  std::string text() const;  // blocks joined by a blank line
  int line_count() const;
  int char_count() const;     // Unicode code points of text() without line breaks
  double confidence() const;  // mean word confidence, 0 without words
  std::vector<const OcrWord*> words() const;
};

}  // namespace paperd::engines::ocr
