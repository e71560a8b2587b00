#include "store/gcm.h"

#include <openssl/crypto.h>

#include "core/error.h"

namespace paperd::store {

Gcm::Gcm()
    : cipher_(EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr)), ctx_(EVP_CIPHER_CTX_new()) {
  if (!cipher_ || !ctx_) throw core::Error::internal("OpenSSL provides no AES-256-GCM");
}

void Gcm::seal(std::string_view key, std::string_view iv, std::string_view aad,
               std::string_view plain, std::string& out) {
  init(key, iv, 1);
  out.resize(plain.size() + kGcmTagSize);
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  int len = 0;
  bool ok = add_aad(aad) && crypt(plain, o);
  ok = ok && EVP_CipherFinal_ex(ctx_.get(), o + plain.size(), &len) == 1;
  ok = ok &&
       EVP_CIPHER_CTX_ctrl(ctx_.get(), EVP_CTRL_AEAD_GET_TAG, kGcmTagSize, o + plain.size()) == 1;
  if (!ok) throw core::Error::internal("AES-256-GCM encryption failed");
}

bool Gcm::open(std::string_view key, std::string_view iv, std::string_view aad,
               std::string_view sealed, std::string& out) {
  if (sealed.size() < kGcmTagSize) return false;
  const size_t n = sealed.size() - kGcmTagSize;
  init(key, iv, 0);
  out.resize(n);
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  int len = 0;
  bool ok = add_aad(aad) && crypt(sealed.substr(0, n), o);
  ok = ok && EVP_CIPHER_CTX_ctrl(ctx_.get(), EVP_CTRL_AEAD_SET_TAG, kGcmTagSize,
                                 const_cast<char*>(sealed.data() + n)) == 1;
  ok = ok && EVP_CipherFinal_ex(ctx_.get(), o + n, &len) == 1;
  if (!ok) {
    OPENSSL_cleanse(out.data(), out.size());
    out.clear();
  }
  return ok;
}

void Gcm::init(std::string_view key, std::string_view iv, int enc) {
  const auto* k = reinterpret_cast<const unsigned char*>(key.data());
  const auto* v = reinterpret_cast<const unsigned char*>(iv.data());
  if (key.size() != kGcmKeySize || iv.size() != kGcmIvSize ||
      EVP_CipherInit_ex2(ctx_.get(), cipher_.get(), k, v, enc, nullptr) != 1)
    throw core::Error::internal("AES-256-GCM initialisation failed");
}

bool Gcm::add_aad(std::string_view aad) {
  int len = 0;
  return EVP_CipherUpdate(ctx_.get(), nullptr, &len,
                          reinterpret_cast<const unsigned char*>(aad.data()),
                          static_cast<int>(aad.size())) == 1;
}

bool Gcm::crypt(std::string_view in, unsigned char* out) {
  if (in.empty()) return true;
  int len = 0;
  return EVP_CipherUpdate(ctx_.get(), out, &len, reinterpret_cast<const unsigned char*>(in.data()),
                          static_cast<int>(in.size())) == 1 &&
         static_cast<size_t>(len) == in.size();
}

}  // namespace paperd::store
