// QpdfDocument::open: every way an input can be unusable maps to one clear error code.
#include "engines/pdf/qpdf_document.h"

#include <gtest/gtest.h>

#include "qpdf_test_util.h"

using namespace paperd::qpdf_test;
namespace pdf = paperd::engines::pdf;

namespace {
pdf::QpdfDocument open(const fs::path& f, const std::string& password = "", int64_t max = 5000) {
  pdf::QpdfOpenOptions o;
  o.password = password;
  o.display_name = "upload.pdf";
  o.max_pages = max;
  return pdf::QpdfDocument::open(f, o);
}
}  // namespace

TEST(QpdfDocument, OpensAndCountsPages) {
  TempFolder t;
  auto doc = open(text_pdf(t / "a.pdf", {"one", "two", "three"}));
  EXPECT_EQ(doc.page_count(), 3);
  EXPECT_FALSE(doc.encrypted());
  EXPECT_EQ(doc.name(), "upload.pdf");
}

TEST(QpdfDocument, NotAPdfIsInvalidPdfNamingTheFile) {
  TempFolder t;
  paperd::fixtures::write_file(t / "x.pdf", "this is a plain text file, not a PDF\n");
  EXPECT_TRUE(throws_error([&] { open(t / "x.pdf"); }, 400, "INVALID_PDF", "'upload.pdf'"));
  paperd::fixtures::write_file(t / "empty.pdf", "");
  EXPECT_TRUE(throws_error([&] { open(t / "empty.pdf"); }, 400, "INVALID_PDF", "upload.pdf"));
}

TEST(QpdfDocument, TruncatedPdfIsInvalidPdf) {
  TempFolder t;
  std::string bytes = paperd::core::read_file(text_pdf(t / "a.pdf", {"one", "two"}));
  paperd::fixtures::write_file(t / "cut.pdf", bytes.substr(0, 120));
  EXPECT_TRUE(throws_error([&] { open(t / "cut.pdf"); }, 400, "INVALID_PDF", "upload.pdf"));
}

TEST(QpdfDocument, PasswordsRequiredAndChecked) {
  TempFolder t;
  text_pdf(t / "a.pdf", {"secret"});
  qpdf_encrypt(t / "a.pdf", t / "enc.pdf", "user1", "owner1");
  EXPECT_TRUE(
      throws_error([&] { open(t / "enc.pdf"); }, 400, "PDF_PASSWORD_REQUIRED", "upload.pdf"));
  EXPECT_TRUE(
      throws_error([&] { open(t / "enc.pdf", "wrong"); }, 400, "INVALID_PASSWORD", "upload.pdf"));
  EXPECT_EQ(open(t / "enc.pdf", "user1").page_count(), 1);
  EXPECT_TRUE(open(t / "enc.pdf", "owner1").encrypted());
}

TEST(QpdfDocument, TooManyPagesIsInputTooLarge) {
  TempFolder t;
  text_pdf(t / "a.pdf", {"1", "2", "3", "4"});
  EXPECT_TRUE(throws_error([&] { open(t / "a.pdf", "", 3); }, 413, "INPUT_TOO_LARGE", "4 pages"));
}

TEST(QpdfDocument, WritesWithObjectStreamsAndPassesCheck) {
  TempFolder t;
  auto doc = open(text_pdf(t / "a.pdf", {"one", "two"}));
  pdf::QpdfWriteOptions w;
  w.object_streams = true;
  pdf::write_pdf(doc.qpdf(), t / "out.pdf", w, "out");
  EXPECT_TRUE(qpdf_check(t / "out.pdf"));
  EXPECT_EQ(page_texts(t / "out.pdf"), (std::vector<std::string>{"one", "two"}));
  EXPECT_NE(paperd::core::read_file(t / "out.pdf").find("/ObjStm"), std::string::npos);
}

// Read into memory first, or handed over as bytes: the same document and the same errors.
TEST(QpdfDocument, FromMemoryOpensAndFailsLikeFromFile) {
  TempFolder t;
  text_pdf(t / "a.pdf", {"one", "two", "three"});
  qpdf_encrypt(t / "a.pdf", t / "enc.pdf", "user1", "owner1");
  paperd::fixtures::write_file(t / "x.pdf", "this is a plain text file, not a PDF\n");
  paperd::fixtures::write_file(t / "empty.pdf", "");
  pdf::QpdfOpenOptions file, memory;
  file.display_name = memory.display_name = "upload.pdf";
  memory.read_into_memory = true;
  auto bytes = [&](const char* name) { return paperd::core::read_file(t / name); };
  EXPECT_EQ(pdf::QpdfDocument::open(t / "a.pdf", memory).page_count(), 3);
  EXPECT_EQ(pdf::QpdfDocument::open_bytes(bytes("a.pdf"), memory).page_count(), 3);
  memory.password = file.password = "user1";
  EXPECT_EQ(pdf::QpdfDocument::open_bytes(bytes("enc.pdf"), memory).page_count(), 3);
  for (const char* password : {"", "wrong"}) {
    memory.password = file.password = password;
    for (const char* name : {"enc.pdf", "x.pdf", "empty.pdf", "missing.pdf"}) {
      auto message = [](auto&& open) -> std::string {
        try {
          open();
        } catch (const paperd::core::Error& e) {
          return e.code() + ": " + e.what();
        }
        return "opened";
      };
      std::string from_file = message([&] { pdf::QpdfDocument::open(t / name, file); });
      EXPECT_NE(from_file, "opened") << name;
      EXPECT_EQ(message([&] { pdf::QpdfDocument::open(t / name, memory); }), from_file) << name;
      if (std::string(name) != "missing.pdf")
        EXPECT_EQ(message([&] { pdf::QpdfDocument::open_bytes(bytes(name), memory); }), from_file)
            << name;
    }
  }
}
