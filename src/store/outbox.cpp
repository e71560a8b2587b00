#include "store/outbox.h"

#include <fmt/format.h>

#include "core/clock.h"
#include "core/crypto.h"

namespace paperd::store {

namespace {

std::string iso_millis(int64_t ms) {
  std::string s = core::iso8601(ms / 1000);  // ...Z
  return s.substr(0, s.size() - 1) + fmt::format(".{:03d}Z", ms % 1000);
}

Value optional_value(std::optional<int64_t> v) {
  return v ? Value(*v) : Value(nullptr);
}

}  // namespace

std::string append_event(Connection& c, int64_t account_id, const std::string& type, Json data,
                         std::optional<int64_t> workspace_id, std::optional<int64_t> document_id) {
  std::string id = "evt_" + core::random_string(24, core::kBase62);
  int64_t now = core::unix_millis();
  Json body = {
      {"id", id}, {"type", type}, {"created_at", iso_millis(now)}, {"data", std::move(data)}};
  c.exec(
      "INSERT INTO events (event_id, account_id, type, workspace_id, document_id, payload, "
      "created_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
      {id, account_id, type, optional_value(workspace_id), optional_value(document_id), body.dump(),
       now});
  return id;
}

namespace {

constexpr const char* kEventColumns =
    "SELECT id, event_id, account_id, type, workspace_id, document_id, payload, created_at_ms "
    "FROM events ";

OutboxEvent event_from(const Row& r) {
  OutboxEvent e;
  e.seq = r.i64("id");
  e.event_id = r.text("event_id");
  e.account_id = r.i64("account_id");
  e.type = r.text("type");
  e.workspace_id = r.opt_i64("workspace_id");
  e.document_id = r.opt_i64("document_id");
  Json payload = Json::parse(r.text("payload"), nullptr, false);
  if (payload.is_object() && payload.contains("data")) e.data = payload["data"];
  e.created_at_ms = r.i64("created_at_ms");
  return e;
}

}  // namespace

std::vector<OutboxEvent> read_events(Connection& c, int64_t after_seq, int limit) {
  std::vector<OutboxEvent> out;
  for (auto& r : c.query(std::string(kEventColumns) + "WHERE id > ? ORDER BY id LIMIT ?",
                         {after_seq, int64_t{limit}}))
    out.push_back(event_from(r));
  return out;
}

std::optional<OutboxEvent> read_event(Connection& c, int64_t seq) {
  auto r = c.query_one(std::string(kEventColumns) + "WHERE id = ?", {seq});
  if (!r) return std::nullopt;
  return event_from(*r);
}

int64_t last_event_seq(Connection& c) {
  return c.query_one("SELECT COALESCE(MAX(id), 0) AS n FROM events")->i64("n");
}

int64_t reader_cursor(Connection& c, const std::string& reader) {
  if (auto r = c.query_one("SELECT last_seq FROM outbox_cursors WHERE reader = ?", {reader}))
    return r->i64("last_seq");
  int64_t end = last_event_seq(c);
  c.exec("INSERT OR IGNORE INTO outbox_cursors (reader, last_seq, updated_at_ms) VALUES (?, ?, ?)",
         {reader, end, core::unix_millis()});
  return c.query_one("SELECT last_seq FROM outbox_cursors WHERE reader = ?", {reader})
      ->i64("last_seq");
}

void set_reader_cursor(Connection& c, const std::string& reader, int64_t seq) {
  c.exec("UPDATE outbox_cursors SET last_seq = ?, updated_at_ms = ? WHERE reader = ?",
         {seq, core::unix_millis(), reader});
}

}  // namespace paperd::store
