// sign_pdf end to end: the output is the input plus one revision, pdfsig and qpdf accept it,
// verify_pdf reads back what was signed, the stamps show on the rendered page, a second signer
// keeps the first valid, and an RFC 3161 authority adds a signature time-stamp.
#include "engines/sign/pades_signer.h"

#include <gtest/gtest.h>

#include "engines/sign/signature_verifier.h"
#include "sign_test_util.h"

namespace paperd::sign_test {
namespace {

constexpr int64_t kSigningTime = 1714564800;  // 2024-05-01T12:00:00Z

sign::Stamp stamp(sign::Stamp::Kind kind, int page, double x, double y, double w, double h) {
  sign::Stamp s;
  s.kind = kind;
  s.page = page;
  s.x = x;
  s.y = y;
  s.width = w;
  s.height = h;
  return s;
}

// The drawn signature, a date and a ticked checkbox on page 1, the widget (typed name) on page 2.
sign::SignRequest full_request(const std::string& field = "Signature_1") {
  sign::SignRequest r;
  r.field_name = field;
  r.signer_name = "Erika Mustermann";
  r.signer_email = "erika@example.com";
  r.reason = "I agree";
  r.location = "Berlin";
  r.signing_time = kSigningTime;
  auto image = stamp(sign::Stamp::Kind::kImage, 1, 0.55, 0.70, 0.35, 0.12);
  image.png = signature_png();
  auto date = stamp(sign::Stamp::Kind::kText, 1, 0.10, 0.72, 0.30, 0.04);
  date.text = "2024-05-01";
  auto box = stamp(sign::Stamp::Kind::kCheckbox, 1, 0.10, 0.82, 0.04, 0.03);
  box.checked = true;
  r.stamps = {image, date, box};
  auto widget = stamp(sign::Stamp::Kind::kText, 2, 0.50, 0.80, 0.40, 0.06);
  widget.text = "Erika Mustermann";
  r.widget = widget;
  return r;
}

TEST(PadesSign, OneSignatureWithStamps) {
  TempFolder dir;
  fs::path in = ten_page_pdf(dir / "in.pdf"), out = dir / "out.pdf";
  auto id = test_identity("paperd test signer");
  sign::SignResult res = sign::sign_pdf(in, out, id, full_request());

  const std::string before = core::read_file(in), after = core::read_file(out);
  ASSERT_GT(after.size(), before.size());
  EXPECT_EQ(after.compare(0, before.size(), before), 0) << "the output must start with the input";
  EXPECT_EQ(res.bytes_added, after.size() - before.size());
  EXPECT_GT(res.cms_bytes, 1000u);
  EXPECT_EQ(res.sha256_before, core::hex(core::sha256(before)));
  EXPECT_EQ(res.sha256_after, core::hex(core::sha256(after)));

  std::string sig = pdfsig(out);
  EXPECT_EQ(count(sig, "Signature is Valid."), 1) << sig;
  EXPECT_NE(sig.find("Total document signed"), std::string::npos) << sig;
  EXPECT_NE(sig.find("ETSI.CAdES.detached"), std::string::npos) << sig;
  EXPECT_TRUE(qpdf_test::qpdf_check(out));
  EXPECT_EQ(qpdf_test::npages(out), 10);

  auto infos = sign::verify_pdf(out);
  ASSERT_EQ(infos.size(), 1u);
  const auto& s = infos[0];
  EXPECT_EQ(s.field_name, "Signature_1");
  EXPECT_TRUE(s.digest_valid) << s.problem;
  EXPECT_TRUE(s.signature_valid) << s.problem;
  EXPECT_TRUE(s.has_ess_signing_certificate_v2);
  EXPECT_TRUE(s.covers_whole_document);
  EXPECT_FALSE(s.modified_after);
  EXPECT_EQ(s.modification, "");
  EXPECT_EQ(s.signer_name, "paperd test signer");
  EXPECT_EQ(s.name, "Erika Mustermann");
  EXPECT_EQ(s.signer_email, "erika@example.com");
  EXPECT_EQ(s.reason, "I agree");
  EXPECT_EQ(s.location, "Berlin");
  EXPECT_EQ(s.sub_filter, "ETSI.CAdES.detached");
  EXPECT_EQ(s.signing_time, "2024-05-01T12:00:00Z");
  EXPECT_EQ(s.subject, "CN=paperd test signer,O=paperd tests");
  EXPECT_EQ(s.issuer, s.subject);
  EXPECT_EQ(s.certificate_sha256, id.certificate_sha256_hex());
  EXPECT_TRUE(s.self_signed);
  EXPECT_FALSE(s.trusted);
  EXPECT_FALSE(s.has_timestamp);
  EXPECT_EQ(s.revision, 2);
  EXPECT_TRUE(s.problem.empty()) << s.problem;

  auto trusted = sign::verify_pdf(out, {id.certificate_der()});
  ASSERT_EQ(trusted.size(), 1u);
  EXPECT_TRUE(trusted[0].trusted);
  auto other = test_identity("someone else");
  EXPECT_FALSE(sign::verify_pdf(out, {other.certificate_der()})[0].trusted);

  // The stamps are drawn (annotations with appearances), the rest of the page stays white.
  Rendered page1 = render(out, 1, dir / "p1.png");
  ASSERT_GT(page1.width, 0);
  EXPECT_GT(page1.ink(0.55, 0.70, 0.35, 0.12), 0.05) << "signature image";
  EXPECT_GT(page1.ink(0.10, 0.72, 0.30, 0.04), 0.03) << "date text";
  EXPECT_GT(page1.ink(0.10, 0.82, 0.04, 0.03), 0.10) << "checkbox";
  EXPECT_EQ(page1.ink(0.05, 0.30, 0.90, 0.35), 0) << "outside the stamps";
  EXPECT_EQ(page1.ink(0.05, 0.86, 0.90, 0.12), 0) << "below the stamps";
  Rendered unsigned_page = render(in, 1, dir / "p1-in.png");
  EXPECT_EQ(unsigned_page.ink(0.55, 0.70, 0.35, 0.12), 0);
  Rendered page2 = render(out, 2, dir / "p2.png");
  EXPECT_GT(page2.ink(0.50, 0.80, 0.40, 0.06), 0.03) << "signature widget";
}

TEST(PadesSign, TwoSignersKeepTheFirstValid) {
  TempFolder dir;
  fs::path in = ten_page_pdf(dir / "in.pdf"), once = dir / "once.pdf", twice = dir / "twice.pdf";
  auto first = test_identity("first signer"), second = test_identity("second signer");
  sign::sign_pdf(in, once, first, full_request("Signature_1"));
  sign::SignRequest r2 = full_request("Signature_2");
  r2.signer_name = "Max Mustermann";
  r2.stamps[0].page = 3;
  r2.widget->page = 3;
  sign::sign_pdf(once, twice, second, r2);

  std::string sig = pdfsig(twice);
  EXPECT_EQ(count(sig, "Signature is Valid."), 2) << sig;
  EXPECT_EQ(count(sig, "Total document signed"), 1) << sig;
  EXPECT_TRUE(qpdf_test::qpdf_check(twice));

  auto infos = sign::verify_pdf(twice);
  ASSERT_EQ(infos.size(), 2u);
  EXPECT_EQ(infos[0].field_name, "Signature_1");
  EXPECT_EQ(infos[0].signer_name, "first signer");
  EXPECT_TRUE(infos[0].digest_valid);
  EXPECT_TRUE(infos[0].signature_valid);
  EXPECT_FALSE(infos[0].covers_whole_document);
  EXPECT_FALSE(infos[0].modified_after) << infos[0].modification;
  EXPECT_NE(infos[0].modification.find("annotations or signatures added"), std::string::npos)
      << infos[0].modification;
  EXPECT_EQ(infos[1].field_name, "Signature_2");
  EXPECT_EQ(infos[1].signer_name, "second signer");
  EXPECT_TRUE(infos[1].covers_whole_document);
  EXPECT_TRUE(infos[1].signature_valid);
  EXPECT_EQ(infos[1].revision, 3);

  // The same field name twice is refused.
  EXPECT_TRUE(qpdf_test::throws_error(
      [&] { sign::sign_pdf(twice, dir / "x.pdf", second, full_request("Signature_2")); }, 400,
      "INVALID_REQUEST", "Signature_2"));
}

TEST(PadesSign, InvisibleSignatureOnXrefStreamInput) {
  TempFolder dir;
  fs::path plain = ten_page_pdf(dir / "plain.pdf"), in = dir / "in.pdf", out = dir / "out.pdf";
  auto r = tool({"qpdf", "--object-streams=generate", plain.string(), in.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_NE(core::read_file(in).find("/XRef"), std::string::npos);
  sign::SignRequest req;
  req.field_name = "Invisible";
  req.signer_name = "Jörg Ünicode";
  sign::sign_pdf(in, out, test_identity(), req);
  std::string sig = pdfsig(out);
  EXPECT_EQ(count(sig, "Signature is Valid."), 1) << sig;
  EXPECT_NE(sig.find("Total document signed"), std::string::npos) << sig;
  EXPECT_TRUE(qpdf_test::qpdf_check(out));
  auto infos = sign::verify_pdf(out);
  ASSERT_EQ(infos.size(), 1u);
  EXPECT_TRUE(infos[0].signature_valid);
  EXPECT_EQ(infos[0].name, "Jörg Ünicode");
  EXPECT_GT(infos[0].signing_time.size(), 0u);
}

TEST(PadesSign, StampsReadUprightOnRotatedPages) {
  TempFolder dir;
  fs::path plain = ten_page_pdf(dir / "plain.pdf"), in = dir / "in.pdf", out = dir / "out.pdf";
  auto r = tool({"qpdf", "--rotate=+90:1", "--rotate=+270:2", plain.string(), in.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  sign::SignRequest req;
  req.field_name = "Rotated";
  for (int page : {1, 2}) {
    auto s = stamp(sign::Stamp::Kind::kText, page, 0.05, 0.70, 0.50, 0.10);
    s.text = "UPRIGHT";
    req.stamps.push_back(s);
  }
  sign::sign_pdf(in, out, test_identity(), req);
  EXPECT_TRUE(qpdf_test::qpdf_check(out));
  for (int page : {1, 2}) {
    Rendered shown = render(out, page, dir / "p.png");
    ASSERT_GT(shown.width, shown.height) << "a turned Letter page is landscape";
    EXPECT_GT(shown.ink(0.05, 0.70, 0.50, 0.10), 0.03) << "page " << page;
    EXPECT_EQ(shown.ink(0.05, 0.30, 0.90, 0.35), 0) << "page " << page;
    // MuPDF's structured text gives each line's direction as displayed: "1 0" is left to right.
    auto text = tool(
        {"mutool", "draw", "-q", "-F", "stext", "-o", "-", out.string(), std::to_string(page)});
    size_t at = text.out.find("UPRIGHT");
    if (at == std::string::npos) {
      // stext lists characters one by one; find the line holding the 'U'.
      at = text.out.find("c=\"U\"");
    }
    ASSERT_NE(at, std::string::npos) << text.out.substr(0, 2000);
    size_t line = text.out.rfind("<line", at);
    ASSERT_NE(line, std::string::npos);
    std::string tag = text.out.substr(line, text.out.find('>', line) - line);
    EXPECT_NE(tag.find("dir=\"1 0\""), std::string::npos) << "page " << page << ": " << tag;
  }
}

TEST(PadesSign, TimestampedSignature) {
  TempFolder dir;
  fs::path in = ten_page_pdf(dir / "in.pdf"), out = dir / "out.pdf";
  TestTsa tsa;
  sign::SignRequest req = full_request();
  req.timestamp_authority = tsa.callback();
  sign::SignResult res = sign::sign_pdf(in, out, test_identity(), req);
  EXPECT_EQ(tsa.requests(), 1);
  EXPECT_LE(res.cms_bytes, res.reserved_bytes);
  std::string sig = pdfsig(out);
  EXPECT_EQ(count(sig, "Signature is Valid."), 1) << sig;
  auto infos = sign::verify_pdf(out);
  ASSERT_EQ(infos.size(), 1u);
  EXPECT_TRUE(infos[0].signature_valid) << infos[0].problem;
  EXPECT_TRUE(infos[0].has_timestamp) << infos[0].problem;
  EXPECT_EQ(infos[0].timestamp_time.size(), 20u) << infos[0].timestamp_time;  // ...T..:..:..Z
  EXPECT_TRUE(infos[0].problem.empty()) << infos[0].problem;
}

TEST(PadesSign, RejectedTimestampFailsClearly) {
  TempFolder dir;
  fs::path in = ten_page_pdf(dir / "in.pdf");
  sign::SignRequest req = full_request();
  req.timestamp_authority = [](const std::string&) { return std::string("garbage"); };
  EXPECT_TRUE(
      qpdf_test::throws_error([&] { sign::sign_pdf(in, dir / "out.pdf", test_identity(), req); },
                              502, "TIMESTAMP_FAILED", "not a DER TimeStampResp"));
  EXPECT_FALSE(fs::exists(dir / "out.pdf"));
}

TEST(PadesSign, BadRequestsAre400) {
  TempFolder dir;
  fs::path in = ten_page_pdf(dir / "in.pdf");
  auto id = test_identity();
  sign::SignRequest off_page = full_request();
  off_page.stamps[0].page = 11;
  EXPECT_TRUE(qpdf_test::throws_error([&] { sign::sign_pdf(in, dir / "o.pdf", id, off_page); }, 400,
                                      "INVALID_REQUEST", "page 11"));
  sign::SignRequest outside = full_request();
  outside.stamps[1].x = 0.9;
  EXPECT_TRUE(qpdf_test::throws_error([&] { sign::sign_pdf(in, dir / "o.pdf", id, outside); }, 400,
                                      "INVALID_REQUEST", "inside the page"));
  sign::SignRequest bad_png = full_request();
  bad_png.stamps[0].png = "not a png";
  EXPECT_TRUE(qpdf_test::throws_error([&] { sign::sign_pdf(in, dir / "o.pdf", id, bad_png); }, 400,
                                      "INVALID_REQUEST", "PNG"));
  fs::path text = dir / "note.txt";
  fixtures::write_file(text, "hello");
  EXPECT_TRUE(
      qpdf_test::throws_error([&] { sign::sign_pdf(text, dir / "o.pdf", id, full_request()); }, 400,
                              "INVALID_PDF", "note.txt"));
}

}  // namespace
}  // namespace paperd::sign_test
