// split_pdf and page ranges: every page, fixed counts, ranges with open ends; bookmarks follow
// their pages; bad ranges answer 400 naming the field.
#include "engines/pdf/qpdf_split.h"

#include <gtest/gtest.h>

#include <random>

#include "qpdf_test_util.h"

using namespace paperd::qpdf_test;
namespace pdf = paperd::engines::pdf;

namespace {
pdf::QpdfDocument open(const fs::path& f) {
  return pdf::QpdfDocument::open(f, {});
}
std::vector<std::string> labels(const std::vector<pdf::PageRange>& r) {
  std::vector<std::string> out;
  for (auto& x : r) out.push_back(x.label());
  return out;
}
}  // namespace

TEST(QpdfPageRanges, ParsesListsOpenEndsAndLast) {
  EXPECT_EQ(labels(pdf::parse_page_ranges("1-3,5,7-", 9, "ranges")),
            (std::vector<std::string>{"1-3", "5", "7-9"}));
  EXPECT_EQ(labels(pdf::parse_page_ranges(" 2 , z ", 4, "pages")),
            (std::vector<std::string>{"2", "4"}));
  EXPECT_EQ(labels(pdf::parse_page_ranges("-2", 4, "pages")), (std::vector<std::string>{"1-2"}));
  EXPECT_NO_THROW(pdf::parse_page_ranges("1-3,5,7-", -1, "ranges"));
}

TEST(QpdfPageRanges, RejectsBadSpecsNamingTheField) {
  EXPECT_TRUE(throws_error([] { pdf::parse_page_ranges("1-x", -1, "ranges"); }, 400,
                           "INVALID_REQUEST", "field 'ranges'"));
  EXPECT_TRUE(throws_error([] { pdf::parse_page_ranges("0", -1, "ranges"); }, 400,
                           "INVALID_REQUEST", "from 1"));
  EXPECT_TRUE(throws_error([] { pdf::parse_page_ranges("5-3", -1, "pages"); }, 400,
                           "INVALID_REQUEST", "backwards"));
  EXPECT_TRUE(throws_error([] { pdf::parse_page_ranges("1,,2", -1, "pages"); }, 400,
                           "INVALID_REQUEST", "empty"));
  EXPECT_TRUE(throws_error([] { pdf::parse_page_ranges("2-12", 10, "ranges", "big.pdf"); }, 400,
                           "INVALID_REQUEST", "'big.pdf' has 10 pages"));
}

TEST(QpdfSplit, EveryPageNamedByPage) {
  TempFolder t;
  auto doc = open(text_pdf(t / "in.pdf", {"P1", "P2", "P3"}));
  auto parts = pdf::split_pdf(doc, pdf::fixed_ranges(3, 1), t.path(), "report");
  ASSERT_EQ(parts.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(parts[i].file.filename().string(), "report_" + std::to_string(i + 1) + ".pdf");
    EXPECT_TRUE(qpdf_check(parts[i].file));
    EXPECT_EQ(npages(parts[i].file), 1);
    EXPECT_EQ(page_texts(parts[i].file), (std::vector<std::string>{"P" + std::to_string(i + 1)}));
  }
}

TEST(QpdfSplit, FixedCountAndRangesWithBookmarks) {
  TempFolder t;
  text_pdf(t / "in.pdf", {"P1", "P2", "P3", "P4", "P5", "P6", "P7"});
  add_outline(t / "in.pdf", {{"Chapter 1", 0, {{"Detail", 1, {}}}}, {"Chapter 2", 4, {}}});
  auto doc = open(t / "in.pdf");

  auto fixed = pdf::split_pdf(doc, pdf::fixed_ranges(7, 3), t.path(), "f");
  ASSERT_EQ(fixed.size(), 3u);
  EXPECT_EQ(fixed[0].file.filename(), "f_1-3.pdf");
  EXPECT_EQ(fixed[2].file.filename(), "f_7.pdf");
  EXPECT_EQ(npages(fixed[1].file), 3);
  EXPECT_EQ(page_texts(fixed[1].file), (std::vector<std::string>{"P4", "P5", "P6"}));

  auto ranges = pdf::split_pdf(doc, pdf::parse_page_ranges("2-3,5,6-", 7, "ranges"), t.path(), "r");
  ASSERT_EQ(ranges.size(), 3u);
  EXPECT_EQ(ranges[0].file.filename(), "r_2-3.pdf");
  EXPECT_EQ(ranges[1].file.filename(), "r_5.pdf");
  EXPECT_EQ(ranges[2].file.filename(), "r_6-7.pdf");
  EXPECT_EQ(page_texts(ranges[2].file), (std::vector<std::string>{"P6", "P7"}));
  for (auto& p : ranges) EXPECT_TRUE(qpdf_check(p.file));

  // Pages 2-3: "Chapter 1" points at page 1 (not here), so its child "Detail" moves up.
  Json o1 = qpdf_json(ranges[0].file, "outlines")["outlines"];
  ASSERT_EQ(o1.size(), 1u) << o1.dump();
  EXPECT_EQ(o1[0]["title"], "Detail");
  EXPECT_EQ(o1[0]["destpageposfrom1"], 1);
  Json o2 = qpdf_json(ranges[1].file, "outlines")["outlines"];
  ASSERT_EQ(o2.size(), 1u);
  EXPECT_EQ(o2[0]["title"], "Chapter 2");
  EXPECT_TRUE(qpdf_json(ranges[2].file, "outlines")["outlines"].empty());
}

TEST(QpdfSplit, SharedResourcesAreNotCopiedIntoEveryPart) {
  TempFolder t;
  // Page 1 draws a large image; page 2 shares page 1's resource dictionary without drawing it
  // (as many producers write). Page 2's part must not carry the image.
  std::vector<paperd::fixtures::FixturePage> pages(2, paperd::fixtures::FixturePage::lines({"x"}));
  std::mt19937 rng(42);  // incompressible pixels, so sizes tell whether the image was copied
  std::string noise;
  for (int i = 0; i < 90000; ++i) noise += static_cast<char>(rng() & 0xFF);
  pages[0].images.push_back({72, 200, 200, 200, 300, 300, noise});
  paperd::fixtures::write_file(t / "in.pdf", paperd::fixtures::make_text_pdf(pages));
  {
    QPDF q;
    q.processFile((t / "in.pdf").c_str());
    auto all = q.getAllPages();
    auto res = q.makeIndirectObject(all[0].getKey("/Resources"));
    all[0].replaceKey("/Resources", res);
    all[1].replaceKey("/Resources", res);
    QPDFWriter w(q, (t / "shared.pdf").c_str());
    w.write();
  }
  auto doc = open(t / "shared.pdf");
  auto parts = pdf::split_pdf(doc, pdf::fixed_ranges(2, 1), t.path(), "s");
  EXPECT_TRUE(qpdf_check(parts[1].file));
  EXPECT_GT(fs::file_size(parts[0].file), 50000u);
  EXPECT_LT(fs::file_size(parts[1].file), 5000u);
  EXPECT_EQ(page_texts(parts[1].file), (std::vector<std::string>{"x"}));
}

// Parts written to memory: the same documents, handed over one by one, and no file on disk.
TEST(QpdfSplit, PartsCanGoStraightFromMemory) {
  TempFolder t;
  auto doc = open(text_pdf(t / "in.pdf", {"P1", "P2", "P3", "P4"}));
  fs::create_directories(t / "parts");
  std::vector<std::string> names;
  int index = 0;
  auto parts = pdf::split_pdf(doc, pdf::parse_page_ranges("1-2,4", 4, "ranges"), t / "parts",
                              "memo", {}, [&](pdf::SplitPart& part) {
                                names.push_back(part.file.filename().string());
                                fs::path copy = t / ("copy" + std::to_string(index++) + ".pdf");
                                std::ofstream(copy, std::ios::binary) << part.data;
                              });
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(names, (std::vector<std::string>{"memo_1-2.pdf", "memo_4.pdf"}));
  EXPECT_TRUE(fs::is_empty(t / "parts"));
  EXPECT_TRUE(parts[0].data.empty());
  EXPECT_TRUE(qpdf_check(t / "copy0.pdf"));
  EXPECT_EQ(page_texts(t / "copy0.pdf"), (std::vector<std::string>{"P1", "P2"}));
  EXPECT_EQ(page_texts(t / "copy1.pdf"), (std::vector<std::string>{"P4"}));
}
