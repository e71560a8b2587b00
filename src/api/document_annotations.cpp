// The notes and comments of a document (services/dms/annotations.h): create, list, update and
// delete notes; comment threads with replies, resolve and reopen. Only the author's token may
// change or delete its note or comment.
#include <memory>

#include "api/context.h"
#include "api/dms_common.h"
#include "core/error.h"
#include "services/dms/annotations.h"

namespace paperd::api {

using http::Param;
using http::ParamType;
using http::Request;
using http::Response;
using services::dms::Annotations;

namespace {

Response success(Json data) {
  return Response::json({{"status", "success"}, {"data", data}});
}

// The text of a note or comment: `text`, or its alias (`note`, `comment`).
std::string text_of(const Request& req, const char* alias) {
  auto text = req.params.opt_str("text");
  if (!text) text = req.params.opt_str(alias);
  if (!text) throw core::Error::invalid_request("field 'text' is required");
  return *text;
}

Param text_param(const char* what) {
  return {.name = "text",
          .description = std::string("required: the ") + what + " (up to 10,000 characters)"};
}

Param id_param(const char* name, const char* what) {
  return {.name = name, .type = ParamType::kInteger, .required = true, .description = what};
}

}  // namespace

void add_document_annotation_routes(http::Router& router, ApiContext& ctx) {
  auto notes = std::make_shared<Annotations>(ctx.db);
  // Every row is of the DMS category.
  auto add = [&router](http::Route r) {
    r.category = kDmsCategory;
    router.add(std::move(r));
  };

  // --- notes
  add({.method = "POST",
       .path = "/documents/document-note-create",
       .title = "Create Document Note",
       .summary = "Add a new note to a document (text up to 10,000 characters; also accepted "
                  "as 'note').",
       .params = {document_ref_param(), text_param("note")},
       .mcp_name = "po_documents_note_create",
       .read_only = false,
       .handler = [notes](Request& req) {
         return success(notes->create_note(req.principal, document_ref(req), text_of(req, "note")));
       }});
  add({.method = "GET",
       .path = "/documents/document-notes",
       .title = "List Document Notes",
       .summary = "List all notes of a document, oldest first; `own` marks the caller's.",
       .params = {document_ref_param()},
       .mcp_name = "po_documents_notes_list",
       .handler = [notes](Request& req) {
         return success(notes->list_notes(req.principal, document_ref(req)));
       }});
  add({.method = "POST",
       .path = "/documents/document-note-update",
       .title = "Update Document Note",
       .summary = "Update an existing note; only the token that wrote it may (403 "
                  "NOT_NOTE_AUTHOR).",
       .params = {id_param("note_id", "the note"), text_param("new text")},
       .mcp_name = "po_documents_note_update",
       .read_only = false,
       .handler = [notes](Request& req) {
         return success(notes->update_note(req.principal, req.params.integer("note_id", 0),
                                           text_of(req, "note")));
       }});
  add({.method = "POST",
       .path = "/documents/document-note-delete",
       .title = "Delete Document Note",
       .summary = "Delete a note (soft delete); only the token that wrote it may.",
       .params = {id_param("note_id", "the note")},
       .mcp_name = "po_documents_note_delete",
       .read_only = false,
       .destructive = true,
       .handler = [notes](Request& req) {
         return success(notes->delete_note(req.principal, req.params.integer("note_id", 0)));
       }});

  // --- comments
  add({.method = "POST",
       .path = "/documents/document-comment-create",
       .title = "Create Document Comment",
       .summary = "Create a comment on a document, or with parent_id a reply to one of its "
                  "comments.",
       .params = {document_ref_param(),
                  text_param("comment"),
                  {.name = "parent_id",
                   .type = ParamType::kInteger,
                   .description = "reply to this comment (of the same document)"}},
       .mcp_name = "po_documents_comment_create",
       .read_only = false,
       .handler = [notes](Request& req) {
         return success(notes->create_comment(req.principal, document_ref(req),
                                              text_of(req, "comment"),
                                              req.params.opt_integer("parent_id")));
       }});
  add({.method = "GET",
       .path = "/documents/document-comments",
       .title = "List Document Comments",
       .summary = "List document comments as a thread structure: top-level comments, each with "
                  "its `replies` nested, and their resolved state.",
       .params = {document_ref_param()},
       .mcp_name = "po_documents_comments_list",
       .handler = [notes](Request& req) {
         return success(notes->list_comments(req.principal, document_ref(req)));
       }});
  add({.method = "POST",
       .path = "/documents/document-comment-update",
       .title = "Update Document Comment",
       .summary = "Update (edit) an existing comment authored by the current token.",
       .params = {id_param("comment_id", "the comment"), text_param("new text")},
       .mcp_name = "po_documents_comment_update",
       .read_only = false,
       .handler = [notes](Request& req) {
         return success(notes->update_comment(req.principal, req.params.integer("comment_id", 0),
                                              text_of(req, "comment")));
       }});
  add({.method = "POST",
       .path = "/documents/document-comment-delete",
       .title = "Delete Document Comment",
       .summary = "Delete an own comment, its replies included (soft delete).",
       .params = {id_param("comment_id", "the comment")},
       .mcp_name = "po_documents_comment_delete",
       .read_only = false,
       .destructive = true,
       .handler = [notes](Request& req) {
         return success(notes->delete_comment(req.principal, req.params.integer("comment_id", 0)));
       }});
  add({.method = "POST",
       .path = "/documents/document-comment-resolve",
       .title = "Resolve Document Comment",
       .summary = "Mark the comment thread as completed (resolved=true) or reopen it "
                  "(resolved=false).",
       .params = {id_param("comment_id", "the comment"),
                  {.name = "resolved",
                   .type = ParamType::kBoolean,
                   .description = "true resolves, false reopens",
                   .default_value = true}},
       .mcp_name = "po_documents_comment_resolve",
       .read_only = false,
       .handler = [notes](Request& req) {
         return success(notes->resolve_comment(req.principal, req.params.integer("comment_id", 0),
                                               req.params.boolean("resolved", true)));
       }});
}

}  // namespace paperd::api
