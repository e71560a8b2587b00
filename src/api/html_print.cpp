// The print job: the page stored as an encrypted input blob (pages can be large; job parameters
// live in the queue's rows), enqueued, awaited, and its one output copied out of the blob store.
#include "api/html_print.h"

#include <spdlog/spdlog.h>

#include "core/clock.h"
#include "core/error.h"
#include "core/ids.h"
#include "jobs/lanes.h"
#include "jobs/supervisor.h"

namespace paperd::api {

namespace {

using core::Error;

constexpr const char* kPipeline = "workflow/html_to_pdf";

std::string store_page(ApiContext& ctx, const std::string& html) {
  store::BlobBatch batch(ctx.blobs);
  store::BlobWriter writer = batch.writer();
  writer.write(html);
  std::string id = writer.commit();
  batch.sync();
  return id;
}

jobs::NewJob make_job(ApiContext& ctx, const PrintJob& print, const jobs::Pipeline& pipeline,
                      const std::string& blob) {
  jobs::InputFile page{.field = "file",
                       .filename = "document.html",
                       .content_type = "text/html",
                       .size = print.html.size()};
  http::Params params;
  params.set("template", "html_to_pdf");
  params.set("output_filename", print.title.empty() ? "document" : print.title);
  if (!print.css.empty()) params.set("inject_css", print.css);
  params.apply_schema(pipeline.params);
  if (pipeline.validate) pipeline.validate(params, {page});
  int priority = jobs::default_priority(jobs::Lane::kInstant);
  return {core::make_job_id(priority, core::unix_seconds()),
          print.account_id,
          "workflow",
          pipeline.operation,
          jobs::lane_name(jobs::Lane::kInstant),
          priority,
          params.raw(),
          ctx.config.job_max_attempts,
          pipeline.timeout_seconds > 0 ? pipeline.timeout_seconds : ctx.config.job_timeout_seconds,
          0,
          {page},
          {blob}};
}

}  // namespace

void print_html_to_pdf(ApiContext& ctx, const PrintJob& print,
                       const std::filesystem::path& out_pdf) {
  const jobs::Pipeline* pipeline = ctx.pipelines.find(kPipeline);
  if (!ctx.supervisor || !pipeline)
    throw Error::unavailable(
        "HTML to PDF needs the job workers (html_to_pdf), which this server "
        "does not run");
  std::string blob = store_page(ctx, print.html);
  jobs::NewJob job;
  try {
    job = make_job(ctx, print, *pipeline, blob);
    ctx.queue.enqueue(job);
  } catch (...) {
    ctx.blobs.remove(blob);
    throw;
  }
  ctx.supervisor->wake();

  std::optional<jobs::JobRecord> done;
  ctx.supervisor->wait_for(
      [&] {
        done = ctx.queue.get(job.id, print.account_id);
        return done && (done->state == "completed" || done->state == "failed");
      },
      ctx.config.instant_wait_seconds * 1000);
  if (!done || (done->state != "completed" && done->state != "failed"))
    throw Error(504, "CONVERSION_TIMEOUT",
                "the PDF was not printed within " +
                    std::to_string(ctx.config.instant_wait_seconds) + " s (job " + job.id + ")");
  if (done->state == "failed")
    throw Error(done->error_status >= 400 ? done->error_status : 500,
                done->error_code.empty() ? "CONVERSION_FAILED" : done->error_code, done->error);
  auto row = ctx.db.conn().query_one(
      "SELECT blob_id FROM downloads WHERE job_id = ? AND blob_id != '' ORDER BY rowid LIMIT 1",
      {job.id});
  if (!row) throw Error::internal("the print job " + job.id + " finished without a PDF");
  ctx.blobs.get_to_file(row->text("blob_id"), out_pdf, /*durable=*/false);
}

}  // namespace paperd::api
