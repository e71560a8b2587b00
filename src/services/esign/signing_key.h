// The server's e-signature identity: the operator's PKCS#12 (esign_pkcs12_path), or one generated
// on first start and kept in <data_dir>/esign/identity.sealed, sealed under the master key. Each
// signing hands the child a PKCS#12 copy under a one-time password in the request's temp dir.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "core/config.h"
#include "engines/sign/signing_identity.h"
#include "store/value_sealer.h"

namespace paperd::services::esign {

class SigningKey {
 public:
  // Throws Error::invalid_request naming esign_pkcs12_path when the operator's file does not open.
  SigningKey(const core::Config& config, const store::ValueSealer* sealer);

  const engines::sign::SigningIdentity& identity() const { return *identity_; }
  std::string certificate_der() const { return identity_->certificate_der(); }
  // Writes a PKCS#12 copy to path (mode 0600) and returns its password.
  std::string write_copy(const std::filesystem::path& path) const;

 private:
  std::unique_ptr<engines::sign::SigningIdentity> identity_;
};

}  // namespace paperd::services::esign
