// Reads one page image end to end: orientation (quarter turns), deskew, recognition, language
// detection (with a second pass in the detected language), then, by mode, tables and layout and
// form fields, and optionally its one-page searchable PDF. Boxes in the result refer to the image
// as it was given. One PageReader per thread: it owns its Tesseract instances (one per language
// set, loaded on first use) and its orientation detector.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engines/ocr/leptonica.h"
#include "engines/ocr/orientation_detector.h"
#include "engines/ocr/page_result.h"
#include "engines/ocr/recognizer.h"

namespace paperd::engines::ocr {

enum class OcrMode { kText, kGrid, kComplete };

struct PageOptions {
  OcrMode mode = OcrMode::kText;
  std::string language;                     // Tesseract set; empty = detect the language
  std::string first_pass_language = "eng";  // read with this, then detect, when language is empty
  std::vector<std::string> installed;       // installed models (detection candidates)
  bool detect_orientation = true;
  bool deskew = true;
  bool form_fields = false;
  std::filesystem::path pdf_out_base;  // non-empty: write <base>.pdf, the searchable page
  std::string original_jpeg;           // the page is this JPEG file, embedded as is if unchanged
};

// Minimum detection confidence before a page is read again in the detected language.
inline constexpr double kRereadConfidence = 0.5;

class PageReader {
 public:
  explicit PageReader(std::filesystem::path tessdata);
  const std::filesystem::path& tessdata() const { return tessdata_; }
  // image: the decoded page (any depth); dpi: its resolution when known (0 = from the image).
  PageResult read(Pix* image, int dpi, const PageOptions& options);

 private:
  Recognizer& recognizer(const std::string& language);
  std::filesystem::path tessdata_;
  OrientationDetector orientation_;
  std::map<std::string, std::unique_ptr<Recognizer>> recognizers_;
};

// Tables and layout (complete mode) and form fields of a page whose blocks are known, measured on
// `image` (in the blocks' frame; may be null for layout alone).
void analyze_structure(PageResult& page, Pix* image, int dpi, OcrMode mode, bool form_fields);

}  // namespace paperd::engines::ocr
