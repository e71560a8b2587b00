#include "core/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "core/clock.h"
#include "core/error.h"
#include "core/fs.h"

extern char** environ;

namespace paperd::core {

pid_t spawn_process(const std::vector<std::string>& argv_in,
                    const std::vector<std::pair<std::string, std::string>>& env,
                    const posix_spawn_file_actions_t* actions) {
  if (argv_in.empty()) throw Error::internal("spawn_process: empty argv");
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setpgroup(&attr, 0);  // a new process group we can kill as a whole
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  sigset_t defaults;  // the server ignores SIGPIPE and handles the others; the child must not
  sigemptyset(&defaults);
  for (int s : {SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGCHLD}) sigaddset(&defaults, s);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) env_strings.emplace_back(*e);
  for (const auto& [k, v] : env) {
    std::string prefix = k + "=";
    std::erase_if(env_strings, [&](const std::string& s) { return s.starts_with(prefix); });
    env_strings.push_back(prefix + v);
  }
  std::vector<char*> envp, argv;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = argv_in;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  pid_t pid = -1;
  int rc = posix_spawnp(&pid, argv[0], actions, &attr, argv.data(), envp.data());
  posix_spawnattr_destroy(&attr);
  if (rc != 0)
    throw Error::internal("cannot start '" + argv_in[0] + "': " + std::strerror(rc) +
                          " (is it installed?)");
  return pid;
}

ProcessResult run_process(const ProcessOptions& o) {
  if (o.argv.empty()) throw Error::internal("run_process: empty argv");
  int out_pipe[2], err_pipe[2], in_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) || pipe2(err_pipe, O_CLOEXEC) || pipe2(in_pipe, O_CLOEXEC))
    throw Error::internal(std::string("cannot create pipes: ") + std::strerror(errno));
  UniqueFd out_r(out_pipe[0]), out_w(out_pipe[1]), err_r(err_pipe[0]), err_w(err_pipe[1]),
      in_r(in_pipe[0]), in_w(in_pipe[1]);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_r.get(), 0);
  posix_spawn_file_actions_adddup2(&actions, out_w.get(), 1);
  posix_spawn_file_actions_adddup2(&actions, err_w.get(), 2);
  if (!o.cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, o.cwd.c_str());
  Stopwatch watch;
  pid_t pid = 0;
  try {
    pid = spawn_process(o.argv, o.env, &actions);
  } catch (...) {
    posix_spawn_file_actions_destroy(&actions);
    throw;
  }
  posix_spawn_file_actions_destroy(&actions);
  out_w.reset();
  err_w.reset();
  in_r.reset();

  ProcessResult r;
  size_t in_off = 0;
  if (o.stdin_data.empty())
    in_w.reset();
  else
    fcntl(in_w.get(), F_SETFL, O_NONBLOCK);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(o.timeout_ms);
  while (out_r || err_r) {
    std::vector<pollfd> fds;
    if (out_r) fds.push_back({out_r.get(), POLLIN, 0});
    if (err_r) fds.push_back({err_r.get(), POLLIN, 0});
    if (in_w) fds.push_back({in_w.get(), POLLOUT, 0});
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) {
      r.timed_out = true;
      break;
    }
    if (::poll(fds.data(), fds.size(), static_cast<int>(std::min<int64_t>(left, 1000))) < 0 &&
        errno != EINTR)
      break;
    for (auto& p : fds) {
      if (!p.revents) continue;
      if (in_w && p.fd == in_w.get()) {
        ssize_t n = ::write(p.fd, o.stdin_data.data() + in_off, o.stdin_data.size() - in_off);
        if (n > 0) in_off += static_cast<size_t>(n);
        if (n < 0 && errno != EAGAIN) in_w.reset();
        if (in_off == o.stdin_data.size()) in_w.reset();
        continue;
      }
      char buf[65536];
      ssize_t n = ::read(p.fd, buf, sizeof buf);
      bool is_out = out_r && p.fd == out_r.get();
      std::string& dest = is_out ? r.out : r.err;
      if (n > 0) {
        size_t room = o.max_output > dest.size() ? o.max_output - dest.size() : 0;
        dest.append(buf, std::min(room, static_cast<size_t>(n)));
      } else if (n == 0 || errno != EINTR) {
        (is_out ? out_r : err_r).reset();
      }
    }
  }
  // Wait for the tool to exit without reaping it, so its process group id cannot be reused
  // while we kill what it left behind in that group; then reap.
  while (!r.timed_out) {
    siginfo_t info{};
    if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
        info.si_pid == pid)
      break;
    if (std::chrono::steady_clock::now() > deadline)
      r.timed_out = true;
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ::kill(-pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  r.ms = watch.elapsed_ms();
  return r;
}

}  // namespace paperd::core
