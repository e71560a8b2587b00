// One Tesseract instance (TessBaseAPI, LSTM engine) loaded with one language set, turning a page
// image into blocks, lines and words with boxes and confidences, and writing the one-page
// searchable PDF of the image it last read (TessPDFRenderer). Not thread-safe: one per thread.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "engines/ocr/leptonica.h"
#include "engines/ocr/page_result.h"

namespace tesseract {
class TessBaseAPI;
}

namespace paperd::engines::ocr {

struct Recognition {
  std::vector<OcrBlock> blocks;
  std::vector<Rect> figures;
};

class Recognizer {
 public:
  // language: a Tesseract set such as "eng" or "deu+eng" (checked by resolve_languages first).
  // Throws 400 INVALID_REQUEST when Tesseract cannot load it.
  Recognizer(const std::filesystem::path& tessdata, const std::string& language);
  ~Recognizer();
  Recognizer(const Recognizer&) = delete;
  Recognizer& operator=(const Recognizer&) = delete;

  const std::string& language() const { return language_; }
  // Reads `page` (which must outlive the next write_pdf call) at `dpi`.
  Recognition recognize(Pix* page, int dpi);
  // Writes <out_base>.pdf: the last recognized image with an invisible text layer. When
  // original_jpeg is set and the image was not changed, its bytes are embedded as they are.
  void write_pdf(const std::filesystem::path& out_base, const std::string& original_jpeg = "");

 private:
  std::filesystem::path tessdata_;
  std::string language_;
  std::unique_ptr<tesseract::TessBaseAPI> api_;
};

// Caps OpenMP inside Tesseract at one thread for the calling thread. Debian's libtesseract is
// built with OpenMP, which on few cores makes OCR ~4x slower; OMP_THREAD_LIMIT=1 only works when
// set before the process starts (libgomp reads it at load time), so each OCR thread also lowers
// its own thread-limit ICV. Returns the limit now in force (0 when OpenMP is absent).
int limit_openmp_threads();

}  // namespace paperd::engines::ocr
