// The job queue, kept in the database so any number of worker processes (on this machine or
// others) share it. Highest priority first, FIFO within a priority. A claimed job carries a lease
// that its worker renews by heartbeat; a lease that runs out, or a worker that dies, puts the job
// back in the queue until its attempts are used up, then it fails with the reason.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"
#include "jobs/pipeline.h"
#include "store/db.h"
#include "store/value_sealer.h"

namespace paperd::jobs {

struct JobRecord {
  std::string id;
  int64_t account_id = 0;
  std::string pipeline, operation, lane, state;
  int priority = 0;
  Json params;
  int progress = 0;
  std::string message;
  int attempts = 0, max_attempts = 0, timeout_s = 0;
  std::string worker;
  int64_t credits = 0;
  Json result;  // null until completed
  int error_status = 0;
  std::string error_code, error;
  int64_t created_ms = 0;
  std::optional<int64_t> started_ms, finished_ms;
  std::vector<InputFile> inputs;  // with blob ids in path until materialized
  std::vector<std::string> input_blobs;
};

struct NewJob {
  std::string id;
  int64_t account_id;
  std::string pipeline, operation, lane;
  int priority;
  Json params;
  int max_attempts, timeout_s;
  int64_t credits;
  std::vector<InputFile> inputs;
  std::vector<std::string> input_blobs;  // parallel to inputs; empty string for URL inputs
};

// A row of `downloads`. An empty blob_id marks a job's archive: a ZIP of its other rows.
struct OutputFile {
  std::string token, filename, content_type, blob_id;
  uint64_t size;
};

class Queue {
 public:
  // sealer: job parameters are stored sealed with it (they may hold PDF passwords, cookies,
  // headers) and opened when read. Without one they are stored as JSON; a Queue without a sealer
  // reads sealed parameters as null (the supervisor, which only moves jobs between states).
  explicit Queue(store::Database& db, const store::ValueSealer* sealer = nullptr)
      : db_(db), sealer_(sealer) {}

  // Inserts the job and its inputs (inside the caller's transaction if there is one).
  void enqueue(const NewJob& job);
  // Atomically takes the best queued job and leases it to `worker`.
  std::optional<JobRecord> claim(const std::string& worker, int lease_seconds);
  // Renews the lease; false if the job is no longer this worker's (it must stop).
  bool heartbeat(const std::string& id, const std::string& worker, int lease_seconds, int progress,
                 const std::string& message);
  // Stores the result and the download links in one transaction; false if the lease was lost.
  // Two or more outputs also get an archive link (download_archive.h): result.archive_url.
  bool complete(const std::string& id, const std::string& worker, const Json& result,
                const std::vector<OutputFile>& outputs, int64_t download_ttl_seconds);
  // Ends the attempt. retry=true puts it back unless attempts are used up. Failed jobs give their
  // credits back. Returns the new state ("queued" or "failed"), or "" if the lease was lost.
  std::string fail(const std::string& id, const std::string& worker, int status,
                   const std::string& code, const std::string& message, bool retry);
  // Returns an attempt to the queue without counting it (graceful shutdown).
  void release(const std::string& id, const std::string& worker);
  // A worker died: every job it held is retried or failed with `reason`. Returns their ids.
  std::vector<std::string> worker_died(const std::string& worker, const std::string& reason);
  // Jobs whose lease ran out (a hung or vanished worker). Returns their ids.
  std::vector<std::string> reap_expired();

  std::optional<JobRecord> get(const std::string& id, int64_t account_id);
  std::vector<InputFile> inputs(const std::string& id, std::vector<std::string>* blob_ids);
  int64_t depth();
  std::vector<std::pair<std::string, int64_t>> counts_by_state();

 private:
  std::string fail_locked(const std::string& id, int status, const std::string& code,
                          const std::string& message, bool retry);
  store::Database& db_;
  const store::ValueSealer* sealer_;
};

}  // namespace paperd::jobs
