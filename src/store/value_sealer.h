// Small secrets kept in the database encrypted: job parameters (PDF passwords, cookies, headers
// for url_to_pdf) are sealed with AES-256-GCM under a key derived from the master key
// (HMAC-SHA256(master, "paperd sealed values v1")), each with a fresh 12-byte IV and bound to
// its row by the additional data (e.g. "job:<id>"), so a sealed value copied to another row
// does not open. Text form: "sealed:v1:" + hex(iv || ciphertext || tag).
// Immutable after construction: one instance may be shared by any number of threads.
#pragma once

#include <string>
#include <string_view>

#include "store/master_key.h"

namespace paperd::store {

class ValueSealer {
 public:
  explicit ValueSealer(const MasterKey& master);
  ValueSealer(const ValueSealer&) = delete;
  ValueSealer& operator=(const ValueSealer&) = delete;
  ~ValueSealer();  // wipes the derived key

  std::string seal(std::string_view plain, std::string_view context) const;
  // Throws Error(500, "DATA_CORRUPT") when the value was changed, belongs to another context or
  // was sealed under another master key; Error::internal when it is not a sealed value.
  std::string open(std::string_view sealed, std::string_view context) const;
  static bool is_sealed(std::string_view text);

 private:
  std::string key_;
};

}  // namespace paperd::store
