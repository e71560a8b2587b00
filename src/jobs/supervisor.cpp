#include "jobs/supervisor.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/clock.h"
#include "core/error.h"
#include "jobs/worker.h"

extern char** environ;

namespace paperd::jobs {

Supervisor::Supervisor(const core::Config& config, store::Database& db, std::string exe_path)
    : config_(config), db_(db), queue_(db), exe_(std::move(exe_path)) {}

Supervisor::~Supervisor() {
  stop(5);
}

void Supervisor::start() {
  int n = config_.effective_workers();
  {
    std::lock_guard lock(mu_);
    slots_.resize(n);
    for (int i = 0; i < n; ++i) {
      slots_[i].index = i + 1;
      spawn(slots_[i]);
    }
  }
  thread_ = std::thread([this] { loop(); });
}

void Supervisor::spawn(Slot& slot) {
  int notify[2], wake[2];
  if (pipe2(notify, O_CLOEXEC) != 0 || pipe2(wake, O_CLOEXEC) != 0)
    throw core::Error::internal(std::string("cannot create worker pipes: ") + strerror(errno));
  // The worker's environment, built before fork (the child may only call async-signal-safe
  // functions). OMP_THREAD_LIMIT=1: libgomp reads it once at load, and Tesseract's OpenMP threads
  // only slow a worker that already reads one page per core (engines/ocr/README.md).
  std::vector<std::string> env_strings;
  bool omp_set = false;
  for (char** e = environ; *e; ++e) {
    env_strings.emplace_back(*e);
    omp_set = omp_set || env_strings.back().starts_with("OMP_THREAD_LIMIT=");
  }
  if (!omp_set) env_strings.emplace_back("OMP_THREAD_LIMIT=1");
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::string id = std::to_string(slot.index);
  const char* argv[] = {exe_.c_str(), "worker",    "--id", id.c_str(), "--notify-fd",
                        "3",          "--wake-fd", "4",    nullptr};
  pid_t pid = fork();
  if (pid < 0) throw core::Error::internal(std::string("cannot fork a worker: ") + strerror(errno));
  if (pid == 0) {
    // Child: fd 3 = notify (write), fd 4 = wake (read); everything else closes on exec.
    int n = fcntl(notify[1], F_DUPFD, 10), w = fcntl(wake[0], F_DUPFD, 10);
    dup2(n, 3);
    dup2(w, 4);
    setpgid(0, 0);  // its own process group, so a terminal's Ctrl-C goes to serve only
    prctl(PR_SET_PDEATHSIG, SIGTERM);  // a supervisor killed with -9 takes its workers along
    execve(exe_.c_str(), const_cast<char* const*>(argv), envp.data());
    _exit(127);
  }
  ::close(notify[1]);
  ::close(wake[0]);
  fcntl(wake[1], F_SETFL, O_NONBLOCK);
  if (slot.notify_fd >= 0) ::close(slot.notify_fd);
  if (slot.wake_fd >= 0) ::close(slot.wake_fd);
  slot.pid = pid;
  slot.name = fmt::format("w{}.{}", slot.index, pid);
  slot.notify_fd = notify[0];
  slot.wake_fd = wake[1];
  slot.started_ms = core::unix_millis();
  spdlog::info("supervisor: started worker {} (pid {})", slot.name, pid);
}

void Supervisor::wake() {
  std::lock_guard lock(mu_);
  for (auto& s : slots_)
    if (s.wake_fd >= 0) (void)!::write(s.wake_fd, "w", 1);
}

void Supervisor::job_ended() {
  {
    std::lock_guard lock(done_mu_);
    ++generation_;
  }
  done_cv_.notify_all();
}

bool Supervisor::wait_for(const std::function<bool()>& is_done, int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    uint64_t seen;
    {
      std::lock_guard lock(done_mu_);
      seen = generation_;
    }
    if (is_done()) return true;
    std::unique_lock lock(done_mu_);
    // The periodic re-check also covers workers on other machines, which cannot notify us.
    auto until =
        std::min(deadline, std::chrono::steady_clock::now() + std::chrono::milliseconds(500));
    done_cv_.wait_until(lock, until, [&] { return generation_ != seen; });
    if (std::chrono::steady_clock::now() >= deadline) {
      lock.unlock();
      return is_done();
    }
  }
}

void Supervisor::on_exit(Slot& slot, int status) {
  std::string reason;
  if (WIFSIGNALED(status))
    reason = fmt::format("worker crashed: signal {} ({})", WTERMSIG(status),
                         strsignal(WTERMSIG(status)));
  else
    reason = fmt::format("worker exited with status {}", WEXITSTATUS(status));
  bool clean =
      WIFEXITED(status) && (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == kExitTimedOut);
  if (!clean || !stopping_) spdlog::warn("supervisor: {} {}", slot.name, reason);
  try {
    auto ids = queue_.worker_died(slot.name, reason);
    for (auto& id : ids) spdlog::warn("supervisor: job {} handed back after: {}", id, reason);
    if (!ids.empty()) job_ended();
  } catch (const std::exception& e) {
    spdlog::error("supervisor: cannot requeue jobs of {}: {}", slot.name, e.what());
  }
  slot.pid = -1;
  if (stopping_) return;
  // A worker that dies right after start (bad install, broken engine) is restarted with backoff.
  bool quick = core::unix_millis() - slot.started_ms < 2000;
  slot.quick_deaths = quick ? slot.quick_deaths + 1 : 0;
  if (slot.quick_deaths > 3)
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(slot.quick_deaths, 10) * 500));
  ++restarts_;
  spawn(slot);
}

void Supervisor::loop() {
  auto last_reap = std::chrono::steady_clock::now();
  std::string buffer;
  while (!stopping_) {
    std::vector<pollfd> fds;
    {
      std::lock_guard lock(mu_);
      for (auto& s : slots_) fds.push_back({s.notify_fd, POLLIN, 0});
    }
    ::poll(fds.data(), fds.size(), 100);
    bool any_done = false;
    for (auto& p : fds) {
      if (!(p.revents & (POLLIN | POLLHUP))) continue;
      char buf[4096];
      ssize_t n = ::read(p.fd, buf, sizeof buf);
      if (n > 0) any_done = true;
    }
    if (any_done) job_ended();
    {
      std::lock_guard lock(mu_);
      for (auto& s : slots_) {
        if (s.pid <= 0) continue;
        int status = 0;
        if (waitpid(s.pid, &status, WNOHANG) == s.pid) on_exit(s, status);
      }
    }
    if (std::chrono::steady_clock::now() - last_reap > std::chrono::seconds(1)) {
      last_reap = std::chrono::steady_clock::now();
      try {
        if (!queue_.reap_expired().empty()) {
          job_ended();
          wake();
        }
      } catch (const std::exception& e) {
        spdlog::warn("supervisor: reaping leases failed: {}", e.what());
      }
    }
  }
}

void Supervisor::stop(int grace_seconds) {
  if (stopping_.exchange(true)) return;
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mu_);
  for (auto& s : slots_)
    if (s.pid > 0) kill(s.pid, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(grace_seconds);
  for (auto& s : slots_) {
    while (s.pid > 0) {
      int status = 0;
      pid_t r = waitpid(s.pid, &status, WNOHANG);
      if (r == s.pid || r < 0) {
        if (r == s.pid) on_exit(s, status);
        s.pid = -1;
        break;
      }
      if (std::chrono::steady_clock::now() > deadline) {
        kill(s.pid, SIGKILL);
        waitpid(s.pid, &status, 0);
        on_exit(s, status);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (s.notify_fd >= 0) ::close(s.notify_fd);
    if (s.wake_fd >= 0) ::close(s.wake_fd);
    s.notify_fd = s.wake_fd = -1;
  }
}

int Supervisor::alive() const {
  std::lock_guard lock(mu_);
  int n = 0;
  for (auto& s : slots_) n += s.pid > 0;
  return n;
}

std::vector<pid_t> Supervisor::worker_pids() const {
  std::lock_guard lock(mu_);
  std::vector<pid_t> out;
  for (auto& s : slots_)
    if (s.pid > 0) out.push_back(s.pid);
  return out;
}

std::string Supervisor::metrics() const {
  return fmt::format(
      "# HELP paperd_workers_alive Worker processes running.\n# TYPE paperd_workers_alive "
      "gauge\npaperd_workers_alive {}\n# HELP paperd_worker_restarts_total Workers restarted "
      "after they died.\n# TYPE paperd_worker_restarts_total counter\n"
      "paperd_worker_restarts_total {}\n",
      alive(), restarts_.load());
}

}  // namespace paperd::jobs
