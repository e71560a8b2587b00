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

namespace {
// Moves every page's /Resources and /MediaBox up to the page tree node, where pages inherit them.
void move_page_attributes_to_tree(const fs::path& file) {
  QPDF q;
  q.processFile(file.c_str());
  QPDFObjectHandle tree = q.getRoot().getKey("/Pages");
  for (QPDFObjectHandle page : q.getAllPages()) {
    for (const char* key : {"/Resources", "/MediaBox"}) {
      tree.replaceKey(key, page.getKey(key));
      page.removeKey(key);
    }
  }
  fs::path tmp = file.string() + ".tmp";
  {
    QPDFWriter w(q, tmp.c_str());
    w.write();
  }
  fs::rename(tmp, file);
}
}  // namespace

// Enough inputs that both opening threads take several; some handed over as bytes.
TEST(QpdfMerge, ManyInputsFromFilesAndMemoryKeepTheirOrder) {
  TempFolder t;
  std::vector<pdf::MergeInput> inputs;
  std::vector<std::string> expected;
  for (int i = 1; i <= 24; ++i) {
    std::vector<std::string> texts{"Input " + std::to_string(i) + " first"};
    if (i % 4 == 0) texts.push_back("Input " + std::to_string(i) + " second");
    std::string name = "in" + std::to_string(i) + ".pdf";
    text_pdf(t / name, texts);
    if (i == 7) move_page_attributes_to_tree(t / name);  // inherited, pushed down by the copy
    pdf::MergeInput in{t / name, name, nullptr};
    if (i % 3 == 0) {
      in.data = std::make_shared<const std::string>(paperd::core::read_file(t / name));
      in.path = t / "not-read.pdf";
    }
    inputs.push_back(in);
    expected.insert(expected.end(), texts.begin(), texts.end());
  }
  auto r = pdf::merge_pdfs(inputs, t / "m.pdf", {});
  EXPECT_EQ(r.pages, 30);
  EXPECT_EQ(r.input_pages.size(), 24u);
  EXPECT_EQ(r.input_pages[3], 2);
  EXPECT_TRUE(qpdf_check(t / "m.pdf"));
  EXPECT_EQ(page_texts(t / "m.pdf"), expected);
  Json outlines = qpdf_json(t / "m.pdf", "outlines")["outlines"];
  ASSERT_EQ(outlines.size(), 24u);
  EXPECT_EQ(outlines[8]["title"], "in9");
  EXPECT_EQ(outlines[8]["destpageposfrom1"], 11);
  EXPECT_EQ(r.bookmarks, 24);
}

// Inputs are opened on several threads, but the error is always that of the first bad input in
// input order, as when they were opened one after the other.
TEST(QpdfMerge, ReportsTheFirstBadInputInInputOrder) {
  TempFolder t;
  text_pdf(t / "a.pdf", {"1", "2"});
  qpdf_encrypt(t / "a.pdf", t / "locked.pdf", "pw", "pw");
  paperd::fixtures::write_file(t / "junk.bin", "GIF89a not a pdf");
  auto inputs = [&](std::vector<std::pair<size_t, std::string>> bad) {
    std::vector<pdf::MergeInput> v;
    for (size_t i = 0; i < 16; ++i) v.push_back({t / "a.pdf", "a" + std::to_string(i) + ".pdf"});
    for (auto& [at, file] : bad) v[at] = {t / file, file};
    return v;
  };
  for (int round = 0; round < 5; ++round) {
    EXPECT_TRUE(throws_error(
        [&] {
          pdf::merge_pdfs(inputs({{3, "locked.pdf"}, {1, "junk.bin"}, {12, "junk.bin"}}),
                          t / "m.pdf", {});
        },
        400, "INVALID_PDF", "'junk.bin'"));
    // The encrypted input takes longer to fail (its key is derived) than the junk after it.
    EXPECT_TRUE(throws_error(
        [&] {
          pdf::merge_pdfs(inputs({{2, "locked.pdf"}, {3, "junk.bin"}, {14, "junk.bin"}}),
                          t / "m.pdf", {});
        },
        400, "PDF_PASSWORD_REQUIRED", "locked.pdf"));
    // The page limit of the merged result, reached before a bad input comes up.
    pdf::MergeOptions small;
    small.max_pages = 9;
    EXPECT_TRUE(throws_error(
        [&] {
          pdf::merge_pdfs(inputs({{10, "junk.bin"}}), t / "m.pdf", small);
        },
        413, "INPUT_TOO_LARGE", "10 pages (after 'a4.pdf')"));
  }
}
