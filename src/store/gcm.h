// AES-256-GCM for the store's encrypted data (blobs and sealed values): each call one complete
// message with a 32-byte key, a 12-byte IV and additional authenticated data; the 16-byte tag
// follows the ciphertext. The cipher is fetched once and the context reused, so per-message cost
// is the encryption itself. Not thread-safe: one Gcm per thread (or per use).
#pragma once

#include <openssl/evp.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace paperd::store {

inline constexpr size_t kGcmKeySize = 32;
inline constexpr size_t kGcmIvSize = 12;
inline constexpr size_t kGcmTagSize = 16;

class Gcm {
 public:
  Gcm();  // throws Error::internal when OpenSSL has no AES-256-GCM

  // out = ciphertext || tag.
  void seal(std::string_view key, std::string_view iv, std::string_view aad, std::string_view plain,
            std::string& out);
  // sealed = ciphertext || tag. False when the tag does not verify; out is then emptied, so
  // unauthenticated plaintext never leaves this function.
  bool open(std::string_view key, std::string_view iv, std::string_view aad,
            std::string_view sealed, std::string& out);

 private:
  struct CipherDeleter {
    void operator()(EVP_CIPHER* c) const { EVP_CIPHER_free(c); }
  };
  struct CipherCtxDeleter {
    void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
  };

  void init(std::string_view key, std::string_view iv, int enc);
  bool add_aad(std::string_view aad);
  bool crypt(std::string_view in, unsigned char* out);

  std::unique_ptr<EVP_CIPHER, CipherDeleter> cipher_;
  std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter> ctx_;
};

}  // namespace paperd::store
