// Workspace routes of the document store: create (also spelled workspaces-create), list (also
// workspace-list), update, delete (confirm_name), access check and storage health.
#include "api/context.h"
#include "api/dms_common.h"
#include "services/dms/documents.h"

namespace paperd::api {

using http::Param;
using http::ParamType;
using http::Request;
using http::Response;

void add_workspace_routes(http::Router& router, ApiContext& ctx) {
  auto docs = ctx.documents;
  Param name{.name = "name", .description = "workspace name, unique in the account"};
  Param mode{.name = "ai_dms_mode",
             .description = "process every upload (text layer, OCR of scanned pages)",
             .enum_values = {"none", "basic", "premium", "ultra"}};
  std::vector<Param> fields = {
      {.name = "description", .description = "what the workspace holds"},
      {.name = "type", .description = "free-form type, default standard"},
      mode,
      {.name = "metadata",
       .type = ParamType::kObject,
       .description = "data_contact, data_owner, data_retention, ... (kept as given)"}};

  auto create = [docs](Request& req) {
    return Response::json(docs->create_workspace(req.principal, req.params.raw()));
  };
  auto list = [docs](Request& req) { return Response::json(docs->list_workspaces(req.principal)); };
  std::vector<Param> create_params = {name};
  create_params[0].required = true;
  create_params.insert(create_params.end(), fields.begin(), fields.end());
  for (auto [path, mcp] : {std::pair{"/documents/workspace-create", "po_workspaces_create"},
                           {"/documents/workspaces-create", ""}})
    router.add({.method = "POST",
                .path = path,
                .category = kDmsCategory,
                .title = "Create workspace",
                .summary = "Create a workspace to organize documents. A group token creates it "
                           "in its group.",
                .credits = 0,
                .params = create_params,
                .mcp_name = mcp,
                .read_only = false,
                .handler = create});
  for (auto [path, mcp] : {std::pair{"/documents/workspaces-list", "po_workspaces_list"},
                           {"/documents/workspace-list", ""}})
    router.add({.method = "GET",
                .path = path,
                .category = kDmsCategory,
                .title = "List workspaces",
                .summary = "All workspaces the token reaches: id, name, description, type, "
                           "status, ai_dms_mode, document_count, storage_bytes.",
                .mcp_name = mcp,
                .handler = list});
  std::vector<Param> update_params = {
      workspace_id_param(true),
      name,
      {.name = "status", .enum_values = {"active", "archived", "locked"}}};
  update_params.insert(update_params.end(), fields.begin(), fields.end());
  router.add({.method = "POST",
              .path = "/documents/workspace-update",
              .category = kDmsCategory,
              .title = "Update workspace",
              .summary = "Change a workspace's name, description, status, AI-DMS mode or metadata.",
              .params = update_params,
              .mcp_name = "po_workspaces_update",
              .read_only = false,
              .handler = [docs](Request& req) {
                return Response::json(
                    docs->update_workspace(req.principal, *workspace_id_of(req), req.params.raw()));
              }});
  router.add({.method = "POST",
              .path = "/documents/workspace-delete",
              .category = kDmsCategory,
              .title = "Delete workspace",
              .summary = "Delete a workspace and all its documents for good. Needs confirm_name "
                         "(the workspace's name); refused while a document in it is on legal hold.",
              .params = {workspace_id_param(true),
                         {.name = "confirm_name", .description = "the workspace's name, repeated"}},
              .mcp_name = "po_workspaces_delete",
              .read_only = false,
              .destructive = true,
              .handler = [docs](Request& req) {
                return Response::json(docs->delete_workspace(req.principal, *workspace_id_of(req),
                                                             req.params.str("confirm_name")));
              }});
  router.add({.method = "POST",
              .path = "/documents/workspace-access-check",
              .category = kDmsCategory,
              .title = "Check access",
              .summary = "Whether this token reaches a workspace, and with which permissions.",
              .params = {workspace_id_param(), {.name = "workspace_name"}},
              .mcp_name = "po_workspaces_access_check",
              .handler = [docs](Request& req) {
                return Response::json(docs->access_check(req.principal, workspace_id_of(req),
                                                         req.params.str("workspace_name")));
              }});
  router.add({.method = "POST",
              .path = "/documents/workspace-storage-health",
              .category = kDmsCategory,
              .title = "Validate Workspace Storage Health",
              .summary = "A real write/read round trip through the workspace's blob storage: "
                         "latency, free space, lock state.",
              .params = {workspace_id_param(), {.name = "workspace_name"}},
              .mcp_name = "po_workspaces_storage_health",
              .handler = [docs](Request& req) {
                return Response::json(docs->storage_health(req.principal, workspace_id_of(req),
                                                           req.params.str("workspace_name")));
              }});
}

}  // namespace paperd::api
