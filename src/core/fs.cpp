#include "core/fs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/crypto.h"
#include "core/error.h"

namespace paperd::core {

void UniqueFd::reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

static Error io_error(const std::string& what, const fs::path& path) {
  return Error::internal(what + " " + path.string() + ": " + std::strerror(errno));
}

void fsync_path(const fs::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) throw io_error("cannot open for fsync", path);
  if (::fsync(fd.get()) != 0) throw io_error("fsync failed on", path);
}

void atomic_write_file(const fs::path& path, std::string_view data, int mode) {
  fs::path tmp = path;
  tmp += ".tmp-" + hex(random_bytes(6));
  {
    UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
    if (!fd) throw io_error("cannot create", tmp);
    size_t done = 0;
    while (done < data.size()) {
      ssize_t n = ::write(fd.get(), data.data() + done, data.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        ::unlink(tmp.c_str());
        throw io_error("cannot write", tmp);
      }
      done += static_cast<size_t>(n);
    }
    if (::fsync(fd.get()) != 0) {
      ::unlink(tmp.c_str());
      throw io_error("fsync failed on", tmp);
    }
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    throw io_error("cannot rename to", path);
  }
  fsync_path(path.parent_path().empty() ? fs::path(".") : path.parent_path());
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error::internal("cannot read " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TempDir::TempDir(const fs::path& parent, std::string_view prefix) {
  fs::create_directories(parent);
  std::string templ = (parent / (std::string(prefix) + "XXXXXX")).string();
  if (::mkdtemp(templ.data()) == nullptr) throw io_error("cannot create temp dir in", parent);
  path_ = templ;
}

TempDir::~TempDir() {
  if (path_.empty()) return;
  std::error_code ec;
  fs::remove_all(path_, ec);
}

}  // namespace paperd::core
