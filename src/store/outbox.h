// The events outbox (ARCHITECTURE §2, "one outbox, many readers"): every change someone may want
// to hear about appends one row to `events` in the transaction of the change itself, with a
// monotonically increasing sequence number. Readers (the webhook dispatcher, the message center,
// indexers) keep their own cursor in `outbox_cursors` and read forward from it. Stateless
// functions over a caller's connection; safe from any thread that owns its connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"
#include "store/db.h"

namespace paperd::store {

struct OutboxEvent {
  int64_t seq = 0;       // events.id: the order readers follow
  std::string event_id;  // evt_...: what receivers de-duplicate on
  int64_t account_id = 0;
  std::string type;  // document.uploaded, job.completed, ...
  std::optional<int64_t> workspace_id, document_id;
  Json data = Json::object();
  int64_t created_at_ms = 0;
};

// Appends one event inside the caller's transaction (or alone) and returns its event id.
std::string append_event(Connection& c, int64_t account_id, const std::string& type, Json data,
                         std::optional<int64_t> workspace_id = std::nullopt,
                         std::optional<int64_t> document_id = std::nullopt);

// Up to `limit` events after `after_seq`, oldest first.
std::vector<OutboxEvent> read_events(Connection& c, int64_t after_seq, int limit);
// One event by its sequence number.
std::optional<OutboxEvent> read_event(Connection& c, int64_t seq);
// The highest sequence number written so far (0 when none).
int64_t last_event_seq(Connection& c);

// A reader's cursor: the last sequence number it has fully handled. A reader seen for the first
// time starts at the current end (it hears what happens from now on, not the past).
int64_t reader_cursor(Connection& c, const std::string& reader);
void set_reader_cursor(Connection& c, const std::string& reader, int64_t seq);

}  // namespace paperd::store
