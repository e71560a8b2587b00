// A small hand-made route table and pipeline registry for the docs generators' unit tests: visitor,
// user and system routes, path parameters (also "{y}.pbf"), files, enums, a destructive route, MCP
// lanes with raw bodies, and pipelines with and without tool variants.
#pragma once

#include <string>
#include <vector>

#include "docs/catalog.h"
#include "http/route.h"
#include "jobs/pipeline.h"

namespace paperd::docs::testing {

using http::Auth;
using http::Param;
using http::ParamType;
using http::Route;

inline Route route(std::string method, std::string path, std::string category, std::string title,
                   Auth auth = Auth::kUser, std::vector<Param> params = {},
                   std::string mcp_name = "") {
  Route r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.category = std::move(category);
  r.title = std::move(title);
  r.summary = "Summary of " + r.title + ".";
  r.auth = auth;
  r.params = std::move(params);
  r.mcp_name = std::move(mcp_name);
  return r;
}

struct Fixture {
  std::vector<Route> routes;
  std::vector<jobs::Pipeline> pipeline_storage;

  Fixture() {
    const std::string jobs = "Workflow AI — Job Management";
    routes.push_back(
        route("GET", "/health", jobs, "Ping management endpoint", Auth::kVisitor,
              {{.name = "verbose", .type = ParamType::kBoolean, .default_value = false}},
              "po_health_get"));
    routes.push_back(route("GET", "/ping", jobs, "Ping", Auth::kVisitor));
    routes.push_back(route("GET", "/billing/pricing/tiers", "Account — Pricing & Plans",
                           "List pricing plans and tiers", Auth::kVisitor));
    Route add =
        route("POST", "/job/add/{pipeline}", jobs, "Add job", Auth::kUser,
              {{.name = "pipeline", .required = true, .description = "the slug"},
               {.name = "file", .type = ParamType::kFile, .description = "input file"},
               {.name = "source_url", .description = "fetch the input"},
               {.name = "priority", .type = ParamType::kInteger, .minimum = 0, .maximum = 999},
               {.name = "processing_lane", .enum_values = {"no_sla", "sla_24h", "instant"}}});
    add.credits = http::kDynamicPrice;
    add.read_only = false;
    routes.push_back(add);
    routes.push_back(route("GET", "/job/get/{job_id}", jobs, "Get job status", Auth::kUser,
                           {{.name = "job_id", .required = true, .description = "the job id"},
                            {.name = "compact", .type = ParamType::kBoolean}},
                           "po_job_get"));
    routes.push_back(route("GET", "/maptiles/tiles/get/{z}/{x}/{y}.pbf", "Data AI — Map Tiles",
                           "Get vector tile", Auth::kUser,
                           {{.name = "z", .type = ParamType::kInteger, .example = 3}}));
    Route del = route("POST", "/documents/document-delete", "Document AI — DMS", "Delete document",
                      Auth::kUser, {{.name = "pofid", .required = true}}, "po_documents_delete");
    del.read_only = false;
    del.destructive = true;
    routes.push_back(del);
    Route translate =
        route("POST", "/translate/text", "Media AI — Translation", "Translate text", Auth::kUser,
              {{.name = "text",
                .required = true,
                .description = "text | with a pipe",
                .example = "Hallo Welt"},
               {.name = "target_language", .required = true, .enum_values = {"en", "fr"}},
               {.name = "formality", .type = ParamType::kNumber, .minimum = 0, .maximum = 1}},
              "po_translate_text");
    translate.credits = 5;
    translate.read_only = false;
    routes.push_back(translate);
    Route put = route("POST", "/documents/document-put", "Document AI — DMS", "Upload document",
                      Auth::kUser,
                      {{.name = "file", .type = ParamType::kFile, .required = true},
                       {.name = "workspace_id", .type = ParamType::kInteger}});
    put.read_only = false;
    routes.push_back(put);
    routes.push_back(
        route("GET", "/admin/accounts", "Account — Admin", "List accounts", Auth::kSystem));
    for (std::string lane : {"/mcp", "/dms"}) {
      Route mcp = route("POST", lane, "MCP", "MCP lane " + lane, Auth::kUser);
      mcp.raw_body = true;
      routes.push_back(mcp);
    }
    Route mcp_get = route("GET", "/mcp", "MCP", "MCP lane /mcp (GET)", Auth::kUser);
    mcp_get.raw_body = true;
    routes.push_back(mcp_get);

    pipeline_storage.push_back({.name = "workflow/pdf_convert",
                                .operation = "pdf_convert",
                                .title = "Convert PDF",
                                .params = {{.name = "target_format",
                                            .required = true,
                                            .enum_values = {"docx", "xlsx", "jpg"}}},
                                .tools = {{"po_pdf_convert_docx",
                                           "Convert PDF to Word",
                                           "PDF to DOCX.",
                                           {{"target_format", "docx"}}},
                                          {"po_pdf_convert_xlsx",
                                           "Convert PDF to Excel",
                                           "PDF to XLSX.",
                                           {{"target_format", "xlsx"}}}},
                                .category = "Document AI — PDF"});
    pipeline_storage.push_back({.name = "workflow/pdf_merge",
                                .operation = "pdf_merge",
                                .title = "Merge pdf",
                                .params = {{.name = "file_1", .type = ParamType::kFile},
                                           {.name = "file_2", .type = ParamType::kFile}},
                                .category = "Document AI — PDF",
                                .summary = "Merge several PDFs into one."});
    pipeline_storage.push_back({.name = "paperoffice_aiocr___generate",
                                .operation = "generate",
                                .title = "OCR plain text",
                                .category = "Document AI — OCR & IDP"});
    pipeline_storage.push_back(
        {.name = "spinetest___sleep",
         .operation = "sleep",
         .title = "Sleep (test)",
         .needs_input = false,
         .params = {{.name = "seconds", .type = ParamType::kNumber, .default_value = 1}}});
  }

  std::vector<const jobs::Pipeline*> pipelines() const {
    std::vector<const jobs::Pipeline*> out;
    for (const auto& p : pipeline_storage) out.push_back(&p);
    return out;
  }

  Source source() const {
    return Source{routes, pipelines(), "http://docs.test:8080/latest", "9.9.9", 1776600000};
  }
};

// Tool variants: pdf_convert has 2, the other three pipelines one each.
inline constexpr size_t kVariantCount = 5;

}  // namespace paperd::docs::testing
