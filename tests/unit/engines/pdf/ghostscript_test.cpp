// Ghostscript wrappers: PDF/A-2b with a real OutputIntent and pdfaid XMP; /ebook recompression;
// clear errors for bad input and presets.
#include "engines/pdf/ghostscript.h"

#include <gtest/gtest.h>

#include "qpdf_test_util.h"

using namespace paperd::qpdf_test;
namespace pdf = paperd::engines::pdf;

TEST(Ghostscript, PdfaHasOutputIntentAndPdfaidXmp) {
  TempFolder t;
  text_pdf(t / "in.pdf", {"Archive me"});
  pdf::ghostscript_pdfa(t / "in.pdf", t / "a.pdf", 60000);
  EXPECT_TRUE(qpdf_check(t / "a.pdf"));
  EXPECT_EQ(page_texts(t / "a.pdf"), (std::vector<std::string>{"Archive me"}));
  // Uncompressed view of the objects: the OutputIntent, its ICC stream and the XMP claim.
  std::string qdf =
      tool({"qpdf", "--qdf", "--object-streams=disable", (t / "a.pdf").string(), "-"}).out;
  EXPECT_NE(qdf.find("/S /GTS_PDFA1"), std::string::npos);
  EXPECT_NE(qdf.find("/OutputConditionIdentifier (sRGB)"), std::string::npos);
  EXPECT_NE(qdf.find("/DestOutputProfile"), std::string::npos);
  EXPECT_NE(qdf.find("pdfaid:part='2'"), std::string::npos);
  EXPECT_NE(qdf.find("pdfaid:conformance='B'"), std::string::npos);
  // The title of the shipped PDFA_def.ps ("Title") must not leak into the document.
  EXPECT_EQ(pdfinfo_field(t / "a.pdf", "Title"), "");
}

TEST(Ghostscript, CompressWithPreset) {
  TempFolder t;
  text_pdf(t / "in.pdf", {"Small"});
  pdf::ghostscript_compress(t / "in.pdf", t / "out.pdf", "ebook", 60000);
  EXPECT_TRUE(qpdf_check(t / "out.pdf"));
  EXPECT_EQ(page_texts(t / "out.pdf"), (std::vector<std::string>{"Small"}));
  EXPECT_TRUE(
      throws_error([&] { pdf::ghostscript_compress(t / "in.pdf", t / "x.pdf", "tiny", 60000); },
                   400, "INVALID_REQUEST", "tiny"));
}

TEST(Ghostscript, BadInputIsAClearError) {
  TempFolder t;
  paperd::fixtures::write_file(t / "bad.pdf", "garbage, not a PDF");
  EXPECT_TRUE(throws_error([&] { pdf::ghostscript_pdfa(t / "bad.pdf", t / "a.pdf", 60000); }, 422,
                           "PDF_PROCESSING_FAILED", "bad.pdf"));
}
