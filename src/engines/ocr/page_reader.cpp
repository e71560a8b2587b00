#include "engines/ocr/page_reader.h"

#include <algorithm>
#include <cmath>

#include "core/clock.h"
#include "engines/ocr/deskew.h"
#include "engines/ocr/form_fields.h"
#include "engines/ocr/image_normalize.h"
#include "engines/ocr/language.h"
#include "engines/ocr/layout.h"
#include "engines/ocr/page_frame.h"
#include "engines/ocr/pdf_assembler.h"
#include "engines/ocr/table_detector.h"

namespace paperd::engines::ocr {

namespace {

std::string text_of(const std::vector<OcrBlock>& blocks) {
  std::string out;
  for (const auto& b : blocks) out += b.text() + "\n\n";
  return out;
}

bool contains_language(const std::string& set, const std::string& code) {
  auto parts = split_languages(set);
  return std::find(parts.begin(), parts.end(), code) != parts.end();
}

// Detection candidates: the requested set, or every installed language with a word list.
std::vector<std::string> candidates(const PageOptions& o) {
  if (!o.language.empty()) return split_languages(o.language);
  std::vector<std::string> out;
  for (const auto& code : detectable_languages())
    if (std::find(o.installed.begin(), o.installed.end(), code) != o.installed.end())
      out.push_back(code);
  return out;
}

// False when no ink blob reaches text size (1/40 in): a blank page or one with scanner noise
// only. Tesseract would read speckles as "ee" and "oe"; such a page is honestly empty.
bool has_ink(Pix* binary, int dpi) {
  int min = std::max(4, dpi / 40);
  PixPtr big(pixSelectBySize(binary, min, min, 8, L_SELECT_IF_EITHER, L_SELECT_IF_GTE, nullptr));
  l_int32 empty = 1;
  if (big) pixZero(big.get(), &empty);
  return !empty;
}

}  // namespace

PageReader::PageReader(std::filesystem::path tessdata)
    : tessdata_(std::move(tessdata)), orientation_(tessdata_) {}

Recognizer& PageReader::recognizer(const std::string& language) {
  auto& r = recognizers_[language];
  if (!r) r = std::make_unique<Recognizer>(tessdata_, language);
  return *r;
}

PageResult PageReader::read(Pix* image, int dpi, const PageOptions& options) {
  core::Stopwatch watch;
  PageResult result;
  int declared = 0;
  PixPtr page = normalize_page(image, &declared);
  if (dpi <= 0) dpi = declared;
  pixSetResolution(page.get(), dpi, dpi);
  result.width = pixGetWidth(page.get());
  result.height = pixGetHeight(page.get());
  result.dpi = dpi;
  PageFrame frame(result.width, result.height);
  PixPtr binary = to_binary(page.get());
  const int ink_dpi = dpi >= 250 ? dpi / 2 : dpi;
  PixPtr ink = reduce_ink_150(binary.get(), dpi);
  if (!has_ink(ink.get(), ink_dpi)) {
    result.ocr_language = options.language.empty() ? options.first_pass_language : options.language;
    result.language = {split_languages(result.ocr_language).front(), 0};
    if (!options.pdf_out_base.empty())
      write_image_pdf(page.get(), dpi, options.pdf_out_base.string() + ".pdf");
    result.seconds = watch.elapsed_ms() / 1000.0;
    return result;
  }

  if (options.detect_orientation) {
    Orientation o = orientation_.detect(page.get(), dpi, ink.get());
    if (o.detected && o.rotate != 0 && o.confidence >= kMinOrientationConfidence) {
      page = rotate_orthogonal(page.get(), o.rotate);
      result.rotation_applied = o.rotate;
      frame.set_rotation(o.rotate);
      binary = to_binary(page.get());
    }
  }
  if (options.deskew) {
    Skew skew = find_skew(binary.get());
    if (std::abs(skew.angle) >= kMinDeskewAngle) {
      page = rotate_about_center(page.get(), -skew.angle);
      binary = to_binary(page.get());
      result.skew_angle = std::round(skew.angle * 100) / 100;
      frame.set_deskew(-skew.angle);
    }
  }

  std::string language = options.language.empty() ? options.first_pass_language : options.language;
  Recognizer* rec = &recognizer(language);
  Recognition r = rec->recognize(page.get(), dpi);
  LanguageGuess guess = detect_language(text_of(r.blocks), candidates(options));
  if (options.language.empty() && !guess.code.empty() && guess.confidence >= kRereadConfidence &&
      !contains_language(language, guess.code)) {
    // Read again with the language's own model: umlauts, accents and its dictionary.
    language = guess.code;
    rec = &recognizer(language);
    r = rec->recognize(page.get(), dpi);
    LanguageGuess again = detect_language(text_of(r.blocks), candidates(options));
    if (again.code == guess.code) guess = again;
  }
  if (guess.code.empty()) guess = {split_languages(language).front(), 0};
  result.ocr_language = language;
  result.language = guess;
  result.blocks = std::move(r.blocks);
  result.figures = std::move(r.figures);

  analyze_structure(result, binary.get(), dpi, options.mode, options.form_fields);
  if (!options.pdf_out_base.empty())
    rec->write_pdf(options.pdf_out_base, frame.identity() ? options.original_jpeg : "");
  frame.to_original(result);
  result.seconds = watch.elapsed_ms() / 1000.0;
  return result;
}

void analyze_structure(PageResult& page, Pix* image, int dpi, OcrMode mode, bool form_fields) {
  if (mode != OcrMode::kComplete && !form_fields) return;
  if (!image) {
    if (mode == OcrMode::kComplete)
      page.layout = analyze_layout(page.blocks, page.figures, page.tables, page.height);
    return;
  }
  const int height = pixGetHeight(image);  // the frame the blocks are in
  PixPtr binary = to_binary(image);
  RulingLines lines = find_ruling_lines(binary.get(), dpi);
  std::vector<Table> grids;
  std::vector<Table> tables = detect_tables(lines, dpi, page.blocks, &grids);
  if (mode == OcrMode::kComplete) {
    page.tables = tables;
    page.layout = analyze_layout(page.blocks, page.figures, page.tables, height);
  }
  if (form_fields) page.fields = extract_form_fields(binary.get(), lines, grids, page.blocks, dpi);
}

}  // namespace paperd::engines::ocr
