// Page orientation (0, 90, 180, 270) with Tesseract's orientation and script detection (the
// `osd` model, legacy engine). One detector per thread: it owns a TessBaseAPI.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "engines/ocr/leptonica.h"

namespace tesseract {
class TessBaseAPI;
}

namespace paperd::engines::ocr {

struct Orientation {
  int rotate = 0;         // clockwise degrees that make the page upright (0, 90, 180, 270)
  double confidence = 0;  // Tesseract's orientation confidence (margin over the runner-up)
  std::string script;
  bool detected = false;  // false: too little text to decide
};

// Below this confidence a non-zero answer is ignored (the page is left as it is).
inline constexpr double kMinOrientationConfidence = 2.0;

class OrientationDetector {
 public:
  // The Tesseract model loads on first need; detect() throws 503 SERVICE_UNAVAILABLE when
  // osd.traineddata is missing.
  explicit OrientationDetector(const std::filesystem::path& tessdata);
  ~OrientationDetector();
  OrientationDetector(const OrientationDetector&) = delete;
  OrientationDetector& operator=(const OrientationDetector&) = delete;

  // page: a normalized page image at `dpi`; ink: its ink mask from ink_mask_150 when the
  // caller has it already.
  Orientation detect(Pix* page, int dpi, Pix* ink = nullptr);

 private:
  tesseract::TessBaseAPI& api();
  std::filesystem::path tessdata_;
  std::unique_ptr<tesseract::TessBaseAPI> api_;
};

// pix turned clockwise by 0/90/180/270 degrees.
PixPtr rotate_orthogonal(Pix* pix, int degrees);

}  // namespace paperd::engines::ocr
