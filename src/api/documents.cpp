// Document routes of the document store: upload (document-put; and the signed PUT upload of the
// MCP tools), get, download, edit, rename, move, copy, duplicates, revisions, metadata, text,
// summary, statistics, AI-DMS (re)processing and the ZIP export.
#include <fmt/format.h>

#include <fstream>
#include <set>

#include "api/blob_response.h"
#include "api/context.h"
#include "api/dms_common.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/ids.h"
#include "engines/archive/zip_stream.h"
#include "jobs/supervisor.h"
#include "services/dms/documents.h"

namespace paperd::api {

using core::Error;
using http::Param;
using http::ParamType;
using http::Request;
using http::Response;
using services::dms::DocumentRow;
using services::dms::DocumentStore;

namespace {

constexpr const char* kOcrPipeline = "paperoffice_aiocr___generate";

std::vector<std::string> list_param(const Request& req, std::initializer_list<const char*> keys) {
  std::vector<std::string> out;
  for (const char* k : keys) {
    if (!req.params.has(k)) continue;
    Json v = req.params.raw()[k];
    if (v.is_string()) {
      std::string s = v.get<std::string>();
      if (s.starts_with("[")) {
        Json parsed = Json::parse(s, nullptr, false);
        if (parsed.is_array()) v = parsed;
      }
    }
    if (v.is_array()) {
      for (auto& x : v) out.push_back(x.is_string() ? x.get<std::string>() : x.dump());
    } else if (v.is_string()) {
      std::string s = v.get<std::string>();
      for (size_t i = 0; i <= s.size();) {
        size_t j = s.find(',', i);
        if (j == std::string::npos) j = s.size();
        std::string part = s.substr(i, j - i);
        auto a = part.find_first_not_of(" \t"), b = part.find_last_not_of(" \t");
        if (a != std::string::npos) out.push_back(part.substr(a, b - a + 1));
        i = j + 1;
      }
    } else if (v.is_number_integer()) {
      out.push_back(std::to_string(v.get<int64_t>()));
    }
  }
  return out;
}

// The uploads of a request as files on disk (small ones are written to a temp dir first).
std::vector<services::dms::UploadFile> upload_files(Request& req, const core::Config& config,
                                                    std::optional<core::TempDir>& scratch) {
  std::vector<services::dms::UploadFile> out;
  for (auto& f : req.files) {
    if (f.field != "file" && f.field != "files" && f.field != "files[]" &&
        !f.field.starts_with("file_") && !f.field.starts_with("file["))
      continue;
    std::filesystem::path path = f.path;
    if (path.empty()) {
      if (!scratch) scratch.emplace(config.tmp_dir(), "put-");
      path = scratch->path() / std::to_string(out.size());
      std::ofstream o(path, std::ios::binary);
      o.write(f.data.data(), static_cast<std::streamsize>(f.data.size()));
      if (!o) throw Error::internal("cannot write upload to " + path.string());
    }
    out.push_back({f.filename.empty() ? "document" : f.filename, path, f.size});
  }
  return out;
}

services::dms::WorkspaceRow target_workspace(ApiContext& ctx, Request& req,
                                             const char* id_key = "workspace_id",
                                             const char* name_key = "workspace_name") {
  std::optional<int64_t> id;
  if (req.params.has(id_key)) {
    id = req.params.opt_integer(id_key);
    if (!id) throw Error::invalid_request(std::string("field '") + id_key + "' must be an integer");
  }
  return services::dms::require_workspace(ctx.db.conn(), req.principal, id,
                                          req.params.str(name_key));
}

// Queues the OCR job of a document, debiting it in the caller's transaction.
std::function<std::string(store::Connection&, const DocumentRow&)> processing_queue(ApiContext& ctx,
                                                                                    Request& req) {
  return [&ctx, &req](store::Connection&, const DocumentRow& doc) {
    const jobs::Pipeline* ocr = ctx.pipelines.find(kOcrPipeline);
    if (!ocr) throw Error::engine_not_configured("the OCR pipeline " + std::string(kOcrPipeline));
    http::Params params;
    // Word boxes too: the document's pages keep them for the search hits' rectangles.
    params.set("include_bounding_boxes", true);
    params.apply_schema(ocr->params, {});
    auto lane = jobs::choose_lane(std::nullopt, std::nullopt, ocr->default_lane);
    int64_t cost = std::max<int64_t>(5, ocr->credits);
    jobs::NewJob job{
        core::make_job_id(lane.priority, core::unix_seconds()),
        req.principal.account_id,
        kOcrPipeline,
        ocr->operation,
        jobs::lane_name(lane.lane),
        lane.priority,
        params.raw(),
        ctx.config.job_max_attempts,
        ocr->timeout_seconds > 0 ? ocr->timeout_seconds : ctx.config.job_timeout_seconds,
        cost,
        {{"file", doc.file_name, doc.mime_type, {}, static_cast<uint64_t>(doc.size), ""}},
        {doc.blob_id}};
    req.charge(cost, job.id);
    ctx.queue.enqueue(job);
    return job.id;
  };
}

Response put_documents(ApiContext& ctx, Request& req) {
  core::Stopwatch watch;
  auto ws = target_workspace(ctx, req);
  std::optional<core::TempDir> scratch;
  auto files = upload_files(req, ctx.config, scratch);
  services::dms::UploadOptions opt;
  opt.tags = list_param(req, {"tags", "tags[]"});
  opt.description = req.params.str("description");
  opt.version_of = req.params.str("version_of_pofid", req.params.str("version_of"));
  opt.queue_processing = processing_queue(ctx, req);
  auto outcomes = ctx.documents->upload(req.principal, ws, files, opt);
  if (ctx.supervisor) ctx.supervisor->wake();
  req.settle_charge();  // the processing jobs refund themselves if they fail
  Json results = Json::array();
  int ok = 0, refused = 0;
  for (auto& o : outcomes) {
    results.push_back(o.result);
    ok += o.ok;
  }
  // One file that failed is the request's error; of several, each says its own outcome.
  if (ok == 0 && outcomes.size() == 1)
    throw Error(outcomes[0].status, outcomes[0].result.value("code", "INVALID_REQUEST"),
                outcomes[0].result.value("message", "the upload failed"));
  for (auto& o : outcomes)
    if (o.ok && o.result["ai_dms"].is_null() && !ws.ai_dms_mode.empty()) ++refused;
  Json body = {{"status", ok ? "success" : "error"},
               {"workspace_id", ws.id},
               {"workspace_name", ws.name},
               {"ai_dms_refused_count", refused},
               {"uploaded_count", ok},
               {"failed_count", static_cast<int>(outcomes.size()) - ok},
               {"results", results},
               {"processing_time", core::format_ms(watch.elapsed_ms())}};
  if (!ok) body["code"] = "UPLOAD_FAILED", body["message"] = "no file could be stored";
  return Response::json(body, ok ? 200 : 400);
}

Response download(ApiContext& ctx, Request& req) {
  DocumentRow d = ctx.documents->for_download(req.principal, document_ref(req),
                                              req.params.opt_integer("version"));
  Response r = blob_response(ctx.blobs, d.blob_id, d.mime_type, d.file_name,
                             req.params.boolean("inline", false));
  r.headers.push_back({"X-Document-SHA256", d.sha256});
  return r;
}

Json edit_fields(const Request& req) {
  Json fields = Json::object();
  const Json& raw = req.params.raw();
  if (raw.contains("fields")) {
    Json f = raw["fields"];
    if (f.is_string()) f = Json::parse(f.get<std::string>(), nullptr, false);
    if (!f.is_object()) throw Error::invalid_request("field 'fields' must be a JSON object");
    fields = f;
  }
  static const std::set<std::string> kNotFields = {"pofid",  "documents_id",      "document_id",
                                                   "fields", "expected_revision", "id"};
  for (auto& [k, v] : raw.items())
    if (!kNotFields.count(k)) fields[k] = v;
  return fields;
}

// documents-export: a ZIP streamed while it is sent: the decrypted originals and metadata.json.
Response export_zip(ApiContext& ctx, Request& req) {
  auto& c = ctx.db.conn();
  std::vector<DocumentRow> docs;
  auto refs = list_param(req, {"pofids", "pofid", "documents_ids"});
  if (!refs.empty()) {
    if (refs.size() > 10000) throw Error::invalid_request("at most 10,000 documents per export");
    for (auto& r : refs) docs.push_back(services::dms::require_document(c, req.principal, r));
  } else if (req.params.has("workspace_id") || req.params.has("workspace_name")) {
    auto ws = target_workspace(ctx, req);
    for (auto& r : c.query(std::string("SELECT ") + services::dms::kDocumentColumns +
                               " FROM documents d WHERE d.workspace_id = ? AND d.deleted_at IS "
                               "NULL ORDER BY d.id",
                           {ws.id}))
      docs.push_back(services::dms::document_from(r));
  } else {
    throw Error::invalid_request("name what to export: 'pofids' or 'workspace_id'");
  }
  if (docs.empty()) throw Error(404, "DOCUMENT_NOT_FOUND", "nothing to export: no documents");
  std::vector<std::string> names;
  for (auto& d : docs) names.push_back(d.file_name);
  names = engines::archive::unique_entry_names(names);
  Json meta = Json::array();
  std::vector<engines::archive::ZipEntry> entries;
  for (size_t i = 0; i < docs.size(); ++i) {
    Json j = ctx.documents->document_json(c, docs[i]);
    j["archive_name"] = names[i];
    meta.push_back(j);
    std::string blob = docs[i].blob_id;
    store::BlobStore* blobs = &ctx.blobs;
    entries.push_back({names[i], static_cast<uint64_t>(docs[i].size), docs[i].created_at_ms / 1000,
                       [blobs, blob] {
                         auto reader = std::make_shared<store::BlobReader>(blobs->open(blob));
                         return engines::archive::ChunkSource(
                             [reader](std::string& chunk) { return reader->next(chunk); });
                       }});
  }
  auto json = std::make_shared<std::string>(Json{
      {"exported_at", core::iso8601(core::unix_now())},
      {"count", docs.size()},
      {"documents", meta}}.dump(2));
  entries.push_back({"metadata.json", json->size(), core::unix_now(), [json] {
                       auto done = std::make_shared<bool>(false);
                       return engines::archive::ChunkSource([json, done](std::string& chunk) {
                         if (*done) return false;
                         chunk = *json;
                         *done = true;
                         return true;
                       });
                     }});
  auto zip = std::make_shared<engines::archive::ZipStream>(std::move(entries));
  Response r;
  r.content_type = "application/zip";
  r.stream = std::make_shared<http::BodyStream>();
  r.stream->size = zip->size();
  r.stream->next = [zip](std::string& chunk) { return zip->next(chunk); };
  r.headers.push_back({"Content-Disposition", "attachment; filename=\"documents-export-" +
                                                  std::to_string(core::unix_now()) + ".zip\""});
  r.headers.push_back({"Cache-Control", "private, no-store"});
  return r;
}

// AI-DMS processing of stored documents: one OCR job per document.
Response batch_process(ApiContext& ctx, Request& req) {
  auto refs = list_param(req, {"pofids", "pofid", "documents_ids"});
  if (auto it = req.path_params.find("pofid"); it != req.path_params.end()) refs = {it->second};
  if (refs.empty()) throw Error::invalid_request("field 'pofids' (up to 50 POFIDs) is required");
  if (refs.size() > 50)
    throw Error::invalid_request(
        fmt::format("{} POFIDs given; a batch takes at most 50", refs.size()));
  auto& c = ctx.db.conn();
  auto queue = processing_queue(ctx, req);
  Json results = Json::array();
  c.transaction([&] {
    for (auto& ref : refs) {
      DocumentRow d = services::dms::require_document(c, req.principal, ref);
      if (d.ai_dms_status == "queued" || d.ai_dms_status == "processing") {
        results.push_back({{"pofid", d.pofid},
                           {"status", d.ai_dms_status},
                           {"job_id", d.ai_dms_job_id},
                           {"message", "already being processed"}});
        continue;
      }
      std::string job = queue(c, d);
      std::string mode = d.ai_dms_mode.empty() ? "basic" : d.ai_dms_mode;
      c.exec(
          "UPDATE documents SET ai_dms_status = 'queued', ai_dms_job_id = ?, ai_dms_mode = ? "
          "WHERE id = ?",
          {job, mode, d.id});
      results.push_back({{"pofid", d.pofid},
                         {"documents_id", d.id},
                         {"status", "queued"},
                         {"job_id", job},
                         {"mode", mode}});
    }
  });
  req.settle_charge();
  if (ctx.supervisor) ctx.supervisor->wake();
  return Response::json({{"status", "success"}, {"queued", results.size()}, {"results", results}});
}

// The MCP upload pair: a signed, single-use, expiring PUT URL, then storing what was PUT.
constexpr int64_t kUploadSlotSeconds = 900;

Response upload_url(ApiContext& ctx, Request& req) {
  std::string name = req.params.str("filename", req.params.str("file_name"));
  if (name.empty()) throw Error::invalid_request("field 'filename' is required");
  std::string id = "upl_" + core::random_string(24, core::kBase62);
  std::string secret = core::random_string(32, core::kBase62);
  int64_t now = core::unix_now();
  ctx.db.conn().exec(
      "INSERT INTO upload_slots (id, account_id, token_id, secret_hash, file_name, params, "
      "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {id, req.principal.account_id, req.principal.token_id, core::hex(core::sha256(secret)), name,
       Json{{"content_type", req.params.str("content_type")}}.dump(), now,
       now + kUploadSlotSeconds});
  std::string url = req.base_url + "/documents/upload/" + id + "?signature=" + secret;
  int64_t max = ctx.config.max_upload_mb << 20;
  return Response::json(
      {{"status", "success"},
       {"upload_id", id},
       {"upload_url", url},
       {"method", "PUT"},
       {"expires_in", kUploadSlotSeconds},
       {"max_size_bytes", max},
       {"curl_command", "curl -X PUT --data-binary @'" + name + "' '" + url + "'"},
       {"next", "call po_documents_upload with upload_id and workspace_id"}});
}

Response upload_put(ApiContext& ctx, Request& req) {
  std::string id = req.path_params.at("upload_id");
  auto& c = ctx.db.conn();
  auto row = c.query_one("SELECT * FROM upload_slots WHERE id = ?", {id});
  std::string given = core::hex(core::sha256(req.params.str("signature")));
  if (!row || !core::constant_time_equal(row->text("secret_hash"), given))
    throw Error::not_found("no upload slot '" + id + "' (or its signature is wrong)");
  if (row->i64("expires_at") <= core::unix_now())
    throw Error::gone("upload slot '" + id + "' expired");
  if (!row->is_null("blob_id") || !row->is_null("used_at"))
    throw Error(409, "UPLOAD_SLOT_USED", "upload slot '" + id + "' was used already");
  if (req.files.empty()) throw Error::invalid_request("PUT the file's bytes as the request body");
  std::string blob = ctx.blobs.put_file(req.files[0].path);
  if (c.exec("UPDATE upload_slots SET blob_id = ?, size = ? WHERE id = ? AND blob_id IS NULL",
             {blob, static_cast<int64_t>(req.files[0].size), id}) != 1) {
    ctx.blobs.remove(blob);
    throw Error(409, "UPLOAD_SLOT_USED", "upload slot '" + id + "' was used already");
  }
  return Response::json({{"status", "success"}, {"upload_id", id}, {"size", req.files[0].size}});
}

Response upload_store(ApiContext& ctx, Request& req) {
  std::string id = req.params.require_str("upload_id");
  auto& c = ctx.db.conn();
  auto row = c.query_one("SELECT * FROM upload_slots WHERE id = ? AND account_id = ?",
                         {id, req.principal.account_id});
  if (!row) throw Error::not_found("no upload '" + id + "' in this account");
  if (!row->is_null("used_at"))
    throw Error(409, "UPLOAD_SLOT_USED", "upload '" + id + "' was stored already");
  if (row->is_null("blob_id"))
    throw Error(409, "UPLOAD_NOT_RECEIVED",
                "nothing was PUT to the upload URL of '" + id + "' yet");
  auto ws = target_workspace(ctx, req);
  core::TempDir scratch(ctx.config.tmp_dir(), "upl-");
  auto path = scratch.path() / "file";
  ctx.blobs.get_to_file(row->text("blob_id"), path, false);
  services::dms::UploadOptions opt;
  opt.tags = list_param(req, {"tags"});
  opt.description = req.params.str("description");
  opt.version_of = req.params.str("version_of_pofid");
  opt.queue_processing = processing_queue(ctx, req);
  if (c.exec("UPDATE upload_slots SET used_at = ? WHERE id = ? AND used_at IS NULL",
             {core::unix_now(), id}) != 1)
    throw Error(409, "UPLOAD_SLOT_USED", "upload '" + id + "' was stored already");
  std::vector<services::dms::UploadOutcome> out;
  try {
    out = ctx.documents->upload(
        req.principal, ws,
        {{row->text("file_name"), path, static_cast<uint64_t>(row->i64("size"))}}, opt);
  } catch (...) {
    c.exec("UPDATE upload_slots SET used_at = NULL WHERE id = ?", {id});
    throw;
  }
  if (!out[0].ok) {
    c.exec("UPDATE upload_slots SET used_at = NULL WHERE id = ?", {id});
    throw Error(out[0].status, out[0].result.value("code", "INVALID_REQUEST"),
                out[0].result.value("message", "the upload failed"));
  }
  ctx.blobs.remove(row->text("blob_id"));
  req.settle_charge();
  if (ctx.supervisor) ctx.supervisor->wake();
  Json body = out[0].result;
  body["workspace_name"] = ws.name;
  return Response::json(body);
}

}  // namespace

void add_document_routes(http::Router& router, ApiContext& ctx) {
  auto docs = ctx.documents;
  const Param ref = document_ref_param();
  auto route = [&](std::string method, std::string path, std::string title, std::string summary,
                   std::vector<Param> params, std::string mcp, bool read_only,
                   http::Handler handler, bool destructive = false) {
    router.add({.method = std::move(method),
                .path = std::move(path),
                .category = kDmsCategory,
                .title = std::move(title),
                .summary = std::move(summary),
                .params = std::move(params),
                .mcp_name = std::move(mcp),
                .read_only = read_only,
                .destructive = destructive,
                .handler = std::move(handler)});
  };
  router.add(
      {.method = "POST",
       .path = "/documents/document-put",
       .category = kDmsCategory,
       .title = "Upload document",
       .summary = "Upload one or more files (multipart 'file' / files[]) into a workspace, "
                  "stored encrypted; type told from the bytes; version_of_pofid stores a "
                  "new version. AI-DMS workspaces queue processing (OCR of scanned pages).",
       .body_limit = static_cast<uint64_t>(ctx.config.max_upload_mb) << 22,
       .params = {{.name = "file", .type = ParamType::kFile, .description = "the document(s)"},
                  workspace_id_param(),
                  {.name = "workspace_name", .description = "instead of workspace_id"},
                  {.name = "tags", .description = "comma-separated"},
                  {.name = "description"},
                  {.name = "version_of_pofid",
                   .description = "store as the next version of this document"}},
       .mcp_name = "po_documents_put",
       .read_only = false,
       .handler = [&ctx](Request& req) { return put_documents(ctx, req); }});
  route("GET", "/documents/document-get/{pofid}", "Get document details",
        "Identity, processing state, tags, meta fields, lifecycle and legal-hold state of a "
        "document (documents_id accepted for the POFID).",
        {ref}, "po_documents_get", true, [docs](Request& req) {
          return Response::json(docs->get(req.principal, document_ref(req)));
        });
  router.add({.method = "GET",
              .path = "/documents/document-download/{pofid}",
              .category = kDmsCategory,
              .title = "Download document",
              .summary = "The original bytes, streamed, with Content-Disposition; `version` picks "
                         "an earlier version.",
              .params = {ref,
                         {.name = "version", .type = ParamType::kInteger},
                         {.name = "inline", .type = ParamType::kBoolean}},
              .handler = [&ctx](Request& req) { return download(ctx, req); }});
  route("POST", "/documents/document-edit/{pofid}", "Edit document fields",
        "Set or clear meta fields by short alias keys (date, sender, amount, currency, iban, "
        "...; _field or custom_field for your own), typed and checked; expected_revision "
        "refuses a lost update (409).",
        {ref,
         {.name = "fields", .type = ParamType::kObject, .description = "alias: value"},
         {.name = "expected_revision", .type = ParamType::kInteger}},
        "po_documents_edit", false, [docs](Request& req) {
          return Response::json(docs->edit(req.principal, document_ref(req), edit_fields(req),
                                           req.params.opt_integer("expected_revision")));
        });
  route("POST", "/documents/document-rename", "Rename document",
        "Rename a document; its extension is kept; '/', '\\' and '..' are refused "
        "(INVALID_FILENAME).",
        {ref, {.name = "new_name", .required = true}}, "po_documents_rename", false,
        [docs](Request& req) {
          return Response::json(docs->rename(req.principal, document_ref(req),
                                             req.params.str("new_name", req.params.str("name"))));
        });
  route("POST", "/documents/document-move", "Move document",
        "Move a document to another workspace.",
        {ref, {.name = "target_workspace_id", .type = ParamType::kInteger, .required = true}},
        "po_documents_move", false, [&ctx, docs](Request& req) {
          auto to = target_workspace(ctx, req, "target_workspace_id", "target_workspace_name");
          return Response::json(docs->move(req.principal, document_ref(req), to));
        });
  route("POST", "/documents/document-copy", "Copy document",
        "Copy a document (its own encrypted blob, tags and meta fields) to a workspace.",
        {ref, {.name = "target_workspace_id", .type = ParamType::kInteger, .required = true}},
        "po_documents_copy", false, [&ctx, docs](Request& req) {
          auto to = target_workspace(ctx, req, "target_workspace_id", "target_workspace_name");
          return Response::json(docs->copy(req.principal, document_ref(req), to));
        });
  route("POST", "/documents/duplicate-check", "Check for duplicate documents",
        "Documents of this account with the same SHA-256 (give sha256, or upload the file).",
        {{.name = "sha256"}, {.name = "file", .type = ParamType::kFile}},
        "po_documents_duplicate_check", true, [&ctx, docs](Request& req) {
          std::optional<core::TempDir> scratch;
          auto files = upload_files(req, ctx.config, scratch);
          std::optional<services::dms::UploadFile> f;
          if (!files.empty()) f = files[0];
          return Response::json(docs->duplicate_check(req.principal, req.params.str("sha256"), f));
        });
  route(
      "GET", "/documents/document-revisions", "Get document revisions",
      "Every change (who, when, which field, old and new value) and every version of the file.",
      {ref,
       {.name = "limit", .type = ParamType::kInteger},
       {.name = "offset", .type = ParamType::kInteger}},
      "po_documents_revisions_list", true, [docs](Request& req) {
        auto p = paging_of(req, 100, 500);
        return Response::json(docs->revisions(req.principal, document_ref(req), p.limit, p.offset));
      });
  route("POST", "/documents/document-metadata", "Get document metadata",
        "General metadata: type, pages, producer, creator, dates, language, size, text found.",
        {ref}, "po_documents_metadata_get", true, [docs](Request& req) {
          return Response::json(docs->metadata(req.principal, document_ref(req)));
        });
  route("GET", "/document_intelligence/meta_fields/{document_id}", "Get meta fields",
        "A document's meta fields by category: financial, parties, dates, classification, "
        "analysis.",
        {{.name = "document_id", .required = true}}, "po_document_intelligence_meta_fields_get",
        true, [docs](Request& req) {
          return Response::json(docs->meta_fields(req.principal, document_ref(req)));
        });
  route("GET", "/documents/ocr-get", "Get document OCR text",
        "A document's text per page with confidence (text layer, or OCR once AI-DMS processing "
        "completed).",
        {ref, {.name = "page", .type = ParamType::kInteger}}, "po_documents_text_get", true,
        [docs](Request& req) {
          auto page = req.params.opt_integer("page");
          return Response::json(
              docs->ocr_text(req.principal, document_ref(req),
                             page ? std::optional<int>(static_cast<int>(*page)) : std::nullopt));
        });
  route("POST", "/documents/document-summary", "Get document summary",
        "The document with counts of its meta fields, text pages, tags, notes, comments, "
        "revisions and versions, and the API links to each.",
        {ref}, "po_documents_summary_get", true, [docs](Request& req) {
          return Response::json(docs->summary(req.principal, document_ref(req)));
        });
  route("POST", "/documents/global-stats", "Get global statistics",
        "Documents, pages, storage, trash, legal holds, meta fields and processing states of "
        "the account (or one workspace).",
        {workspace_id_param()}, "po_documents_global_stats_get", true, [docs](Request& req) {
          return Response::json(docs->global_stats(req.principal, workspace_id_of(req)));
        });
  for (auto [path, title, mcp] :
       {std::tuple{"/documents/document-batch-process", "Batch-process documents (AI-DMS)",
                   "po_documents_batch_process"},
        {"/documents/document-process/{pofid}", "Process document (AI-DMS)", ""}})
    router.add({.method = "POST",
                .path = path,
                .category = kDmsCategory,
                .title = title,
                .summary = "Queue AI-DMS processing (OCR through the OCR pipeline) for up to 50 "
                           "documents, one job each; billed per job.",
                .credits = http::kDynamicPrice,
                .params = {{.name = "pofids",
                            .type = ParamType::kAny,
                            .description = "list or comma-separated, at most 50"}},
                .mcp_name = mcp,
                .read_only = false,
                .handler = [&ctx](Request& req) { return batch_process(ctx, req); }});
  router.add({.method = "POST",
              .path = "/documents/documents-export",
              .category = kDmsCategory,
              .title = "Export document list",
              .summary = "A ZIP of the decrypted originals (selected POFIDs or a whole workspace) "
                         "plus metadata.json, streamed.",
              .params = {{.name = "pofids", .type = ParamType::kAny}, workspace_id_param()},
              .handler = [&ctx](Request& req) { return export_zip(ctx, req); }});
  route("POST", "/documents/upload-url", "Get a document upload URL",
        "A signed, single-use PUT URL (15 min) for a file an agent holds; then "
        "po_documents_upload stores it by upload_id.",
        {{.name = "filename", .required = true}, {.name = "content_type"}},
        "po_documents_upload_url_get", false,
        [&ctx](Request& req) { return upload_url(ctx, req); });
  router.add(
      {.method = "PUT",
       .path = "/documents/upload/{upload_id}",
       .category = kDmsCategory,
       .title = "PUT an upload",
       .summary = "The bytes of a file for an upload URL; the signature authorizes.",
       .auth = http::Auth::kVisitor,
       .body_limit = static_cast<uint64_t>(ctx.config.max_upload_mb) << 20,
       .body_to_file = true,
       .params = {{.name = "upload_id", .required = true}, {.name = "signature", .required = true}},
       .read_only = false,
       .handler = [&ctx](Request& req) { return upload_put(ctx, req); }});
  route("POST", "/documents/upload", "Store an uploaded document",
        "Store what was PUT to an upload URL as a document of a workspace (version_of_pofid for "
        "a new version).",
        {{.name = "upload_id", .required = true},
         workspace_id_param(),
         {.name = "workspace_name"},
         {.name = "tags"},
         {.name = "version_of_pofid"}},
        "po_documents_upload", false, [&ctx](Request& req) { return upload_store(ctx, req); });
}

}  // namespace paperd::api
