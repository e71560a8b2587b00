// CAdES detached signatures: see cades_signature.h.
#include "engines/sign/cades_signature.h"

#include <openssl/ess.h>

#include "core/error.h"
#include "engines/sign/openssl_handles.h"

namespace paperd::engines::sign {

namespace {

core::Error failed(const std::string& what) {
  return core::Error::internal("CMS signature (" + what + "): " + openssl_errors());
}

// OpenSSL 3.0 has no public CMS_add1_signing_cert_v2: build the attribute by hand. SHA-256 is the
// ESSCertIDv2 default algorithm, so OpenSSL leaves it out of the encoding, as RFC 5035 wants.
void add_signing_certificate_v2(CMS_SignerInfo* si, X509* cert) {
  EssSigningCertV2Ptr sc(OSSL_ESS_signing_cert_v2_new_init(EVP_sha256(), cert, nullptr, 0));
  if (!sc) throw failed("ESS signing-certificate-v2");
  unsigned char* der = nullptr;
  int n = i2d_ESS_SIGNING_CERT_V2(sc.get(), &der);
  if (n <= 0) throw failed("ESS encoding");
  int ok = CMS_signed_add1_attr_by_NID(si, NID_id_smime_aa_signingCertificateV2, V_ASN1_SEQUENCE,
                                       der, n);
  OPENSSL_free(der);
  if (ok != 1) throw failed("ESS attribute");
}

void add_signing_time(CMS_SignerInfo* si, int64_t signing_time) {
  // ASN1_TIME_set picks UTCTime up to 2049 and GeneralizedTime after, as RFC 5652 requires.
  Asn1TimePtr t(ASN1_TIME_set(nullptr, static_cast<time_t>(signing_time)));
  if (!t || CMS_signed_add1_attr_by_NID(si, NID_pkcs9_signingTime, t->type, t.get(), -1) != 1)
    throw failed("signingTime");
}

std::string signature_value(CMS_SignerInfo* si) {
  ASN1_OCTET_STRING* sig = CMS_SignerInfo_get0_signature(si);
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(sig)),
                     static_cast<size_t>(ASN1_STRING_length(sig)));
}

}  // namespace

std::string make_cades_signature(const SigningIdentity& identity, const std::string& content_sha256,
                                 int64_t signing_time, const TimestampAuthority& tsa) {
  const unsigned flags = CMS_PARTIAL | CMS_DETACHED | CMS_BINARY | CMS_NOSMIMECAP;
  CmsPtr cms(CMS_sign(nullptr, nullptr, nullptr, nullptr, flags));
  if (!cms) throw failed("SignedData");
  CMS_set_detached(cms.get(), 1);
  // Without CMS_REUSE_DIGEST, CMS_add1_signer leaves the signing to us: the digest of the
  // content is ours (computed over the byte ranges), so the attributes are added by hand and
  // CMS_SignerInfo_sign signs them.
  CMS_SignerInfo* si = CMS_add1_signer(cms.get(), identity.certificate(), identity.private_key(),
                                       EVP_sha256(), flags);
  if (!si) throw failed("signer");
  for (const auto& der : identity.chain_der()) {
    auto p = reinterpret_cast<const unsigned char*>(der.data());
    X509Ptr c(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    if (!c || CMS_add1_cert(cms.get(), c.get()) != 1) throw failed("chain certificate");
  }
  if (CMS_signed_add1_attr_by_NID(si, NID_pkcs9_contentType, V_ASN1_OBJECT,
                                  OBJ_nid2obj(NID_pkcs7_data), -1) != 1)
    throw failed("contentType");
  add_signing_time(si, signing_time);
  if (CMS_signed_add1_attr_by_NID(si, NID_pkcs9_messageDigest, V_ASN1_OCTET_STRING,
                                  content_sha256.data(),
                                  static_cast<int>(content_sha256.size())) != 1)
    throw failed("messageDigest");
  add_signing_certificate_v2(si, identity.certificate());
  if (CMS_SignerInfo_sign(si) != 1) throw failed("signing");

  if (tsa) {
    std::string token = request_timestamp_token(tsa, signature_value(si));
    if (CMS_unsigned_add1_attr_by_NID(si, NID_id_smime_aa_timeStampToken, V_ASN1_SEQUENCE,
                                      token.data(), static_cast<int>(token.size())) != 1)
      throw failed("signatureTimeStampToken");
  }
  unsigned char* der = nullptr;
  int n = i2d_CMS_ContentInfo(cms.get(), &der);
  if (n <= 0) throw failed("encoding");
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  return out;
}

}  // namespace paperd::engines::sign
