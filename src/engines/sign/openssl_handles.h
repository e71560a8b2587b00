// RAII owners for the OpenSSL handles of the signing engine (unique_ptr with the matching free
// function) and the small conversions every part of it needs: OpenSSL's error queue as text,
// X.509 names and times as strings, DER in and out of memory BIOs.
#pragma once

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace paperd::engines::sign {

template <typename T, void (*Free)(T*)>
struct OpensslFree {
  void operator()(T* p) const { Free(p); }
};
template <typename T, void (*Free)(T*)>
using OpensslPtr = std::unique_ptr<T, OpensslFree<T, Free>>;

inline void free_x509_stack(STACK_OF(X509) * s) {
  sk_X509_pop_free(s, X509_free);
}
inline void free_bio(BIO* b) {
  BIO_free_all(b);
}

using BioPtr = OpensslPtr<BIO, free_bio>;
using X509Ptr = OpensslPtr<X509, X509_free>;
using X509StackPtr = OpensslPtr<STACK_OF(X509), free_x509_stack>;
using X509StorePtr = OpensslPtr<X509_STORE, X509_STORE_free>;
using X509StoreCtxPtr = OpensslPtr<X509_STORE_CTX, X509_STORE_CTX_free>;
using PkeyPtr = OpensslPtr<EVP_PKEY, EVP_PKEY_free>;
using PkeyCtxPtr = OpensslPtr<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using CmsPtr = OpensslPtr<CMS_ContentInfo, CMS_ContentInfo_free>;
using Pkcs12Ptr = OpensslPtr<PKCS12, PKCS12_free>;
using Asn1TimePtr = OpensslPtr<ASN1_TIME, ASN1_TIME_free>;
using Asn1IntegerPtr = OpensslPtr<ASN1_INTEGER, ASN1_INTEGER_free>;
using TsReqPtr = OpensslPtr<TS_REQ, TS_REQ_free>;
using TsRespPtr = OpensslPtr<TS_RESP, TS_RESP_free>;
using TsMsgImprintPtr = OpensslPtr<TS_MSG_IMPRINT, TS_MSG_IMPRINT_free>;
using TsTstInfoPtr = OpensslPtr<TS_TST_INFO, TS_TST_INFO_free>;
using X509AlgorPtr = OpensslPtr<X509_ALGOR, X509_ALGOR_free>;
using EssSigningCertV2Ptr = OpensslPtr<ESS_SIGNING_CERT_V2, ESS_SIGNING_CERT_V2_free>;

// Drains OpenSSL's thread-local error queue into one line ("" when empty), so a failure message
// says what OpenSSL objected to and the next call starts clean.
std::string openssl_errors();

// A read-only memory BIO over bytes that outlive it; an empty memory BIO to write into.
BioPtr memory_bio(std::string_view bytes);
BioPtr empty_bio();
std::string bio_contents(BIO* bio);

// "CN=paperd signing,O=Example,C=DE": the entries in certificate order, short names, RFC 4514
// escaping of the separators.
std::string name_to_string(const X509_NAME* name);
// The first entry of `nid` in the name, UTF-8 ("" when absent).
std::string name_entry(const X509_NAME* name, int nid);
// ISO 8601 UTC ("2024-05-01T12:00:00Z"); "" when the time cannot be read.
std::string iso_time(const ASN1_TIME* time);
// Seconds since the epoch; false when the time cannot be read.
bool unix_time(const ASN1_TIME* time, int64_t* out);
// Lower-case hex SHA-256 of the certificate's DER.
std::string certificate_sha256_hex(X509* cert);
std::string certificate_der(X509* cert);

}  // namespace paperd::engines::sign
