#include "store/value_sealer.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "core/crypto.h"
#include "core/error.h"
#include "store/gcm.h"

namespace paperd::store {

namespace {

constexpr std::string_view kPrefix = "sealed:v1:";
constexpr std::string_view kLabel = "paperd sealed values v1";

}  // namespace

ValueSealer::ValueSealer(const MasterKey& master) {
  unsigned char out[EVP_MAX_MD_SIZE];
  size_t len = 0;
  if (!EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, master.bytes().data(),
                 master.bytes().size(), reinterpret_cast<const unsigned char*>(kLabel.data()),
                 kLabel.size(), out, sizeof out, &len) ||
      len != kGcmKeySize)
    throw core::Error::internal("cannot derive the sealing key (HMAC-SHA256)");
  key_.assign(reinterpret_cast<const char*>(out), len);
  OPENSSL_cleanse(out, sizeof out);
}

ValueSealer::~ValueSealer() {
  OPENSSL_cleanse(key_.data(), key_.size());
}

std::string ValueSealer::seal(std::string_view plain, std::string_view context) const {
  const std::string iv = core::random_bytes(kGcmIvSize);
  std::string sealed;
  Gcm().seal(key_, iv, context, plain, sealed);
  return std::string(kPrefix) + core::hex(iv + sealed);
}

std::string ValueSealer::open(std::string_view text, std::string_view context) const {
  if (!is_sealed(text)) throw core::Error::internal("not a sealed value");
  std::string raw = core::from_hex(text.substr(kPrefix.size()));
  if (raw.size() < kGcmIvSize + kGcmTagSize)
    throw core::Error(500, "DATA_CORRUPT", "a sealed value is truncated");
  std::string plain;
  if (!Gcm().open(key_, std::string_view(raw).substr(0, kGcmIvSize), context,
                  std::string_view(raw).substr(kGcmIvSize), plain))
    throw core::Error(500, "DATA_CORRUPT",
                      "a sealed value does not verify (changed, moved, or another master key)");
  return plain;
}

bool ValueSealer::is_sealed(std::string_view text) {
  return text.starts_with(kPrefix);
}

}  // namespace paperd::store
