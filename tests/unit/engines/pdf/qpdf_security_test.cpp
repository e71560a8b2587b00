// protect / unlock / remove restrictions, checked with qpdf --show-encryption.
#include "engines/pdf/qpdf_security.h"

#include <gtest/gtest.h>

#include "qpdf_test_util.h"

using namespace paperd::qpdf_test;
namespace pdf = paperd::engines::pdf;

namespace {
std::string encryption(const fs::path& f, const std::string& password) {
  return tool({"qpdf", "--password=" + password, "--show-encryption", f.string()}).out;
}
pdf::QpdfDocument open(const fs::path& f, const std::string& password = "") {
  pdf::QpdfOpenOptions o;
  o.password = password;
  o.display_name = f.filename().string();
  return pdf::QpdfDocument::open(f, o);
}
}  // namespace

TEST(QpdfSecurity, ProtectWithAes256AndPermissions) {
  TempFolder t;
  auto doc = open(text_pdf(t / "in.pdf", {"Top secret"}));
  pdf::Protection p;
  p.user_password = "open sesame";
  p.owner_password = "master";
  p.allow_print = false;
  p.allow_copy = false;
  pdf::protect_pdf(doc, t / "out.pdf", p);

  // Needs the password; qpdf --check with it passes.
  EXPECT_EQ(npages(t / "out.pdf"), -1);
  EXPECT_EQ(npages(t / "out.pdf", "open sesame"), 1);
  EXPECT_EQ(tool({"qpdf", "--password=open sesame", "--check", (t / "out.pdf").string()}).exit_code,
            0);
  std::string enc = encryption(t / "out.pdf", "open sesame");
  EXPECT_NE(enc.find("R = 6"), std::string::npos) << enc;
  EXPECT_NE(enc.find("AESv3"), std::string::npos);
  EXPECT_NE(enc.find("print high resolution: not allowed"), std::string::npos);
  EXPECT_NE(enc.find("extract for any purpose: not allowed"), std::string::npos);
  EXPECT_NE(enc.find("modify annotations: allowed"), std::string::npos);
  // The owner password opens it too and sees the restrictions.
  auto locked = open(t / "out.pdf", "master");
  auto denied = pdf::denied_permissions(locked);
  EXPECT_NE(std::find(denied.begin(), denied.end(), "print"), denied.end());
  EXPECT_NE(std::find(denied.begin(), denied.end(), "copy"), denied.end());
  EXPECT_EQ(std::find(denied.begin(), denied.end(), "annotate"), denied.end());
}

TEST(QpdfSecurity, RandomOwnerPasswordIsNotTheUserPassword) {
  TempFolder t;
  auto doc = open(text_pdf(t / "in.pdf", {"x"}));
  pdf::Protection p;
  p.user_password = "u";
  p.allow_modify = false;
  pdf::protect_pdf(doc, t / "out.pdf", p);
  auto opened = open(t / "out.pdf", "u");
  EXPECT_FALSE(opened.qpdf().ownerPasswordMatched());
  EXPECT_TRUE(throws_error([&] { pdf::protect_pdf(doc, t / "x.pdf", {}); }, 400, "INVALID_REQUEST",
                           "password"));
}

TEST(QpdfSecurity, UnlockRoundTrip) {
  TempFolder t;
  text_pdf(t / "in.pdf", {"Hello unlocked"});
  pdf::Protection p;
  p.user_password = "pw";
  pdf::protect_pdf(open(t / "in.pdf"), t / "enc.pdf", p);
  EXPECT_TRUE(
      throws_error([&] { open(t / "enc.pdf", "nope"); }, 400, "INVALID_PASSWORD", "enc.pdf"));
  auto doc = open(t / "enc.pdf", "pw");
  ASSERT_TRUE(doc.encrypted());
  pdf::write_decrypted(doc, t / "plain.pdf");
  EXPECT_TRUE(qpdf_check(t / "plain.pdf"));
  EXPECT_NE(
      tool({"qpdf", "--show-encryption", (t / "plain.pdf").string()}).out.find("not encrypted"),
      std::string::npos);
  EXPECT_EQ(page_texts(t / "plain.pdf"), (std::vector<std::string>{"Hello unlocked"}));
}

TEST(QpdfSecurity, RemoveRestrictionsOfOwnerOnlyPdf) {
  TempFolder t;
  text_pdf(t / "in.pdf", {"Restricted"});
  qpdf_encrypt(t / "in.pdf", t / "r.pdf", "", "owner", {"--print=none", "--extract=n"});
  auto doc = open(t / "r.pdf");  // no password needed to open
  ASSERT_TRUE(doc.encrypted());
  auto denied = pdf::denied_permissions(doc);
  EXPECT_NE(std::find(denied.begin(), denied.end(), "print"), denied.end());
  EXPECT_NE(std::find(denied.begin(), denied.end(), "copy"), denied.end());
  pdf::write_decrypted(doc, t / "free.pdf");
  EXPECT_TRUE(qpdf_check(t / "free.pdf"));
  EXPECT_NE(
      tool({"qpdf", "--show-encryption", (t / "free.pdf").string()}).out.find("not encrypted"),
      std::string::npos);
  // With a user password and none given: 400 PDF_PASSWORD_REQUIRED.
  qpdf_encrypt(t / "in.pdf", t / "u.pdf", "user", "owner");
  EXPECT_TRUE(throws_error([&] { open(t / "u.pdf"); }, 400, "PDF_PASSWORD_REQUIRED", "u.pdf"));
}
