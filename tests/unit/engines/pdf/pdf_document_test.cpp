// pdf::Document (MuPDF): open errors, page sizes, text with positions, rendering sizes and limits.
#include "engines/pdf/pdf_document.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/fs.h"
#include "core/subprocess.h"
#include "pdf_text_fixture.h"

using namespace paperd;
using engines::pdf::Document;

namespace {

class PdfDocumentTest : public ::testing::Test {
 protected:
  core::TempDir dir{std::filesystem::temp_directory_path(), "pdfdoc-"};
  std::filesystem::path write(const std::string& name, const std::string& data) {
    auto p = dir.path() / name;
    fixtures::write_file(p, data);
    return p;
  }
  std::filesystem::path two_pages() {
    return write("two.pdf", fixtures::make_text_pdf(
                                {fixtures::FixturePage::lines({"Hello world", "Second line"}),
                                 fixtures::FixturePage::lines({"Page two text"}, 300, 400)}));
  }
};

std::string code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const core::Error& e) {
    return std::to_string(e.status()) + " " + e.code();
  }
  return "no error";
}

}  // namespace

TEST_F(PdfDocumentTest, PageCountSizesAndText) {
  auto doc = Document::open(two_pages());
  ASSERT_EQ(doc.page_count(), 2);
  EXPECT_EQ(doc.page_size(0), std::make_pair(612.0, 792.0));
  EXPECT_EQ(doc.page_size(1), std::make_pair(300.0, 400.0));
  auto t = doc.text(0);
  EXPECT_DOUBLE_EQ(t.width, 612);
  EXPECT_NE(t.plain.find("Hello world\nSecond line"), std::string::npos) << t.plain;
  ASSERT_FALSE(t.blocks.empty());
  const auto& line = t.blocks[0].lines[0];
  ASSERT_EQ(line.words.size(), 2u);
  EXPECT_EQ(line.words[0].text, "Hello");
  // Baseline at y=72 from the top, 12 pt Helvetica: the word box sits just above it.
  EXPECT_NEAR(line.words[0].box.x0, 72, 1);
  EXPECT_GT(line.words[0].box.y1, 70);
  EXPECT_LT(line.words[0].box.y0, 72);
  EXPECT_LT(line.words[0].box.x1, line.words[1].box.x0);
  EXPECT_EQ(doc.text(1).plain, "Page two text");
}

TEST_F(PdfDocumentTest, RenderSizeFollowsDpi) {
  auto doc = Document::open(two_pages());
  auto r = doc.render(0, 150);
  EXPECT_EQ(r.width, 1275);
  EXPECT_EQ(r.height, 1650);
  EXPECT_EQ(r.components, 3);
  EXPECT_EQ(r.pixels.size(), 1275u * 1650u * 3u);
  auto g = doc.render(1, 72, true);
  EXPECT_EQ(g.width, 300);
  EXPECT_EQ(g.height, 400);
  EXPECT_EQ(g.components, 1);
  // Text is drawn: some dark pixels, mostly white.
  size_t dark = 0;
  for (unsigned char v : g.pixels) dark += v < 128;
  EXPECT_GT(dark, 20u);
  EXPECT_LT(dark, g.pixels.size() / 10);
}

TEST_F(PdfDocumentTest, Errors) {
  auto txt = write("a.pdf", "this is not a pdf at all\n");
  EXPECT_EQ(code_of([&] { Document::open(txt); }), "400 INVALID_PDF");
  auto empty = write("zero.pdf", fixtures::make_text_pdf({}));
  EXPECT_EQ(code_of([&] { Document::open(empty); }), "400 INVALID_PDF");
  auto src = two_pages();
  auto enc = dir.path() / "enc.pdf";
  auto r = core::run_process(
      {.argv = {"qpdf", "--encrypt", "secret", "owner", "256", "--", src.string(), enc.string()}});
  ASSERT_TRUE(r.ok()) << r.err;
  EXPECT_EQ(code_of([&] { Document::open(enc); }), "400 PDF_PASSWORD_REQUIRED");
  EXPECT_EQ(code_of([&] { Document::open(enc, "wrong"); }), "400 INVALID_PASSWORD");
  EXPECT_EQ(Document::open(enc, "secret").text(0).plain.substr(0, 11), "Hello world");
  EXPECT_EQ(code_of([&] { Document::open(src, "", {.max_pages = 1}); }), "413 INPUT_TOO_LARGE");
  auto doc = Document::open(src, "", {.max_megapixels = 1});
  EXPECT_EQ(code_of([&] { doc.render(0, 150); }), "413 INPUT_TOO_LARGE");
  EXPECT_EQ(code_of([&] { doc.render(5, 72); }), "400 INVALID_REQUEST");
  auto huge = write(
      "huge.pdf",
      fixtures::make_text_pdf({fixtures::FixturePage::lines({"big"}, 20000 * 72.0, 20000 * 72.0)}));
  auto hd = Document::open(huge);
  EXPECT_EQ(code_of([&] { hd.render(0, 10); }), "413 INPUT_TOO_LARGE");
}

TEST_F(PdfDocumentTest, TruncatedPdfIsInvalidOrRepaired) {
  std::string full = fixtures::make_text_pdf({fixtures::FixturePage::lines({"x"})});
  auto cut = write("cut.pdf", full.substr(0, 40));
  EXPECT_EQ(code_of([&] { Document::open(cut); }), "400 INVALID_PDF");
}
