// The job endpoints (CONTRACTS §2.1-2.3): add a job to a pipeline, poll it, download its files.
// POST /job/add always enqueues; the instant lane then waits for the worker's answer.
#include <algorithm>
#include <regex>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "api/context.h"
#include "api/ocr_results.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/ids.h"
#include "core/json_guard.h"
#include "jobs/download_archive.h"
#include "jobs/supervisor.h"

namespace paperd::api {

using core::Error;
using http::Auth;
using http::Param;
using http::ParamType;
using http::Request;
using http::Response;

namespace {

const std::string kCategory = "Workflow AI — Job Management";

// `workflow` or <product>___<operation>, lower-case words joined by single underscores.
void check_slug(const std::string& slug) {
  if (slug.find('.') != std::string::npos)
    throw Error::job_config_invalid("pipeline '" + slug +
                                    "' uses dot notation; pipeline names join product and "
                                    "operation with a triple underscore, e.g. "
                                    "paperoffice_aiocr___generate");
  static const std::regex kSlug("workflow|[a-z0-9]+(_[a-z0-9]+)*___[a-z0-9]+(_[a-z0-9]+)*");
  if (!std::regex_match(slug, kSlug))
    throw Error::job_config_invalid("pipeline '" + slug +
                                    "' is not a pipeline name: use 'workflow' or "
                                    "<product>___<operation> (triple underscore)");
}

// Order of file fields: file, then files / files[] in order, then file_1, file_2, ...
int field_rank(const std::string& field, int* number) {
  *number = 0;
  if (field == "file") return 0;
  if (field == "files" || field == "files[]") return 1;
  if (field.starts_with("file_")) {
    try {
      *number = std::stoi(field.substr(5));
      return 2;
    } catch (...) {
    }
  }
  return 3;
}

// Removes the stored uploads of a request that is failing (URL inputs have no blob: ""). Its own
// error is logged, not thrown: the request's error is the one to answer.
void drop_blobs(ApiContext& ctx, std::vector<std::string> blobs) {
  std::erase(blobs, std::string());
  try {
    ctx.blobs.remove(blobs);
  } catch (const std::exception& e) {
    spdlog::error("cannot remove the uploads of a failed request: {}", e.what());
  }
}

// The uploaded files in input order. An upload kept in memory hands its bytes over to the input
// (InputFile::data), so validate() can look at them and the batch stores them from there.
std::vector<jobs::InputFile> collect_files(Request& req) {
  std::vector<std::pair<http::UploadedFile*, std::pair<int, int>>> ranked;
  for (size_t i = 0; i < req.files.size(); ++i) {
    int number = 0;
    int rank = field_rank(req.files[i].field, &number);
    if (rank < 3) ranked.push_back({&req.files[i], {rank, number}});
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](auto& a, auto& b) { return a.second < b.second; });
  std::vector<jobs::InputFile> out;
  for (auto& [f, rank] : ranked) {
    out.push_back({f->field, f->filename, f->content_type, f->path, f->size, ""});
    if (f->path.empty()) out.back().data = std::make_shared<const std::string>(std::move(f->data));
  }
  return out;
}

// URL inputs: source_url (one or several) or a JSON array of URLs in `files`.
std::vector<jobs::InputFile> collect_urls(Request& req, const net::OutboundPolicy& policy) {
  std::vector<std::string> urls;
  auto take = [&](const Json& v, const char* field) {
    if (v.is_string() && !v.get<std::string>().empty())
      urls.push_back(v);
    else if (v.is_array())
      for (auto& u : v) {
        if (!u.is_string())
          throw Error::invalid_request(std::string("field '") + field + "' must hold URL strings");
        urls.push_back(u);
      }
  };
  const Json& raw = req.params.raw();
  if (raw.contains("source_url")) take(raw["source_url"], "source_url");
  if (raw.contains("files") && !raw["files"].is_null()) {
    Json files = raw["files"];
    if (files.is_string()) {
      Json parsed = core::parse_untrusted_json(files.get<std::string>(), {}, "field 'files'");
      files = parsed.is_array() ? parsed : Json::array({files});
    }
    take(files, "files");
  }
  std::vector<jobs::InputFile> out;
  for (auto& u : urls) {
    auto checked = net::check_url(u, policy, "source_url");
    jobs::InputFile f;
    f.field = "source_url";
    f.filename = "download";
    f.content_type = "application/octet-stream";
    f.source_url = checked.url;
    out.push_back(std::move(f));
  }
  return out;
}

// Turns the worker's paperd://download/<token> links into this server's URLs.
void rewrite_links(Json& j, const std::string& base_url) {
  if (j.is_string()) {
    const std::string& s = j.get_ref<const std::string&>();
    if (s.starts_with(jobs::kDownloadUrlPrefix))
      j = base_url + "/job/download/" + s.substr(jobs::kDownloadUrlPrefix.size());
  } else if (j.is_structured()) {
    for (auto& v : j) rewrite_links(v, base_url);
  }
}

std::vector<std::string> output_urls(ApiContext& ctx, const std::string& job_id,
                                     const std::string& base_url) {
  std::vector<std::string> out;
  for (auto& r : ctx.db.conn().query(
           "SELECT token FROM downloads WHERE job_id = ? AND blob_id != '' ORDER BY rowid",
           {job_id}))
    out.push_back(base_url + "/job/download/" + r.text("token"));
  return out;
}

std::string iso_ms(std::optional<int64_t> ms) {
  if (!ms) return "";
  std::string s = core::iso8601(*ms / 1000);
  return s.substr(0, s.size() - 1) + fmt::format(".{:03d}Z", *ms % 1000);
}

// A completed job's payload as /job/get and the inline answer show it: the pipeline's result with
// this server's download URLs, `status` the job's state and `output_files` every download.
Json finished_payload(const jobs::JobRecord& job, const std::vector<std::string>& files,
                      const std::string& base_url) {
  Json payload = job.result.is_object() ? job.result
                 : job.result.is_null() ? Json::object()
                                        : Json{{"output", job.result}};
  rewrite_links(payload, base_url);
  payload["status"] = job.state;
  payload["output_files"] = files;
  return payload;
}

// GET /job/get (CONTRACTS §2.2): the top-level `status` is the job's state, as the index's
// "poll until status=completed" reads, with `job_status` the same and `success` beside them; a
// finished job's payload sits under both `result` and `job_result`, whose `status` is the state
// too (clients read job_result.status first) and whose `output_files` lists every download.
Json job_status_body(ApiContext& ctx, const jobs::JobRecord& job, const std::string& base_url) {
  Json body = {{"status", job.state},
               {"success", true},
               {"job_id", job.id},
               {"job_status", job.state},
               {"progress", job.progress},
               {"operation", job.operation},
               {"pipeline", job.pipeline},
               {"priority", job.priority},
               {"processing_lane", job.lane},
               {"attempts", job.attempts},
               {"created_at", iso_ms(job.created_ms)}};
  if (job.started_ms) body["started_at"] = iso_ms(job.started_ms);
  if (job.finished_ms) body["finished_at"] = iso_ms(job.finished_ms);
  if (!job.message.empty()) body["message"] = job.message;
  if (job.state == "completed") {
    auto files = output_urls(ctx, job.id, base_url);
    Json payload = finished_payload(job, files, base_url);
    body["result"] = payload;
    body["job_result"] = std::move(payload);
    if (!files.empty()) body["downloadlink"] = files.front();
  } else if (job.state == "failed") {
    body["error"] = job.error;
    body["error_code"] = job.error_code;
    body["job_result"] = {
        {"status", job.state}, {"error", job.error}, {"error_code", job.error_code}};
  } else {
    body["next_call_in_seconds"] = job.state == "queued" ? 5 : 2;
  }
  return body;
}

Response add_job(ApiContext& ctx, Request& req) {
  core::Stopwatch watch;
  std::string slug = req.path_params.at("pipeline");
  check_slug(slug);
  const jobs::Pipeline* pipeline = ctx.pipelines.resolve(slug, req.params);
  if (!pipeline) {
    std::string known = "workflow";
    for (auto* p : ctx.pipelines.all())
      if (!p->name.starts_with("workflow/")) known += ", " + p->name;
    throw Error::job_config_invalid("unknown pipeline '" + slug + "'; available: " + known);
  }
  req.params.apply_schema(pipeline->params, {});
  if (pipeline->name == "paperoffice_aiocr___generate" && wants_ocr_read_back(req))
    return ocr_read_back(ctx, req);

  auto inputs = collect_files(req);
  for (auto& u : collect_urls(req, ctx.outbound)) inputs.push_back(std::move(u));
  if (pipeline->needs_input && inputs.empty())
    throw Error::invalid_request("pipeline '" + slug +
                                 "' needs an input: upload 'file' (or files, file_1..N) or give "
                                 "'source_url'");
  auto lane = jobs::choose_lane(req.params.opt_str("processing_lane"),
                                req.params.opt_integer("priority"), pipeline->default_lane);
  bool client_wait = req.params.boolean("client_wait", true);
  if (pipeline->validate) pipeline->validate(req.params, inputs);

  int64_t cost = std::max<int64_t>(
      5, static_cast<int64_t>(std::ceil(pipeline->credits * jobs::credit_factor(lane.lane))));

  // Store the uploads encrypted before the job exists, made durable by one sync for all of them;
  // drop them again if enqueueing fails.
  std::vector<std::string> blobs;
  try {
    store::BlobBatch batch(ctx.blobs);
    for (const auto& in : inputs) {
      if (!in.source_url.empty()) {
        blobs.emplace_back();  // fetched by the worker
      } else if (in.data) {
        store::BlobWriter writer = batch.writer();
        writer.write(*in.data);
        blobs.push_back(writer.commit());
      } else {
        blobs.push_back(batch.put_file(in.path));
      }
    }
    batch.sync();
  } catch (...) {
    drop_blobs(ctx, blobs);
    throw;
  }
  Json params = req.params.raw();
  params.erase("pipeline");
  params.erase("files");
  jobs::NewJob job{
      core::make_job_id(lane.priority, core::unix_seconds()),
      req.principal.account_id,
      slug,
      pipeline->operation,
      jobs::lane_name(lane.lane),
      lane.priority,
      params,
      ctx.config.job_max_attempts,
      pipeline->timeout_seconds > 0 ? pipeline->timeout_seconds : ctx.config.job_timeout_seconds,
      cost,
      inputs,
      blobs};
  try {
    // The debit and the job land together or not at all.
    ctx.db.conn().transaction([&] {
      req.charge(cost, job.id);
      ctx.queue.enqueue(job);
    });
  } catch (...) {
    req.charged = 0;  // rolled back with the transaction
    drop_blobs(ctx, blobs);
    throw;
  }
  req.settle_charge();  // from now on a failed job refunds itself
  if (ctx.supervisor) ctx.supervisor->wake();

  if (lane.lane == jobs::Lane::kInstant && client_wait && ctx.supervisor) {
    std::optional<jobs::JobRecord> done;
    ctx.supervisor->wait_for(
        [&] {
          done = ctx.queue.get(job.id, req.principal.account_id);
          return done && (done->state == "completed" || done->state == "failed");
        },
        ctx.config.instant_wait_seconds * 1000);
    if (done && done->state == "completed") {
      Json result = done->result;
      rewrite_links(result, req.base_url);
      // OCR clients read job_result (CONTRACTS §2.2): the same payload as /job/get shows.
      Json job_result =
          finished_payload(*done, output_urls(ctx, job.id, req.base_url), req.base_url);
      return Response::json({{"status", "success"},
                             {"job_id", job.id},
                             {"job_status", "completed"},
                             {"operation", pipeline->operation},
                             {"pipeline", slug},
                             {"result", result},
                             {"job_result", job_result},
                             {"processing_time", core::format_ms(watch.elapsed_ms())}});
    }
    if (done && done->state == "failed") {
      req.charged = 0;  // the queue refunded the failed job
      return Response::json({{"status", "error"},
                             {"code", done->error_code},
                             {"message", done->error},
                             {"job_id", job.id},
                             {"job_status", "failed"},
                             {"operation", pipeline->operation},
                             {"pipeline", slug}},
                            done->error_status >= 400 ? done->error_status : 500);
    }
  }
  return Response::json({{"status", "success"},
                         {"job_id", job.id},
                         {"job_status", "queued"},
                         {"message", "Job queued for processing"},
                         {"operation", pipeline->operation},
                         {"pipeline", slug},
                         {"priority", lane.priority},
                         {"processing_lane", jobs::lane_name(lane.lane)},
                         {"poll_url", req.base_url + "/job/get/" + job.id},
                         {"max_wait_seconds", jobs::max_wait_seconds(lane.lane)}},
                        202);
}

// POST /job (CONTRACTS §2.2): the generic job call. `pipeline=<slug>` names the pipeline;
// otherwise `template` (or an IDP collection or field list) is a workflow and `ocr_mode` or
// `model` without a template is AI-OCR. The same path as /job/add/{pipeline} from there on.
Response add_generic_job(ApiContext& ctx, Request& req) {
  std::string slug;
  if (auto p = req.params.opt_str("pipeline"); p && !p->empty())
    slug = *p;
  else if (req.params.has("template") || req.params.has("idp_collection") ||
           req.params.has("idp_fields"))
    slug = "workflow";
  else if (req.params.has("ocr_mode") || req.params.has("model"))
    slug = "paperoffice_aiocr___generate";
  else
    throw Error::job_config_invalid(
        "POST /job needs one of: pipeline=<workflow or product___operation>, template=<workflow "
        "template> (a workflow job), or ocr_mode=text|grid|complete / model=basic|premium|ultra "
        "(an AI-OCR job); or call POST /job/add/{pipeline}");
  req.path_params["pipeline"] = slug;
  return add_job(ctx, req);
}

Response get_job(ApiContext& ctx, Request& req) {
  std::string id = req.path_params.at("job_id");
  auto job = core::is_job_id(id) ? ctx.queue.get(id, req.principal.account_id) : std::nullopt;
  if (!job) throw Error::not_found("no job '" + id + "' in this account");
  return Response::json(job_status_body(ctx, *job, req.base_url));
}

Response download(ApiContext& ctx, Request& req) {
  std::string token = req.path_params.at("download_token");
  auto row = core::is_download_token(token)
                 ? ctx.db.conn().query_one(
                       "SELECT job_id, account_id, filename, content_type, blob_id, created_at, "
                       "expires_at FROM downloads WHERE token = ?",
                       {token})
                 : std::nullopt;
  // The token alone authorizes; a Bearer header, if sent, must be the owner's.
  if (!row || (!req.principal.visitor() && row->i64("account_id") != req.principal.account_id))
    throw Error::not_found("no download '" + token + "'");
  if (row->i64("expires_at") <= core::unix_now())
    throw Error::gone("download token expired; download links live " +
                      std::to_string(ctx.config.download_ttl_seconds) + " s");
  Response r;
  r.content_type = row->text("content_type");
  r.stream = std::make_shared<http::BodyStream>();
  if (std::string blob = row->text("blob_id"); !blob.empty()) {
    auto reader = std::make_shared<store::BlobReader>(ctx.blobs.open(blob));
    r.stream->size = reader->size();
    r.stream->next = [reader](std::string& chunk) { return reader->next(chunk); };
  } else {  // the job's archive: a ZIP of its other downloads, made while it is sent
    std::shared_ptr<engines::archive::ZipStream> zip =
        jobs::open_archive(ctx.db, ctx.blobs, row->text("job_id"), row->i64("created_at"));
    r.stream->size = zip->size();
    r.stream->next = [zip](std::string& chunk) { return zip->next(chunk); };
  }
  std::string name = row->text("filename");
  std::string safe;
  for (char c : name) safe += (c == '"' || c == '\\' || c < 0x20) ? '_' : c;
  r.headers.push_back({"Content-Disposition", "attachment; filename=\"" + safe + "\""});
  r.headers.push_back({"Cache-Control", "private, no-store"});
  return r;
}

}  // namespace

void add_job_routes(http::Router& router, ApiContext& ctx) {
  std::vector<http::Param> common = {
      {.name = "file", .type = ParamType::kFile, .description = "input file"},
      {.name = "source_url", .description = "fetch the input from this URL"},
      {.name = "priority",
       .type = ParamType::kInteger,
       .description = ">=900 sync, 500-899 async, <500 batch",
       .minimum = 0,
       .maximum = 999},
      {.name = "processing_lane",
       .description = "start SLA and credit factor",
       .enum_values = {"no_sla", "sla_24h", "sla_12h", "sla_6h", "sla_1h", "instant"}},
      {.name = "client_wait",
       .type = ParamType::kBoolean,
       .description = "false answers 202 at once"}};
  // The two job calls: the same price, upload limit and common fields; their own first fields.
  auto job_route = [&](std::string path, std::string title, std::string summary,
                       std::vector<http::Param> first, http::Handler handler) {
    first.insert(first.end(), common.begin(), common.end());
    router.add({.method = "POST",
                .path = std::move(path),
                .category = kCategory,
                .title = std::move(title),
                .summary = std::move(summary),
                .credits = http::kDynamicPrice,
                .body_limit = static_cast<uint64_t>(ctx.config.max_upload_mb) << 20,
                .params = std::move(first),
                .read_only = false,
                .handler = std::move(handler)});
  };
  job_route("/job/add/{pipeline}", "Add job",
            "Queue a job on a pipeline. priority >= 900 (or processing_lane=instant) answers "
            "inline within 40 s; otherwise 202 with job_id and poll_url.",
            {{.name = "pipeline",
              .required = true,
              .description = "workflow or <product>___<operation>"}},
            [&ctx](Request& req) { return add_job(ctx, req); });
  job_route("/job", "Add job (generic)",
            "The generic job call: pipeline=<slug>, or template=... (a workflow job), or "
            "ocr_mode/model without a template (an AI-OCR job); then as /job/add/{pipeline}.",
            {{.name = "pipeline", .description = "workflow or <product>___<operation>"},
             {.name = "template", .description = "a workflow template: a workflow job"},
             {.name = "ocr_mode",
              .description = "without a template: an AI-OCR job",
              .enum_values = {"text", "grid", "complete"}}},
            [&ctx](Request& req) { return add_generic_job(ctx, req); });
  router.add({.method = "GET",
              .path = "/job/get/{job_id}",
              .category = kCategory,
              .title = "Get job status and result",
              .summary = "Status, progress and result of a job. Free; poll every 2-10 s.",
              .rate_limited = false,
              .params = {{.name = "job_id", .required = true, .description = "the job id"},
                         {.name = "compact", .type = ParamType::kBoolean, .default_value = true}},
              .mcp_name = "po_job_get",
              .handler = [&ctx](Request& req) { return get_job(ctx, req); }});
  router.add({.method = "GET",
              .path = "/job/download/{download_token}",
              .category = kCategory,
              .title = "Download Job Result",
              .summary = "Download a result file of a completed job. The token alone "
                         "authorizes; links expire. A job with several files also has "
                         "result.archive_url: all of them as one ZIP, in order.",
              .auth = Auth::kVisitor,
              .params = {{.name = "download_token", .required = true}},
              .handler = [&ctx](Request& req) { return download(ctx, req); }});
}

}  // namespace paperd::api
