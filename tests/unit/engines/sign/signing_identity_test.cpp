// SigningIdentity: generation, PKCS#12 round trip, the errors of a bad file or password.
#include "engines/sign/signing_identity.h"

#include <gtest/gtest.h>

#include "engines/sign/openssl_handles.h"
#include "sign_test_util.h"

namespace paperd::sign_test {
namespace {

TEST(SignIdentity, GenerateHasSubjectAndKeyUsage) {
  auto id = sign::SigningIdentity::generate("paperd signing", "Example GmbH", 365);
  EXPECT_EQ(id.subject(), "CN=paperd signing,O=Example GmbH");
  EXPECT_EQ(id.certificate_sha256_hex().size(), 64u);
  std::string der = id.certificate_der();
  auto p = reinterpret_cast<const unsigned char*>(der.data());
  sign::X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  ASSERT_TRUE(cert);
  EXPECT_EQ(X509_get_version(cert.get()), 2);  // v3
  uint32_t ku = X509_get_key_usage(cert.get());
  EXPECT_TRUE(ku & KU_DIGITAL_SIGNATURE);
  EXPECT_TRUE(ku & KU_NON_REPUDIATION);
  EXPECT_EQ(EVP_PKEY_get_bits(X509_get0_pubkey(cert.get())), 2048);
}

TEST(SignIdentity, Pkcs12RoundTripKeepsCertificate) {
  for (auto type : {sign::KeyType::kRsa2048, sign::KeyType::kP256}) {
    auto id = sign::SigningIdentity::generate("round trip", "paperd", 10, type);
    std::string p12 = id.to_pkcs12("s3cret");
    auto back = sign::SigningIdentity::from_pkcs12(p12, "s3cret");
    EXPECT_EQ(back.certificate_der(), id.certificate_der());
    EXPECT_EQ(back.certificate_sha256_hex(), id.certificate_sha256_hex());
    EXPECT_EQ(back.subject(), "CN=round trip,O=paperd");
    EXPECT_EQ(X509_check_private_key(back.certificate(), back.private_key()), 1);
  }
}

TEST(SignIdentity, WrongPasswordIs400) {
  auto id = test_identity();
  std::string p12 = id.to_pkcs12("right");
  EXPECT_TRUE(qpdf_test::throws_error([&] { sign::SigningIdentity::from_pkcs12(p12, "wrong"); },
                                      400, "INVALID_REQUEST", "wrong password"));
}

TEST(SignIdentity, NotPkcs12Is400) {
  EXPECT_TRUE(
      qpdf_test::throws_error([&] { sign::SigningIdentity::from_pkcs12("%PDF-1.4 not a p12", ""); },
                              400, "INVALID_REQUEST", "not a PKCS#12"));
}

TEST(SignIdentity, EmptyCommonNameIs400) {
  EXPECT_TRUE(qpdf_test::throws_error([] { sign::SigningIdentity::generate("", "o", 10); }, 400,
                                      "INVALID_REQUEST", "common name"));
}

}  // namespace
}  // namespace paperd::sign_test
