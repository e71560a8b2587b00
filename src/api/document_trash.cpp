// Delete, trash, restore and the trash's settings; lifecycle; legal holds; tags.
#include "api/context.h"
#include "api/dms_common.h"
#include "core/error.h"
#include "services/dms/documents.h"

namespace paperd::api {

using http::Param;
using http::ParamType;
using http::Request;
using http::Response;

namespace {

// A list field: a JSON array, a JSON array as text, or comma-separated text.
std::vector<std::string> strings_of(const Request& req, std::initializer_list<const char*> keys) {
  std::vector<std::string> out;
  for (const char* k : keys) {
    if (!req.params.has(k)) continue;
    Json v = req.params.raw()[k];
    if (v.is_string() && v.get<std::string>().starts_with("[")) {
      Json parsed = Json::parse(v.get<std::string>(), nullptr, false);
      if (parsed.is_array()) v = parsed;
    }
    if (v.is_array()) {
      for (auto& x : v) out.push_back(x.is_string() ? x.get<std::string>() : x.dump());
    } else if (v.is_number_integer()) {
      out.push_back(std::to_string(v.get<int64_t>()));
    } else if (v.is_string()) {
      std::string s = v.get<std::string>();
      for (size_t i = 0; i <= s.size();) {
        size_t j = std::min(s.find(',', i), s.size());
        std::string part = s.substr(i, j - i);
        auto a = part.find_first_not_of(" \t"), b = part.find_last_not_of(" \t");
        if (a != std::string::npos) out.push_back(part.substr(a, b - a + 1));
        i = j + 1;
      }
    }
  }
  return out;
}

std::vector<std::string> refs_of(const Request& req) {
  auto refs = strings_of(req, {"pofids", "documents_ids"});
  if (refs.empty() && (req.params.has("pofid") || req.params.has("documents_id") ||
                       req.params.has("document_id") || req.path_params.count("pofid")))
    refs.push_back(document_ref(req));
  return refs;
}

std::vector<int64_t> folders_of(const Request& req) {
  std::vector<int64_t> folders;
  for (auto& f : strings_of(req, {"folder_id", "folder_ids"})) {
    try {
      folders.push_back(std::stoll(f));
    } catch (...) {
      throw core::Error::invalid_request("field 'folder_id' must hold integers");
    }
  }
  return folders;
}

}  // namespace

void add_document_trash_routes(http::Router& router, ApiContext& ctx) {
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
  auto remove = [docs](Request& req) {
    return Response::json(
        docs->remove(req.principal, refs_of(req), req.params.str("mode"), folders_of(req)));
  };
  std::vector<Param> remove_params = {
      ref,
      {.name = "pofids", .type = ParamType::kAny, .description = "several documents"},
      {.name = "mode", .default_value = "trash", .enum_values = {"trash", "instant"}},
      {.name = "folder_id",
       .type = ParamType::kAny,
       .description = "a folder (staple): trashed with all its documents"}};
  route("DELETE", "/documents/document-delete", "Delete document",
        "Move documents to the trash (mode=trash, restorable for the retention days) or delete "
        "them for good (mode=instant). Refused for documents on legal hold.",
        remove_params, "po_documents_delete", false, remove, true);
  route("POST", "/documents/document-delete", "Delete document (POST)",
        "The same as DELETE /documents/document-delete.", remove_params, "", false, remove, true);
  route("POST", "/documents/trash-list", "List Deleted Documents (Trash)",
        "Trashed documents, newest first, with days_remaining and is_restorable.",
        {workspace_id_param(),
         {.name = "page", .type = ParamType::kInteger},
         {.name = "limit", .type = ParamType::kInteger}},
        "po_documents_trash_list", true, [docs](Request& req) {
          docs->purge_expired();
          auto p = paging_of(req, 50, 500);
          return Response::json(
              docs->trash_list(req.principal, workspace_id_of(req), p.limit, p.offset));
        });
  route("POST", "/documents/document-restore", "Restore Document from Trash",
        "Restore trashed documents, or folders with their documents.",
        {ref,
         {.name = "pofids", .type = ParamType::kAny},
         {.name = "folder_id", .type = ParamType::kAny}},
        "po_documents_restore", false, [docs](Request& req) {
          return Response::json(docs->restore(req.principal, refs_of(req), folders_of(req)));
        });
  route(
      "POST", "/documents/trash-empty", "Empty document trash",
      "Remove every trashed document for good (not those on legal hold). Needs confirm_count: "
      "the number of documents that will go.",
      {{.name = "confirm_count", .type = ParamType::kInteger}}, "po_documents_trash_empty", false,
      [docs](Request& req) {
        return Response::json(
            docs->empty_trash(req.principal, req.params.opt_integer("confirm_count")));
      },
      true);
  auto settings = [docs](Request& req) {
    return Response::json(
        docs->trash_settings(req.principal, req.params.opt_integer("retention_days")));
  };
  route("GET", "/documents/trash-settings", "Get trash settings",
        "The trash's retention days (give retention_days to change them).",
        {{.name = "retention_days", .type = ParamType::kInteger, .minimum = 0, .maximum = 3650}},
        "po_documents_trash_settings_get", false, settings);
  route("POST", "/documents/trash-settings", "Set trash settings",
        "Change the retention days of the trash (0..3650; 0 purges at the next sweep).",
        {{.name = "retention_days", .type = ParamType::kInteger, .minimum = 0, .maximum = 3650}},
        "", false, settings);

  route("GET", "/documents/document-lifecycle-get", "Get Document Lifecycle",
        "The lifecycle state (draft, in_review, approved, rejected, archived), the allowed "
        "transitions and the history.",
        {ref}, "po_documents_lifecycle_get", true, [docs](Request& req) {
          return Response::json(docs->lifecycle(req.principal, document_ref(req)));
        });
  route("POST", "/documents/document-lifecycle-transition", "Transition document lifecycle",
        "Move a document to an allowed next state; others are refused (409 INVALID_TRANSITION).",
        {ref,
         {.name = "to_status",
          .required = true,
          .enum_values = {"draft", "in_review", "approved", "rejected", "archived"}},
         {.name = "comment"}},
        "po_documents_lifecycle_transition", false, [docs](Request& req) {
          return Response::json(docs->transition(
              req.principal, document_ref(req),
              req.params.str("to_status", req.params.str("status")), req.params.str("comment")));
        });

  route("POST", "/documents/document-legal-hold", "Place legal hold",
        "Put a document on legal hold: it cannot be deleted, trashed, purged, moved or "
        "overwritten until released.",
        {ref, {.name = "reason", .required = true}, {.name = "until", .description = "YYYY-MM-DD"}},
        "po_documents_legal_hold_place", false, [docs](Request& req) {
          return Response::json(
              docs->place_hold(req.principal, document_ref(req), req.params.str("reason"),
                               req.params.str("until", req.params.str("until_date"))));
        });
  route(
      "POST", "/documents/document-legal-hold-release", "Release legal hold",
      "Release a document's legal hold. Needs confirm_pofid (the document's POFID).",
      {ref, {.name = "confirm_pofid"}, {.name = "reason"}}, "po_documents_legal_hold_release",
      false,
      [docs](Request& req) {
        return Response::json(docs->release_hold(req.principal, document_ref(req),
                                                 req.params.str("confirm_pofid"),
                                                 req.params.str("reason")));
      },
      true);
  route("GET", "/documents/document-legal-holds-list", "List Legal Holds",
        "Legal holds of a workspace or a document (active and released).",
        {workspace_id_param(), {.name = "pofid"}}, "po_documents_legal_holds_list", true,
        [docs](Request& req) {
          std::string ref =
              req.params.has("pofid") || req.params.has("documents_id") ? document_ref(req) : "";
          return Response::json(docs->list_holds(req.principal, workspace_id_of(req), ref));
        });

  route("POST", "/documents/document-tag-add", "Add Document tag", "Add tags to a document.",
        {ref, {.name = "tag", .description = "one tag"}, {.name = "tags", .type = ParamType::kAny}},
        "po_documents_tag_add", false, [docs](Request& req) {
          return Response::json(
              docs->add_tags(req.principal, document_ref(req), strings_of(req, {"tag", "tags"})));
        });
  route("POST", "/documents/document-tag-remove", "Remove Document tag",
        "Remove tags from a document.",
        {ref, {.name = "tag"}, {.name = "tags", .type = ParamType::kAny}},
        "po_documents_tag_remove", false, [docs](Request& req) {
          return Response::json(docs->remove_tags(req.principal, document_ref(req),
                                                  strings_of(req, {"tag", "tags"})));
        });
  route("GET", "/documents/document-tags", "List Document Tags", "All tags of a document.", {ref},
        "po_documents_tags_list", true, [docs](Request& req) {
          return Response::json(docs->tags(req.principal, document_ref(req)));
        });
  route("GET", "/documents/tag-autocomplete", "Tag Autocomplete",
        "Tags starting with the given text, across the workspaces the token reaches, most used "
        "first.",
        {{.name = "q", .description = "the start of a tag"},
         {.name = "limit", .type = ParamType::kInteger}},
        "po_documents_tag_autocomplete", true, [docs](Request& req) {
          auto p = paging_of(req, 20, 100);
          return Response::json(docs->tag_autocomplete(
              req.principal, req.params.str("q", req.params.str("query", req.params.str("prefix"))),
              p.limit));
        });
}

}  // namespace paperd::api
