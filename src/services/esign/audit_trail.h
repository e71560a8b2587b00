// The append-only audit trail of a signing request: every event (created, invited, viewed,
// signed, declined, reminded, cancelled, completed, ...) is one row whose hash covers the row and
// the previous row's hash, so an edited, removed or reordered row breaks the chain from there on.
// The table refuses UPDATE and DELETE (triggers, migration 6); verify() finds what a direct edit
// of the file would hide.
#pragma once

#include <cstdint>
#include <string>

#include "core/json.h"
#include "store/db.h"

namespace paperd::services::esign {

struct AuditEntry {
  std::string event, actor, ip, user_agent;
  Json details = Json::object();
};

// Appends inside the caller's transaction; returns the new row's hash.
std::string append_audit(store::Connection& c, int64_t request_id, const AuditEntry& entry);

struct AuditCheck {
  bool valid = true;
  int64_t entries = 0;
  int64_t broken_at = 0;  // the first seq whose hash does not match (0 = none)
};
AuditCheck verify_audit(store::Connection& c, int64_t request_id);

// The trail as the API shows it: [{seq, at, event, actor, ip, user_agent, details, hash}].
Json audit_json(store::Connection& c, int64_t request_id);

}  // namespace paperd::services::esign
