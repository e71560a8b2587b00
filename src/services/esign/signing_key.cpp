#include "services/esign/signing_key.h"

#include <system_error>

#include "core/crypto.h"
#include "core/error.h"
#include "core/fs.h"

namespace paperd::services::esign {

using core::Error;
namespace sign = engines::sign;

namespace {
constexpr const char* kSealContext = "esign:identity";
}

SigningKey::SigningKey(const core::Config& config, const store::ValueSealer* sealer) {
  if (!config.esign_pkcs12_path.empty()) {
    std::string der;
    try {
      der = core::read_file(config.esign_pkcs12_path);
    } catch (const Error& e) {
      throw Error::invalid_request("esign_pkcs12_path: " + std::string(e.what()));
    }
    try {
      identity_ = std::make_unique<sign::SigningIdentity>(
          sign::SigningIdentity::from_pkcs12(der, config.esign_pkcs12_password));
    } catch (const Error& e) {
      throw Error::invalid_request("esign_pkcs12_path " + config.esign_pkcs12_path + ": " +
                                   e.what());
    }
    return;
  }
  // A generated key lives only sealed under the master key, never in the clear on disk.
  if (!sealer)
    throw Error::unavailable("e-signatures need the master key to keep the signing key sealed");
  const auto file = config.data_dir / "esign" / "identity.sealed";
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) {
    std::string der = core::read_file(file);
    der = sealer->open(der, kSealContext);
    identity_ =
        std::make_unique<sign::SigningIdentity>(sign::SigningIdentity::from_pkcs12(der, ""));
    return;
  }
  identity_ = std::make_unique<sign::SigningIdentity>(
      sign::SigningIdentity::generate("paperd e-signatures", "paperd", 3650));
  std::string der = identity_->to_pkcs12("");
  std::filesystem::create_directories(file.parent_path());
  core::atomic_write_file(file, sealer->seal(der, kSealContext), 0600);
}

std::string SigningKey::write_copy(const std::filesystem::path& path) const {
  std::string password = core::hex(core::random_bytes(16));
  core::atomic_write_file(path, identity_->to_pkcs12(password), 0600);
  return password;
}

}  // namespace paperd::services::esign
