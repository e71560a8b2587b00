// File-system helpers with the durability rules of ARCHITECTURE §2: atomic writes (temp file,
// fsync, rename, fsync of the directory) and RAII owners for temp files and directories.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>

namespace paperd::core {

namespace fs = std::filesystem;

// Writes data to path atomically; readers see the old file or the whole new one, never a part.
void atomic_write_file(const fs::path& path, std::string_view data, int mode = 0644);
// fsync a file or directory by path (throws Error::internal on failure).
void fsync_path(const fs::path& path);
std::string read_file(const fs::path& path);

// A directory removed with everything in it when the owner goes out of scope.
class TempDir {
 public:
  // Creates a fresh directory "<parent>/<prefix>XXXXXX".
  TempDir(const fs::path& parent, std::string_view prefix);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  TempDir(TempDir&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  const fs::path& path() const { return path_; }
  // Keeps the directory on disk (ownership passes to the caller).
  fs::path release() { return std::exchange(path_, {}); }

 private:
  fs::path path_;
};

// A file descriptor closed on scope exit.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
  }
  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  int release() { return std::exchange(fd_, -1); }
  void reset(int fd = -1);

 private:
  int fd_ = -1;
};

}  // namespace paperd::core
