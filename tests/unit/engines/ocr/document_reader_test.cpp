// Whole jobs: born-digital PDF pages read from their text layer (exact text, boxes in pixels at
// the render dpi, no OCR) unless forced, scanned PDF pages rendered and recognized, the
// searchable PDF whose text pdftotext recovers, multi-page TIFFs, pages in order across threads,
// progress and cancellation, and the refusals: encrypted PDF without password, foreign files,
// pages over the pixel limit.
#include "engines/ocr/document_reader.h"

#include <gtest/gtest.h>
#include <qpdf/QPDFPageObjectHelper.hh>

#include "../pdf/pdf_text_fixture.h"
#include "core/error.h"
#include "core/fs.h"
#include "engines/ocr/language.h"
#include "engines/ocr/recognizer.h"
#include "engines/ocr/scan_jpeg.h"
#include "ocr_fixtures.h"

namespace paperd::engines::ocr {
namespace {

namespace fx = ocr_fixtures;

class OcrDocumentReader : public ::testing::Test {
 protected:
  std::filesystem::path file(const std::string& name) const { return dir.path() / name; }
  DocumentOptions options() const {
    DocumentOptions o;
    o.tessdata = default_tessdata_dir();
    o.page.installed = installed_languages(o.tessdata);
    o.work_dir = dir.path() / "work";
    std::filesystem::create_directories(o.work_dir);
    o.threads = 2;
    return o;
  }
  DocumentResult read(const std::vector<std::string>& names, const DocumentOptions& o) {
    std::vector<DocumentInput> in;
    for (const auto& n : names) in.push_back({file(n), n});
    return read_documents(in, o, [](int, int) {});
  }
  core::Error error_of(const std::vector<std::string>& names, const DocumentOptions& o) {
    try {
      read(names, o);
    } catch (const core::Error& e) {
      return e;
    }
    return core::Error(0, "", "no error");
  }
  core::TempDir dir{std::filesystem::temp_directory_path(), "ocr-doc-"};
};

TEST_F(OcrDocumentReader, BornDigitalPagesComeFromTheTextLayer) {
  std::vector<std::string> lines = {"Invoice 2024-117 for consulting services",
                                    "Total amount due: 1,250.00 EUR"};
  core::atomic_write_file(file("digital.pdf"),
                          fixtures::make_text_pdf({fixtures::FixturePage::lines(lines)}));
  DocumentOptions o = options();
  o.page.mode = OcrMode::kGrid;
  DocumentResult r = read({"digital.pdf"}, o);
  ASSERT_EQ(r.pages.size(), 1u);
  const PageResult& p = r.pages[0];
  EXPECT_EQ(p.source, "text_layer");
  EXPECT_EQ(fx::fold_spaces(p.text()), fx::fold_spaces(fx::joined(lines)));
  EXPECT_EQ(p.confidence(), 1.0);
  EXPECT_EQ(p.width, 2550);  // 612 pt at 300 dpi
  EXPECT_EQ(p.height, 3300);
  // "Invoice" starts at x = 72 pt = 300 px, its baseline at 72 pt; boxes are pixels at 300 dpi.
  const OcrWord* first = p.words().front();
  EXPECT_EQ(first->text, "Invoice");
  EXPECT_NEAR(first->box.x, 300, 6);
  EXPECT_NEAR(first->box.bottom(), 300, 20);
  EXPECT_EQ(p.language.code, "eng");

  // Its page goes into the searchable PDF as it is: the text comes out exactly.
  o.searchable_pdf = true;
  DocumentResult with_pdf = read({"digital.pdf"}, o);
  auto text = fx::run({"pdftotext", with_pdf.searchable_pdf.string(), "-"});
  EXPECT_EQ(fx::fold_spaces(text.out), fx::fold_spaces(fx::joined(lines)));
  o.searchable_pdf = false;

  // force_ocr reads the rendered page instead, with nearly the same text.
  o.force_ocr = true;
  DocumentResult forced = read({"digital.pdf"}, o);
  EXPECT_EQ(forced.pages[0].source, "ocr");
  EXPECT_LT(fx::cer(fx::joined(lines), forced.pages[0].text()), 0.03) << forced.pages[0].text();
}

TEST_F(OcrDocumentReader, ScannedPdfBecomesSearchable) {
  fx::text_page(file("p1.png"), fx::kParagraph);
  std::vector<std::string> second = {"Second page of the scanned letter.",
                                     "Kind regards from the accounting team."};
  fx::text_page(file("p2.png"), second);
  fx::images_to_pdf({file("p1.png"), file("p2.png")}, file("scan.pdf"));
  DocumentOptions o = options();
  o.searchable_pdf = true;
  int calls = 0, last_done = 0;
  std::vector<DocumentInput> in = {{file("scan.pdf"), "scan.pdf"}};
  DocumentResult r = read_documents(in, o, [&](int done, int total) {
    ++calls;
    EXPECT_EQ(total, 2);
    EXPECT_GE(done, last_done);
    last_done = done;
  });
  ASSERT_EQ(r.pages.size(), 2u);
  EXPECT_GE(calls, 1);
  EXPECT_EQ(last_done, 2);
  EXPECT_EQ(r.pages[0].source, "ocr");
  EXPECT_LT(fx::cer(fx::joined(fx::kParagraph), r.pages[0].text()), 0.02);
  EXPECT_LT(fx::cer(fx::joined(second), r.pages[1].text()), 0.02);
  EXPECT_EQ(r.page_numbers, (std::vector<int>{1, 2}));
  ASSERT_TRUE(std::filesystem::exists(r.searchable_pdf));
  auto info = fx::run({"pdfinfo", r.searchable_pdf.string()});
  EXPECT_NE(info.out.find("Pages:           2"), std::string::npos) << info.out;
  auto text = fx::run({"pdftotext", "-layout", r.searchable_pdf.string(), "-"});
  auto pages = text.out.find('\f');
  ASSERT_NE(pages, std::string::npos);
  EXPECT_LT(fx::cer(fx::joined(fx::kParagraph), text.out.substr(0, pages)), 0.03) << text.out;
  EXPECT_NE(text.out.find("accounting team"), std::string::npos) << text.out;
  // The page keeps its size: 2300 x 900 px at 300 dpi = 552 x 216 pt.
  EXPECT_NE(info.out.find("552 x 216 pts"), std::string::npos) << info.out;
}

// A page that is one JPEG at the render resolution is read from the JPEG itself and the
// searchable PDF carries the very same JPEG bytes (no re-encoding); at another dpi, or with a
// PNG page, the page is rendered as before.
TEST_F(OcrDocumentReader, JpegScansAreEmbeddedAsTheyAre) {
  fx::text_page(file("scan.jpg"), fx::kParagraph);
  fx::text_page(file("scan.png"), {"A lossless page next to it."});
  fx::images_to_pdf({file("scan.jpg"), file("scan.png")}, file("jpeg-scan.pdf"));
  const std::string jpeg = fx::read_all(file("scan.jpg"));
  {
    auto doc = pdf::QpdfDocument::open(file("jpeg-scan.pdf"));
    auto found = scan_jpeg(doc, 0, 300);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->bytes, jpeg);
    EXPECT_EQ(found->width, 2300);
    EXPECT_FALSE(scan_jpeg(doc, 0, 200));  // another resolution: rendered instead
    EXPECT_FALSE(scan_jpeg(doc, 1, 300));  // not a JPEG
  }
  DocumentOptions o = options();
  o.searchable_pdf = true;
  DocumentResult r = read({"jpeg-scan.pdf"}, o);
  ASSERT_EQ(r.pages.size(), 2u);
  EXPECT_LT(fx::cer(fx::joined(fx::kParagraph), r.pages[0].text()), 0.02);
  EXPECT_EQ(r.pages[0].width, 2300);
  EXPECT_EQ(r.pages[0].dpi, 300);
  // The output's first page image is the input JPEG, byte for byte.
  auto out = pdf::QpdfDocument::open(r.searchable_pdf);
  auto first = QPDFPageObjectHelper(out.pages().at(0)).getImages();
  ASSERT_EQ(first.size(), 1u);
  auto raw = first.begin()->second.getRawStreamData();
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(raw->getBuffer()), raw->getSize()), jpeg);
  auto text = fx::run({"pdftotext", r.searchable_pdf.string(), "-"});
  EXPECT_NE(text.out.find("lossless page"), std::string::npos) << text.out;
  // A born-digital page has no scan JPEG.
  core::atomic_write_file(file("digital.pdf"),
                          fixtures::make_text_pdf({fixtures::FixturePage::lines({"Text"})}));
  EXPECT_FALSE(scan_jpeg(pdf::QpdfDocument::open(file("digital.pdf")), 0, 300));
}

TEST_F(OcrDocumentReader, LowResolutionScansAreRenderedAt300Dpi) {
  fx::text_page(file("scan200.png"), {"A page scanned at two hundred dots per inch."},
                {.width = 1550, .height = 500, .dpi = 200});
  fx::images_to_pdf({file("scan200.png")}, file("scan200.pdf"));
  DocumentOptions o = options();
  DocumentResult r = read({"scan200.pdf"}, o);
  EXPECT_EQ(r.pages[0].dpi, 300);
  EXPECT_NEAR(r.pages[0].width, 2325, 2);  // 1550 px at 200 dpi = 7.75 in
  EXPECT_LT(fx::cer("A page scanned at two hundred dots per inch.", r.pages[0].text()), 0.03);
  o.pdf_dpi = 150;  // the request's dpi
  EXPECT_NEAR(read({"scan200.pdf"}, o).pages[0].width, 1163, 2);
}

TEST_F(OcrDocumentReader, MixedInputsKeepTheirOrder) {
  fx::text_page(file("a.png"), {"Alpha page with some words."});
  fx::text_page(file("b.png"), {"Bravo page with other words."});
  fx::text_page(file("c.png"), {"Charlie page closes the set."});
  fx::run(image_fixtures::magick({file("b.png").string(), file("c.png").string()}, file("bc.tif"),
                                 image_fixtures::Pixels::kGray8));
  fx::text_page(file("d.jpg"), {"Delta page is a photo."});
  DocumentOptions o = options();
  o.searchable_pdf = true;
  DocumentResult r = read({"a.png", "bc.tif", "d.jpg"}, o);
  ASSERT_EQ(r.pages.size(), 4u);
  const char* firsts[] = {"Alpha", "Bravo", "Charlie", "Delta"};
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(r.pages[i].text().rfind(firsts[i], 0), 0u) << r.pages[i].text();
  auto text = fx::run({"pdftotext", r.searchable_pdf.string(), "-"});
  EXPECT_LT(text.out.find("Alpha"), text.out.find("Bravo"));
  EXPECT_LT(text.out.find("Charlie"), text.out.find("Delta"));

  // One page alone, numbered as in the whole job.
  o.only_page = 3;
  DocumentResult one = read({"a.png", "bc.tif", "d.jpg"}, o);
  ASSERT_EQ(one.pages.size(), 1u);
  EXPECT_EQ(one.page_numbers[0], 3);
  EXPECT_EQ(one.total_pages, 4);
  EXPECT_EQ(one.pages[0].text().rfind("Charlie", 0), 0u);
  o.only_page = 9;
  EXPECT_EQ(error_of({"a.png"}, o).code(), "INVALID_REQUEST");
}

TEST_F(OcrDocumentReader, ReadersAreKeptBetweenJobs) {
  fx::text_page(file("a.png"), {"Alpha page with some words."});
  fx::text_page(file("b.png"), {"Bravo page with other words."});
  ReaderPool pool;
  DocumentOptions o = options();
  o.readers = &pool;
  EXPECT_EQ(read({"a.png", "b.png"}, o).pages[1].text(), "Bravo page with other words.");
  EXPECT_EQ(pool.idle(), 2u);  // one per thread
  EXPECT_EQ(read({"b.png"}, o).pages[0].text(), "Bravo page with other words.");
  EXPECT_EQ(pool.idle(), 2u);
  // A job that fails does not hand its reader back.
  core::atomic_write_file(file("cut.png"), fx::read_all(file("a.png")).substr(0, 3000));
  EXPECT_EQ(error_of({"cut.png"}, o).code(), "INVALID_IMAGE");
  EXPECT_EQ(pool.idle(), 1u);
}

TEST_F(OcrDocumentReader, CancellingStopsTheJob) {
  for (const char* n : {"1.png", "2.png", "3.png", "4.png"}) fx::text_page(file(n), {"Some text."});
  DocumentOptions o = options();
  o.threads = 1;
  std::vector<DocumentInput> in;
  for (const char* n : {"1.png", "2.png", "3.png", "4.png"}) in.push_back({file(n), n});
  struct Stop {};
  EXPECT_THROW(read_documents(in, o,
                              [](int done, int) {
                                if (done >= 1) throw Stop{};
                              }),
               Stop);
}

TEST_F(OcrDocumentReader, RefusedInputs) {
  core::atomic_write_file(file("plain.pdf"),
                          fixtures::make_text_pdf({fixtures::FixturePage::lines({"secret text"})}));
  fx::run({"qpdf", "--encrypt", "user", "owner", "256", "--", file("plain.pdf").string(),
           file("locked.pdf").string()});
  DocumentOptions o = options();
  core::Error locked = error_of({"locked.pdf"}, o);
  EXPECT_EQ(locked.status(), 400);
  EXPECT_EQ(locked.code(), "PDF_PASSWORD_REQUIRED");
  o.password = "user";
  DocumentResult opened = read({"locked.pdf"}, o);
  EXPECT_EQ(opened.pages[0].source, "ocr");  // 10 letters: below the text-layer minimum

  core::atomic_write_file(file("notes.docx"), "PK\x03\x04 not an image");
  core::Error foreign = error_of({"notes.docx"}, options());
  EXPECT_EQ(foreign.status(), 400);
  EXPECT_EQ(foreign.code(), "UNSUPPORTED_FORMAT");

  core::atomic_write_file(file("broken.pdf"), "%PDF-1.7\n1 0 obj << >> garbage");
  EXPECT_EQ(error_of({"broken.pdf"}, options()).status(), 400);

  fixtures::FixturePage huge =
      fixtures::FixturePage::lines({"A very large poster page here"}, 14400, 14400);
  core::atomic_write_file(file("poster.pdf"), fixtures::make_text_pdf({huge}));
  DocumentOptions small = options();
  small.force_ocr = true;
  core::Error big = error_of({"poster.pdf"}, small);
  EXPECT_EQ(big.status(), 413);
  EXPECT_EQ(big.code(), "INPUT_TOO_LARGE");
}

}  // namespace
}  // namespace paperd::engines::ocr
