#include "services/esign/audit_trail.h"

#include "core/clock.h"
#include "core/crypto.h"
#include "services/dms/common.h"

namespace paperd::services::esign {
namespace {

constexpr const char* kGenesis = "0000000000000000000000000000000000000000000000000000000000000000";

// The hashed form of a row: every column but the hash, in a fixed order, as canonical JSON.
std::string row_hash(int64_t request_id, int64_t seq, int64_t at_ms, const std::string& event,
                     const std::string& actor, const std::string& ip, const std::string& ua,
                     const std::string& details, const std::string& prev) {
  Json row = Json::array({request_id, seq, at_ms, event, actor, ip, ua, details, prev});
  return core::hex(core::sha256(row.dump()));
}

}  // namespace

std::string append_audit(store::Connection& c, int64_t request_id, const AuditEntry& e) {
  auto last = c.query_one(
      "SELECT seq, hash FROM signature_audit WHERE request_id = ? ORDER BY seq DESC LIMIT 1",
      {request_id});
  int64_t seq = last ? last->i64("seq") + 1 : 1;
  std::string prev = last ? last->text("hash") : kGenesis;
  int64_t at = core::unix_millis();
  std::string details = e.details.dump();
  std::string hash =
      row_hash(request_id, seq, at, e.event, e.actor, e.ip, e.user_agent, details, prev);
  c.exec(
      "INSERT INTO signature_audit (request_id, seq, at_ms, event, actor, ip, user_agent, "
      "details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {request_id, seq, at, e.event, e.actor, e.ip, e.user_agent, details, prev, hash});
  return hash;
}

AuditCheck verify_audit(store::Connection& c, int64_t request_id) {
  AuditCheck out;
  std::string prev = kGenesis;
  int64_t expect_seq = 1;
  for (auto& r :
       c.query("SELECT * FROM signature_audit WHERE request_id = ? ORDER BY seq", {request_id})) {
    ++out.entries;
    int64_t seq = r.i64("seq");
    std::string hash = row_hash(request_id, seq, r.i64("at_ms"), r.text("event"), r.text("actor"),
                                r.text("ip"), r.text("user_agent"), r.text("details"), prev);
    if (seq != expect_seq || r.text("prev_hash") != prev || r.text("hash") != hash) {
      out.valid = false;
      out.broken_at = seq;
      return out;
    }
    prev = r.text("hash");
    ++expect_seq;
  }
  return out;
}

Json audit_json(store::Connection& c, int64_t request_id) {
  Json out = Json::array();
  for (auto& r :
       c.query("SELECT * FROM signature_audit WHERE request_id = ? ORDER BY seq", {request_id})) {
    Json details = Json::parse(r.text("details"), nullptr, false);
    out.push_back({{"seq", r.i64("seq")},
                   {"at", dms::iso_ms(r.i64("at_ms"))},
                   {"event", r.text("event")},
                   {"actor", r.text("actor")},
                   {"ip", r.text("ip")},
                   {"user_agent", r.text("user_agent")},
                   {"details", details.is_discarded() ? Json::object() : details},
                   {"hash", r.text("hash")}});
  }
  return out;
}

}  // namespace paperd::services::esign
