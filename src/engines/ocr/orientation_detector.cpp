#include "engines/ocr/orientation_detector.h"

#include <tesseract/baseapi.h>

#include <cmath>

#include "core/error.h"
#include "engines/ocr/image_normalize.h"

namespace paperd::engines::ocr {

namespace {
// Leptonica's up-confidence above which a page counts as upright without asking Tesseract (its
// own decision threshold is 7; an upright page of text scores 15-20).
constexpr l_float32 kClearlyUpright = 8.0f;
}  // namespace

OrientationDetector::OrientationDetector(const std::filesystem::path& tessdata)
    : tessdata_(tessdata) {}

tesseract::TessBaseAPI& OrientationDetector::api() {
  if (api_) return *api_;
  auto api = std::make_unique<tesseract::TessBaseAPI>();
  if (api->Init(tessdata_.c_str(), "osd", tesseract::OEM_TESSERACT_ONLY) != 0)
    throw core::Error::unavailable("Tesseract's orientation model osd.traineddata is missing in " +
                                   tessdata_.string() + " (install tesseract-ocr-osd)");
  api->SetPageSegMode(tesseract::PSM_OSD_ONLY);
  api_ = std::move(api);
  return *api_;
}

OrientationDetector::~OrientationDetector() {
  if (api_) api_->End();
}

Orientation OrientationDetector::detect(Pix* page, int dpi, Pix* ink) {
  // Most pages are upright. Leptonica's ascender/descender statistics tell that in ~20 ms, where
  // Tesseract's OSD needs ~0.5 s; only pages it does not call clearly upright go to Tesseract.
  PixPtr reduced = ink ? pix_clone(ink) : ink_mask_150(page, dpi);
  l_float32 up = 0, left = 0;
  if (reduced && pixOrientDetect(reduced.get(), &up, &left, 0, 0) == 0 && up >= kClearlyUpright &&
      std::abs(left) < up / 2) {
    return {0, up, "", true};
  }
  // OSD classifies blob shapes; half of a 300-dpi scan still gives letters of 10+ pixels and
  // takes a quarter of the time.
  PixPtr small;
  Pix* input = page;
  if (dpi >= 250) {
    small.reset(pixScale(page, 0.5f, 0.5f));
    if (small) input = small.get(), dpi /= 2;
  }
  tesseract::TessBaseAPI& osd = api();
  osd.SetImage(input);
  osd.SetSourceResolution(dpi);
  int degrees = 0;
  float conf = 0, script_conf = 0;
  const char* script = nullptr;
  Orientation out;
  if (osd.DetectOrientationScript(&degrees, &conf, &script, &script_conf)) {
    out.detected = true;
    // Tesseract reports how far the text is turned clockwise from upright; turning the page
    // back (counter-clockwise) by that much restores it.
    out.rotate = ((360 - degrees) % 360 + 360) % 360;
    out.confidence = conf;
    out.script = script ? script : "";
  }
  osd.Clear();
  return out;
}

PixPtr rotate_orthogonal(Pix* pix, int degrees) {
  int quads = ((degrees / 90) % 4 + 4) % 4;
  PixPtr out(quads == 0 ? pixClone(pix) : pixRotateOrth(pix, quads));
  if (!out) throw core::Error::internal("cannot rotate the page image");
  return out;
}

}  // namespace paperd::engines::ocr
