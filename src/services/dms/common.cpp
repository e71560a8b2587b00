#include "services/dms/common.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/clock.h"
#include "core/error.h"
#include "store/outbox.h"

namespace paperd::services::dms {

using core::Error;

const char* const kDocumentColumns =
    "d.id, d.account_id, d.workspace_id, d.pofid, d.file_name, d.mime_type, d.size, d.sha256, "
    "d.total_pages, d.version, d.blob_id, d.description, d.lifecycle_status, d.publisher_id, "
    "d.file_metadata, d.ai_dms_mode, d.ai_dms_status, d.ai_dms_job_id, d.text_source, "
    "d.revision, d.created_by, d.created_at_ms, d.updated_at_ms, d.deleted_at";

namespace {

Json parse_or_empty(const std::string& s) {
  Json j = Json::parse(s, nullptr, false);
  return j.is_discarded() ? Json::object() : j;
}

bool all_digits(const std::string& s) {
  return !s.empty() && s.size() < 19 && std::all_of(s.begin(), s.end(), ::isdigit);
}

}  // namespace

WorkspaceRow workspace_from(const store::Row& r) {
  WorkspaceRow w;
  w.id = r.i64("id");
  w.account_id = r.i64("account_id");
  w.name = r.text("name");
  w.description = r.text("description");
  w.type = r.text("type");
  w.status = r.text("status");
  w.ai_dms_mode = r.text("ai_dms_mode");
  w.group = r.text("group_name");
  w.metadata = parse_or_empty(r.text("metadata"));
  w.created_at = r.i64("created_at");
  w.updated_at = r.i64("updated_at");
  return w;
}

DocumentRow document_from(const store::Row& r) {
  DocumentRow d;
  d.id = r.i64("id");
  d.account_id = r.i64("account_id");
  d.workspace_id = r.i64("workspace_id");
  d.pofid = r.text("pofid");
  d.file_name = r.text("file_name");
  d.mime_type = r.text("mime_type");
  d.size = r.i64("size");
  d.sha256 = r.text("sha256");
  d.total_pages = r.i64("total_pages");
  d.version = r.i64("version");
  d.blob_id = r.text("blob_id");
  d.description = r.text("description");
  d.lifecycle_status = r.text("lifecycle_status");
  d.publisher_id = r.opt_i64("publisher_id");
  d.file_metadata = parse_or_empty(r.text("file_metadata"));
  d.ai_dms_mode = r.text("ai_dms_mode");
  d.ai_dms_status = r.text("ai_dms_status");
  d.ai_dms_job_id = r.text("ai_dms_job_id");
  d.text_source = r.text("text_source");
  d.revision = r.i64("revision");
  d.created_by = r.i64("created_by");
  d.created_at_ms = r.i64("created_at_ms");
  d.updated_at_ms = r.i64("updated_at_ms");
  d.deleted_at = r.opt_i64("deleted_at");
  return d;
}

bool can_reach(const Principal& who, const WorkspaceRow& ws) {
  return who.kind != "gt" || ws.group == who.group;
}

WorkspaceRow require_workspace(store::Connection& c, const Principal& who,
                               std::optional<int64_t> id, const std::string& name) {
  std::optional<store::Row> row;
  std::string label;
  if (id) {
    row = c.query_one("SELECT * FROM workspaces WHERE id = ? AND account_id = ?",
                      {*id, who.account_id});
    label = "id " + std::to_string(*id);
  } else if (!name.empty()) {
    row = c.query_one("SELECT * FROM workspaces WHERE name = ? AND account_id = ?",
                      {name, who.account_id});
    label = "name '" + name + "'";
  } else {
    throw Error::invalid_request("give 'workspace_id' or 'workspace_name'");
  }
  if (!row)
    throw Error(404, "WORKSPACE_NOT_FOUND", "no workspace with " + label + " in this account");
  WorkspaceRow ws = workspace_from(*row);
  if (!can_reach(who, ws))
    throw Error(403, "WORKSPACE_ACCESS_DENIED",
                "this group token reaches the workspaces of group '" + who.group +
                    "' only; workspace " + std::to_string(ws.id) + " is not one of them");
  return ws;
}

DocumentRow require_document(store::Connection& c, const Principal& who, const std::string& ref,
                             bool include_trashed) {
  if (ref.empty()) throw Error::invalid_request("give the document: 'pofid' or 'documents_id'");
  std::string sql = std::string("SELECT ") + kDocumentColumns +
                    ", w.group_name FROM documents d JOIN workspaces w ON w.id = d.workspace_id "
                    "WHERE d.account_id = ? AND ";
  std::optional<store::Row> row;
  if (all_digits(ref)) {
    row = c.query_one(sql + "d.id = ?", {who.account_id, std::stoll(ref)});
  } else {
    row = c.query_one(sql + "d.pofid = ?", {who.account_id, ref});
    if (!row)  // an earlier version's POFID names the document too
      row = c.query_one(sql + "d.id = (SELECT document_id FROM document_versions WHERE pofid = ?)",
                        {who.account_id, ref});
  }
  if (!row || (!include_trashed && !row->is_null("deleted_at")))
    throw Error(404, "DOCUMENT_NOT_FOUND",
                "no document '" + ref + "' in this account" +
                    (row ? " (it is in the trash: restore it with document-restore)" : ""));
  if (who.kind == "gt" && row->text("group_name") != who.group)
    throw Error(403, "WORKSPACE_ACCESS_DENIED",
                "this group token reaches the workspaces of group '" + who.group +
                    "' only; document '" + ref + "' is outside them");
  return document_from(*row);
}

bool on_legal_hold(store::Connection& c, int64_t document_id) {
  return c
      .query_one("SELECT id FROM legal_holds WHERE document_id = ? AND released_at IS NULL",
                 {document_id})
      .has_value();
}

void require_not_held(store::Connection& c, const DocumentRow& doc, const std::string& action) {
  auto hold = c.query_one(
      "SELECT reason, until_date FROM legal_holds WHERE document_id = ? AND released_at IS NULL "
      "ORDER BY id LIMIT 1",
      {doc.id});
  if (!hold) return;
  std::string until = hold->text("until_date");
  throw Error(409, "LEGAL_HOLD_ACTIVE",
              "document '" + doc.pofid + "' is on legal hold (" + hold->text("reason") +
                  (until.empty() ? "" : ", until " + until) + "): it cannot be " + action +
                  " until the hold is released");
}

void require_editable(store::Connection& c, const DocumentRow& doc, const Principal& who) {
  auto lock = c.query_one(
      "SELECT token_id, holder, expires_at_ms FROM edit_sessions WHERE document_id = ?", {doc.id});
  if (!lock || lock->i64("expires_at_ms") <= core::unix_millis() ||
      lock->i64("token_id") == who.token_id)
    return;
  throw Error(409, "DOCUMENT_LOCKED",
              "document '" + doc.pofid + "' is being edited by " + lock->text("holder") +
                  " (edit session until " + iso_ms(lock->i64("expires_at_ms")) +
                  "); try again when it is released");
}

std::string actor_name(const Principal& who) {
  if (!who.label.empty()) return who.label;
  return fmt::format("token {} ({})", who.token_id, who.kind);
}

void record_revision(store::Connection& c, int64_t document_id, const Principal& who,
                     const std::string& action, const std::string& field, const Json& old_value,
                     const Json& new_value) {
  c.exec(
      "INSERT INTO document_revisions (document_id, action, field, old_value, new_value, "
      "actor_token, actor, created_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {document_id, action, field,
       old_value.is_null() ? store::Value(nullptr) : store::Value(old_value.dump()),
       new_value.is_null() ? store::Value(nullptr) : store::Value(new_value.dump()), who.token_id,
       actor_name(who), core::unix_millis()});
}

std::string emit_event(store::Connection& c, int64_t account_id, const std::string& type,
                       std::optional<int64_t> workspace_id, std::optional<int64_t> document_id,
                       Json payload) {
  return store::append_event(c, account_id, type, std::move(payload), workspace_id, document_id);
}

void touch_document(store::Connection& c, int64_t document_id) {
  c.exec("UPDATE documents SET updated_at_ms = ?, revision = revision + 1 WHERE id = ?",
         {core::unix_millis(), document_id});
}

void check_revision(const DocumentRow& doc, std::optional<int64_t> expected) {
  if (expected && *expected != doc.revision)
    throw Error(409, "REVISION_CONFLICT",
                fmt::format("document '{}' changed since revision {} (it is at revision {} "
                            "now): read it again and retry",
                            doc.pofid, *expected, doc.revision));
}

std::string iso_ms(int64_t ms) {
  std::string s = core::iso8601(ms / 1000);
  return s.substr(0, s.size() - 1) + fmt::format(".{:03d}Z", ms % 1000);
}

}  // namespace paperd::services::dms
