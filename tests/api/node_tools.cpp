#include "node_tools.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace paperd::testing {

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

int run_shell(const std::string& cmd, std::string* output) {
  FILE* f = popen((cmd + " 2>&1").c_str(), "r");
  if (!f) return -1;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0)
    if (output) output->append(buf, n);
  int status = pclose(f);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

fs::path source_dir() {
  return fs::path(PAPERD_SOURCE_DIR) / "tests" / "e2e";
}

}  // namespace

fs::path e2e_dir() {
  return fs::path(PAPERD_BINARY).parent_path() / "e2e";
}

std::string ensure_node_tools() {
  fs::path dir = e2e_dir();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return "cannot create " + dir.string() + ": " + ec.message();
  // One installer at a time, also across test processes.
  int lock = ::open((dir / ".install.lock").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
  if (lock < 0) return "cannot open the install lock in " + dir.string();
  ::flock(lock, LOCK_EX);
  std::string error;
  std::string lockfile = slurp(source_dir() / "package-lock.json");
  bool fresh = fs::exists(dir / "node_modules") && slurp(dir / "package-lock.json") == lockfile &&
               slurp(dir / "package.json") == slurp(source_dir() / "package.json");
  if (!fresh) {
    fs::copy_file(source_dir() / "package.json", dir / "package.json",
                  fs::copy_options::overwrite_existing, ec);
    if (!ec)
      fs::copy_file(source_dir() / "package-lock.json", dir / "package-lock.json",
                    fs::copy_options::overwrite_existing, ec);
    std::string out;
    if (ec) {
      error = "cannot copy package files: " + ec.message();
    } else if (run_shell("timeout 900 npm ci --no-audit --no-fund --prefix " + quote(dir.string()),
                         &out) != 0) {
      fs::remove_all(dir / "node_modules", ec);
      error = "npm ci failed in " + dir.string() + ":\n" + out;
    }
  }
  if (error.empty())
    for (const auto& entry : fs::directory_iterator(source_dir()))
      if (entry.path().extension() == ".mjs")
        fs::copy_file(entry.path(), dir / entry.path().filename(),
                      fs::copy_options::overwrite_existing, ec);
  ::flock(lock, LOCK_UN);
  ::close(lock);
  return error;
}

int run_node(const std::string& script, const std::vector<std::string>& args, std::string* output) {
  std::string cmd = "cd " + quote(e2e_dir().string()) + " && timeout 300 node " + quote(script);
  for (const auto& a : args) cmd += " " + quote(a);
  return run_shell(cmd, output);
}

}  // namespace paperd::testing
