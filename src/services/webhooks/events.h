// What webhooks deliver: the catalogue of event types a subscription may name (CONTRACTS §2.8's
// 22, job.queued, and the other events paperd writes into the outbox), how a subscription's event
// list matches a type, the delivery body of §2.8 and its signature. publish() is how any service
// adds an event of its own to the outbox. Pure functions; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "store/db.h"
#include "store/outbox.h"

namespace paperd::services::webhooks {

struct EventType {
  const char* name;
  const char* description;
};
// Every event a subscription may list, documented ones first.
const std::vector<EventType>& event_catalog();
bool is_known_event(std::string_view name);

// Does a subscription's event list (names, or "*") want this event type? document.created is
// the documented alias of document.uploaded.
bool subscribed_to(const Json& events, const std::string& type);

// Appends an event to the outbox inside the caller's transaction; the dispatcher delivers it to
// every matching subscription of the account. Returns its event id.
std::string publish(store::Connection& c, int64_t account_id, const std::string& type, Json data,
                    std::optional<int64_t> workspace_id = std::nullopt);

// The body of one delivery (§2.8): event_type, event_id, timestamp, subscription_id, data; job
// events also carry event, job_id and status at the top level. The same bytes are sent on every
// attempt.
std::string delivery_body(const store::OutboxEvent& e, int64_t subscription_id);

// "sha256=" + lower-case hex HMAC-SHA256(secret, body): X-PaperOffice-Signature.
std::string signature(std::string_view secret, std::string_view body);

}  // namespace paperd::services::webhooks
