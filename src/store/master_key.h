// The server's master key: 32 bytes that wrap the per-blob data keys of the blob store. It comes
// from PAPERD_MASTER_KEY or from a key file created on first start; losing it loses every blob.
// Immutable after construction, so one instance may be shared by any number of threads.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <utility>

namespace paperd::store {

class MasterKey {
 public:
  static constexpr size_t kSize = 32;

  // env_value is the value of PAPERD_MASTER_KEY ("" when unset; surrounding whitespace ignored).
  // When set it must be 64 hex characters or the base64 of 32 bytes, else Error::invalid_request
  // naming the variable (the value itself is never echoed). When unset the key is read from
  // key_file; a missing file is created atomically with 32 random bytes and mode 0600, and if two
  // processes race to create it both end up with the one that landed first. A key file that is
  // not a regular file, does not hold exactly 32 bytes, or is accessible to group or others
  // throws Error::internal.
  static MasterKey load_or_create(const std::filesystem::path& key_file,
                                  const std::string& env_value);
  // For tests and tools; throws Error::internal unless bytes32 holds exactly 32 bytes.
  static MasterKey from_bytes(std::string bytes32);

  MasterKey(const MasterKey&) = default;
  MasterKey(MasterKey&&) noexcept = default;
  MasterKey& operator=(const MasterKey&) = default;
  MasterKey& operator=(MasterKey&&) noexcept = default;
  ~MasterKey();  // wipes the key bytes so they do not linger in freed memory

  const std::string& bytes() const { return bytes_; }

 private:
  explicit MasterKey(std::string bytes) : bytes_(std::move(bytes)) {}

  std::string bytes_;
};

}  // namespace paperd::store
