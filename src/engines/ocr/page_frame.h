// The geometry between a page image as it arrived and the upright, deskewed image that was
// read: turned clockwise by a multiple of 90 degrees, then by a small angle about its center.
// Maps boxes found on the read image back to the original image, so every coordinate in a
// result refers to the file the client sent.
#pragma once

#include "engines/ocr/page_result.h"

namespace paperd::engines::ocr {

class PageFrame {
 public:
  PageFrame(int width, int height) : width_(width), height_(height) {}
  // The page was turned clockwise by `degrees` (0/90/180/270) ...
  void set_rotation(int degrees) { quads_ = ((degrees / 90) % 4 + 4) % 4; }
  // ... and then by `degrees` clockwise about its center (the deskew step).
  void set_deskew(double degrees) { deskew_ = degrees; }
  bool identity() const { return quads_ == 0 && deskew_ == 0; }

  // A box on the read image as the bounding box of its corners on the original, clipped to it.
  Rect to_original(const Rect& r) const;
  void to_original(PageResult& page) const;  // every box of the page

 private:
  int width_, height_;
  int quads_ = 0;
  double deskew_ = 0;
};

}  // namespace paperd::engines::ocr
