#include "services/dms/edit_sessions.h"

#include "core/clock.h"
#include "core/crypto.h"
#include "core/error.h"

namespace paperd::services::dms {

using core::Error;

namespace {

std::optional<store::Row> lock_of(store::Connection& c, int64_t document_id) {
  return c.query_one("SELECT * FROM edit_sessions WHERE document_id = ?", {document_id});
}

// The session by id, in the caller's account: 404 when it is another account's; nullopt when no
// session has that id (any more).
std::optional<store::Row> session_by_id(store::Connection& c, const Principal& who,
                                        const std::string& session_id) {
  auto row = c.query_one(
      "SELECT es.*, d.account_id FROM edit_sessions es JOIN documents d ON d.id = "
      "es.document_id WHERE es.session_id = ?",
      {session_id});
  if (row && row->i64("account_id") != who.account_id)
    throw Error(404, "EDIT_SESSION_NOT_FOUND",
                "no edit session '" + session_id + "' in this account");
  return row;
}

Json holder_json(const DocumentRow& doc, const store::Row& lock, const std::string& status) {
  return {{"status", status},
          {"pofid", doc.pofid},
          {"documents_id", doc.id},
          {"holder", lock.text("holder")},
          {"acquired_at", iso_ms(lock.i64("acquired_at_ms"))},
          {"expires_at", iso_ms(lock.i64("expires_at_ms"))}};
}

Json mine_json(const DocumentRow& doc, const store::Row& lock) {
  Json j = holder_json(doc, lock, "mine");
  j["session_id"] = lock.text("session_id");
  j["heartbeat_interval_seconds"] = EditSessions::kHeartbeatIntervalSeconds;
  return j;
}

}  // namespace

Json EditSessions::acquire(const Principal& who, const std::string& ref) {
  auto& c = db_.conn();
  return c.transaction([&] {
    DocumentRow doc = require_document(c, who, ref);
    int64_t now = core::unix_millis();
    auto lock = lock_of(c, doc.id);
    if (lock && lock->i64("token_id") != who.token_id && lock->i64("expires_at_ms") > now) {
      Json j = holder_json(doc, *lock, "readonly");
      j["message"] = "being edited by " + lock->text("holder") + "; read only until it is released";
      return j;
    }
    if (lock && lock->i64("token_id") == who.token_id) {
      c.exec("UPDATE edit_sessions SET expires_at_ms = ? WHERE document_id = ?",
             {now + ttl_ms_, doc.id});
    } else {
      c.exec("DELETE FROM edit_sessions WHERE document_id = ?", {doc.id});
      c.exec(
          "INSERT INTO edit_sessions (document_id, token_id, holder, session_id, acquired_at_ms, "
          "expires_at_ms) VALUES (?, ?, ?, ?, ?, ?)",
          {doc.id, who.token_id, actor_name(who), "es_" + core::random_string(24, core::kBase62),
           now, now + ttl_ms_});
    }
    return mine_json(doc, *lock_of(c, doc.id));
  });
}

Json EditSessions::heartbeat(const Principal& who, const std::string& session_id,
                             const std::string& ref) {
  if (session_id.empty()) throw Error::invalid_request("field 'session_id' is required");
  auto& c = db_.conn();
  return c.transaction([&] {
    std::optional<DocumentRow> named;
    if (!ref.empty()) named = require_document(c, who, ref);
    auto lock = session_by_id(c, who, session_id);
    if (!lock || lock->i64("token_id") != who.token_id)
      throw Error(409, "EDIT_SESSION_LOST",
                  "edit session '" + session_id +
                      "' is no longer held: it was released or expired and taken by someone "
                      "else; acquire it again");
    DocumentRow doc = require_document(c, who, std::to_string(lock->i64("document_id")));
    if (named && named->id != doc.id)
      throw Error::invalid_request("field 'session_id': session '" + session_id +
                                   "' belongs to another document");
    c.exec("UPDATE edit_sessions SET expires_at_ms = ? WHERE document_id = ?",
           {core::unix_millis() + ttl_ms_, doc.id});
    return mine_json(doc, *lock_of(c, doc.id));
  });
}

Json EditSessions::release(const Principal& who, const std::string& session_id,
                           const std::string& ref) {
  if (session_id.empty() && ref.empty())
    throw Error::invalid_request("give 'session_id' or the document ('pofid')");
  auto& c = db_.conn();
  return c.transaction([&] {
    std::optional<DocumentRow> doc;
    if (!ref.empty()) doc = require_document(c, who, ref);
    std::optional<store::Row> lock;
    if (!session_id.empty()) {
      lock = session_by_id(c, who, session_id);
      if (lock && doc && lock->i64("document_id") != doc->id)
        throw Error::invalid_request("field 'session_id': session '" + session_id +
                                     "' belongs to another document");
    } else {
      lock = lock_of(c, doc->id);
    }
    bool released = false;
    if (lock) {
      if (lock->i64("token_id") != who.token_id) {
        if (lock->i64("expires_at_ms") > core::unix_millis())
          throw Error(403, "NOT_SESSION_HOLDER",
                      "the edit session is held by " + lock->text("holder") +
                          "; only its holder can release it");
      } else {
        if (!doc) doc = require_document(c, who, std::to_string(lock->i64("document_id")));
        c.exec("DELETE FROM edit_sessions WHERE document_id = ?", {lock->i64("document_id")});
        released = true;
      }
    }
    Json j = {{"status", "free"}, {"released", released}};
    if (doc) j.update({{"pofid", doc->pofid}, {"documents_id", doc->id}});
    return j;
  });
}

Json EditSessions::status(const Principal& who, const std::string& ref) {
  auto& c = db_.conn();
  DocumentRow doc = require_document(c, who, ref);
  auto lock = lock_of(c, doc.id);
  if (!lock || lock->i64("expires_at_ms") <= core::unix_millis())
    return {{"status", "free"}, {"pofid", doc.pofid}, {"documents_id", doc.id}};
  if (lock->i64("token_id") == who.token_id) return mine_json(doc, *lock);
  return holder_json(doc, *lock, "taken");
}

}  // namespace paperd::services::dms
