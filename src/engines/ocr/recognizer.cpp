#include "engines/ocr/recognizer.h"

#include <dlfcn.h>
#include <tesseract/baseapi.h>
#include <tesseract/renderer.h>
#include <tesseract/resultiterator.h>

#include <cctype>

#include "core/error.h"

namespace paperd::engines::ocr {

namespace {

using tesseract::PageIteratorLevel;

struct TextDeleter {
  void operator()(char* p) const { delete[] p; }
};

Rect box_at(const tesseract::ResultIterator& it, PageIteratorLevel level) {
  int l = 0, t = 0, r = 0, b = 0;
  if (!it.BoundingBox(level, &l, &t, &r, &b)) return {};
  return {l, t, r - l, b - t};
}

BlockKind kind_of(tesseract::PolyBlockType t) {
  switch (t) {
    case tesseract::PT_FLOWING_TEXT:
    case tesseract::PT_PULLOUT_TEXT:
    case tesseract::PT_CAPTION_TEXT:
    case tesseract::PT_VERTICAL_TEXT:
      return BlockKind::kText;
    case tesseract::PT_HEADING_TEXT:
      return BlockKind::kHeading;
    case tesseract::PT_TABLE:
      return BlockKind::kTable;
    case tesseract::PT_FLOWING_IMAGE:
    case tesseract::PT_HEADING_IMAGE:
    case tesseract::PT_PULLOUT_IMAGE:
      return BlockKind::kImage;
    default:
      return BlockKind::kOther;
  }
}

bool blank(const std::string& s) {
  for (unsigned char c : s)
    if (!std::isspace(c)) return false;
  return true;
}

}  // namespace

int limit_openmp_threads() {
  using LimitFn = int (*)();
  using TeamsFn = void (*)(unsigned, unsigned);
  auto get_limit = reinterpret_cast<LimitFn>(dlsym(RTLD_DEFAULT, "omp_get_thread_limit"));
  if (!get_limit) return 0;
  if (get_limit() > 1) {
    // GOMP_teams(num_teams, thread_limit) is the libgomp entry `#pragma omp teams
    // thread_limit(1)` compiles to; it sets the calling thread's thread-limit ICV, which caps
    // every parallel region Tesseract opens from this thread.
    if (auto teams = reinterpret_cast<TeamsFn>(dlsym(RTLD_DEFAULT, "GOMP_teams"))) teams(0, 1);
  }
  return get_limit();
}

Recognizer::Recognizer(const std::filesystem::path& tessdata, const std::string& language)
    : tessdata_(tessdata), language_(language), api_(std::make_unique<tesseract::TessBaseAPI>()) {
  // Tesseract's diagnostics ("Estimating resolution", "Detected N diacritics") are noise here.
  api_->SetVariable("debug_file", "/dev/null");
  if (api_->Init(tessdata.c_str(), language.c_str(), tesseract::OEM_LSTM_ONLY) != 0)
    throw core::Error::invalid_request("Tesseract cannot load language '" + language + "' from " +
                                       tessdata.string());
  api_->SetPageSegMode(tesseract::PSM_AUTO);
}

Recognizer::~Recognizer() {
  if (api_) api_->End();
}

Recognition Recognizer::recognize(Pix* page, int dpi) {
  api_->SetImage(page);
  api_->SetSourceResolution(dpi);
  if (api_->Recognize(nullptr) != 0)
    throw core::Error::internal("Tesseract failed to recognize the page");
  Recognition out;
  std::unique_ptr<tesseract::ResultIterator> it(api_->GetIterator());
  if (!it) return out;
  BlockKind block_kind = BlockKind::kText;
  OcrBlock* para = nullptr;
  OcrLine* line = nullptr;
  do {
    if (it->IsAtBeginningOf(tesseract::RIL_BLOCK)) {
      block_kind = kind_of(it->BlockType());
      if (block_kind == BlockKind::kImage) {
        out.figures.push_back(box_at(*it, tesseract::RIL_BLOCK));
        para = nullptr, line = nullptr;
        continue;
      }
    }
    if (block_kind == BlockKind::kImage) continue;
    if (!para || it->IsAtBeginningOf(tesseract::RIL_PARA)) {
      out.blocks.push_back({box_at(*it, tesseract::RIL_PARA), block_kind, {}});
      para = &out.blocks.back();
      line = nullptr;
    }
    if (!line || it->IsAtBeginningOf(tesseract::RIL_TEXTLINE)) {
      para->lines.push_back({"", box_at(*it, tesseract::RIL_TEXTLINE), 0, {}});
      line = &para->lines.back();
    }
    std::unique_ptr<char, TextDeleter> text(it->GetUTF8Text(tesseract::RIL_WORD));
    if (!text || blank(text.get())) continue;
    OcrWord w{text.get(), box_at(*it, tesseract::RIL_WORD),
              it->Confidence(tesseract::RIL_WORD) / 100.0};
    if (!line->text.empty()) line->text += ' ';
    line->text += w.text;
    line->words.push_back(std::move(w));
  } while (it->Next(tesseract::RIL_WORD));

  // Drop the empty lines and blocks that image and noise regions leave behind.
  for (auto& b : out.blocks) {
    std::erase_if(b.lines, [](const OcrLine& l) { return l.words.empty(); });
    for (auto& l : b.lines) {
      double sum = 0;
      for (auto& w : l.words) sum += w.confidence;
      l.confidence = sum / l.words.size();
    }
  }
  std::erase_if(out.blocks, [](const OcrBlock& b) { return b.lines.empty(); });
  return out;
}

void Recognizer::write_pdf(const std::filesystem::path& out_base,
                           const std::string& original_jpeg) {
  // The renderer embeds the file named by the input name when it is a JPEG (no re-encoding), and
  // otherwise encodes the image it was given.
  api_->SetInputName(original_jpeg.empty() ? nullptr : original_jpeg.c_str());
  tesseract::TessPDFRenderer renderer(out_base.c_str(), api_->GetDatapath(), false);
  if (!renderer.BeginDocument("") || !renderer.AddImage(api_.get()) || !renderer.EndDocument())
    throw core::Error::internal("Tesseract could not write the searchable PDF page " +
                                out_base.string() + ".pdf");
}

}  // namespace paperd::engines::ocr
