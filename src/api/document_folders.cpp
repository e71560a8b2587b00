// Folders ("staples") of documents, the edit-session lock of a document, and publishers
// (senders): services/dms/folders.h, edit_sessions.h and publishers.h. /publishers/create and
// /publishers/list are paperd's own helpers: the index has no route that makes a publisher.
#include <memory>

#include "api/context.h"
#include "api/dms_common.h"
#include "core/error.h"
#include "services/dms/edit_sessions.h"
#include "services/dms/folders.h"
#include "services/dms/publishers.h"

namespace paperd::api {

using http::Param;
using http::ParamType;
using http::Request;
using http::Response;
using services::dms::EditSessions;
using services::dms::FolderFields;
using services::dms::Folders;
using services::dms::Publishers;

namespace {

Response success(Json data) {
  return Response::json({{"status", "success"}, {"data", data}});
}

// `pofids` as a JSON array, or one string of comma-separated POFIDs / documents_ids.
std::vector<std::string> refs_of(const Request& req) {
  if (!req.params.has("pofids")) throw core::Error::invalid_request("field 'pofids' is required");
  std::vector<std::string> refs;
  for (const Json& v : req.params.raw().at("pofids")) {
    if (v.is_number_integer()) {
      refs.push_back(std::to_string(v.get<int64_t>()));
      continue;
    }
    if (!v.is_string())
      throw core::Error::invalid_request("field 'pofids' must hold POFIDs or documents_ids");
    std::string s = v.get<std::string>();
    for (size_t start = 0; start <= s.size();) {
      size_t comma = std::min(s.find(',', start), s.size());
      std::string ref = s.substr(start, comma - start);
      ref.erase(0, ref.find_first_not_of(" \t"));
      ref.erase(ref.find_last_not_of(" \t") + 1);
      if (!ref.empty()) refs.push_back(ref);
      start = comma + 1;
    }
  }
  return refs;
}

FolderFields folder_fields(const Request& req) {
  return {req.params.opt_str("name"), req.params.opt_str("description"), req.params.opt_str("icon"),
          req.params.opt_str("color")};
}

// The document, when the request names one; "" otherwise.
std::string optional_ref(const Request& req) {
  for (const char* k : {"pofid", "documents_id", "document_id"})
    if (req.params.has(k)) return document_ref(req);
  return "";
}

Param id_param(const char* name, const char* what) {
  return {.name = name, .type = ParamType::kInteger, .required = true, .description = what};
}

const std::vector<Param> kFolderFieldParams = {
    {.name = "description", .description = "what the folder holds"},
    {.name = "icon", .description = "an icon name for clients"},
    {.name = "color", .description = "a colour for clients, e.g. #3366ff"}};

std::vector<Param> with_folder_fields(std::vector<Param> first) {
  first.insert(first.end(), kFolderFieldParams.begin(), kFolderFieldParams.end());
  return first;
}

}  // namespace

void add_document_folder_routes(http::Router& router, ApiContext& ctx) {
  auto folders = std::make_shared<Folders>(ctx.db);
  auto sessions = std::make_shared<EditSessions>(ctx.db, ctx.config.edit_session_ttl_seconds);
  auto publishers = std::make_shared<Publishers>(ctx.db);
  // Every row is of the DMS category.
  auto add = [&router](http::Route r) {
    r.category = kDmsCategory;
    router.add(std::move(r));
  };

  // --- folders
  add({.method = "POST",
       .path = "/documents/folder-create",
       .title = "Staple documents into folder",
       .summary = "Staple documents of one workspace into a new folder, in the order given. A "
                  "document is in at most one folder (409 ALREADY_IN_FOLDER).",
       .params = with_folder_fields(
           {{.name = "name", .required = true, .description = "the folder's name"},
            {.name = "pofids",
             .type = ParamType::kArray,
             .required = true,
             .description = "the documents: POFIDs or documents_ids, a JSON array or "
                            "comma-separated"},
            workspace_id_param()}),
       .mcp_name = "po_documents_folder_create",
       .read_only = false,
       .handler = [folders](Request& req) {
         return success(folders->create(req.principal, folder_fields(req), refs_of(req),
                                        workspace_id_of(req)));
       }});
  add({.method = "POST",
       .path = "/documents/folder-list",
       .title = "List folders",
       .summary = "List the document folders (staples) of a workspace, each with its documents.",
       .params = {workspace_id_param(),
                  {.name = "workspace_name", .description = "the workspace, by name"}},
       .mcp_name = "po_documents_folders_list",
       .handler = [folders](Request& req) {
         return success(
             folders->list(req.principal, workspace_id_of(req), req.params.str("workspace_name")));
       }});
  add({.method = "POST",
       .path = "/documents/folder-update",
       .title = "Update folder",
       .summary = "Update a document folder's name, description, icon or color.",
       .params = with_folder_fields(
           {id_param("folder_id", "the folder"), {.name = "name", .description = "new name"}}),
       .mcp_name = "po_documents_folder_update",
       .read_only = false,
       .handler = [folders](Request& req) {
         return success(folders->update(req.principal, req.params.integer("folder_id", 0),
                                        folder_fields(req)));
       }});
  add({.method = "POST",
       .path = "/documents/folder-dissolve",
       .title = "Dissolve (unstaple) folder",
       .summary = "Dissolve a document folder: the folder is removed, its documents stay.",
       .params = {id_param("folder_id", "the folder")},
       .mcp_name = "po_documents_folder_dissolve",
       .read_only = false,
       .destructive = true,
       .handler = [folders](Request& req) {
         return success(folders->dissolve(req.principal, req.params.integer("folder_id", 0)));
       }});

  // --- edit sessions
  Param session_param = {.name = "session_id", .description = "the session from acquire"};
  add({.method = "POST",
       .path = "/documents/document-edit-session-acquire",
       .title = "Acquire Edit-Session (Presence-Lock)",
       .summary = "Take the cooperative editing lock of a document: data.status \"mine\" with "
                  "session_id and expires_at (send a heartbeat every 30 s), or \"readonly\" "
                  "with the holder when another token edits it.",
       .params = {document_ref_param()},
       .mcp_name = "po_documents_edit_session_acquire",
       .read_only = false,
       .handler = [sessions](Request& req) {
         return success(sessions->acquire(req.principal, document_ref(req)));
       }});
  add({.method = "POST",
       .path = "/documents/document-edit-session-heartbeat",
       .title = "Heartbeat Edit-Session",
       .summary = "Keep an edit session alive; send every 30 seconds. 409 EDIT_SESSION_LOST when "
                  "the lock was released, or expired and taken by someone else.",
       .params = {{.name = "session_id", .required = true, .description = "the session"},
                  document_ref_param(false)},
       .mcp_name = "po_documents_edit_session_heartbeat",
       .read_only = false,
       .handler = [sessions](Request& req) {
         return success(
             sessions->heartbeat(req.principal, req.params.str("session_id"), optional_ref(req)));
       }});
  add({.method = "POST",
       .path = "/documents/document-edit-session-release",
       .title = "Release Edit-Session",
       .summary = "Give the edit-session lock of a document up, by session_id or document, so "
                  "others can edit it.",
       .params = {session_param, document_ref_param(false)},
       .mcp_name = "po_documents_edit_session_release",
       .read_only = false,
       .handler = [sessions](Request& req) {
         return success(
             sessions->release(req.principal, req.params.str("session_id"), optional_ref(req)));
       }});
  add({.method = "GET",
       .path = "/documents/document-edit-session-status",
       .title = "Query Edit-Session Status",
       .summary = "The edit-session state of a document (free, mine or taken) without taking "
                  "the lock.",
       .params = {document_ref_param()},
       .mcp_name = "po_documents_edit_session_status",
       .handler = [sessions](Request& req) {
         return success(sessions->status(req.principal, document_ref(req)));
       }});

  // --- publishers
  Param name_param = {.name = "name", .required = true, .description = "the publisher's name"};
  add({.method = "POST",
       .path = "/publishers/create",
       .title = "Create publisher",
       .summary = "Create a publisher (sender) that documents can name with publisher_id. "
                  "paperd's own helper.",
       .params = {name_param},
       .mcp_name = "po_publishers_create",
       .read_only = false,
       .handler = [publishers](Request& req) {
         return success(publishers->create(req.principal, req.params.str("name")));
       }});
  add({.method = "GET",
       .path = "/publishers/list",
       .title = "List publishers",
       .summary = "The account's publishers with their aliases and document counts. paperd's "
                  "own helper.",
       .mcp_name = "po_publishers_list",
       .handler = [publishers](Request& req) { return success(publishers->list(req.principal)); }});
  add({.method = "POST",
       .path = "/publishers/{publisher_id}/rename",
       .title = "Rename publisher",
       .summary = "Rename a publisher; the old name is kept as an alias.",
       .params = {id_param("publisher_id", "the publisher"), name_param},
       .mcp_name = "po_publishers_rename",
       .read_only = false,
       .handler = [publishers](Request& req) {
         return success(publishers->rename(req.principal, req.params.integer("publisher_id", 0),
                                           req.params.str("name")));
       }});
  add({.method = "POST",
       .path = "/publishers/{source_publisher_id}/merge",
       .title = "Merge publisher",
       .summary = "Merge the source publisher into the target: its documents move to the target, "
                  "its name and aliases become the target's aliases.",
       .params = {id_param("source_publisher_id", "the publisher merged away"),
                  id_param("target_publisher_id", "the publisher that remains")},
       .mcp_name = "po_publishers_merge",
       .read_only = false,
       .destructive = true,
       .handler = [publishers](Request& req) {
         return success(publishers->merge(req.principal,
                                          req.params.integer("source_publisher_id", 0),
                                          req.params.integer("target_publisher_id", 0)));
       }});
}

}  // namespace paperd::api
