#include "jobs/worker.h"

#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <condition_variable>
#include <mutex>
#include <new>
#include <thread>

#include <spdlog/spdlog.h>

#include "core/clock.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/ids.h"
#include "jobs/queue.h"
#include "net/fetch.h"
#include "net/ssrf.h"
#include "store/blob_store.h"
#include "store/db.h"

namespace paperd::jobs {

namespace {

std::atomic<bool> g_stop{false};
constexpr double kShutdownGraceMs = 5000;
void on_signal(int) {
  g_stop = true;
}

// Keeps a file name to one safe path component.
std::string safe_name(std::string name) {
  for (char& c : name)
    if (c == '/' || c == '\\' || c == '\0') c = '_';
  if (name.empty() || name == "." || name == "..") name = "input";
  return name.substr(0, 200);
}

// A job's outputs go into one blob batch (one pack file): stored as the pipeline makes them, made
// durable all together by sync_outputs() just before the job row commits, so a job with 500
// outputs does not wait for 500 files to be created and flushed.
class WorkerContext : public PipelineContext {
 public:
  WorkerContext(http::Params params, std::vector<InputFile> inputs, std::filesystem::path temp,
                store::BlobStore& blobs)
      : params_(std::move(params)),
        inputs_(std::move(inputs)),
        temp_(std::move(temp)),
        blobs_(blobs),
        batch_(blobs) {}
  ~WorkerContext() override {
    // Outputs of an attempt that did not complete are not referenced anywhere.
    if (committed_ || outputs_.empty()) return;
    std::vector<std::string> ids;
    for (auto& o : outputs_) ids.push_back(o.blob_id);
    try {
      blobs_.remove(ids);
    } catch (const std::exception& e) {
      spdlog::error("cannot remove the outputs of an unfinished job: {}", e.what());
    }
  }

  const http::Params& params() const override { return params_; }
  const std::vector<InputFile>& inputs() const override { return inputs_; }
  const std::filesystem::path& temp_dir() const override { return temp_; }
  void progress(int percent, const std::string& message) override {
    std::lock_guard lock(mu_);
    progress_ = std::clamp(percent, 0, 100);
    message_ = message;
  }
  bool cancelled() const override { return cancel_.load(); }
  std::string add_output(const std::filesystem::path& file, const std::string& filename,
                         const std::string& content_type) override {
    core::Stopwatch watch;
    OutputFile o;
    o.blob_id = batch_.put_file(file);
    o.token = core::make_download_token();
    o.filename = filename;
    o.content_type = content_type;
    o.size = std::filesystem::file_size(file);
    std::lock_guard lock(mu_);
    outputs_.push_back(o);
    store_ms_ += watch.elapsed_ms();
    return std::string(kDownloadUrlPrefix) + o.token;
  }
  std::string add_output_bytes(std::string_view data, const std::string& filename,
                               const std::string& content_type) override {
    core::Stopwatch watch;
    OutputFile o;
    store::BlobWriter writer = batch_.writer();
    writer.write(data);
    o.blob_id = writer.commit();
    o.token = core::make_download_token();
    o.filename = filename;
    o.content_type = content_type;
    o.size = data.size();
    std::lock_guard lock(mu_);
    outputs_.push_back(o);
    store_ms_ += watch.elapsed_ms();
    return std::string(kDownloadUrlPrefix) + o.token;
  }
  // Every output durable; before the job row refers to them.
  void sync_outputs() {
    core::Stopwatch watch;
    batch_.sync();
    std::lock_guard lock(mu_);
    store_ms_ += watch.elapsed_ms();
  }
  double store_ms() {
    std::lock_guard lock(mu_);
    return store_ms_;
  }

  std::pair<int, std::string> snapshot() {
    std::lock_guard lock(mu_);
    return {progress_, message_};
  }
  void cancel() { cancel_ = true; }
  const std::vector<OutputFile>& outputs() const { return outputs_; }
  void mark_committed() { committed_ = true; }

 private:
  http::Params params_;
  std::vector<InputFile> inputs_;
  std::filesystem::path temp_;
  store::BlobStore& blobs_;
  store::BlobBatch batch_;
  std::mutex mu_;
  double store_ms_ = 0;  // storing outputs: encryption, writes, the final sync
  int progress_ = 0;
  std::string message_;
  std::atomic<bool> cancel_{false};
  std::vector<OutputFile> outputs_;
  bool committed_ = false;
};

class Worker {
 public:
  Worker(const core::Config& config, const PipelineRegistry& registry, WorkerOptions options)
      : config_(config),
        registry_(registry),
        options_(std::move(options)),
        db_(config.db_file()),
        blobs_(config.blob_dir(),
               store::MasterKey::load_or_create(config.data_dir / "master.key", config.master_key)),
        sealer_(blobs_.key()),
        queue_(db_, &sealer_),
        policy_(net::OutboundPolicy::parse(config.outbound_allow)) {}

  int loop() {
    while (!g_stop) {
      std::optional<JobRecord> job;
      try {
        job = queue_.claim(options_.name, config_.lease_seconds);
      } catch (const std::exception& e) {
        spdlog::warn("worker {}: claim failed: {}", options_.name, e.what());
      }
      if (!job) {
        wait_for_work();
        continue;
      }
      run(*job);
    }
    return 0;
  }

 private:
  void wait_for_work() {
    if (options_.wake_fd < 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      return;
    }
    pollfd p{options_.wake_fd, POLLIN, 0};
    if (::poll(&p, 1, 1000) > 0) {
      char buf[256];
      // End of file: the supervisor is gone, and so is the reason to run.
      if (::read(options_.wake_fd, buf, sizeof buf) == 0) g_stop = true;
    }
  }

  void notify(const std::string& job_id) {
    if (options_.notify_fd < 0) return;
    std::string line = "done " + job_id + "\n";
    (void)!::write(options_.notify_fd, line.data(), line.size());
  }

  // Gives this job its own CPU budget on top of what the process has already used.
  void limit_cpu() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    rlim_t used = static_cast<rlim_t>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + 1;
    rlimit rl{used + static_cast<rlim_t>(config_.worker_cpu_seconds),
              used + static_cast<rlim_t>(config_.worker_cpu_seconds) + 5};
    setrlimit(RLIMIT_CPU, &rl);
  }

  void materialize(std::vector<InputFile>& inputs, const std::vector<std::string>& blob_ids,
                   const std::filesystem::path& dir, bool in_memory) {
    std::filesystem::create_directories(dir);
    uint64_t memory_left = in_memory ? kMemoryInputBytes : 0;  // for the job's inputs together
    for (size_t i = 0; i < inputs.size(); ++i) {
      InputFile& in = inputs[i];
      if (in.source_url.empty() && in.size <= memory_left) {
        in.data = std::make_shared<const std::string>(blobs_.get_bytes(blob_ids[i]));
        memory_left -= in.size;
        continue;
      }
      in.path = dir / (std::to_string(i) + "-" + safe_name(in.filename));
      if (!in.source_url.empty()) {
        net::FetchOptions opts;
        opts.param = "source_url";
        opts.max_bytes = static_cast<uint64_t>(config_.max_upload_mb) << 20;
        auto r = net::fetch_to_file(in.source_url, in.path, policy_, opts);
        in.size = r.size;
        if (in.content_type.empty() || in.content_type == "application/octet-stream")
          in.content_type = r.content_type;
        if (in.filename.empty() || in.filename == "download") in.filename = r.filename;
      } else {
        // A private scratch copy in the job's temp dir: nothing to keep after a crash, no fsync.
        blobs_.get_to_file(blob_ids[i], in.path, /*durable=*/false);
      }
    }
  }

  void run(JobRecord& job) {
    http::Params params;
    if (job.params.is_object())
      for (auto& [k, v] : job.params.items()) params.set(k, v);
    const Pipeline* pipeline = nullptr;
    try {
      pipeline = registry_.resolve(job.pipeline, params);
    } catch (const core::Error&) {
    }
    spdlog::info("worker {}: job {} ({}) attempt {}/{}", options_.name, job.id, job.pipeline,
                 job.attempts, job.max_attempts);
    if (!pipeline) {
      queue_.fail(job.id, options_.name, 400, "JOB_CONFIG_INVALID",
                  "pipeline '" + job.pipeline + "' is not available on this worker", false);
      notify(job.id);
      return;
    }
    core::TempDir temp(config_.tmp_dir(), "job-");
    int timeout = job.timeout_s > 0 ? job.timeout_s : config_.job_timeout_seconds;

    std::unique_ptr<WorkerContext> ctx;
    std::mutex hb_mu;
    std::condition_variable hb_cv;
    bool finished = false;
    std::atomic<bool> timed_out{false};
    std::atomic<bool> lease_lost{false};
    core::Stopwatch watch;
    std::atomic<WorkerContext*> live_ctx{nullptr};
    std::optional<core::Stopwatch> stop_seen;

    std::thread heartbeat([&] {
      std::unique_lock lock(hb_mu);
      int interval_ms = std::max(200, config_.lease_seconds * 1000 / 4);
      while (
          !hb_cv.wait_for(lock, std::chrono::milliseconds(interval_ms), [&] { return finished; })) {
        WorkerContext* c = live_ctx.load();
        auto [progress, message] = c ? c->snapshot() : std::pair<int, std::string>{0, ""};
        try {
          if (!queue_.heartbeat(job.id, options_.name, config_.lease_seconds, progress, message)) {
            lease_lost = true;
            if (c) c->cancel();
          }
        } catch (const std::exception& e) {
          spdlog::warn("worker {}: heartbeat failed: {}", options_.name, e.what());
        }
        // At shutdown a running job gets a grace period to finish, then goes back to the queue.
        if (g_stop && !stop_seen) stop_seen.emplace();
        if (stop_seen && stop_seen->elapsed_ms() > kShutdownGraceMs && c) c->cancel();
        if (watch.elapsed_ms() > timeout * 1000.0) {
          timed_out = true;
          if (c) c->cancel();
          // A pipeline that ignores cancellation gets a grace period, then the process ends.
          if (watch.elapsed_ms() > (timeout + 10) * 1000.0) {
            queue_.fail(job.id, options_.name, 504, "JOB_TIMEOUT",
                        "job exceeded its time limit of " + std::to_string(timeout) + " s", false);
            notify(job.id);
            _exit(kExitTimedOut);
          }
        }
      }
    });

    auto finish_heartbeat = [&] {
      {
        std::lock_guard lock(hb_mu);
        finished = true;
      }
      hb_cv.notify_all();
      heartbeat.join();
    };

    std::string outcome;
    double inputs_ms = 0, run_ms = 0, commit_ms = 0;  // phases, for the log line
    try {
      limit_cpu();
      materialize(job.inputs, job.input_blobs, temp.path() / "in", pipeline->inputs_in_memory);
      inputs_ms = watch.elapsed_ms();
      ctx = std::make_unique<WorkerContext>(params, job.inputs, temp.path(), blobs_);
      live_ctx = ctx.get();
      Json result = pipeline->run(*ctx);
      ctx->sync_outputs();
      run_ms = watch.elapsed_ms() - inputs_ms;
      if (!result.is_object()) result = Json{{"output", result}};
      if (!result.contains("duration_ms"))
        result["duration_ms"] = std::round(watch.elapsed_ms() * 10) / 10;
      finish_heartbeat();
      if (queue_.complete(job.id, options_.name, result, ctx->outputs(),
                          config_.download_ttl_seconds))
        ctx->mark_committed();
      commit_ms = watch.elapsed_ms() - inputs_ms - run_ms;
      outcome = "completed";
    } catch (const Cancelled&) {
      finish_heartbeat();
      if (timed_out) {
        queue_.fail(job.id, options_.name, 504, "JOB_TIMEOUT",
                    "job exceeded its time limit of " + std::to_string(timeout) + " s", false);
        outcome = "timed out";
      } else if (!lease_lost) {
        queue_.release(job.id, options_.name);
        outcome = "requeued (shutdown)";
      }
    } catch (const core::Error& e) {
      finish_heartbeat();
      // Bad input is answered, not retried; our own failures get another attempt.
      outcome =
          queue_.fail(job.id, options_.name, e.status(), e.code(), e.what(), e.status() >= 500);
    } catch (const std::bad_alloc&) {
      finish_heartbeat();
      outcome = queue_.fail(job.id, options_.name, 413, "INPUT_TOO_LARGE",
                            "the job ran out of memory (worker limit " +
                                std::to_string(config_.worker_memory_mb) + " MB)",
                            false);
    } catch (const std::exception& e) {
      finish_heartbeat();
      outcome = queue_.fail(job.id, options_.name, 500, "INTERNAL_ERROR",
                            std::string("the pipeline failed: ") + e.what(), true);
    }
    live_ctx = nullptr;
    spdlog::info(
        "worker {}: job {} {} in {:.1f} ms (inputs {:.1f}, pipeline {:.1f} of which "
        "storing outputs {:.1f}, commit {:.1f})",
        options_.name, job.id, outcome, watch.elapsed_ms(), inputs_ms, run_ms,
        ctx ? ctx->store_ms() : 0.0, commit_ms);
    notify(job.id);
  }

  const core::Config& config_;
  const PipelineRegistry& registry_;
  WorkerOptions options_;
  store::Database db_;
  store::BlobStore blobs_;
  store::ValueSealer sealer_;  // opens the job parameters
  Queue queue_;
  net::OutboundPolicy policy_;
};

}  // namespace

int run_worker(const core::Config& config, const PipelineRegistry& registry,
               const WorkerOptions& options) {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
  if (config.worker_memory_mb > 0) {
    rlim_t bytes = static_cast<rlim_t>(config.worker_memory_mb) << 20;
    // Only the soft limit: engines that reserve huge address ranges (Chromium, Calibre) may
    // raise it for their own child process, where a data-size limit caps real memory instead.
    rlimit rl{};
    getrlimit(RLIMIT_AS, &rl);
    rl.rlim_cur = rl.rlim_max == RLIM_INFINITY ? bytes : std::min(bytes, rl.rlim_max);
    setrlimit(RLIMIT_AS, &rl);
  }
  Worker worker(config, registry, options);
  return worker.loop();
}

}  // namespace paperd::jobs
