// Edit sessions: a cooperative lock per document, held by one token. The holder keeps it alive
// with heartbeats; without one for the lock's lifetime (setting edit_session_ttl_seconds) it
// expires and anyone may take it. While it is held, require_editable() (common.h) refuses other
// tokens' edits. One row per document in edit_sessions; a new holder gets a new session_id.
#pragma once

#include <cstdint>
#include <string>

#include "core/json.h"
#include "services/dms/common.h"
#include "store/db.h"

namespace paperd::services::dms {

class EditSessions {
 public:
  static constexpr int kHeartbeatIntervalSeconds = 30;

  EditSessions(store::Database& db, int ttl_seconds) : db_(db), ttl_ms_(ttl_seconds * 1000LL) {}

  // Takes the lock when it is free or expired (or renews the caller's own): status "mine" with
  // session_id and expires_at. Held by another token: status "readonly" with holder and expiry.
  Json acquire(const Principal& who, const std::string& ref);
  // Extends the caller's session. 409 EDIT_SESSION_LOST when it was released, or expired and
  // taken by someone else. ref, when not empty, must be the session's document.
  Json heartbeat(const Principal& who, const std::string& session_id, const std::string& ref);
  // Gives the lock up (by session_id, or the caller's lock on the document ref).
  Json release(const Principal& who, const std::string& session_id, const std::string& ref);
  // free | mine | taken, without taking it.
  Json status(const Principal& who, const std::string& ref);

 private:
  store::Database& db_;
  int64_t ttl_ms_;
};

}  // namespace paperd::services::dms
