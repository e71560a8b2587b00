// API tests of the MuPDF-side PDF tools against a real `paperd serve`: pdf_convert to images,
// office formats, text, HTML and PDF/A, paperoffice_dataripper___pdf2office, pdf_ai_split (also
// on scanned pages, read by OCR), and the error answers for bad PDFs, passwords, formats and pixel
// limits.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "../unit/engines/office/ooxml_reader.h"
#include "../unit/engines/pdf/pdf_text_fixture.h"
#include "../unit/engines/split/scan_fixtures.h"
#include "core/fs.h"
#include "core/subprocess.h"
#include "server.h"

using namespace paperd::testing;
using paperd::Json;
namespace fixtures = paperd::fixtures;
namespace core = paperd::core;
using fixtures::FixturePage;

namespace {

PaperdServer& server() {
  static PaperdServer s;
  return s;
}

std::string sample_pdf() {
  FixturePage p1 = FixturePage::lines({"Quarterly report", "Revenue grew in all regions."});
  FixturePage p2;
  p2.items = {{72, 72, "Price list", 16}};
  double y = 110;
  for (auto row : std::vector<std::vector<std::string>>{
           {"Item", "Qty", "Price"}, {"Apples", "3", "1.50"}, {"Pears", "12", "0.75"}}) {
    p2.items.push_back({72, y, row[0]});
    p2.items.push_back({260, y, row[1]});
    p2.items.push_back({400, y, row[2]});
    y += 18;
  }
  FixturePage p3 = FixturePage::lines({"Appendix"}, 300, 400);
  return fixtures::make_text_pdf({p1, p2, p3});
}

httplib::Result post(httplib::Client& c, const std::string& pipeline,
                     std::initializer_list<std::pair<std::string, std::string>> fields,
                     const std::string& pdf, const std::string& name = "report.pdf") {
  auto items = form(fields);
  items.push_back({"priority", "999", "", ""});
  items.push_back(file_part("file", name, pdf, "application/pdf"));
  return c.Post("/latest/job/add/" + pipeline, items);
}

std::string download(const std::string& url) {
  auto r = server().client(server().system_key())->Get(url.substr(url.find("/latest")));
  EXPECT_EQ(r->status, 200) << url;
  return r->body;
}

std::pair<int, int> png_size(const std::string& png) {
  auto be32 = [&](size_t at) {
    return (static_cast<unsigned char>(png[at]) << 24) |
           (static_cast<unsigned char>(png[at + 1]) << 16) |
           (static_cast<unsigned char>(png[at + 2]) << 8) | static_cast<unsigned char>(png[at + 3]);
  };
  EXPECT_EQ(png.substr(1, 3), "PNG");
  return {be32(16), be32(20)};
}

class PdfRenderApi : public ::testing::Test {
 protected:
  core::TempDir dir{std::filesystem::temp_directory_path(), "pdfapi-"};
  std::filesystem::path save(const std::string& name, const std::string& bytes) {
    auto p = dir.path() / name;
    fixtures::write_file(p, bytes);
    return p;
  }
};

}  // namespace

TEST_F(PdfRenderApi, ConvertToImages) {
  auto c = server().client(server().system_key());
  auto r =
      post(*c, "workflow",
           {{"template", "pdf_convert"}, {"target_format", "png"}, {"pages", "1-2"}}, sample_pdf());
  ASSERT_EQ(r->status, 200) << r->body;
  Json j = body_json(r);
  EXPECT_EQ(j["operation"], "pdf_convert");
  Json res = j["result"];
  ASSERT_EQ(res["files"].size(), 2u);
  EXPECT_EQ(res["pages"][0]["width"], 1275);
  EXPECT_EQ(res["pages"][0]["height"], 1650);
  EXPECT_EQ(res["pages"][1]["page"], 2);
  EXPECT_EQ(png_size(download(res["files"][0])), std::make_pair(1275, 1650));

  auto jpg = post(*c, "workflow",
                  {{"template", "pdf_convert"},
                   {"target_format", "jpg"},
                   {"dpi", "72"},
                   {"pages", "3"},
                   {"quality", "70"}},
                  sample_pdf());
  ASSERT_EQ(jpg->status, 200) << jpg->body;
  Json jr = body_json(jpg)["result"];
  ASSERT_EQ(jr["files"].size(), 1u);
  EXPECT_EQ(jr["pages"][0]["width"], 300);
  std::string bytes = download(jr["files"][0]);
  EXPECT_EQ(bytes.substr(0, 3), "\xFF\xD8\xFF");
  auto id = core::run_process({.argv = {"identify", save("p3.jpg", bytes).string()}});
  if (id.ok()) EXPECT_NE(id.out.find("300x400"), std::string::npos) << id.out;

  auto webp =
      post(*c, "workflow", {{"template", "pdf_convert"}, {"target_format", "webp"}, {"pages", "3"}},
           sample_pdf());
  ASSERT_EQ(webp->status, 200) << webp->body;
  std::string wb = download(body_json(webp)["result"]["files"][0]);
  EXPECT_EQ(wb.substr(0, 4), "RIFF");
  EXPECT_EQ(wb.substr(8, 4), "WEBP");
}

TEST_F(PdfRenderApi, ConvertToOfficeTextAndHtml) {
  auto c = server().client(server().system_key());
  auto docx = post(*c, "paperoffice_dataripper___pdf2office", {}, sample_pdf());
  ASSERT_EQ(docx->status, 200) << docx->body;
  EXPECT_EQ(body_json(docx)["operation"], "pdf2office");
  auto docx_file = save("out.docx", download(body_json(docx)["result"]["files"][0]));
  std::string text =
      fixtures::xml_texts(*fixtures::zip_part(docx_file, "word/document.xml"), "w:t");
  EXPECT_LT(text.find("Quarterly report"), text.find("Price list"));
  EXPECT_LT(text.find("Price list"), text.find("Appendix"));

  auto xlsx =
      post(*c, "workflow", {{"template", "pdf_convert"}, {"target_format", "xlsx"}}, sample_pdf());
  ASSERT_EQ(xlsx->status, 200) << xlsx->body;
  auto cells =
      fixtures::xlsx_cells(save("out.xlsx", download(body_json(xlsx)["result"]["files"][0])), 2);
  EXPECT_EQ(cells["A2"], "Item");
  EXPECT_EQ(cells["C2"], "Price");
  EXPECT_EQ(cells["A4"], "Pears");
  EXPECT_EQ(cells["B4"], "12");

  auto pptx = post(*c, "paperoffice_dataripper___pdf2office", {{"format", "pptx"}}, sample_pdf());
  ASSERT_EQ(pptx->status, 200) << pptx->body;
  auto pptx_file = save("out.pptx", download(body_json(pptx)["result"]["files"][0]));
  EXPECT_NE(fixtures::xml_texts(*fixtures::zip_part(pptx_file, "ppt/slides/slide3.xml"), "a:t")
                .find("Appendix"),
            std::string::npos);

  auto txt =
      post(*c, "workflow", {{"template", "pdf_convert"}, {"target_format", "txt"}}, sample_pdf());
  ASSERT_EQ(txt->status, 200) << txt->body;
  std::string t = download(body_json(txt)["result"]["files"][0]);
  EXPECT_EQ(std::count(t.begin(), t.end(), '\f'), 2);
  EXPECT_LT(t.find("Quarterly report"), t.find("\f"));

  auto html =
      post(*c, "workflow", {{"template", "pdf_convert"}, {"target_format", "html"}}, sample_pdf());
  ASSERT_EQ(html->status, 200) << html->body;
  std::string h = download(body_json(html)["result"]["files"][0]);
  EXPECT_NE(h.find("<html"), std::string::npos);
  EXPECT_NE(h.find("Revenue grew in all regions."), std::string::npos);
}

TEST_F(PdfRenderApi, ConvertToPdfA) {
  auto c = server().client(server().system_key());
  auto r =
      post(*c, "workflow", {{"template", "pdf_convert"}, {"target_format", "pdfa"}}, sample_pdf());
  ASSERT_EQ(r->status, 200) << r->body;
  auto out = save("a.pdf", download(body_json(r)["result"]["files"][0]));
  auto check = core::run_process({.argv = {"qpdf", "--check", out.string()}});
  EXPECT_TRUE(check.ok()) << check.out;
  auto qdf = dir.path() / "a.qdf.pdf";
  ASSERT_TRUE(core::run_process({.argv = {"qpdf", "--qdf", "--object-streams=disable", out.string(),
                                          qdf.string()}})
                  .ok());
  std::string raw = core::read_file(qdf);
  EXPECT_NE(raw.find("/OutputIntents"), std::string::npos);
  EXPECT_NE(raw.find("pdfaid:part"), std::string::npos);
}

TEST_F(PdfRenderApi, AiSplit) {
  auto page = [](std::vector<std::string> lines, const std::string& footer) {
    auto p = FixturePage::lines(lines);
    if (!footer.empty()) p.items.push_back({280, 760, footer, 9});
    return p;
  };
  std::string batch = fixtures::make_text_pdf(
      {page({"ACME Corporation", "42 Main Street, 12345 Springfield", "March 3, 2024",
             "Dear Mr. Smith,"},
            "Page 1 of 2"),
       page({"We will call you next week.", "Kind regards"}, "Page 2 of 2"),
       page({"Globex GmbH", "Hauptstrasse 5, 10115 Berlin", "INVOICE", "Invoice No: INV-1001",
             "Date: 15.04.2024", "Amount due: 1,428.00 EUR"},
            ""),
       page({"Globex GmbH", "Hauptstrasse 5, 10115 Berlin", "INVOICE", "Invoice No: INV-1002",
             "Date: 16.04.2024", "Amount due: 99.00 EUR"},
            "")});
  auto c = server().client(server().system_key());
  auto r = post(*c, "workflow", {{"template", "pdf_ai_split"}}, batch, "batch.pdf");
  ASSERT_EQ(r->status, 200) << r->body;
  Json res = body_json(r)["result"];
  ASSERT_EQ(res["documents"].size(), 3u) << res.dump(2);
  EXPECT_EQ(res["documents"][0]["page_range"], "1-2");
  EXPECT_EQ(res["documents"][0]["document_type"], "letter");
  EXPECT_EQ(res["documents"][1]["page_range"], "3");
  EXPECT_EQ(res["documents"][1]["document_type"], "invoice");
  EXPECT_EQ(res["documents"][1]["date"], "2024-04-15");
  EXPECT_EQ(res["documents"][2]["pages"], Json::array({4}));
  EXPECT_FALSE(res["documents"][2]["reasoning"].get<std::string>().empty());
  ASSERT_EQ(res["files"].size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    auto f = save("part" + std::to_string(i) + ".pdf", download(res["files"][i]));
    auto check = core::run_process({.argv = {"qpdf", "--check", f.string()}});
    EXPECT_TRUE(check.ok()) << check.out;
  }
}

TEST_F(PdfRenderApi, AiSplitReadsScannedPages) {
  // Pages 1-3: scans (no text layer) of invoice INV-1001 (2 pages) and INV-1002; pages 4-5: a
  // born-digital letter, which keeps its text layer and is not OCR'd.
  auto scans = dir.path() / "scans.pdf";
  paperd::split_fixtures::scanned_invoices(dir.path(), scans);
  auto letter =
      save("letter.pdf",
           fixtures::make_text_pdf(
               {FixturePage::lines({"Initech Ltd", "7 Harbour Road, Portsmouth", "May 2, 2024",
                                    "Dear Mr. Smith,"}),
                FixturePage::lines({"We will call you next week.", "Kind regards, Jane Doe"})}));
  auto batch = dir.path() / "batch.pdf";
  ASSERT_TRUE(core::run_process({.argv = {"qpdf", "--empty", "--pages", scans.string(),
                                          letter.string(), "--", batch.string()}})
                  .ok());
  const std::string bytes = core::read_file(batch);
  auto c = server().client(server().system_key());

  auto r = post(*c, "workflow", {{"template", "pdf_ai_split"}}, bytes, "scanned.pdf");
  ASSERT_EQ(r->status, 200) << r->body;
  Json res = body_json(r)["result"];
  EXPECT_EQ(res["pages_read_by_ocr"], Json::array({1, 2, 3})) << res.dump(2);
  EXPECT_EQ(res["pages_without_text"], Json::array());
  ASSERT_EQ(res["documents"].size(), 3u) << res.dump(2);
  const Json& inv1 = res["documents"][0];
  EXPECT_EQ(inv1["page_range"], "1-2");
  EXPECT_EQ(inv1["document_type"], "invoice");
  EXPECT_EQ(inv1["invoice_number"], "INV-1001");
  EXPECT_EQ(inv1["date"], "2024-03-03");
  EXPECT_NE(inv1["reasoning"].get<std::string>().find("read by OCR"), std::string::npos)
      << inv1["reasoning"];
  const Json& inv2 = res["documents"][1];
  EXPECT_EQ(inv2["page_range"], "3");
  EXPECT_EQ(inv2["invoice_number"], "INV-1002");
  EXPECT_EQ(inv2["date"], "2024-04-15");
  EXPECT_EQ(res["documents"][2]["page_range"], "4-5");
  EXPECT_EQ(res["documents"][2]["document_type"], "letter");
  ASSERT_EQ(res["files"].size(), 3u);
  const int pages[] = {2, 1, 2};
  for (size_t i = 0; i < 3; ++i) {
    auto f = save("scan_part" + std::to_string(i) + ".pdf", download(res["files"][i]));
    auto n = core::run_process({.argv = {"qpdf", "--show-npages", f.string()}});
    ASSERT_TRUE(n.ok()) << n.err;
    EXPECT_EQ(std::stoi(n.out), pages[i]) << i;
  }

  // ocr=false: the scans cannot be judged and stay together, as before.
  auto plain =
      post(*c, "workflow", {{"template", "pdf_ai_split"}, {"ocr", "false"}}, bytes, "scanned.pdf");
  ASSERT_EQ(plain->status, 200) << plain->body;
  Json unread = body_json(plain)["result"];
  EXPECT_EQ(unread["pages_without_text"], Json::array({1, 2, 3}));
  ASSERT_EQ(unread["documents"].size(), 2u) << unread.dump(2);
  EXPECT_EQ(unread["documents"][0]["page_range"], "1-3");

  auto bad_language = post(*c, "workflow", {{"template", "pdf_ai_split"}, {"language", "xx"}},
                           bytes, "scanned.pdf");
  EXPECT_EQ(bad_language->status, 400) << bad_language->body;
}

TEST_F(PdfRenderApi, BadInputAnswers) {
  auto c = server().client(server().system_key());
  auto code = [](const httplib::Result& r) { return body_json(r).value("code", ""); };

  auto not_pdf = post(*c, "workflow", {{"template", "pdf_convert"}, {"target_format", "png"}},
                      "just some text", "x.pdf");
  EXPECT_EQ(not_pdf->status, 400);
  EXPECT_EQ(code(not_pdf), "INVALID_PDF");

  auto src = save("plain.pdf", sample_pdf());
  auto enc = dir.path() / "enc.pdf";
  ASSERT_TRUE(core::run_process({.argv = {"qpdf", "--encrypt", "pw", "owner", "256", "--",
                                          src.string(), enc.string()}})
                  .ok());
  std::string enc_bytes = core::read_file(enc);
  auto locked =
      post(*c, "workflow", {{"template", "pdf_convert"}, {"target_format", "txt"}}, enc_bytes);
  EXPECT_EQ(locked->status, 400);
  EXPECT_EQ(code(locked), "PDF_PASSWORD_REQUIRED");
  auto unlocked =
      post(*c, "workflow",
           {{"template", "pdf_convert"}, {"target_format", "txt"}, {"password", "pw"}}, enc_bytes);
  EXPECT_EQ(unlocked->status, 200) << unlocked->body;

  auto unknown =
      post(*c, "workflow", {{"template", "pdf_convert"}, {"target_format", "bmp"}}, sample_pdf());
  EXPECT_EQ(unknown->status, 400);
  EXPECT_EQ(code(unknown), "INVALID_REQUEST");
  EXPECT_NE(body_json(unknown)["message"].get<std::string>().find("docx"), std::string::npos);

  auto bad_pages =
      post(*c, "workflow", {{"template", "pdf_convert"}, {"target_format", "png"}, {"pages", "9"}},
           sample_pdf());
  EXPECT_EQ(bad_pages->status, 400) << bad_pages->body;

  auto huge = fixtures::make_text_pdf({FixturePage::lines({"big"}, 20000 * 72.0, 20000 * 72.0)});
  auto too_big = post(*c, "workflow",
                      {{"template", "pdf_convert"}, {"target_format", "png"}, {"dpi", "10"}}, huge);
  EXPECT_EQ(too_big->status, 413) << too_big->body;
  EXPECT_EQ(code(too_big), "INPUT_TOO_LARGE");

  auto dpi =
      post(*c, "workflow", {{"template", "pdf_convert"}, {"target_format", "png"}, {"dpi", "2000"}},
           sample_pdf());
  EXPECT_EQ(dpi->status, 400);
  EXPECT_NE(body_json(dpi)["message"].get<std::string>().find("dpi"), std::string::npos);

  auto bad_office =
      post(*c, "paperoffice_dataripper___pdf2office", {{"target_format", "odt"}}, sample_pdf());
  EXPECT_EQ(bad_office->status, 400);
}
