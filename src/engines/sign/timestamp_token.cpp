// RFC 3161 requests and tokens: see timestamp_token.h.
#include "engines/sign/timestamp_token.h"

#include <openssl/rand.h>

#include "core/crypto.h"
#include "core/error.h"
#include "engines/sign/openssl_handles.h"

namespace paperd::engines::sign {

namespace {

core::Error timestamp_failed(const std::string& why) {
  return core::Error(502, "TIMESTAMP_FAILED", "the time-stamping authority: " + why);
}

template <typename T, int (*Encode)(const T*, unsigned char**)>
std::string to_der(const T* value) {
  unsigned char* der = nullptr;
  int n = Encode(value, &der);
  if (n <= 0) return "";
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  return out;
}

int i2d_pkcs7_const(const PKCS7* p, unsigned char** out) {
  return i2d_PKCS7(p, out);
}
int i2d_ts_req_const(const TS_REQ* r, unsigned char** out) {
  return i2d_TS_REQ(r, out);
}

bool same_integer(const ASN1_INTEGER* a, const ASN1_INTEGER* b) {
  return a && b && ASN1_INTEGER_cmp(a, b) == 0;
}

// SHA-x of data for the imprint's algorithm; "" for an algorithm OpenSSL does not know.
std::string digest_for(const X509_ALGOR* alg, const std::string& data) {
  const ASN1_OBJECT* oid = nullptr;
  X509_ALGOR_get0(&oid, nullptr, nullptr, alg);
  const EVP_MD* md = EVP_get_digestbyobj(oid);
  if (!md) return "";
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_Digest(data.data(), data.size(), out, &n, md, nullptr) != 1) return "";
  return std::string(reinterpret_cast<char*>(out), n);
}

}  // namespace

std::string request_timestamp_token(const TimestampAuthority& tsa, const std::string& data) {
  const std::string imprint = core::sha256(data);
  TsReqPtr req(TS_REQ_new());
  TsMsgImprintPtr msg(TS_MSG_IMPRINT_new());
  X509AlgorPtr alg(X509_ALGOR_new());
  std::string nonce_bytes = core::random_bytes(8);
  nonce_bytes[0] = static_cast<char>(nonce_bytes[0] & 0x7f);
  OpensslPtr<BIGNUM, BN_free> nonce_bn(
      BN_bin2bn(reinterpret_cast<const unsigned char*>(nonce_bytes.data()), 8, nullptr));
  Asn1IntegerPtr nonce(nonce_bn ? BN_to_ASN1_INTEGER(nonce_bn.get(), nullptr) : nullptr);
  if (!req || !msg || !alg || !nonce ||
      X509_ALGOR_set0(alg.get(), OBJ_nid2obj(NID_sha256), V_ASN1_NULL, nullptr) != 1 ||
      TS_MSG_IMPRINT_set_algo(msg.get(), alg.get()) != 1 ||
      TS_MSG_IMPRINT_set_msg(msg.get(),
                             reinterpret_cast<unsigned char*>(const_cast<char*>(imprint.data())),
                             static_cast<int>(imprint.size())) != 1 ||
      TS_REQ_set_version(req.get(), 1) != 1 || TS_REQ_set_msg_imprint(req.get(), msg.get()) != 1 ||
      TS_REQ_set_nonce(req.get(), nonce.get()) != 1 || TS_REQ_set_cert_req(req.get(), 1) != 1)
    throw core::Error::internal("time-stamp request: " + openssl_errors());
  const std::string request = to_der<TS_REQ, i2d_ts_req_const>(req.get());

  const std::string answer = tsa(request);
  auto p = reinterpret_cast<const unsigned char*>(answer.data());
  TsRespPtr resp(d2i_TS_RESP(nullptr, &p, static_cast<long>(answer.size())));
  if (!resp) {
    openssl_errors();
    throw timestamp_failed("the answer is not a DER TimeStampResp");
  }
  TS_STATUS_INFO* status = TS_RESP_get_status_info(resp.get());
  long code = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(status));
  if (code != 0 && code != 1)  // granted, grantedWithMods
    throw timestamp_failed("the request was rejected (PKIStatus " + std::to_string(code) + ")");
  PKCS7* token = TS_RESP_get_token(resp.get());
  TS_TST_INFO* info = TS_RESP_get_tst_info(resp.get());
  if (!token || !info) throw timestamp_failed("the answer holds no time-stamp token");
  const ASN1_OCTET_STRING* got = TS_MSG_IMPRINT_get_msg(TS_TST_INFO_get_msg_imprint(info));
  if (!got || std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(got)),
                          static_cast<size_t>(ASN1_STRING_length(got))) != imprint)
    throw timestamp_failed("the token stamps other data than the signature");
  if (!same_integer(TS_TST_INFO_get_nonce(info), nonce.get()))
    throw timestamp_failed("the token does not carry the request's nonce");
  std::string der = to_der<PKCS7, i2d_pkcs7_const>(token);
  if (der.empty()) throw timestamp_failed("the token cannot be encoded: " + openssl_errors());
  // The token must verify against its own certificate, or it is worthless in the PDF.
  TimestampCheck check = check_timestamp_token(der, data);
  if (!check.valid) throw timestamp_failed(check.problem);
  return der;
}

TimestampCheck check_timestamp_token(const std::string& token_der, const std::string& data) {
  TimestampCheck out;
  auto p = reinterpret_cast<const unsigned char*>(token_der.data());
  CmsPtr cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(token_der.size())));
  if (!cms) {
    openssl_errors();
    out.problem = "the time-stamp token is not CMS";
    return out;
  }
  BioPtr content = empty_bio();
  bool signed_ok = CMS_verify(cms.get(), nullptr, nullptr, nullptr, content.get(),
                              CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY) == 1;
  if (!signed_ok) {
    out.problem = "the time-stamp token's signature does not verify: " + openssl_errors();
    // Still read the time for the report, from the embedded content.
    ASN1_OCTET_STRING** econtent = CMS_get0_content(cms.get());
    if (econtent && *econtent)
      BIO_write(content.get(), ASN1_STRING_get0_data(*econtent), ASN1_STRING_length(*econtent));
  }
  const std::string tst = bio_contents(content.get());
  auto q = reinterpret_cast<const unsigned char*>(tst.data());
  TsTstInfoPtr info(d2i_TS_TST_INFO(nullptr, &q, static_cast<long>(tst.size())));
  if (!info) {
    openssl_errors();
    if (out.problem.empty()) out.problem = "the time-stamp token holds no TSTInfo";
    return out;
  }
  out.time = iso_time(TS_TST_INFO_get_time(info.get()));
  unix_time(TS_TST_INFO_get_time(info.get()), &out.unix_time);
  TS_MSG_IMPRINT* imprint = TS_TST_INFO_get_msg_imprint(info.get());
  const ASN1_OCTET_STRING* got = TS_MSG_IMPRINT_get_msg(imprint);
  std::string expected = digest_for(TS_MSG_IMPRINT_get_algo(imprint), data);
  bool imprint_ok =
      got && !expected.empty() &&
      expected == std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(got)),
                              static_cast<size_t>(ASN1_STRING_length(got)));
  if (!imprint_ok && out.problem.empty())
    out.problem = "the time-stamp token stamps other data than the signature value";
  out.valid = signed_ok && imprint_ok;
  return out;
}

}  // namespace paperd::engines::sign
