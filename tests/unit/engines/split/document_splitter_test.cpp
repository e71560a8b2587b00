// AI split on PDFs made of several small documents with known boundaries: page-number markers,
// a new invoice, a blank separator page, a separator QR code, scanned pages read by OCR; outputs
// checked with qpdf.
#include "engines/split/document_splitter.h"

#include <gtest/gtest.h>
#include <png.h>

#include "../pdf/pdf_text_fixture.h"
#include "core/fs.h"
#include "core/subprocess.h"
#include "engines/ocr/language.h"
#include "engines/split/date_finder.h"
#include "engines/split/document_classifier.h"
#include "engines/split/page_signals.h"
#include "engines/split/scan_reader.h"
#include "scan_fixtures.h"

using namespace paperd;
using namespace paperd::engines::split;
using fixtures::FixturePage;

namespace {

FixturePage letter_page(int n, int of) {
  std::vector<std::string> lines = {"ACME Corporation", "42 Main Street, 12345 Springfield",
                                    "Phone 555-0100",   "",
                                    "March 3, 2024",    ""};
  if (n == 1) {
    lines.push_back("Dear Mr. Smith,");
    lines.push_back("thank you for your letter. We are glad to help.");
  } else {
    lines.push_back("As discussed we will call you next week.");
    lines.push_back("Kind regards, Jane Doe");
  }
  auto p = FixturePage::lines(lines);
  p.items.push_back({280, 760, "Page " + std::to_string(n) + " of " + std::to_string(of), 9});
  return p;
}

FixturePage invoice_page() {
  return FixturePage::lines({"Globex GmbH", "Hauptstrasse 5, 10115 Berlin", "", "INVOICE",
                             "Invoice No: INV-1001", "Date: 15.04.2024", "",
                             "Consulting services 1,200.00", "Amount due: 1,428.00 EUR",
                             "IBAN DE89 3704 0044 0532 0130 00"});
}

FixturePage delivery_page(int n, int of) {
  auto p = FixturePage::lines({"Initech AG", "Industrieweg 9, 80331 Muenchen", "", "Lieferschein",
                               "Datum: 02.05.2024", "Lieferung an: Smith"});
  p.items.push_back({280, 760, "Seite " + std::to_string(n) + " von " + std::to_string(of), 9});
  return p;
}

class DocumentSplitterTest : public ::testing::Test {
 protected:
  core::TempDir dir{std::filesystem::temp_directory_path(), "split-"};
};

}  // namespace

TEST_F(DocumentSplitterTest, ThreeDocumentsAndABlankSeparator) {
  auto pdf = dir.path() / "batch.pdf";
  fixtures::write_file(
      pdf, fixtures::make_text_pdf({letter_page(1, 2), letter_page(2, 2), invoice_page(),
                                    FixturePage{}, delivery_page(1, 2), delivery_page(2, 2)}));
  SplitPlan plan = plan_split(pdf, {});
  ASSERT_EQ(plan.documents.size(), 3u);
  const auto& a = plan.documents[0];
  const auto& b = plan.documents[1];
  const auto& c = plan.documents[2];
  EXPECT_EQ(a.page_range, "1-2");
  EXPECT_EQ(a.pages, (std::vector<int>{1, 2}));
  EXPECT_EQ(a.document_type, "letter");
  EXPECT_EQ(a.date, "2024-03-03");
  EXPECT_EQ(a.sender.substr(0, 16), "ACME Corporation");
  EXPECT_EQ(b.page_range, "3");
  EXPECT_EQ(b.document_type, "invoice");
  EXPECT_EQ(b.invoice_number, "INV-1001");
  EXPECT_EQ(b.date, "2024-04-15");
  EXPECT_EQ(b.suggested_filename, "2024-04-15_invoice_inv-1001_globex-gmbh.pdf");
  EXPECT_NE(b.reasoning.find("page 2 was the last page"), std::string::npos) << b.reasoning;
  EXPECT_EQ(c.page_range, "5-6");
  EXPECT_EQ(c.document_type, "delivery_note");
  EXPECT_EQ(c.date, "2024-05-02");
  EXPECT_NE(c.reasoning.find("separator on page 4 (blank page)"), std::string::npos) << c.reasoning;
  ASSERT_EQ(plan.separator_pages.size(), 1u);
  EXPECT_EQ(plan.separator_pages[0].page, 4);

  auto out = dir.path() / "out";
  std::filesystem::create_directories(out);
  auto files = write_documents(pdf, "", 5000, plan, out, "batch.pdf");
  ASSERT_EQ(files.size(), 3u);
  const int expected_pages[] = {2, 1, 2};
  for (size_t i = 0; i < files.size(); ++i) {
    auto check = core::run_process({.argv = {"qpdf", "--check", files[i].string()}});
    EXPECT_TRUE(check.ok()) << check.out << check.err;
    auto n = core::run_process({.argv = {"qpdf", "--show-npages", files[i].string()}});
    EXPECT_EQ(std::stoi(n.out), expected_pages[i]);
  }
  auto t = core::run_process({.argv = {"pdftotext", files[1].string(), "-"}});
  EXPECT_NE(t.out.find("INV-1001"), std::string::npos);
}

TEST_F(DocumentSplitterTest, NewInvoiceNumberWithoutMarkers) {
  auto inv = [](const std::string& no, const std::string& item) {
    return FixturePage::lines({"Globex GmbH", "Hauptstrasse 5, 10115 Berlin", "Invoice",
                               "Invoice No: " + no, "Date: 15.04.2024", item});
  };
  auto cont = FixturePage::lines({"Further items", "Hosting 10.00", "Total 20.00"});
  auto pdf = dir.path() / "inv.pdf";
  fixtures::write_file(
      pdf, fixtures::make_text_pdf({inv("A-100", "Item one"), cont, inv("A-101", "Item two")}));
  SplitPlan plan = plan_split(pdf, {});
  ASSERT_EQ(plan.documents.size(), 2u);
  EXPECT_EQ(plan.documents[0].page_range, "1-2");
  EXPECT_EQ(plan.documents[1].page_range, "3");
  EXPECT_NE(plan.documents[1].reasoning.find("new invoice number A-101"), std::string::npos)
      << plan.documents[1].reasoning;
}

TEST_F(DocumentSplitterTest, SeparatorQrCodeAndScannedPages) {
  auto qr = dir.path() / "qr.png";
  auto r = core::run_process({.argv = {"qrencode", "-s", "8", "-o", qr.string(), "PATCHT"}});
  if (!r.ok()) GTEST_SKIP() << "qrencode is not installed";
  png_image img{};
  img.version = PNG_IMAGE_VERSION;
  ASSERT_TRUE(png_image_begin_read_from_file(&img, qr.c_str()));
  img.format = PNG_FORMAT_GRAY;
  std::string qr_px(PNG_IMAGE_SIZE(img), '\0');
  ASSERT_TRUE(png_image_finish_read(&img, nullptr, qr_px.data(), 0, nullptr));
  // A separator sheet carrying only the QR code, 2 in wide.
  FixturePage sheet;
  sheet.images.push_back(
      {200, 200, 144, 144, static_cast<int>(img.width), static_cast<int>(img.height), qr_px});
  // A "scan": a picture of a page with a dark bar and no text layer.
  FixturePage scan;
  std::string px(300 * 400, '\xFF');
  for (int y = 50; y < 70; ++y)
    for (int x = 50; x < 250; ++x) px[y * 300 + x] = 0;
  scan.images.push_back({0, 0, 612, 792, 300, 400, px});
  auto all = dir.path() / "all.pdf";
  fixtures::write_file(all,
                       fixtures::make_text_pdf({letter_page(1, 1), scan, sheet, invoice_page()}));
  SplitPlan plan = plan_split(all, {});
  ASSERT_EQ(plan.documents.size(), 2u);
  EXPECT_EQ(plan.documents[0].page_range, "1-2");
  EXPECT_EQ(plan.documents[1].page_range, "4");
  ASSERT_EQ(plan.separator_pages.size(), 1u);
  EXPECT_NE(plan.separator_pages[0].reason.find("PATCHT"), std::string::npos);
  EXPECT_EQ(plan.pages_without_text, std::vector<int>{2});
  EXPECT_NE(plan.documents[0].reasoning.find("no text layer"), std::string::npos)
      << plan.documents[0].reasoning;
}

engines::ocr::DocumentOptions scan_ocr(const std::filesystem::path& work) {
  engines::ocr::DocumentOptions o;
  o.tessdata = engines::ocr::default_tessdata_dir();
  o.page.installed = engines::ocr::installed_languages(o.tessdata);
  o.page.language = "eng";
  o.threads = 2;
  o.work_dir = work;
  return o;
}

TEST_F(DocumentSplitterTest, ScannedDocumentsAreReadByOcr) {
  auto scans = dir.path() / "scans.pdf";
  split_fixtures::scanned_invoices(dir.path(), scans);
  // Born-digital pages after the scans: their text layer is read, never OCR.
  auto digital = dir.path() / "digital.pdf";
  fixtures::write_file(digital, fixtures::make_text_pdf({letter_page(1, 2), letter_page(2, 2)}));
  auto batch = dir.path() / "batch.pdf";
  ocr_fixtures::run(
      {"qpdf", "--empty", "--pages", scans.string(), digital.string(), "--", batch.string()});

  SplitOptions without;
  SplitPlan unread = plan_split(batch, without);
  EXPECT_EQ(unread.pages_without_text, (std::vector<int>{1, 2, 3}));
  ASSERT_EQ(unread.documents.size(), 2u);
  EXPECT_EQ(unread.documents[0].page_range, "1-3");  // the scans cannot be told apart

  SplitOptions with;
  with.ocr = scan_ocr(dir.path() / "ocr");
  std::vector<std::pair<int, int>> progress;
  SplitPlan plan =
      plan_split(batch, with, [&](int done, int total) { progress.emplace_back(done, total); });
  EXPECT_EQ(plan.pages_read_by_ocr, (std::vector<int>{1, 2, 3}));
  EXPECT_TRUE(plan.pages_without_text.empty());
  ASSERT_EQ(plan.documents.size(), 3u);
  EXPECT_EQ(plan.documents[0].page_range, "1-2");
  EXPECT_EQ(plan.documents[0].document_type, "invoice");
  EXPECT_EQ(plan.documents[0].invoice_number, "INV-1001");
  EXPECT_EQ(plan.documents[0].date, "2024-03-03");
  EXPECT_EQ(plan.documents[0].sender.substr(0, 16), "ACME Corporation");
  EXPECT_NE(plan.documents[0].reasoning.find("pages 1, 2 read by OCR"), std::string::npos)
      << plan.documents[0].reasoning;
  EXPECT_EQ(plan.documents[1].page_range, "3");
  EXPECT_EQ(plan.documents[1].invoice_number, "INV-1002");
  EXPECT_EQ(plan.documents[2].page_range, "4-5");
  EXPECT_EQ(plan.documents[2].document_type, "letter");
  EXPECT_EQ(plan.documents[2].reasoning.find("OCR"), std::string::npos)
      << plan.documents[2].reasoning;
  // Progress only grows and ends with every page's evidence complete.
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back(), std::make_pair(5, 5));
  for (size_t i = 1; i < progress.size(); ++i) EXPECT_GE(progress[i].first, progress[i - 1].first);
  // The scratch copies of the scans are gone.
  EXPECT_TRUE(std::filesystem::is_empty(dir.path() / "ocr"));
}

TEST(SplitScanReader, OcrBoxesBecomeUprightPoints) {
  // A 600 x 300 px image at 300 dpi (2 x 1 in), read after a quarter turn clockwise: upright
  // it is 1 x 2 in, and a word at the image's left edge ends up at the upright page's top.
  engines::ocr::PageResult page;
  page.width = 600;
  page.height = 300;
  page.dpi = 300;
  page.rotation_applied = 90;
  engines::ocr::OcrLine line{
      "Invoice", {0, 100, 60, 200}, 0.9, {{"Invoice", {0, 100, 60, 200}, 0.9}}};
  page.blocks.push_back({{0, 100, 60, 200}, engines::ocr::BlockKind::kText, {line}});
  auto text = upright_text_layer(page);
  EXPECT_DOUBLE_EQ(text.width, 72);
  EXPECT_DOUBLE_EQ(text.height, 144);
  ASSERT_EQ(text.blocks.size(), 1u);
  ASSERT_EQ(text.blocks[0].lines.size(), 1u);
  const auto& w = text.blocks[0].lines[0].words.at(0);
  EXPECT_EQ(w.text, "Invoice");
  // Upright: x = H - bottom = 0, y = x = 0, w = 200 px, h = 60 px; at 300 dpi -> points.
  EXPECT_DOUBLE_EQ(w.box.x0, 0);
  EXPECT_DOUBLE_EQ(w.box.y0, 0);
  EXPECT_DOUBLE_EQ(w.box.x1, 200 * 72.0 / 300);
  EXPECT_DOUBLE_EQ(w.box.y1, 60 * 72.0 / 300);
  EXPECT_EQ(text.plain, "Invoice");

  page.rotation_applied = 180;
  auto flipped = upright_text_layer(page);
  const auto& f = flipped.blocks[0].lines[0].words.at(0);
  EXPECT_DOUBLE_EQ(f.box.x0, (600 - 60) * 72.0 / 300);
  EXPECT_DOUBLE_EQ(f.box.y0, 0);
}

TEST(SplitSignals, MarkersInvoiceNumbersDates) {
  EXPECT_EQ(find_page_marker("foo\nPage 2 of 3\n")->page, 2);
  EXPECT_EQ(find_page_marker("Seite 1 von 4")->of, 4);
  EXPECT_EQ(find_page_marker("text\n- 3 / 5 -\n")->page, 3);
  EXPECT_FALSE(find_page_marker("ratio 3/5 of the cost"));
  EXPECT_FALSE(find_page_marker("Page 4 of 2"));
  EXPECT_EQ(find_invoice_number("Rechnungsnummer: RE-2024/17"), "RE-2024/17");
  EXPECT_EQ(find_invoice_number("Invoice #4711"), "4711");
  EXPECT_EQ(find_invoice_number("Invoice date: 12.03.2024"), "");
  auto dates = find_dates("Berlin, 15. März 2024 and 2024-01-02, due 03/15/2024 or 31/01/24");
  std::vector<std::string> iso;
  for (const auto& d : dates) iso.push_back(d.iso);
  EXPECT_EQ(iso,
            (std::vector<std::string>{"2024-03-15", "2024-01-02", "2024-03-15", "2024-01-31"}));
  EXPECT_TRUE(find_dates("31.02.2024").empty());
  EXPECT_EQ(classify_document("Lieferschein", "").type, "delivery_note");
  EXPECT_EQ(classify_document("", "Dear Sir, ... Kind regards").type, "letter");
  EXPECT_EQ(classify_document("", "the weather is nice in August").type, "unknown");
}
