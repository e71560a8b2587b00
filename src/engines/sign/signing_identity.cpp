// SigningIdentity: see signing_identity.h.
#include "engines/sign/signing_identity.h"

#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "core/crypto.h"
#include "core/error.h"
#include "engines/sign/openssl_handles.h"

namespace paperd::engines::sign {

struct SigningIdentity::Impl {
  X509Ptr cert;
  PkeyPtr key;
  std::vector<std::string> chain;
};

namespace {

core::Error failed(const std::string& what) {
  return core::Error::internal(what + ": " + openssl_errors());
}

void add_extension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  OpensslPtr<X509_EXTENSION, X509_EXTENSION_free> ext(
      X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) throw failed("certificate extension");
}

void add_name_entry(X509_NAME* name, const char* field, const std::string& value) {
  if (value.empty()) return;
  if (X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(value.data()),
                                 static_cast<int>(value.size()), -1, 0) != 1)
    throw core::Error::invalid_request("the certificate " + std::string(field) +
                                       " is not allowed: " + openssl_errors());
}

PkeyPtr new_key(KeyType type) {
  PkeyPtr key(type == KeyType::kP256 ? EVP_EC_gen("P-256") : EVP_RSA_gen(2048));
  if (!key) throw failed("key generation");
  return key;
}

}  // namespace

SigningIdentity::SigningIdentity(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SigningIdentity::SigningIdentity(SigningIdentity&&) noexcept = default;
SigningIdentity& SigningIdentity::operator=(SigningIdentity&&) noexcept = default;
SigningIdentity::~SigningIdentity() = default;

SigningIdentity SigningIdentity::generate(const std::string& common_name,
                                          const std::string& organization, int valid_days,
                                          KeyType key_type) {
  if (common_name.empty())
    throw core::Error::invalid_request("the signing certificate needs a common name");
  if (valid_days < 1)
    throw core::Error::invalid_request("the signing certificate must be valid for at least a day");
  auto impl = std::make_unique<Impl>();
  impl->key = new_key(key_type);
  impl->cert.reset(X509_new());
  X509* cert = impl->cert.get();
  if (!cert || X509_set_version(cert, 2) != 1) throw failed("certificate");

  // A positive 127-bit random serial (RFC 5280: unique per issuer, at most 20 octets).
  std::string serial = core::random_bytes(16);
  serial[0] = static_cast<char>(serial[0] & 0x7f);
  OpensslPtr<BIGNUM, BN_free> bn(
      BN_bin2bn(reinterpret_cast<const unsigned char*>(serial.data()), 16, nullptr));
  if (!bn || !BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert))) throw failed("serial");

  if (!X509_gmtime_adj(X509_getm_notBefore(cert), 0) ||
      !X509_time_adj_ex(X509_getm_notAfter(cert), valid_days, 0, nullptr))
    throw failed("validity");
  X509_NAME* name = X509_get_subject_name(cert);
  add_name_entry(name, "CN", common_name);
  add_name_entry(name, "O", organization);
  if (X509_set_issuer_name(cert, name) != 1 || X509_set_pubkey(cert, impl->key.get()) != 1)
    throw failed("certificate names");
  add_extension(cert, NID_basic_constraints, "critical,CA:FALSE");
  add_extension(cert, NID_key_usage, "critical,digitalSignature,nonRepudiation");
  add_extension(cert, NID_subject_key_identifier, "hash");
  add_extension(cert, NID_authority_key_identifier, "keyid:always");
  if (X509_sign(cert, impl->key.get(), EVP_sha256()) <= 0) throw failed("certificate signature");
  return SigningIdentity(std::move(impl));
}

SigningIdentity SigningIdentity::from_pkcs12(const std::string& der, const std::string& password) {
  auto p = reinterpret_cast<const unsigned char*>(der.data());
  Pkcs12Ptr p12(d2i_PKCS12(nullptr, &p, static_cast<long>(der.size())));
  if (!p12) {
    openssl_errors();
    throw core::Error::invalid_request("the signing identity is not a PKCS#12 (.p12/.pfx) file");
  }
  // An empty password may have been encoded as no password at all (NULL) or as "".
  const char* pass = password.c_str();
  if (PKCS12_mac_present(p12.get())) {
    if (PKCS12_verify_mac(p12.get(), pass, -1) != 1) {
      if (password.empty() && PKCS12_verify_mac(p12.get(), nullptr, 0) == 1) {
        pass = nullptr;
      } else {
        openssl_errors();
        throw core::Error::invalid_request("wrong password for the PKCS#12 signing identity");
      }
    }
  }
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  STACK_OF(X509)* ca = nullptr;
  if (PKCS12_parse(p12.get(), pass, &key, &cert, &ca) != 1) {
    throw core::Error::invalid_request(
        "the PKCS#12 signing identity cannot be decrypted (wrong password, or an algorithm "
        "OpenSSL 3 only has in its legacy provider such as RC2-40): " +
        openssl_errors());
  }
  auto impl = std::make_unique<Impl>();
  impl->key.reset(key);
  impl->cert.reset(cert);
  X509StackPtr chain(ca);
  if (!impl->cert) throw core::Error::invalid_request("the PKCS#12 file holds no certificate");
  if (!impl->key) throw core::Error::invalid_request("the PKCS#12 file holds no private key");
  if (X509_check_private_key(impl->cert.get(), impl->key.get()) != 1) {
    openssl_errors();
    throw core::Error::invalid_request(
        "the private key in the PKCS#12 file does not belong to its certificate");
  }
  for (int i = 0; chain && i < sk_X509_num(chain.get()); ++i)
    impl->chain.push_back(sign::certificate_der(sk_X509_value(chain.get(), i)));
  return SigningIdentity(std::move(impl));
}

std::string SigningIdentity::to_pkcs12(const std::string& password) const {
  X509StackPtr ca(sk_X509_new_null());
  for (const auto& der : impl_->chain) {
    auto p = reinterpret_cast<const unsigned char*>(der.data());
    X509* c = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
    if (!c || !sk_X509_push(ca.get(), c)) {
      X509_free(c);
      throw failed("PKCS#12 chain");
    }
  }
  // nid 0 everywhere: OpenSSL 3's defaults, AES-256-CBC with PBKDF2 and a SHA-256 MAC.
  Pkcs12Ptr p12(PKCS12_create(password.c_str(), "paperd signing", impl_->key.get(),
                              impl_->cert.get(), ca.get(), 0, 0, 0, 0, 0));
  if (!p12) throw failed("PKCS#12 export");
  unsigned char* der = nullptr;
  int n = i2d_PKCS12(p12.get(), &der);
  if (n <= 0) throw failed("PKCS#12 encoding");
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  return out;
}

std::string SigningIdentity::certificate_der() const {
  return sign::certificate_der(impl_->cert.get());
}

std::string SigningIdentity::subject() const {
  return name_to_string(X509_get_subject_name(impl_->cert.get()));
}

std::string SigningIdentity::certificate_sha256_hex() const {
  return sign::certificate_sha256_hex(impl_->cert.get());
}

X509* SigningIdentity::certificate() const {
  return impl_->cert.get();
}
EVP_PKEY* SigningIdentity::private_key() const {
  return impl_->key.get();
}
const std::vector<std::string>& SigningIdentity::chain_der() const {
  return impl_->chain;
}

}  // namespace paperd::engines::sign
