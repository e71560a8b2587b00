#include "jobs/queue.h"

#include "core/clock.h"
#include "core/error.h"
#include "jobs/download_archive.h"
#include "store/outbox.h"

namespace paperd::jobs {

namespace {

JobRecord from_row(const store::Row& r, const store::ValueSealer* sealer) {
  JobRecord j;
  j.id = r.text("id");
  j.account_id = r.i64("account_id");
  j.pipeline = r.text("pipeline");
  j.operation = r.text("operation");
  j.lane = r.text("lane");
  j.state = r.text("state");
  j.priority = static_cast<int>(r.i64("priority"));
  std::string params = r.text("params");
  if (!store::ValueSealer::is_sealed(params))
    j.params = Json::parse(params, nullptr, false);
  else if (sealer)
    j.params = Json::parse(sealer->open(params, "job:" + j.id), nullptr, false);
  j.progress = static_cast<int>(r.i64("progress"));
  j.message = r.text("message");
  j.attempts = static_cast<int>(r.i64("attempts"));
  j.max_attempts = static_cast<int>(r.i64("max_attempts"));
  j.timeout_s = static_cast<int>(r.i64("timeout_s"));
  j.worker = r.text("worker");
  j.credits = r.i64("credits");
  if (!r.is_null("result")) j.result = Json::parse(r.text("result"), nullptr, false);
  j.error_status = static_cast<int>(r.i64("error_status"));
  j.error_code = r.text("error_code");
  j.error = r.text("error");
  j.created_ms = r.i64("created_ms");
  j.started_ms = r.opt_i64("started_ms");
  j.finished_ms = r.opt_i64("finished_ms");
  return j;
}

constexpr const char* kColumns =
    "id, account_id, pipeline, operation, lane, state, priority, params, progress, message, "
    "attempts, max_attempts, timeout_s, worker, credits, result, error_status, error_code, error, "
    "created_ms, started_ms, finished_ms";

// One job event in the outbox (job.queued, job.progress, job.completed, job.failed), written in
// the transaction of the state change itself, for the webhook dispatcher and the other readers.
void emit_job_event(store::Connection& c, const std::string& id, const std::string& type) {
  auto r = c.query_one(
      "SELECT account_id, pipeline, operation, lane, state, progress, message, attempts, "
      "error_status, error_code, error, created_ms, started_ms, finished_ms FROM jobs WHERE id = ?",
      {id});
  if (!r) return;
  Json data = {{"job_id", id},
               {"status", r->text("state")},
               {"pipeline", r->text("pipeline")},
               {"operation", r->text("operation")},
               {"lane", r->text("lane")},
               {"progress", r->i64("progress")},
               {"attempts", r->i64("attempts")},
               {"created_at_ms", r->i64("created_ms")}};
  if (type == "job.progress") data["message"] = r->text("message");
  if (auto started = r->opt_i64("started_ms")) data["started_at_ms"] = *started;
  if (auto finished = r->opt_i64("finished_ms")) data["finished_at_ms"] = *finished;
  if (r->text("state") == "failed")
    data["error"] = {{"code", r->text("error_code")},
                     {"status", r->i64("error_status")},
                     {"message", r->text("error")}};
  store::append_event(c, r->i64("account_id"), type, std::move(data));
}

}  // namespace

void Queue::enqueue(const NewJob& job) {
  auto& c = db_.conn();
  c.transaction([&] {
    c.exec(
        "INSERT INTO jobs (id, account_id, pipeline, operation, priority, lane, state, params, "
        "max_attempts, timeout_s, credits, created_ms) VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?, "
        "?, ?, ?)",
        {job.id, job.account_id, job.pipeline, job.operation, int64_t{job.priority}, job.lane,
         sealer_ ? sealer_->seal(job.params.dump(), "job:" + job.id) : job.params.dump(),
         int64_t{job.max_attempts}, int64_t{job.timeout_s}, job.credits, core::unix_millis()});
    for (size_t i = 0; i < job.inputs.size(); ++i) {
      const InputFile& in = job.inputs[i];
      const std::string& blob = job.input_blobs[i];
      c.exec(
          "INSERT INTO job_inputs (job_id, idx, field, filename, content_type, size, blob_id, "
          "source_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          {job.id, int64_t(i), in.field, in.filename, in.content_type, int64_t(in.size),
           blob.empty() ? store::Value(nullptr) : store::Value(blob),
           in.source_url.empty() ? store::Value(nullptr) : store::Value(in.source_url)});
    }
    emit_job_event(c, job.id, "job.queued");
  });
}

std::optional<JobRecord> Queue::claim(const std::string& worker, int lease_seconds) {
  auto& c = db_.conn();
  // Not flushed: a claim that a power cut undoes leaves the job queued, which is what recovery
  // does with the job of a worker that is gone anyway. Saves a disk flush before every job.
  return c.unflushed_transaction([&]() -> std::optional<JobRecord> {
    auto row = c.query_one(
        "SELECT seq FROM jobs WHERE state = 'queued' ORDER BY priority DESC, seq ASC LIMIT 1");
    if (!row) return std::nullopt;
    int64_t now = core::unix_millis();
    c.exec(
        "UPDATE jobs SET state = 'processing', worker = ?, lease_until_ms = ?, attempts = attempts "
        "+ 1, started_ms = COALESCE(started_ms, ?) WHERE seq = ?",
        {worker, now + lease_seconds * 1000LL, now, row->i64("seq")});
    auto job = c.query_one(std::string("SELECT ") + kColumns + " FROM jobs WHERE seq = ?",
                           {row->i64("seq")});
    JobRecord rec = from_row(*job, sealer_);
    rec.inputs = inputs(rec.id, &rec.input_blobs);
    return rec;
  });
}

bool Queue::heartbeat(const std::string& id, const std::string& worker, int lease_seconds,
                      int progress, const std::string& message) {
  // Not flushed either: a lost heartbeat only makes a lease look older than it was.
  auto& c = db_.conn();
  return c.unflushed_transaction([&] {
    auto before = c.query_one(
        "SELECT progress FROM jobs WHERE id = ? AND worker = ? AND state = 'processing'",
        {id, worker});
    if (!before) return false;
    c.exec("UPDATE jobs SET lease_until_ms = ?, progress = ?, message = ? WHERE id = ?",
           {core::unix_millis() + lease_seconds * 1000LL, int64_t{progress}, message, id});
    // A progress event only when the figure moved, not on every heartbeat.
    if (before->i64("progress") != progress) emit_job_event(c, id, "job.progress");
    return true;
  });
}

bool Queue::complete(const std::string& id, const std::string& worker, const Json& result,
                     const std::vector<OutputFile>& outputs, int64_t ttl) {
  const int64_t now = core::unix_now();
  // Two or more files are also offered as one ZIP, linked from the result beside its files.
  std::vector<OutputFile> rows = outputs;
  Json stored = result;
  if (auto archive = archive_output(id, outputs, now); archive && stored.is_object()) {
    stored["archive_url"] = std::string(kDownloadUrlPrefix) + archive->token;
    rows.push_back(std::move(*archive));
  }
  auto& c = db_.conn();
  return c.transaction([&] {
    auto job = c.query_one(
        "SELECT account_id FROM jobs WHERE id = ? AND worker = ? AND state = 'processing'",
        {id, worker});
    if (!job) return false;
    for (const auto& o : rows)
      c.exec(
          "INSERT INTO downloads (token, job_id, account_id, filename, content_type, size, "
          "blob_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {o.token, id, job->i64("account_id"), o.filename, o.content_type, int64_t(o.size),
           o.blob_id, now, now + ttl});
    c.exec(
        "UPDATE jobs SET state = 'completed', progress = 100, result = ?, finished_ms = ?, "
        "lease_until_ms = NULL WHERE id = ?",
        {stored.dump(), core::unix_millis(), id});
    emit_job_event(c, id, "job.completed");
    return true;
  });
}

std::string Queue::fail_locked(const std::string& id, int status, const std::string& code,
                               const std::string& message, bool retry) {
  auto& c = db_.conn();
  auto job = c.query_one(
      "SELECT account_id, attempts, max_attempts, credits FROM jobs WHERE id = ? AND state = "
      "'processing'",
      {id});
  if (!job) return "";
  if (retry && job->i64("attempts") < job->i64("max_attempts")) {
    c.exec(
        "UPDATE jobs SET state = 'queued', worker = NULL, lease_until_ms = NULL, message = ? "
        "WHERE id = ?",
        {"retrying after: " + message, id});
    return "queued";
  }
  c.exec(
      "UPDATE jobs SET state = 'failed', worker = NULL, lease_until_ms = NULL, error_status = ?, "
      "error_code = ?, error = ?, finished_ms = ? WHERE id = ?",
      {int64_t{status}, code,
       retry ? message + " (attempt " + job->text("attempts") + " of " + job->text("max_attempts") +
                   ")"
             : message,
       core::unix_millis(), id});
  emit_job_event(c, id, "job.failed");
  // A job that produced nothing costs nothing.
  if (int64_t credits = job->i64("credits"); credits > 0) {
    c.exec("UPDATE accounts SET credits = credits + ? WHERE id = ?",
           {credits, job->i64("account_id")});
    c.exec(
        "INSERT INTO credit_ledger (account_id, delta, reason, ref, created_at) VALUES (?, ?, "
        "'refund: job failed', ?, ?)",
        {job->i64("account_id"), credits, id, core::unix_now()});
  }
  return "failed";
}

std::string Queue::fail(const std::string& id, const std::string& worker, int status,
                        const std::string& code, const std::string& message, bool retry) {
  auto& c = db_.conn();
  return c.transaction([&]() -> std::string {
    if (!c.query_one("SELECT id FROM jobs WHERE id = ? AND worker = ? AND state = 'processing'",
                     {id, worker}))
      return "";
    return fail_locked(id, status, code, message, retry);
  });
}

void Queue::release(const std::string& id, const std::string& worker) {
  db_.conn().exec(
      "UPDATE jobs SET state = 'queued', worker = NULL, lease_until_ms = NULL, attempts = "
      "attempts - 1, message = 'requeued at worker shutdown' WHERE id = ? AND worker = ? AND "
      "state = 'processing'",
      {id, worker});
}

std::vector<std::string> Queue::worker_died(const std::string& worker, const std::string& reason) {
  auto& c = db_.conn();
  return c.transaction([&] {
    std::vector<std::string> ids;
    for (auto& r :
         c.query("SELECT id FROM jobs WHERE worker = ? AND state = 'processing'", {worker})) {
      ids.push_back(r.text("id"));
      fail_locked(r.text("id"), 500, "WORKER_CRASHED", reason, true);
    }
    return ids;
  });
}

std::vector<std::string> Queue::reap_expired() {
  auto& c = db_.conn();
  return c.transaction([&] {
    std::vector<std::string> ids;
    for (auto& r :
         c.query("SELECT id, worker FROM jobs WHERE state = 'processing' AND lease_until_ms < ?",
                 {core::unix_millis()})) {
      ids.push_back(r.text("id"));
      fail_locked(r.text("id"), 500, "WORKER_LOST",
                  "worker " + r.text("worker") + " stopped renewing its lease", true);
    }
    return ids;
  });
}

std::optional<JobRecord> Queue::get(const std::string& id, int64_t account_id) {
  auto row = db_.conn().query_one(
      std::string("SELECT ") + kColumns + " FROM jobs WHERE id = ? AND account_id = ?",
      {id, account_id});
  if (!row) return std::nullopt;
  return from_row(*row, sealer_);
}

std::vector<InputFile> Queue::inputs(const std::string& id, std::vector<std::string>* blob_ids) {
  std::vector<InputFile> out;
  for (auto& r : db_.conn().query(
           "SELECT field, filename, content_type, size, blob_id, source_url FROM job_inputs "
           "WHERE job_id = ? ORDER BY idx",
           {id})) {
    InputFile f;
    f.field = r.text("field");
    f.filename = r.text("filename");
    f.content_type = r.text("content_type");
    f.size = static_cast<uint64_t>(r.i64("size"));
    f.source_url = r.text("source_url");
    if (blob_ids) blob_ids->push_back(r.text("blob_id"));
    out.push_back(std::move(f));
  }
  return out;
}

int64_t Queue::depth() {
  return db_.conn().query_one("SELECT COUNT(*) AS n FROM jobs WHERE state = 'queued'")->i64("n");
}

std::vector<std::pair<std::string, int64_t>> Queue::counts_by_state() {
  std::vector<std::pair<std::string, int64_t>> out;
  for (auto& r : db_.conn().query("SELECT state, COUNT(*) AS n FROM jobs GROUP BY state"))
    out.emplace_back(r.text("state"), r.i64("n"));
  return out;
}

}  // namespace paperd::jobs
