// Document generation (index category "Document AI — DMS"): templates (CRUD, soft delete) and
// the two generators, create-from-template and create-from-content, which render HTML
// (engines/generate), print it to PDF in a worker (html_print.h) and store the PDF as a DMS
// document. Both generators take an idempotency_key (services/dms/idempotency.h); their price is
// charged by the handler (kDynamicPrice) so that a replay, which is free, is never billed.
#include <algorithm>
#include <memory>

#include "api/context.h"
#include "api/dms_common.h"
#include "api/html_print.h"
#include "core/error.h"
#include "core/fs.h"
#include "engines/generate/html_page.h"
#include "engines/generate/markdown.h"
#include "engines/generate/template_renderer.h"
#include "engines/generate/variable_schema.h"
#include "services/dms/documents.h"
#include "services/dms/idempotency.h"
#include "services/dms/templates.h"

namespace paperd::api {

namespace {

namespace dms = services::dms;
namespace gen = engines::generate;
using core::Error;
using http::Param;
using http::ParamType;
using http::Request;
using http::Response;

constexpr int64_t kGenerationCredits = 10;
constexpr uint64_t kBodyLimit = 8u << 20;  // templates and content with inline images

struct Services {
  explicit Services(ApiContext& ctx)
      : documents(ctx.db, ctx.blobs, ctx.config), templates(ctx.db) {}
  dms::DocumentStore documents;
  dms::TemplateStore templates;
};

// What a generator hands to the common path: the page and how the document is named.
struct Page {
  std::string html, css, name;
};

int64_t template_id_of(const Request& req) {
  auto id = req.params.opt_integer("template_id");
  if (!id) throw Error::invalid_request("field 'template_id' must be an integer");
  return *id;
}

// tags as a JSON list: a list, its JSON text, or "a, b" (comma-separated).
Json tags_json(const Json& v) {
  if (v.is_null()) return Json::array();
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    if (!s.empty() && s.front() == '[') return tags_json(dms::json_field(v, "tags"));
    Json out = Json::array();
    for (size_t start = 0; start <= s.size();) {
      size_t end = std::min(s.find(',', start), s.size());
      std::string tag = s.substr(start, end - start);
      tag.erase(0, tag.find_first_not_of(" \t"));
      tag.erase(tag.find_last_not_of(" \t") + 1);
      if (!tag.empty()) out.push_back(tag);
      start = end + 1;
    }
    return out;
  }
  if (!v.is_array() ||
      !std::all_of(v.begin(), v.end(), [](const Json& t) { return t.is_string(); }))
    throw Error::invalid_request("field 'tags' must be a list of strings or \"a,b\"");
  return v;
}

// "Invoice 42" → "Invoice 42.pdf"; path separators and control characters become '_'.
std::string pdf_file_name(std::string name, const std::string& fallback) {
  if (name.empty()) name = fallback.empty() ? "document" : fallback;
  for (char& c : name)
    if (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20) c = '_';
  if (name.size() < 4 || name.substr(name.size() - 4) != ".pdf") name += ".pdf";
  return name;
}

// The payload an idempotency key is bound to: every field but the key, JSON fields parsed.
Json payload_of(const Request& req) {
  Json payload = req.params.raw();
  payload.erase("idempotency_key");
  if (payload.contains("variables"))
    payload["variables"] = dms::json_field(payload["variables"], "variables");
  if (payload.contains("tags")) payload["tags"] = tags_json(payload["tags"]);
  return payload;
}

// The common path of both generators: replay, or render → bill → print → store → remember.
Response generate(ApiContext& ctx, Services& s, Request& req, const std::string& route,
                  const std::function<Page()>& render) {
  auto& conn = ctx.db.conn();
  const Json payload = payload_of(req);
  std::string key = dms::idempotency_key_of(req.params.raw().value("idempotency_key", Json()));
  if (auto stored = dms::replay(conn, req.principal.account_id, route, key, payload)) {
    (*stored)["idempotent_replay"] = true;
    (*stored)["charged_this_request"] = 0;
    return Response::json(*stored);
  }
  dms::WorkspaceRow ws = dms::require_workspace(conn, req.principal, workspace_id_of(req),
                                                req.params.str("workspace_name"));
  Page page = render();
  std::vector<std::string> tags = payload.value("tags", Json::array());
  std::string file_name = pdf_file_name(req.params.str("file_name"), page.name);

  req.charge(kGenerationCredits, "POST " + route);  // refunded by the server if we fail
  core::TempDir temp(ctx.config.tmp_dir(), "generate-");
  auto pdf = temp.path() / "document.pdf";
  print_html_to_pdf(ctx, {req.principal.account_id, page.html, page.css, file_name}, pdf);

  auto outcomes =
      s.documents.upload(req.principal, ws, {{file_name, pdf, std::filesystem::file_size(pdf)}},
                         {.tags = tags, .description = req.params.str("description")});
  if (outcomes.empty() || !outcomes.front().ok) {
    Json r = outcomes.empty() ? Json::object() : outcomes.front().result;
    throw Error(outcomes.empty() ? 500 : outcomes.front().status,
                r.value("code", std::string("UPLOAD_FAILED")),
                r.value("message", r.value("error", std::string("storing the PDF failed"))));
  }
  const Json& doc = outcomes.front().result;
  Json answer = {{"status", "success"},
                 {"documents_id", doc.value("documents_id", Json())},
                 {"pofid", doc.value("pofid", Json())},
                 {"file_name", doc.value("file_name", file_name)},
                 {"workspace_id", ws.id},
                 {"total_pages", doc.value("total_pages", Json())},
                 {"size", doc.value("size", Json())},
                 {"charged_this_request", kGenerationCredits},
                 {"idempotent_replay", false}};
  dms::remember(conn, req.principal.account_id, route, key, payload, answer);
  return Response::json(answer);
}

// The template's page: variables checked against its schema (every problem named at once),
// defaults filled in, rendered; a fragment is wrapped into a page.
Page template_page(Services& s, const Request& req) {
  dms::TemplateRow t = s.templates.require(req.principal, template_id_of(req));
  if (!t.active)
    throw Error::not_found("document template " + std::to_string(t.id) +
                           " is deleted; template-update with active=true reactivates it");
  Json vars = req.params.has("variables")
                  ? dms::json_field(req.params.raw()["variables"], "variables")
                  : Json::object();
  if (vars.is_null()) vars = Json::object();
  if (!vars.is_object()) throw Error::invalid_request("field 'variables' must be a JSON object");
  std::string missing, other;
  for (const auto& p : gen::validate_variables(t.variables, vars)) {
    if (p.kind == "missing")
      missing += (missing.empty() ? "" : ", ") + ("'" + p.variable + "'");
    else
      other += (other.empty() ? "" : "; ") + p.message;
  }
  if (!missing.empty() || !other.empty())
    throw Error::invalid_request("template " + std::to_string(t.id) + ": " +
                                 (missing.empty() ? "" : "missing required variables: " + missing) +
                                 (!missing.empty() && !other.empty() ? "; " : "") + other);
  std::string html = gen::render_template(t.html, gen::with_defaults(t.variables, vars));
  if (!gen::is_full_document(html)) html = gen::html_page(html, t.name, "");
  return {html, t.css, t.name};
}

// Markdown (the default) or HTML content as a page with the default stylesheet.
Page content_page(const Request& req) {
  std::string content = req.params.require_str("content");
  std::string type = req.params.str("content_type", "markdown");
  std::string title = req.params.str("title");
  if (type == "html" && gen::is_full_document(content)) return {content, "", title};
  std::string body = type == "html" ? content : gen::markdown_to_html(content);
  return {gen::html_page(body, title, gen::kDocumentCss), "", title};
}

Param text(std::string name, std::string description, bool required = false) {
  return {.name = std::move(name), .required = required, .description = std::move(description)};
}

std::vector<Param> template_fields(bool create) {
  return {text("name", "template name", create),
          text("html",
               "HTML with Mustache placeholders: {{name}} escaped, {{{name}}} raw, "
               "{{#items}}...{{/items}} loops",
               create),
          text("css", "stylesheet for the page"),
          text("description", "what the template is for"),
          {.name = "variables",
           .type = ParamType::kAny,
           .description = "variable schema: {\"type\":\"object\",\"properties\":{...},"
                          "\"required\":[...]} or {\"name\":{\"type\":\"string\",\"required\":"
                          "true}}",
           .example = Json{{"customer", {{"type", "string"}, {"required", true}}}}}};
}

std::vector<Param> generation_fields() {
  return {workspace_id_param(),
          text("workspace_name", "the workspace by name (instead of workspace_id)"),
          text("file_name", "name of the PDF in the DMS (default: the template name or title)"),
          {.name = "tags", .type = ParamType::kAny, .description = "tags: a list or \"a,b\""},
          text("description", "the document's description"),
          text("idempotency_key",
               "8-128 characters: the same key and payload replay the first answer, free")};
}

std::vector<Param> with(std::vector<Param> first, const std::vector<Param>& rest) {
  first.insert(first.end(), rest.begin(), rest.end());
  return first;
}

const Param kTemplateId = {.name = "template_id",
                           .type = ParamType::kInteger,
                           .required = true,
                           .description = "the template"};

}  // namespace

void add_document_generation_routes(http::Router& router, ApiContext& ctx) {
  auto s = std::make_shared<Services>(ctx);
  struct Row {
    std::string path, title, summary;
    std::vector<Param> params;
    bool read_only, destructive;
    int64_t credits;
    http::Handler handler;
  };
  auto add = [&](Row r) {
    std::string tail = r.path.substr(r.path.rfind('/') + 1);
    for (char& c : tail)
      if (c == '-') c = '_';
    router.add({.method = "POST",
                .path = "/document_generation/" + r.path,
                .category = kDmsCategory,
                .title = std::move(r.title),
                .summary = std::move(r.summary),
                .credits = r.credits,
                .body_limit = kBodyLimit,
                .json_body_limit = kBodyLimit,
                .params = std::move(r.params),
                // CONTRACTS §2.10 names the content tool po_documents_create_from_content.
                .mcp_name = tail == "create_from_content" ? "po_documents_create_from_content"
                                                          : "po_document_generation_" + tail,
                .read_only = r.read_only,
                .destructive = r.destructive,
                .handler = std::move(r.handler)});
  };
  add({"template-create", "Create Document Template",
       "Create a document template: HTML with Mustache placeholders, optional CSS and a variable "
       "schema.",
       template_fields(true), false, false, 0, [s](Request& req) {
         return Response::json(s->templates.create(req.principal, req.params.raw()));
       }});
  add({"template-get",
       "Get Document Template",
       "A template with its HTML, CSS and variable schema (also a deleted one: active=false).",
       {kTemplateId},
       true,
       false,
       0,
       [s](Request& req) {
         return Response::json(s->templates.get(req.principal, template_id_of(req)));
       }});
  add({"template-update", "Update Document Template",
       "Change the fields given; active=true reactivates a deleted template.",
       with({kTemplateId}, with(template_fields(false), {{.name = "active",
                                                          .type = ParamType::kBoolean,
                                                          .description = "reactivate or "
                                                                         "deactivate"}})),
       false, true, 0, [s](Request& req) {
         return Response::json(
             s->templates.update(req.principal, template_id_of(req), req.params.raw()));
       }});
  add({"template-delete",
       "Delete Document Template",
       "Deactivate a template (soft delete); template-update with active=true brings it back.",
       {kTemplateId},
       false,
       true,
       0,
       [s](Request& req) {
         return Response::json(s->templates.remove(req.principal, template_id_of(req)));
       }});
  add({"templates-list",
       "List Document Templates",
       "The account's templates without their HTML; include_inactive adds deleted ones.",
       {{.name = "include_inactive", .type = ParamType::kBoolean, .default_value = false}},
       true,
       false,
       0,
       [s](Request& req) {
         return Response::json(
             s->templates.list(req.principal, req.params.boolean("include_inactive", false)));
       }});
  add({"create-from-template", "Create Document from Template",
       "Render a saved template with variables (checked against its schema), print it to PDF and "
       "store it in the DMS. 10 credits; an idempotent replay is free.",
       with({kTemplateId,
             {.name = "variables",
              .type = ParamType::kAny,
              .description = "the template's variables: a JSON object (or its JSON text)",
              .example = Json{{"customer", "ACME"}}}},
            generation_fields()),
       false, false, http::kDynamicPrice, [&ctx, s](Request& req) {
         return generate(ctx, *s, req, "/document_generation/create-from-template",
                         [&] { return template_page(*s, req); });
       }});
  add({"create-from-content", "Create Document from Content",
       "Print Markdown (tables, lists, code blocks, task lists) or HTML to PDF and store it in "
       "the DMS. 10 credits; an idempotent replay is free.",
       with({text("content", "Markdown or HTML", true),
             {.name = "content_type",
              .description = "markdown or html",
              .default_value = "markdown",
              .enum_values = {"markdown", "html"}},
             text("title", "the page title (and default file name)")},
            generation_fields()),
       false, false, http::kDynamicPrice, [&ctx, s](Request& req) {
         return generate(ctx, *s, req, "/document_generation/create-from-content",
                         [&] { return content_page(req); });
       }});
}

}  // namespace paperd::api
