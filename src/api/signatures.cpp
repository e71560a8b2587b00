// E-signature routes (the twelve index rows of "Document AI — E-Signatures": /signatures/* and
// /signature_link/*) and the signing page a signer's link opens (/sign/{token}, served from
// web/sign, no account needed: the link's secret is the credential).
#include <fmt/format.h>

#include "api/blob_response.h"
#include "api/context.h"
#include "api/dms_common.h"
#include "core/crypto.h"
#include "core/error.h"
#include "services/esign/signature_service.h"
#include "web/assets.h"

namespace paperd::api {

using core::Error;
using http::Auth;
using http::Param;
using http::ParamType;
using http::Request;
using http::Response;
using services::esign::SignatureService;

namespace {

const std::string kCategory = "Document AI — E-Signatures";

// The request a call is about: signature_id, request_id, signature_request_id or id.
std::string request_id_of(const Request& req) {
  for (const char* k : {"signature_id", "request_id", "signature_request_id", "id"})
    if (std::string v = req.params.str(k); !v.empty()) return v;
  return "";
}

Param id_param() {
  return {.name = "signature_id",
          .required = false,
          .description = "the signature request (sig_...); also request_id",
          .example = "sig_3kTq9ZxV2mB7wLpA0cYd4eRf"};
}

std::vector<Param> create_params(bool link_form) {
  std::vector<Param> p = {
      {.name = "file", .type = ParamType::kFile, .description = "the PDF, instead of a pofid"},
      document_ref_param(false),
      {.name = "signers",
       .type = ParamType::kArray,
       .required = !link_form,
       .description = "[{name, email, role?, order?, fields?: [{type: signature|initials|date|"
                      "text|checkbox, page, x, y, width, height (fractions of the page, "
                      "top-left origin), required?, label?}]}]",
       .example = Json::array({{{"name", "Jane Doe"},
                                {"email", "jane@example.com"},
                                {"fields", Json::array({{{"type", "signature"},
                                                         {"page", 1},
                                                         {"x", 0.1},
                                                         {"y", 0.8},
                                                         {"width", 0.3},
                                                         {"height", 0.06}}})}}})},
      {.name = "signing_order",
       .default_value = "sequential",
       .enum_values = {"sequential", "parallel"}},
      {.name = "title", .description = "subject of the invitation; default the file name"},
      {.name = "message", .description = "text for the signers"},
      {.name = "sender_email",
       .description = "where the sender is told of completion and declines (also in-app)"},
      {.name = "expires_at", .description = "YYYY-MM-DD or ISO time; default 30 days"},
      {.name = "expires_in_days", .type = ParamType::kInteger, .description = "1..365"},
      {.name = "reminder_days",
       .type = ParamType::kAny,
       .description = "days after the invitation to remind, e.g. [3, 7]"},
      workspace_id_param()};
  if (link_form) {
    p.push_back({.name = "signer_email", .description = "one signer, instead of signers"});
    p.push_back({.name = "signer_name"});
  }
  return p;
}

services::esign::ClientInfo client_of(const Request& req) {
  return {req.client_ip, req.header("User-Agent")};
}

// The signing page, or a page that says why it cannot be shown.
std::string page_html(const std::string& nonce, const std::string& error) {
  std::string html(web::kSignHtml);
  auto put = [&](const std::string& marker, std::string_view value) {
    if (auto at = html.find(marker); at != std::string::npos)
      html.replace(at, marker.size(), value);
  };
  put("/*SIGN_CSS*/", web::kSignCss);
  put("/*SIGN_JS*/", web::kSignJs);
  for (size_t at; (at = html.find("{{NONCE}}")) != std::string::npos;) html.replace(at, 9, nonce);
  Json boot = {{"error", error}};
  std::string b = boot.dump();
  for (size_t at = 0; (at = b.find('<', at)) != std::string::npos;) b.replace(at, 1, "\\u003c");
  put("{{BOOT}}", b);
  return html;
}

Response html_page(const std::string& error, int status) {
  std::string nonce = core::hex(core::random_bytes(16));
  Response r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.raw = page_html(nonce, error);
  r.add_processing_time = false;
  r.headers.push_back({"Content-Security-Policy",
                       "default-src 'none'; img-src 'self' data: blob:; connect-src 'self'; "
                       "style-src 'nonce-" +
                           nonce + "'; script-src 'nonce-" + nonce +
                           "'; base-uri 'none'; form-action 'none'"});
  r.headers.push_back({"Referrer-Policy", "no-referrer"});
  r.headers.push_back({"Cache-Control", "no-store"});
  r.headers.push_back({"X-Content-Type-Options", "nosniff"});
  return r;
}

}  // namespace

void add_signature_routes(http::Router& router, ApiContext& ctx) {
  auto svc = ctx.signatures;
  auto create = [&ctx, svc](Request& req) {
    std::optional<services::esign::SourceFile> file;
    for (auto& f : req.files)
      if (f.field == "file" || f.field == "document")
        file = services::esign::SourceFile{f.path, f.path.empty() ? f.data : "", f.filename};
    return Response::json(svc->create(req.principal, req.params.raw(), file, req.base_url));
  };
  const auto upload_limit = static_cast<uint64_t>(ctx.config.max_upload_mb) << 20;
  router.add({.method = "POST",
              .path = "/signatures/create",
              .category = kCategory,
              .title = "Create Signature Request",
              .summary = "Send a PDF (pofid or upload) to one or more signers, in sequential or "
                         "parallel order, each with their fields (signature, initials, date, "
                         "text, checkbox) by page and position. Each signer gets an email with a "
                         "unique, expiring link to the signing page; the answer has the links "
                         "once. Every signature is PAdES (pdfsig verifies it).",
              .credits = 10,
              .body_limit = upload_limit,
              .params = create_params(false),
              .mcp_name = "po_signatures_create",
              .read_only = false,
              .handler = create});
  router.add({.method = "POST",
              .path = "/signature_link/send_signing_request",
              .category = kCategory,
              .title = "Send Signing Request",
              .summary = "Send a document for signature via email: signer_email (and "
                         "signer_name) for one signer, or signers for several; otherwise as "
                         "signatures/create.",
              .credits = 10,
              .body_limit = upload_limit,
              .params = create_params(true),
              .mcp_name = "po_signature_link_send_signing_request",
              .read_only = false,
              .handler = create});
  router.add(
      {.method = "GET",
       .path = "/signatures/get",
       .category = kCategory,
       .title = "Get signature details",
       .summary = "A signature request: its document, status, signers with their "
                  "fields and times, and whether its audit trail verifies "
                  "(include_audit=true lists the trail).",
       .params = {id_param(),
                  {.name = "include_audit", .type = ParamType::kBoolean, .default_value = false}},
       .mcp_name = "po_signatures_get",
       .handler = [svc](Request& req) {
         return Response::json(svc->get(req.principal, request_id_of(req),
                                        req.params.boolean("include_audit", false)));
       }});
  router.add(
      {.method = "GET",
       .path = "/signatures/list",
       .category = kCategory,
       .title = "List signature requests",
       .summary = "The account's signature requests, newest first, by status.",
       .params = {{.name = "status",
                   .enum_values = {"pending", "completed", "declined", "cancelled", "expired"}},
                  {.name = "limit", .type = ParamType::kInteger, .default_value = 20},
                  {.name = "offset", .type = ParamType::kInteger, .default_value = 0},
                  {.name = "page", .type = ParamType::kInteger}},
       .mcp_name = "po_signatures_list",
       .handler = [svc](Request& req) {
         auto paging = paging_of(req);
         return Response::json(
             svc->list(req.principal, req.params.str("status"), paging.limit, paging.offset));
       }});
  router.add({.method = "GET",
              .path = "/signature_link/get_signing_status",
              .category = kCategory,
              .title = "Check signing status",
              .summary = "Per signer: waiting, sent, viewed, signed or declined, with the times.",
              .params = {{.name = "request_id", .description = "the signature request"}},
              .mcp_name = "po_signature_link_get_signing_status",
              .handler = [svc](Request& req) {
                return Response::json(svc->signing_status(req.principal, request_id_of(req)));
              }});
  auto remind = [svc](Request& req) {
    std::string signer = req.params.str("signer_email", req.params.str("signer_id"));
    return Response::json(svc->remind(req.principal, request_id_of(req), signer, req.base_url));
  };
  router.add({.method = "POST",
              .path = "/signatures/remind",
              .category = kCategory,
              .title = "Send reminder",
              .summary = "Email the invited signers who have not signed yet (or one: "
                         "signer_email / signer_id) their link again.",
              .params = {id_param(), {.name = "signer_email"}, {.name = "signer_id"}},
              .mcp_name = "po_signatures_remind",
              .read_only = false,
              .handler = remind});
  router.add({.method = "POST",
              .path = "/signature_link/resend_invitation",
              .category = kCategory,
              .title = "Resend invitation",
              .summary = "A new signing link for one invited signer, emailed to them (and in the "
                         "answer); the previous link stops working.",
              .params = {{.name = "request_id", .description = "the signature request"},
                         {.name = "signer_email"},
                         {.name = "signer_id"}},
              .mcp_name = "po_signature_link_resend_invitation",
              .read_only = false,
              .handler = [svc](Request& req) {
                std::string signer = req.params.str("signer_email", req.params.str("signer_id"));
                return Response::json(
                    svc->resend(req.principal, request_id_of(req), signer, req.base_url));
              }});
  auto cancel = [svc](Request& req) {
    return Response::json(svc->cancel(req.principal, request_id_of(req), req.params.str("reason")));
  };
  for (auto [path, title, mcp] :
       {std::tuple{"/signatures/cancel", "Cancel Signature Request", "po_signatures_cancel"},
        std::tuple{"/signature_link/cancel_signing_request", "Cancel Signing Request",
                   "po_signature_link_cancel_signing_request"}})
    router.add({.method = "POST",
                .path = path,
                .category = kCategory,
                .title = title,
                .summary = "Cancel a pending signature request: its links stop working and the "
                           "invited signers are told. A completed request answers 409.",
                .params = {id_param(), {.name = "request_id"}, {.name = "reason"}},
                .mcp_name = mcp,
                .read_only = false,
                .destructive = true,
                .handler = cancel});
  auto download = [&ctx, svc](Request& req) {
    std::string kind = req.params.str("type");
    if (req.params.boolean("certificate", false)) kind = "certificate";
    auto d = svc->download(req.principal, request_id_of(req), kind,
                           req.params.boolean("partial", false));
    return blob_response(ctx.blobs, d.blob_id, "application/pdf", d.filename);
  };
  for (auto [path, title, mcp] :
       {std::tuple{"/signatures/download", "Download eSignature Document",
                   "po_signatures_download"},
        std::tuple{"/signature_link/download_signed_document", "Download Signing Link Document",
                   "po_signature_link_download_signed_document"}})
    router.add({.method = "GET",
                .path = path,
                .category = kCategory,
                .title = title,
                .summary = "The signed PDF of a completed request (type=signed), its completion "
                           "certificate (type=certificate or certificate=true) or the original "
                           "(type=original); partial=true gives the PDF as signed so far.",
                .params = {id_param(),
                           {.name = "request_id"},
                           {.name = "type",
                            .default_value = "signed",
                            .enum_values = {"signed", "certificate", "original"}},
                           {.name = "certificate", .type = ParamType::kBoolean},
                           {.name = "partial", .type = ParamType::kBoolean}},
                .mcp_name = mcp,
                .handler = download});
  router.add(
      {.method = "GET",
       .path = "/signature_link/get_document_signatures",
       .category = kCategory,
       .title = "Get document signatures",
       .summary = "Every signature in a PDF of the document store (pofid) or of a "
                  "request: signer, time, validity, PAdES, timestamp, and whether the "
                  "document was changed after it. Verifies PDFs signed elsewhere too.",
       .params = {document_ref_param(false), {.name = "request_id"}},
       .mcp_name = "po_signature_link_get_document_signatures",
       .handler = [svc](Request& req) {
         std::string ref =
             req.params.str("pofid", req.params.str("documents_id", req.params.str("document_id")));
         return Response::json(svc->document_signatures(req.principal, ref, request_id_of(req)));
       }});

  // ---- the signing page (the link's token is the credential)
  router.add({.method = "GET",
              .path = "/sign/{token}",
              .category = kCategory,
              .title = "Signing page",
              .summary = "The page a signer's link opens: the document, their fields, draw, "
                         "type or upload a signature, finish or decline.",
              .auth = Auth::kVisitor,
              .rate_limited = false,
              .params = {{.name = "token", .required = true}},
              .handler = [svc](Request& req) {
                try {
                  svc->session(req.path_params.at("token"), client_of(req));
                  return html_page("", 200);
                } catch (const Error& e) {
                  return html_page(e.what(), e.status());
                }
              }});
  router.add({.method = "GET",
              .path = "/sign/{token}/session",
              .category = kCategory,
              .title = "Signing session",
              .summary = "What the signing page shows: the request, the signer, the pages and "
                         "the signer's own fields.",
              .auth = Auth::kVisitor,
              .rate_limited = false,
              .params = {{.name = "token", .required = true}},
              .handler = [svc](Request& req) {
                return Response::json(svc->session(req.path_params.at("token"), client_of(req)));
              }});
  router.add({.method = "GET",
              .path = "/sign/{token}/page/{page}",
              .category = kCategory,
              .title = "Signing page image",
              .summary = "One page of the document to sign, as PNG.",
              .auth = Auth::kVisitor,
              .rate_limited = false,
              .params = {{.name = "token", .required = true},
                         {.name = "page", .type = ParamType::kInteger, .required = true}},
              .handler = [&ctx, svc](Request& req) {
                auto d = svc->page_image(req.path_params.at("token"),
                                         std::atoi(req.path_params.at("page").c_str()));
                return blob_response(ctx.blobs, d.blob_id, "image/png", d.filename, true);
              }});
  router.add({.method = "POST",
              .path = "/sign/{token}/complete",
              .category = kCategory,
              .title = "Sign",
              .summary = "Signs with signature {image (PNG data URL) | text}, initials and the "
                         "values of the signer's fields.",
              .auth = Auth::kVisitor,
              .rate_limited = false,
              .body_limit = 8 << 20,
              .json_body_limit = 8 << 20,
              .params = {{.name = "token", .required = true},
                         {.name = "signature", .type = ParamType::kAny, .required = true},
                         {.name = "initials", .type = ParamType::kAny},
                         {.name = "values", .type = ParamType::kObject}},
              .read_only = false,
              .handler = [svc](Request& req) {
                return Response::json(svc->complete(req.path_params.at("token"), req.params.raw(),
                                                    client_of(req), req.base_url));
              }});
  router.add({.method = "POST",
              .path = "/sign/{token}/decline",
              .category = kCategory,
              .title = "Decline to sign",
              .summary = "Declines with a reason; the request closes and the sender is told.",
              .auth = Auth::kVisitor,
              .rate_limited = false,
              .params = {{.name = "token", .required = true}, {.name = "reason"}},
              .read_only = false,
              .handler = [svc](Request& req) {
                return Response::json(svc->decline(req.path_params.at("token"),
                                                   req.params.str("reason"), client_of(req)));
              }});
}

}  // namespace paperd::api
