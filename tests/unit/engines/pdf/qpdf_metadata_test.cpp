// Metadata: Info dictionary and XMP written together, read back with pdfinfo and from the XMP
// stream; dates in ISO 8601 out and in; an existing XMP packet keeps what it had.
#include "engines/pdf/qpdf_metadata.h"

#include <gtest/gtest.h>

#include "engines/pdf/qpdf_document.h"
#include "engines/pdf/qpdf_xmp.h"
#include "qpdf_test_util.h"

using namespace paperd::qpdf_test;
namespace pdf = paperd::engines::pdf;

namespace {
// The XMP stream of a file, uncompressed, via qpdf.
std::string xmp_of(const fs::path& f) {
  Json j = qpdf_json(f, "qpdf");
  Json objects = j["qpdf"][1];
  std::string root = j["qpdf"][1]["trailer"]["value"]["/Root"];
  std::string meta = objects["obj:" + root]["value"]["/Metadata"];
  std::string out = tool({"qpdf", "--show-object=" + meta.substr(0, meta.find(' ')),
                          "--filtered-stream-data", f.string()})
                        .out;
  return out;
}
}  // namespace

TEST(QpdfMetadata, DatesConvert) {
  EXPECT_EQ(pdf::iso_to_pdf_date("2024-05-01T10:20:30+02:00", "d"), "D:20240501102030+02'00'");
  EXPECT_EQ(pdf::iso_to_pdf_date("2024-05-01T10:20:30Z", "d"), "D:20240501102030Z");
  EXPECT_EQ(pdf::iso_to_pdf_date("2024-05-01", "d"), "D:20240501");
  EXPECT_EQ(pdf::iso_to_pdf_date("2024-05-01T10:20:30.123-0530", "d"), "D:20240501102030-05'30'");
  EXPECT_EQ(pdf::pdf_date_to_iso("D:20240501102030+02'00'"), "2024-05-01T10:20:30+02:00");
  EXPECT_EQ(pdf::pdf_date_to_iso("D:20240501102030Z00'00'"), "2024-05-01T10:20:30Z");
  EXPECT_EQ(pdf::pdf_date_to_iso("D:2024"), "2024");
  EXPECT_EQ(pdf::pdf_date_to_iso("yesterday"), "");
  EXPECT_TRUE(throws_error([] { pdf::iso_to_pdf_date("01.05.2024", "creation_date"); }, 400,
                           "INVALID_REQUEST", "creation_date"));
  EXPECT_TRUE(throws_error([] { pdf::iso_to_pdf_date("2024-13-01", "mod_date"); }, 400,
                           "INVALID_REQUEST", "mod_date"));
}

TEST(QpdfMetadata, XmpUpdateKeepsOtherPropertiesAndReplacesManagedOnes) {
  const std::string packet =
      "<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?><x:xmpmeta xmlns:x='adobe:ns:meta/'>"
      "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
      "<rdf:Description rdf:about='' xmlns:pdfaid='http://www.aiim.org/pdfa/ns/id/' "
      "pdfaid:part='2' xmlns:pdf='http://ns.adobe.com/pdf/1.3/' pdf:Producer='Old &amp; Co'/>"
      "<rdf:Description rdf:about='' xmlns:dc='http://purl.org/dc/elements/1.1/'>"
      "<dc:title><rdf:Alt><rdf:li xml:lang='x-default'>Old title</rdf:li></rdf:Alt></dc:title>"
      "</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end='w'?>";
  auto before = pdf::xmp_read(packet);
  EXPECT_EQ(before["dc:title"], "Old title");
  EXPECT_EQ(before["pdf:Producer"], "Old & Co");
  std::string updated = pdf::xmp_update(packet, {{"dc:title", "New <title>"}});
  auto after = pdf::xmp_read(updated);
  EXPECT_EQ(after["dc:title"], "New <title>");
  EXPECT_EQ(after.count("pdf:Producer"), 0u);
  EXPECT_EQ(updated.find("Old title"), std::string::npos);
  EXPECT_NE(updated.find("pdfaid:part='2'"), std::string::npos);
  EXPECT_NE(updated.find("<?xpacket end='w'?>"), std::string::npos);
  EXPECT_NE(updated.find("New &lt;title&gt;"), std::string::npos);
}

TEST(QpdfMetadata, InfoAndXmpWrittenInSync) {
  TempFolder t;
  auto doc = pdf::QpdfDocument::open(text_pdf(t / "in.pdf", {"Body"}), {});
  pdf::update_metadata(doc.qpdf(),
                       {{"title", "Quarterly Report"},
                        {"author", "Jane Doe"},
                        {"subject", "Numbers"},
                        {"keywords", "finance, q3"},
                        {"creator", "paperd test"},
                        {"producer", "paperd"},
                        {"creation_date", "2024-05-01T10:20:30+02:00"}},
                       "2026-01-02T03:04:05Z");
  pdf::write_pdf(doc.qpdf(), t / "out.pdf", {}, "out");
  EXPECT_TRUE(qpdf_check(t / "out.pdf"));
  EXPECT_EQ(pdfinfo_field(t / "out.pdf", "Title"), "Quarterly Report");
  EXPECT_EQ(pdfinfo_field(t / "out.pdf", "Author"), "Jane Doe");
  EXPECT_EQ(pdfinfo_field(t / "out.pdf", "Subject"), "Numbers");
  EXPECT_EQ(pdfinfo_field(t / "out.pdf", "Keywords"), "finance, q3");
  EXPECT_EQ(pdfinfo_field(t / "out.pdf", "Creator"), "paperd test");
  EXPECT_EQ(pdfinfo_field(t / "out.pdf", "Producer"), "paperd");
  EXPECT_EQ(pdfinfo_field(t / "out.pdf", "CreationDate"), "2024-05-01T10:20:30+02");
  EXPECT_EQ(pdfinfo_field(t / "out.pdf", "ModDate"), "2026-01-02T03:04:05Z");

  std::string xmp = xmp_of(t / "out.pdf");
  EXPECT_NE(xmp.find("<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">Quarterly Report"),
            std::string::npos)
      << xmp;
  EXPECT_NE(xmp.find("<rdf:Seq><rdf:li>Jane Doe</rdf:li>"), std::string::npos);
  EXPECT_NE(xmp.find("<pdf:Keywords>finance, q3</pdf:Keywords>"), std::string::npos);
  EXPECT_NE(xmp.find("<xmp:CreatorTool>paperd test</xmp:CreatorTool>"), std::string::npos);
  EXPECT_NE(xmp.find("<xmp:CreateDate>2024-05-01T10:20:30+02:00</xmp:CreateDate>"),
            std::string::npos);
  EXPECT_NE(xmp.find("<xmp:ModifyDate>2026-01-02T03:04:05Z</xmp:ModifyDate>"), std::string::npos);
  // pdfinfo reads the XMP too.
  std::string meta = tool({"pdfinfo", "-meta", (t / "out.pdf").string()}).out;
  EXPECT_NE(meta.find("Quarterly Report"), std::string::npos);

  // Read back through the engine: both sources agree.
  auto back = pdf::QpdfDocument::open(t / "out.pdf", {});
  auto info = pdf::read_info(back.qpdf());
  auto x = pdf::read_xmp(back.qpdf());
  EXPECT_EQ(info, x);
  EXPECT_EQ(info["creation_date"], "2024-05-01T10:20:30+02:00");
}

TEST(QpdfMetadata, SecondEditChangesOneFieldAndRemovesAnother) {
  TempFolder t;
  auto doc = pdf::QpdfDocument::open(text_pdf(t / "in.pdf", {"Body"}), {});
  pdf::update_metadata(doc.qpdf(), {{"title", "First"}, {"author", "A"}}, "2026-01-01T00:00:00Z");
  pdf::write_pdf(doc.qpdf(), t / "one.pdf", {}, "one");
  auto again = pdf::QpdfDocument::open(t / "one.pdf", {});
  pdf::update_metadata(again.qpdf(), {{"title", "Second"}, {"author", ""}}, "2026-02-01T00:00:00Z");
  pdf::write_pdf(again.qpdf(), t / "two.pdf", {}, "two");
  EXPECT_TRUE(qpdf_check(t / "two.pdf"));
  EXPECT_EQ(pdfinfo_field(t / "two.pdf", "Title"), "Second");
  EXPECT_EQ(pdfinfo_field(t / "two.pdf", "Author"), "");
  std::string xmp = xmp_of(t / "two.pdf");
  EXPECT_EQ(xmp.find("First"), std::string::npos);
  EXPECT_EQ(xmp.find("dc:creator"), std::string::npos);
  EXPECT_NE(xmp.find("Second"), std::string::npos);
}
