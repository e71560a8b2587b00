#include "store/master_key.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <string_view>
#include <utility>

#include "core/crypto.h"
#include "core/error.h"
#include "core/fs.h"

namespace paperd::store {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kEnvName = "PAPERD_MASTER_KEY";

std::string_view trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n";
  const size_t begin = s.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  return s.substr(begin, s.find_last_not_of(kSpace) - begin + 1);
}

bool is_hex_digit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool is_base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

// Standard base64 of exactly 32 bytes: 43 characters plus one '=' (which may be left out).
std::optional<std::string> decode_base64_key(std::string_view text) {
  std::string padded(text);
  if (padded.size() == 43) padded += '=';
  if (padded.size() != 44 || padded.back() != '=') return std::nullopt;
  if (!std::all_of(padded.begin(), padded.end() - 1, is_base64_char)) return std::nullopt;
  // EVP_DecodeBlock counts the padding as a zero byte, hence 33.
  std::string out(MasterKey::kSize + 1, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(padded.data()),
                                static_cast<int>(padded.size()));
  if (n != static_cast<int>(MasterKey::kSize + 1)) return std::nullopt;
  out.resize(MasterKey::kSize);
  return out;
}

std::string key_from_env(std::string_view value) {
  if (value.size() == 2 * MasterKey::kSize && std::all_of(value.begin(), value.end(), is_hex_digit))
    return core::from_hex(value);
  if (auto key = decode_base64_key(value)) return *key;
  throw core::Error::invalid_request(
      fmt::format("{} must be 64 hex characters or the base64 of 32 bytes; the value set has {} "
                  "characters and is neither (generate one with `openssl rand -hex 32`)",
                  kEnvName, value.size()));
}

core::Error key_file_error(const fs::path& path, const std::string& problem) {
  return core::Error::internal(fmt::format("master key file {} {}", path.string(), problem));
}

std::string read_key_file(const fs::path& path) {
  core::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) throw key_file_error(path, fmt::format("cannot be opened: {}", std::strerror(errno)));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0)
    throw key_file_error(path, fmt::format("cannot be examined: {}", std::strerror(errno)));
  if (!S_ISREG(st.st_mode)) throw key_file_error(path, "is not a regular file");
  // A key others can read protects nothing; refuse rather than warn, so the operator fixes it.
  if ((st.st_mode & 077) != 0)
    throw key_file_error(path, fmt::format("has mode {:04o}; it must not be accessible to group or "
                                           "others (chmod 600 {})",
                                           st.st_mode & 07777, path.string()));
  if (st.st_size != static_cast<off_t>(MasterKey::kSize))
    throw key_file_error(path, fmt::format("must hold exactly {} bytes but holds {}; it is not a "
                                           "paperd key or it was damaged (restore it from backup)",
                                           MasterKey::kSize, st.st_size));
  std::string key(MasterKey::kSize, '\0');
  size_t done = 0;
  while (done < key.size()) {
    const ssize_t n = ::read(fd.get(), key.data() + done, key.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw key_file_error(path, "could not be read in full");
    done += static_cast<size_t>(n);
  }
  return key;
}

// Creates the key file with a fresh key. Returns nothing when another process created the file
// first: its key must win, or blobs written by one process would be unreadable to the other.
std::optional<std::string> create_key_file(const fs::path& path) {
  const fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  std::error_code ec;
  if (fs::create_directories(dir, ec))
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  if (ec) throw key_file_error(path, "cannot get its directory created: " + ec.message());

  std::string key = core::random_bytes(MasterKey::kSize);
  // Written durably under a private name, then hard-linked into place: link() never replaces an
  // existing file, unlike the rename inside atomic_write_file.
  fs::path staged = path;
  staged += ".new-" + core::hex(core::random_bytes(6));
  core::atomic_write_file(staged, key, 0600);
  const int rc = ::link(staged.c_str(), path.c_str());
  const int err = errno;
  ::unlink(staged.c_str());
  if (rc != 0) {
    OPENSSL_cleanse(key.data(), key.size());
    if (err == EEXIST) return std::nullopt;
    throw key_file_error(path, fmt::format("cannot be created: {}", std::strerror(err)));
  }
  core::fsync_path(dir);
  return key;
}

}  // namespace

MasterKey::~MasterKey() {
  OPENSSL_cleanse(bytes_.data(), bytes_.size());
}

MasterKey MasterKey::from_bytes(std::string bytes32) {
  if (bytes32.size() != kSize)
    throw core::Error::internal(
        fmt::format("a master key must be {} bytes, not {}", kSize, bytes32.size()));
  return MasterKey(std::move(bytes32));
}

MasterKey MasterKey::load_or_create(const fs::path& key_file, const std::string& env_value) {
  if (const std::string_view value = trim(env_value); !value.empty())
    return MasterKey(key_from_env(value));

  struct stat st {};
  if (::stat(key_file.c_str(), &st) != 0) {
    if (errno != ENOENT)
      throw key_file_error(key_file, fmt::format("cannot be examined: {}", std::strerror(errno)));
    if (auto key = create_key_file(key_file)) return MasterKey(std::move(*key));
  }
  return MasterKey(read_key_file(key_file));
}

}  // namespace paperd::store
