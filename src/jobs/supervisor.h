// The supervisor runs inside `paperd serve`: it starts N `paperd worker` processes, wakes them
// when work is queued, hears from them when a job finishes, restarts any that die (handing their
// job back to the queue), and reaps jobs whose lease expired. API threads wait for a job's end
// through wait_for(). The API process itself never runs pipeline code.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/config.h"
#include "jobs/queue.h"

namespace paperd::jobs {

class Supervisor {
 public:
  Supervisor(const core::Config& config, store::Database& db, std::string exe_path);
  ~Supervisor();

  void start();
  // SIGTERM to every worker, wait for them (each finishes or requeues its job), then SIGKILL.
  void stop(int grace_seconds = 30);

  // Called after a job was queued.
  void wake();
  // Blocks until `is_done()` is true or the timeout passes; re-checks whenever any job ends.
  bool wait_for(const std::function<bool()>& is_done, int timeout_ms);

  int alive() const;
  int64_t restarts() const { return restarts_; }
  std::vector<pid_t> worker_pids() const;
  std::string metrics() const;

 private:
  struct Slot {
    int index = 0;
    pid_t pid = -1;
    std::string name;
    int notify_fd = -1;  // read end
    int wake_fd = -1;    // write end
    int64_t started_ms = 0;
    int quick_deaths = 0;
  };
  void spawn(Slot& slot);
  void loop();
  void on_exit(Slot& slot, int status);
  void job_ended();

  const core::Config& config_;
  store::Database& db_;
  Queue queue_;
  std::string exe_;
  mutable std::mutex mu_;
  std::vector<Slot> slots_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<int64_t> restarts_{0};
  std::mutex done_mu_;
  std::condition_variable done_cv_;
  uint64_t generation_ = 0;
};

}  // namespace paperd::jobs
