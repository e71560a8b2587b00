// Separator codes and segmentation of a page stream.
#include "engines/scan/separator.h"

#include <gtest/gtest.h>

#include "core/error.h"

using namespace paperd::engines::scan;

TEST(ScanSeparator, DefaultAndCustomCodes) {
  SeparatorMatcher def;
  EXPECT_TRUE(def.matches("PATCHT"));
  EXPECT_TRUE(def.matches(" patcht "));
  EXPECT_FALSE(def.matches("PATCHT2"));
  EXPECT_FALSE(def.matches("SEP-1"));

  SeparatorMatcher custom("SEP*, DIVIDER");
  EXPECT_TRUE(custom.matches("SEP-0042"));
  EXPECT_TRUE(custom.matches("sep"));
  EXPECT_TRUE(custom.matches("Divider"));
  EXPECT_FALSE(custom.matches("PATCHT"));
  EXPECT_FALSE(custom.matches("XSEP"));
  EXPECT_THROW(SeparatorMatcher(" , *"), paperd::core::Error);
}

TEST(ScanSeparator, SegmentsBetweenSeparators) {
  // 1 2 [S] 4 [S] [S] 7 8 [S]
  std::vector<PageMark> m(9);
  m[2].separator = m[4].separator = m[5].separator = m[8].separator = true;
  auto s = segment_pages(m, {});
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].pages, (std::vector<int>{1, 2}));
  EXPECT_EQ(s[0].page_range, "1-2");
  EXPECT_EQ(s[1].page_range, "4");
  EXPECT_EQ(s[2].page_range, "7-8");
}

TEST(ScanSeparator, BlankPagesSplitOrDrop) {
  std::vector<PageMark> m(6);
  m[2].blank = true;  // 1 2 [B] 4 5 6
  EXPECT_EQ(segment_pages(m, {}).size(), 1u);
  auto split = segment_pages(m, {.split_on_blank = true});
  ASSERT_EQ(split.size(), 2u);
  EXPECT_EQ(split[1].page_range, "4-6");
  auto dropped = segment_pages(m, {.drop_blank = true});
  ASSERT_EQ(dropped.size(), 1u);
  EXPECT_EQ(dropped[0].page_range, "1-2,4-6");
  EXPECT_TRUE(segment_pages(std::vector<PageMark>(2, PageMark{.separator = true}), {}).empty());
}

TEST(ScanSeparator, PageRange) {
  EXPECT_EQ(page_range({}), "");
  EXPECT_EQ(page_range({3}), "3");
  EXPECT_EQ(page_range({1, 2, 3, 5, 7, 8}), "1-3,5,7-8");
}
