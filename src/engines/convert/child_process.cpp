#include "engines/convert/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "core/error.h"
#include "core/subprocess.h"

namespace paperd::engines::convert {

namespace {

// RAII for the file actions of posix_spawn.
struct SpawnAttrs {
  posix_spawn_file_actions_t actions;
  SpawnAttrs() { posix_spawn_file_actions_init(&actions); }
  ~SpawnAttrs() { posix_spawn_file_actions_destroy(&actions); }
};

int raise_fd(int fd) {
  int high = fcntl(fd, F_DUPFD_CLOEXEC, 10);
  int saved = errno;
  ::close(fd);
  if (high < 0) throw core::Error::internal(std::string("cannot dup a pipe: ") + strerror(saved));
  return high;
}

}  // namespace

Pipe make_pipe() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0)
    throw core::Error::internal(std::string("cannot create a pipe: ") + strerror(errno));
  Pipe p;
  p.read = core::UniqueFd(raise_fd(fds[0]));
  p.write = core::UniqueFd(raise_fd(fds[1]));
  return p;
}

ChildProcess::ChildProcess(const ChildOptions& o) {
  if (o.argv.empty()) throw core::Error::internal("ChildProcess: empty argv");
  SpawnAttrs sa;
  int highest = 2;
  bool has_stdin = false, has_stdout = false;
  for (auto [from, to] : o.fds) {
    posix_spawn_file_actions_adddup2(&sa.actions, from, to);
    highest = std::max(highest, to);
    has_stdin |= to == 0;
    has_stdout |= to == 1;
  }
  if (!has_stdin) posix_spawn_file_actions_addopen(&sa.actions, 0, "/dev/null", O_RDONLY, 0);
  std::string log = o.log.empty() ? "/dev/null" : o.log.string();
  posix_spawn_file_actions_addopen(&sa.actions, 2, log.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                   0600);
  if (!has_stdout) posix_spawn_file_actions_adddup2(&sa.actions, 2, 1);
  // Whatever else this process has open (other jobs' pipes, database files) stays here.
  posix_spawn_file_actions_addclosefrom_np(&sa.actions, highest + 1);
  if (!o.cwd.empty()) posix_spawn_file_actions_addchdir_np(&sa.actions, o.cwd.c_str());

  pid_t pid = core::spawn_process(o.argv, o.env, &sa.actions);
  pid_ = pid;
}

ChildProcess& ChildProcess::operator=(ChildProcess&& o) noexcept {
  if (this != &o) {
    kill();
    pid_ = std::exchange(o.pid_, -1);
  }
  return *this;
}

bool ChildProcess::running() const {
  if (pid_ <= 0) return false;
  siginfo_t info{};
  if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) != 0)
    return false;
  return info.si_pid != pid_;
}

int ChildProcess::wait(int timeout_ms) {
  if (pid_ <= 0) return -1;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (running() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  // The leader is not reaped yet, so its group id cannot have been reused: kill the rest.
  ::kill(-pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return -1;
}

void ChildProcess::kill() {
  if (pid_ <= 0) return;
  ::kill(-pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

}  // namespace paperd::engines::convert
