// verify_pdf on what happens to signed files: a byte changed inside a signed range, page content
// replaced in a later revision (written by MuPDF, not by our signer), a file that is no PDF, a
// PDF without signatures.
#include "engines/sign/signature_verifier.h"

#include <gtest/gtest.h>
#include <mupdf/fitz.h>
#include <mupdf/pdf.h>

#include "engines/pdf/mupdf_context.h"
#include "engines/sign/pades_signer.h"
#include "sign_test_util.h"

namespace paperd::sign_test {
namespace {

fs::path signed_pdf(const TempFolder& dir, const std::string& name,
                    const sign::SigningIdentity& id) {
  fs::path in = ten_page_pdf(dir / ("src-" + name)), out = dir / name;
  sign::SignRequest r;
  r.field_name = "Signature_1";
  r.signer_name = "Tess Tamper";
  sign::Stamp s;
  s.kind = sign::Stamp::Kind::kImage;
  s.page = 1;
  s.x = 0.5;
  s.y = 0.8;
  s.width = 0.3;
  s.height = 0.1;
  s.png = signature_png();
  r.stamps = {s};
  sign::sign_pdf(in, out, id, r);
  return out;
}

// Replaces page `index`'s content stream in an incremental update saved by MuPDF.
void replace_page_content(const fs::path& file, int index, const std::string& content) {
  engines::pdf::MuContext mu;
  fz_context* ctx = mu.get();
  pdf_document* doc = nullptr;
  fz_buffer* buf = nullptr;
  fz_var(doc);
  fz_var(buf);
  bool ok = true;
  fz_try(ctx) {
    doc = pdf_open_document(ctx, file.c_str());
    pdf_obj* page = pdf_lookup_page_obj(ctx, doc, index);
    pdf_obj* contents = pdf_dict_get(ctx, page, PDF_NAME(Contents));
    buf = fz_new_buffer_from_copied_data(
        ctx, reinterpret_cast<const unsigned char*>(content.data()), content.size());
    pdf_update_stream(ctx, doc, contents, buf, 0);
    pdf_write_options opts = pdf_default_write_options;
    opts.do_incremental = 1;
    pdf_save_document(ctx, doc, file.c_str(), &opts);
  }
  fz_always(ctx) {
    fz_drop_buffer(ctx, buf);
    pdf_drop_document(ctx, doc);
  }
  fz_catch(ctx) {
    ok = false;
  }
  ASSERT_TRUE(ok) << "MuPDF incremental save failed";
}

TEST(PadesVerify, ByteChangedInsideSignedRangeBreaksDigest) {
  TempFolder dir;
  auto id = test_identity();
  fs::path file = signed_pdf(dir, "signed.pdf", id);
  std::string bytes = core::read_file(file);
  size_t at = bytes.find("(Page 5)");
  ASSERT_NE(at, std::string::npos);
  bytes[at + 6] = '6';  // still a valid PDF, now saying "Page 6" twice
  fs::path tampered = dir / "tampered.pdf";
  fixtures::write_file(tampered, bytes);

  std::string sig = pdfsig(tampered);
  EXPECT_EQ(count(sig, "Signature is Valid."), 0) << sig;
  auto infos = sign::verify_pdf(tampered);
  ASSERT_EQ(infos.size(), 1u);
  EXPECT_FALSE(infos[0].digest_valid);
  EXPECT_FALSE(infos[0].signature_valid);
  EXPECT_NE(infos[0].problem, "");
}

TEST(PadesVerify, PageContentChangedAfterSigning) {
  TempFolder dir;
  auto id = test_identity();
  fs::path file = signed_pdf(dir, "signed.pdf", id);
  const size_t signed_size = fs::file_size(file);
  replace_page_content(file, 2, "BT /F1 24 Tf 72 400 Td (CHANGED AFTER SIGNING) Tj ET");
  ASSERT_GT(fs::file_size(file), signed_size);

  auto infos = sign::verify_pdf(file);
  ASSERT_EQ(infos.size(), 1u);
  EXPECT_TRUE(infos[0].digest_valid);  // the signed revision itself is intact
  EXPECT_TRUE(infos[0].signature_valid);
  EXPECT_FALSE(infos[0].covers_whole_document);
  EXPECT_TRUE(infos[0].modified_after);
  EXPECT_NE(infos[0].modification.find("page 3: content changed"), std::string::npos)
      << infos[0].modification;
}

TEST(PadesVerify, NotAPdfIs400) {
  TempFolder dir;
  fs::path f = dir / "photo.jpg";
  fixtures::write_file(f, "\xFF\xD8\xFF\xE0 not a pdf at all");
  EXPECT_TRUE(
      qpdf_test::throws_error([&] { sign::verify_pdf(f); }, 400, "INVALID_PDF", "photo.jpg"));
  fs::path broken = dir / "broken.pdf";
  fixtures::write_file(broken, "%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF");
  EXPECT_TRUE(
      qpdf_test::throws_error([&] { sign::verify_pdf(broken); }, 400, "INVALID_PDF", "broken.pdf"));
}

TEST(PadesVerify, UnsignedPdfHasNoSignatures) {
  TempFolder dir;
  EXPECT_TRUE(sign::verify_pdf(ten_page_pdf(dir / "plain.pdf")).empty());
}

TEST(PadesVerify, GarbageSignatureValuesDoNotCrash) {
  TempFolder dir;
  auto id = test_identity();
  fs::path file = signed_pdf(dir, "signed.pdf", id);
  std::string bytes = core::read_file(file);
  // Overwrite the CMS with other hex digits and break the ByteRange of a copy.
  size_t c = bytes.rfind("/Contents <");
  ASSERT_NE(c, std::string::npos);
  std::string garbled = bytes;
  for (size_t i = c + 11; i < c + 200; ++i) garbled[i] = 'a';
  fixtures::write_file(dir / "garbled.pdf", garbled);
  auto infos = sign::verify_pdf(dir / "garbled.pdf");
  ASSERT_EQ(infos.size(), 1u);
  EXPECT_FALSE(infos[0].signature_valid);
  EXPECT_FALSE(infos[0].digest_valid);

  std::string ranges = bytes;
  size_t br = ranges.rfind("/ByteRange [0 ");
  ASSERT_NE(br, std::string::npos);
  ranges.replace(br + 14, 3, "999");  // an offset that no longer matches
  fixtures::write_file(dir / "ranges.pdf", ranges);
  infos = sign::verify_pdf(dir / "ranges.pdf");
  ASSERT_EQ(infos.size(), 1u);
  EXPECT_FALSE(infos[0].digest_valid);
}

}  // namespace
}  // namespace paperd::sign_test
