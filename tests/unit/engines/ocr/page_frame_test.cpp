// PageFrame maps boxes found on the upright, deskewed page back onto the image as it was sent:
// quarter turns exactly, small rotations as the bounding box of the turned corners.
#include "engines/ocr/page_frame.h"

#include <gtest/gtest.h>

#include <cmath>

namespace paperd::engines::ocr {
namespace {

TEST(OcrPageFrame, QuarterTurnsMapBack) {
  // Original 400 x 300. A box at the top-left of the original ...
  Rect orig{10, 20, 30, 40};
  // ... turned clockwise by 90 lands at (H - y - h, x) on the 300 x 400 image.
  PageFrame f90(400, 300);
  f90.set_rotation(90);
  Rect r90{300 - 20 - 40, 10, 40, 30};
  Rect back = f90.to_original(r90);
  EXPECT_EQ(back.x, orig.x);
  EXPECT_EQ(back.y, orig.y);
  EXPECT_EQ(back.w, orig.w);
  EXPECT_EQ(back.h, orig.h);

  PageFrame f180(400, 300);
  f180.set_rotation(180);
  back = f180.to_original({400 - 10 - 30, 300 - 20 - 40, 30, 40});
  EXPECT_EQ(back.x, 10);
  EXPECT_EQ(back.y, 20);

  PageFrame f270(400, 300);
  f270.set_rotation(270);
  // Clockwise by 270: (x, y) -> (y, W - x).
  back = f270.to_original({20, 400 - 10 - 30, 40, 30});
  EXPECT_EQ(back.x, 10);
  EXPECT_EQ(back.y, 20);
  EXPECT_EQ(back.w, 30);
}

TEST(OcrPageFrame, DeskewTurnsAboutTheCenter) {
  PageFrame f(1000, 1000);
  f.set_deskew(10);
  // The center stays; a point right of it moves up when turned back counter-clockwise.
  Rect c = f.to_original({499, 499, 2, 2});
  EXPECT_NEAR(c.cx(), 500, 2);
  EXPECT_NEAR(c.cy(), 500, 2);
  Rect r = f.to_original({899, 499, 2, 2});
  EXPECT_NEAR(r.cx(), 500 + 400 * std::cos(10 * M_PI / 180), 3);
  EXPECT_NEAR(r.cy(), 500 - 400 * std::sin(10 * M_PI / 180), 3);
  EXPECT_TRUE(PageFrame(10, 10).identity());
}

}  // namespace
}  // namespace paperd::engines::ocr
