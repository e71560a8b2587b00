// The appearance stream of one Stamp (a drawn or uploaded PNG, a text fitted into its box, a
// checkbox) as a form XObject of the box's size: the signer writes it as the /AP of an annotation
// or of the signature widget, so nothing of the page's own content changes.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "engines/pdf/mupdf_context.h"
#include "engines/sign/pades_signer.h"

struct fz_font;

namespace paperd::engines::sign {

// Advance widths of the standard Helvetica (MuPDF's built-in Nimbus Sans has its metrics), for
// fitting text drawn with the non-embedded /Helvetica font. One per thread.
class HelveticaMetrics {
 public:
  HelveticaMetrics() = default;  // MuPDF is started on the first advance()
  ~HelveticaMetrics();
  HelveticaMetrics(const HelveticaMetrics&) = delete;
  HelveticaMetrics& operator=(const HelveticaMetrics&) = delete;
  // In em (1.0 = the font size). 500 when MuPDF has no built-in Helvetica.
  double advance(char32_t code_point);

 private:
  void load();
  std::unique_ptr<pdf::MuContext> ctx_;
  fz_font* font_ = nullptr;
  std::map<char32_t, double> cache_;
};

struct StampImage {
  int width = 0, height = 0;
  std::string rgb;    // width * height * 3
  std::string alpha;  // width * height, empty when opaque
};

struct Appearance {
  double width = 0, height = 0;     // the form's /BBox [0 0 width height]
  std::string content;              // uncompressed content stream
  bool uses_font = false;           // refers to /Helv (Helvetica, WinAnsiEncoding)
  std::optional<StampImage> image;  // referred to as /Im0
};

// 400 INVALID_REQUEST for a kImage stamp whose PNG cannot be decoded or is over 25 megapixels.
Appearance make_appearance(const Stamp& stamp, double width, double height,
                           HelveticaMetrics& metrics);

// A PNG as 8-bit RGB + alpha (alpha dropped when fully opaque). 400 naming the problem.
StampImage decode_png(const std::string& png);

}  // namespace paperd::engines::sign
