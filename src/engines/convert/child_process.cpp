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

extern char** environ;

namespace paperd::engines::convert {

namespace {

// RAII for the two posix_spawn descriptors.
struct SpawnAttrs {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  SpawnAttrs() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
  }
  ~SpawnAttrs() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
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

  posix_spawnattr_setpgroup(&sa.attr, 0);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&sa.attr, &none);
  sigset_t defaults;  // the worker ignores SIGPIPE and handles SIGTERM; the child must not
  sigemptyset(&defaults);
  for (int s : {SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGCHLD}) sigaddset(&defaults, s);
  posix_spawnattr_setsigdefault(&sa.attr, &defaults);
  posix_spawnattr_setflags(&sa.attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) env_strings.emplace_back(*e);
  for (const auto& [k, v] : o.env) {
    std::string prefix = k + "=";
    std::erase_if(env_strings, [&](const std::string& s) { return s.starts_with(prefix); });
    env_strings.push_back(prefix + v);
  }
  std::vector<char*> envp, argv;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = o.argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  pid_t pid = -1;
  int rc = posix_spawnp(&pid, argv[0], &sa.actions, &sa.attr, argv.data(), envp.data());
  if (rc != 0)
    throw core::Error::internal("cannot start '" + o.argv[0] + "': " + strerror(rc) +
                                " (is it installed?)");
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
