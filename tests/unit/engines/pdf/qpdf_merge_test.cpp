// merge_pdfs: order, bookmarks (per input, nested), forms of the options, limits, bad inputs.
#include "engines/pdf/qpdf_merge.h"

#include <gtest/gtest.h>

#include "qpdf_test_util.h"

using namespace paperd::qpdf_test;
namespace pdf = paperd::engines::pdf;

TEST(QpdfMerge, KeepsOrderAndInputBookmarksUnderOnePerFile) {
  TempFolder t;
  text_pdf(t / "a.pdf", {"Alpha one", "Alpha two", "Alpha three"});
  add_outline(t / "a.pdf", {{"Intro", 0, {}}, {"Part B", 1, {{"Section B1", 2, {}}}}});
  text_pdf(t / "b.pdf", {"Bravo one", "Bravo two"});
  text_pdf(t / "c.pdf", {"Charlie one"});
  add_outline(t / "c.pdf", {{"Only", 0, {}}});

  auto r = pdf::merge_pdfs({{t / "c.pdf", "c.pdf"}, {t / "a.pdf", "a.pdf"}, {t / "b.pdf", "b.pdf"}},
                           t / "m.pdf", {});
  EXPECT_EQ(r.pages, 6);
  EXPECT_EQ(r.input_pages, (std::vector<int>{1, 3, 2}));
  EXPECT_TRUE(qpdf_check(t / "m.pdf"));
  EXPECT_EQ(npages(t / "m.pdf"), 6);
  EXPECT_EQ(page_texts(t / "m.pdf"),
            (std::vector<std::string>{"Charlie one", "Alpha one", "Alpha two", "Alpha three",
                                      "Bravo one", "Bravo two"}));

  Json outlines = qpdf_json(t / "m.pdf", "outlines")["outlines"];
  ASSERT_EQ(outlines.size(), 3u) << outlines.dump(1);
  EXPECT_EQ(outlines[0]["title"], "c");
  EXPECT_EQ(outlines[0]["destpageposfrom1"], 1);
  EXPECT_EQ(outlines[0]["kids"][0]["title"], "Only");
  EXPECT_EQ(outlines[1]["title"], "a");
  EXPECT_EQ(outlines[1]["destpageposfrom1"], 2);
  ASSERT_EQ(outlines[1]["kids"].size(), 2u);
  EXPECT_EQ(outlines[1]["kids"][0]["title"], "Intro");
  EXPECT_EQ(outlines[1]["kids"][0]["destpageposfrom1"], 2);
  EXPECT_EQ(outlines[1]["kids"][1]["title"], "Part B");
  EXPECT_EQ(outlines[1]["kids"][1]["destpageposfrom1"], 3);
  EXPECT_EQ(outlines[1]["kids"][1]["kids"][0]["title"], "Section B1");
  EXPECT_EQ(outlines[1]["kids"][1]["kids"][0]["destpageposfrom1"], 4);
  EXPECT_EQ(outlines[2]["title"], "b");
  EXPECT_EQ(outlines[2]["destpageposfrom1"], 5);
  EXPECT_TRUE(outlines[2]["kids"].empty());
  EXPECT_EQ(r.bookmarks, 7);
}

TEST(QpdfMerge, BookmarksKeepAndNone) {
  TempFolder t;
  text_pdf(t / "a.pdf", {"A1", "A2"});
  add_outline(t / "a.pdf", {{"Second page", 1, {}}});
  text_pdf(t / "b.pdf", {"B1"});
  pdf::MergeOptions keep;
  keep.bookmarks = pdf::MergeBookmarks::kKeep;
  pdf::merge_pdfs({{t / "b.pdf", "b.pdf"}, {t / "a.pdf", "a.pdf"}}, t / "k.pdf", keep);
  Json outlines = qpdf_json(t / "k.pdf", "outlines")["outlines"];
  ASSERT_EQ(outlines.size(), 1u);
  EXPECT_EQ(outlines[0]["title"], "Second page");
  EXPECT_EQ(outlines[0]["destpageposfrom1"], 3);

  pdf::MergeOptions none;
  none.bookmarks = pdf::MergeBookmarks::kNone;
  pdf::merge_pdfs({{t / "a.pdf", "a.pdf"}, {t / "b.pdf", "b.pdf"}}, t / "n.pdf", none);
  EXPECT_TRUE(qpdf_json(t / "n.pdf", "outlines")["outlines"].empty());
  EXPECT_TRUE(qpdf_check(t / "n.pdf"));
}

TEST(QpdfMerge, SameFileTwiceAndEncryptedInputWithPassword) {
  TempFolder t;
  text_pdf(t / "a.pdf", {"Page A"});
  qpdf_encrypt(t / "a.pdf", t / "e.pdf", "pw", "pw");
  pdf::MergeOptions o;
  o.password = "pw";
  auto r = pdf::merge_pdfs({{t / "a.pdf", "a.pdf"}, {t / "e.pdf", "e.pdf"}, {t / "a.pdf", "a.pdf"}},
                           t / "m.pdf", o);
  EXPECT_EQ(r.pages, 3);
  EXPECT_TRUE(qpdf_check(t / "m.pdf"));
  EXPECT_EQ(page_texts(t / "m.pdf"), (std::vector<std::string>{"Page A", "Page A", "Page A"}));
  // The merged file is not encrypted.
  EXPECT_NE(tool({"qpdf", "--show-encryption", (t / "m.pdf").string()}).out.find("not encrypted"),
            std::string::npos);
}

TEST(QpdfMerge, BadInputNamesTheFileAndLimitsCount) {
  TempFolder t;
  text_pdf(t / "a.pdf", {"1", "2"});
  paperd::fixtures::write_file(t / "junk.bin", "GIF89a not a pdf");
  EXPECT_TRUE(throws_error(
      [&] {
        pdf::merge_pdfs({{t / "a.pdf", "a.pdf"}, {t / "junk.bin", "scan.pdf"}}, t / "m.pdf", {});
      },
      400, "INVALID_PDF", "'scan.pdf'"));
  text_pdf(t / "b.pdf", {"1", "2"});
  qpdf_encrypt(t / "b.pdf", t / "e.pdf", "pw", "pw");
  EXPECT_TRUE(throws_error(
      [&] {
        pdf::merge_pdfs({{t / "a.pdf", "a.pdf"}, {t / "e.pdf", "locked.pdf"}}, t / "m.pdf", {});
      },
      400, "PDF_PASSWORD_REQUIRED", "locked.pdf"));
  pdf::MergeOptions small;
  small.max_pages = 3;
  EXPECT_TRUE(throws_error(
      [&] {
        pdf::merge_pdfs({{t / "a.pdf", "a.pdf"}, {t / "b.pdf", "b.pdf"}}, t / "m.pdf", small);
      },
      413, "INPUT_TOO_LARGE", "4 pages"));
}
