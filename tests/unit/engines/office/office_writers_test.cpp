// The office writers on PDFs with known text: reading order in DOCX and PPTX, table cells in
// XLSX, and (one LibreOffice round trip) that all three files open in a real office suite.
#include <gtest/gtest.h>

#include "../pdf/pdf_text_fixture.h"
#include "core/fs.h"
#include "core/subprocess.h"
#include "engines/office/docx_writer.h"
#include "engines/office/page_layout.h"
#include "engines/office/pptx_writer.h"
#include "engines/office/xlsx_writer.h"
#include "engines/office/xml_text.h"
#include "ooxml_reader.h"

using namespace paperd;
using namespace paperd::engines;
using fixtures::FixturePage;
using fixtures::FixtureText;

namespace {

class OfficeWritersTest : public ::testing::Test {
 protected:
  core::TempDir dir{std::filesystem::temp_directory_path(), "office-"};

  std::vector<pdf::PageText> texts(const std::vector<FixturePage>& pages) {
    auto p = dir.path() / "in.pdf";
    fixtures::write_file(p, fixtures::make_text_pdf(pages));
    auto doc = pdf::Document::open(p);
    std::vector<pdf::PageText> out;
    for (int i = 0; i < doc.page_count(); ++i) out.push_back(doc.text(i));
    return out;
  }

  // A letter page, then an invoice page with a title, an aligned table and a closing line.
  std::vector<pdf::PageText> sample() {
    FixturePage letter = FixturePage::lines(
        {"ACME Corporation", "42 Main Street", "Springfield", "", "Dear customer,"});
    FixturePage invoice;
    invoice.items = {{72, 72, "Invoice 2024-17", 18}};
    double y = 120;
    for (const auto& row : std::vector<std::vector<std::string>>{{"Item", "Qty", "Price"},
                                                                 {"Apples", "3", "1.50"},
                                                                 {"Green pears", "12", "0.75"},
                                                                 {"Plums", "7", "1,200.00"}}) {
      invoice.items.push_back({72, y, row[0]});
      invoice.items.push_back({260, y, row[1]});
      invoice.items.push_back({400, y, row[2]});
      y += 18;
    }
    invoice.items.push_back({72, y + 40, "Thank you for your order"});
    return texts({letter, invoice});
  }
};

size_t pos(const std::string& hay, const std::string& needle) {
  size_t p = hay.find(needle);
  EXPECT_NE(p, std::string::npos) << "missing: " << needle << "\nin: " << hay;
  return p;
}

}  // namespace

TEST_F(OfficeWritersTest, DocxKeepsReadingOrderAndTables) {
  auto out = dir.path() / "out.docx";
  office::write_docx(sample(), out);
  auto xml = fixtures::zip_part(out, "word/document.xml");
  ASSERT_TRUE(xml);
  ASSERT_TRUE(fixtures::zip_part(out, "[Content_Types].xml"));
  std::string text = fixtures::xml_texts(*xml, "w:t");
  size_t a = pos(text, "ACME Corporation"), b = pos(text, "Springfield"),
         c = pos(text, "Dear customer,"), d = pos(text, "Invoice 2024-17"),
         e = pos(text, "Green pears"), f = pos(text, "Thank you for your order");
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
  EXPECT_LT(c, d);
  EXPECT_LT(d, e);
  EXPECT_LT(e, f);
  EXPECT_NE(xml->find("w:type=\"page\""), std::string::npos);
  EXPECT_NE(xml->find("<w:tbl>"), std::string::npos);
  EXPECT_EQ(std::count(xml->begin(), xml->end(), '\0'), 0);
  // The address block keeps its lines; the title is larger than the body text.
  EXPECT_NE(xml->find("ACME Corporation</w:t><w:br/>"), std::string::npos);
  auto size_before = [&](const std::string& text) {
    size_t at = xml->find(text), sz = xml->rfind("<w:sz w:val=\"", at);
    return std::stoi(xml->substr(sz + 13, 3));
  };
  EXPECT_GT(size_before("Invoice 2024-17"), size_before("Dear customer,") * 14 / 10);
  EXPECT_NEAR(size_before("Dear customer,"), 24, 3);
}

TEST_F(OfficeWritersTest, XlsxPutsTableInCells) {
  auto out = dir.path() / "out.xlsx";
  office::write_xlsx(sample(), out);
  auto p1 = fixtures::xlsx_cells(out, 1);
  EXPECT_EQ(p1["A1"], "ACME Corporation");
  EXPECT_EQ(p1["A4"], "Dear customer,");
  auto p2 = fixtures::xlsx_cells(out, 2);
  EXPECT_EQ(p2["A1"], "Invoice 2024-17");
  EXPECT_EQ(p2["A2"], "Item");
  EXPECT_EQ(p2["B2"], "Qty");
  EXPECT_EQ(p2["C2"], "Price");
  EXPECT_EQ(p2["A3"], "Apples");
  EXPECT_EQ(p2["B3"], "3");
  EXPECT_EQ(p2["C3"], "1.5");
  EXPECT_EQ(p2["A4"], "Green pears");
  EXPECT_EQ(p2["B4"], "12");
  EXPECT_EQ(p2["C5"], "1200");
  EXPECT_EQ(p2["A7"], "Thank you for your order");
  auto wb = fixtures::zip_part(out, "xl/workbook.xml");
  ASSERT_TRUE(wb);
  EXPECT_NE(wb->find("name=\"Page 2\""), std::string::npos);
}

TEST_F(OfficeWritersTest, PptxOneSlidePerPage) {
  auto out = dir.path() / "out.pptx";
  office::write_pptx(sample(), out);
  auto s1 = fixtures::zip_part(out, "ppt/slides/slide1.xml");
  auto s2 = fixtures::zip_part(out, "ppt/slides/slide2.xml");
  ASSERT_TRUE(s1 && s2);
  EXPECT_FALSE(fixtures::zip_part(out, "ppt/slides/slide3.xml"));
  std::string t1 = fixtures::xml_texts(*s1, "a:t");
  EXPECT_LT(pos(t1, "ACME Corporation"), pos(t1, "Dear customer,"));
  std::string t2 = fixtures::xml_texts(*s2, "a:t");
  EXPECT_LT(pos(t2, "Invoice 2024-17"), pos(t2, "Thank you for your order"));
  auto pres = fixtures::zip_part(out, "ppt/presentation.xml");
  EXPECT_NE(pres->find("<p:sldSz cx=\"7772400\" cy=\"10058400\"/>"), std::string::npos);
  // The title box sits at the page position of the title (x = 72 pt = 914400 EMU).
  EXPECT_NE(s2->find("<a:off x=\"914400\""), std::string::npos);
}

TEST_F(OfficeWritersTest, LibreOfficeOpensAllThree) {
  auto pages = sample();
  // Distinct base names: LibreOffice names each PDF after its input.
  office::write_docx(pages, dir.path() / "w.docx");
  office::write_xlsx(pages, dir.path() / "x.xlsx");
  office::write_pptx(pages, dir.path() / "p.pptx");
  auto outdir = dir.path() / "pdf";
  auto r = core::run_process(
      {.argv = {"soffice", "-env:UserInstallation=file://" + (dir.path() / "lo").string(),
                "--headless", "--convert-to", "pdf", "--outdir", outdir.string(),
                (dir.path() / "w.docx").string(), (dir.path() / "x.xlsx").string(),
                (dir.path() / "p.pptx").string()},
       .timeout_ms = 120000});
  ASSERT_TRUE(r.ok()) << r.err;
  for (const std::string base : {"w", "x", "p"}) {
    auto t = core::run_process({.argv = {"pdftotext", (outdir / (base + ".pdf")).string(), "-"}});
    ASSERT_TRUE(t.ok()) << base << ": " << t.err;
    EXPECT_NE(t.out.find("ACME Corporation"), std::string::npos) << base << ": " << t.out;
    EXPECT_NE(t.out.find("Green pears"), std::string::npos) << base << ": " << t.out;
  }
}

TEST(OfficeCellNumber, OnlyUnambiguousNumbers) {
  EXPECT_EQ(office::cell_number("1234"), 1234);
  EXPECT_EQ(office::cell_number("-12.50"), -12.5);
  EXPECT_EQ(office::cell_number("1,234.56"), 1234.56);
  EXPECT_EQ(office::cell_number("0.75"), 0.75);
  EXPECT_FALSE(office::cell_number("007"));
  EXPECT_FALSE(office::cell_number("1.234,56"));
  EXPECT_FALSE(office::cell_number("12,34"));
  EXPECT_FALSE(office::cell_number("$12"));
  EXPECT_FALSE(office::cell_number("DE89370400440532013000"));
  EXPECT_FALSE(office::cell_number("12."));
}

TEST(OfficeXml, EscapesAndCleans) {
  EXPECT_EQ(office::xml_escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
  EXPECT_EQ(office::xml_escape(std::string("x\x01y\x0Bz")), "xyz");
  EXPECT_EQ(office::xml_escape("\xC3\xA9t\xC3"), "\xC3\xA9t\xEF\xBF\xBD");
}

TEST_F(OfficeWritersTest, PlainTextKeepsParagraphs) {
  auto pages = sample();
  std::string t = office::page_plain_text(pages[0]);
  EXPECT_NE(t.find("ACME Corporation\n42 Main Street\nSpringfield\n\nDear customer,"),
            std::string::npos)
      << t;
}
