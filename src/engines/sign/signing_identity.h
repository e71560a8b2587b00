// The server's signing key and certificate: RSA-2048 or P-256, X.509 v3 with keyUsage
// digitalSignature + nonRepudiation. Made once (generate) and persisted as PKCS#12. Immutable
// after construction, so one identity may sign on several threads at once.
#pragma once

#include <memory>
#include <string>
#include <vector>

typedef struct x509_st X509;
typedef struct evp_pkey_st EVP_PKEY;

namespace paperd::engines::sign {

enum class KeyType { kRsa2048, kP256 };

class SigningIdentity {
 public:
  // A self-signed certificate valid from now for valid_days. 400 for an empty common name or
  // valid_days < 1; 500 when OpenSSL fails.
  static SigningIdentity generate(const std::string& common_name, const std::string& organization,
                                  int valid_days, KeyType key_type = KeyType::kRsa2048);
  // 400 INVALID_REQUEST naming the problem: not PKCS#12, wrong password, no key or certificate,
  // key and certificate that do not belong together. Extra certificates become the chain.
  static SigningIdentity from_pkcs12(const std::string& der, const std::string& password);
  std::string to_pkcs12(const std::string& password) const;  // AES-256 + PBKDF2 (OpenSSL 3)

  std::string certificate_der() const;
  std::string subject() const;  // "CN=paperd signing,O=..."
  std::string certificate_sha256_hex() const;

  // For the signer: owned by this identity.
  X509* certificate() const;
  EVP_PKEY* private_key() const;
  // Intermediate certificates from the PKCS#12 (embedded in each signature), DER each.
  const std::vector<std::string>& chain_der() const;

  SigningIdentity(SigningIdentity&&) noexcept;
  SigningIdentity& operator=(SigningIdentity&&) noexcept;
  ~SigningIdentity();

 private:
  struct Impl;
  explicit SigningIdentity(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace paperd::engines::sign
