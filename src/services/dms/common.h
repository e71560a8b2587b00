// What every part of the document store shares: how a caller's reference to a workspace or a
// document is resolved within its account (another account's id is 404, a group token outside
// its group is 403 WORKSPACE_ACCESS_DENIED), the checks that guard changes (legal hold, edit
// locks, revisions), and the two writes every change makes in its own transaction: a revision
// row and an event in the outbox (ARCHITECTURE §2, "one outbox, many readers").
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/json.h"
#include "http/route.h"
#include "store/db.h"

namespace paperd::services::dms {

using http::Principal;

struct WorkspaceRow {
  int64_t id = 0;
  int64_t account_id = 0;
  std::string name, description, type, status, ai_dms_mode, group;
  Json metadata = Json::object();
  int64_t created_at = 0, updated_at = 0;
};

struct DocumentRow {
  int64_t id = 0;
  int64_t account_id = 0;
  int64_t workspace_id = 0;
  std::string pofid, file_name, mime_type, sha256, blob_id, description, lifecycle_status;
  int64_t size = 0, total_pages = 0, version = 1, revision = 1;
  std::optional<int64_t> publisher_id;
  Json file_metadata = Json::object();
  std::string ai_dms_mode, ai_dms_status, ai_dms_job_id, text_source;
  int64_t created_by = 0, created_at_ms = 0, updated_at_ms = 0;
  std::optional<int64_t> deleted_at;
  bool deleted() const { return deleted_at.has_value(); }
};

WorkspaceRow workspace_from(const store::Row& r);
DocumentRow document_from(const store::Row& r);

// The columns document_from() reads, for SELECT lists ("d." prefixed).
extern const char* const kDocumentColumns;

// May this caller reach the workspace? A group token only its group's; everyone else in the
// account all of them.
bool can_reach(const Principal& who, const WorkspaceRow& ws);

// The workspace by id or name in the caller's account. 404 NOT_FOUND when there is none (also for
// another account's id); 403 WORKSPACE_ACCESS_DENIED when a group token is outside its group.
WorkspaceRow require_workspace(store::Connection& c, const Principal& who,
                               std::optional<int64_t> id, const std::string& name = "");

// A document by POFID (of any of its versions) or documents_id (digits). 404 DOCUMENT_NOT_FOUND
// when none is in the caller's account, also when it is in the trash unless include_trashed.
DocumentRow require_document(store::Connection& c, const Principal& who, const std::string& ref,
                             bool include_trashed = false);

// Refuses (409 LEGAL_HOLD_ACTIVE, naming the hold's reason) when the document is on legal hold.
void require_not_held(store::Connection& c, const DocumentRow& doc, const std::string& action);
bool on_legal_hold(store::Connection& c, int64_t document_id);
// Refuses (409 DOCUMENT_LOCKED, naming the holder) when someone else holds the edit session.
void require_editable(store::Connection& c, const DocumentRow& doc, const Principal& who);

// Who did it, as revisions and comments show it.
std::string actor_name(const Principal& who);

// One revision row: action (uploaded, edited, renamed, moved, ...), and for field changes the
// field with its old and new value (JSON text).
void record_revision(store::Connection& c, int64_t document_id, const Principal& who,
                     const std::string& action, const std::string& field = "",
                     const Json& old_value = nullptr, const Json& new_value = nullptr);

// One outbox event (document.uploaded, ...) with its payload; returns the event id (evt_...).
std::string emit_event(store::Connection& c, int64_t account_id, const std::string& type,
                       std::optional<int64_t> workspace_id, std::optional<int64_t> document_id,
                       Json payload);

// Bumps updated_at and the revision counter of a document (every change does).
void touch_document(store::Connection& c, int64_t document_id);

// An optimistic-concurrency check: when the caller names the revision it read
// (expected_revision), a document changed since answers 409 REVISION_CONFLICT.
void check_revision(const DocumentRow& doc, std::optional<int64_t> expected);

// RFC 3339 UTC with milliseconds.
std::string iso_ms(int64_t ms);

}  // namespace paperd::services::dms
