// The worker process (`paperd worker`): claims jobs from the queue and runs their pipelines, one
// at a time, under an address-space limit and a per-job CPU limit. Crashes are the point of the
// process boundary: if a hostile file kills this process, the supervisor restarts it and the
// queue retries or fails the job. A heartbeat thread renews the lease and enforces the timeout.
#pragma once

#include <atomic>
#include <string>

#include "core/config.h"
#include "jobs/pipeline.h"

namespace paperd::jobs {

struct WorkerOptions {
  std::string name;    // unique per process, e.g. w1.12345
  int notify_fd = -1;  // we write "done <job_id>\n" here after each finished job
  int wake_fd = -1;    // the supervisor writes a byte here when work arrives
};

// Runs until SIGTERM/SIGINT; returns the process exit code.
int run_worker(const core::Config& config, const PipelineRegistry& registry,
               const WorkerOptions& options);

// Exit code a worker uses after it failed a job for running past its timeout and could not
// stop it cleanly; the supervisor restarts it without touching the job again.
inline constexpr int kExitTimedOut = 86;

}  // namespace paperd::jobs
