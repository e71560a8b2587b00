// A long-running converter child (a LibreOffice driver, a Chromium browser) that paperd talks to
// over pipes while it runs, unlike core::run_process which runs a tool to completion. The child
// gets its own process group; destroying the object (or kill()) SIGKILLs the whole group and
// reaps the leader, so nothing the tool forked outlives it. Not thread-safe; one owner.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "core/fs.h"

namespace paperd::engines::convert {

struct ChildOptions {
  std::vector<std::string> argv;                         // argv[0] is looked up in PATH
  std::vector<std::pair<std::string, std::string>> env;  // added to the inherited environment
  std::filesystem::path cwd;                             // empty = inherit
  // (fd in this process, fd number in the child); every other descriptor above 2 is closed in
  // the child. Unmapped stdin reads /dev/null; unmapped stdout goes to the log.
  std::vector<std::pair<int, int>> fds;
  std::filesystem::path log;  // stderr (and unmapped stdout), appended; empty = /dev/null
};

class ChildProcess {
 public:
  ChildProcess() = default;
  // Throws Error::internal naming argv[0] when it cannot be started.
  explicit ChildProcess(const ChildOptions& options);
  ~ChildProcess() { kill(); }
  ChildProcess(ChildProcess&& o) noexcept : pid_(std::exchange(o.pid_, -1)) {}
  ChildProcess& operator=(ChildProcess&& o) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }  // also the process group id; -1 when none
  bool running() const;               // false once the leader has exited (not reaped yet)
  // Waits up to timeout_ms for the leader to exit by itself; then kills the group. Returns the
  // exit code, or -signal.
  int wait(int timeout_ms);
  // SIGKILL to the whole group and reap the leader; a no-op without a child.
  void kill();

 private:
  pid_t pid_ = -1;
};

// A pipe whose ends are close-on-exec and numbered 10 or above, so mapping one onto a child's
// 0-4 never collides with its own number.
struct Pipe {
  core::UniqueFd read, write;
};
Pipe make_pipe();

}  // namespace paperd::engines::convert
