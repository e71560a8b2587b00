// One webhook delivery and its attempts: the settings of the retry schedule, the row that holds a
// delivery (persisted before anything is sent, so a crash never loses it), one signed attempt over
// the SSRF guard, and the bookkeeping after it (retry with backoff and jitter, 2xx ends, 410
// disables the subscription, N consecutive failures pause it and notify the account, a one-time
// job subscription is removed once its delivery ends). Shared by the dispatcher and
// webhooks/test. Stateless functions; each caller uses its own connection.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/config.h"
#include "net/ssrf.h"
#include "store/db.h"
#include "store/outbox.h"

namespace paperd::services::webhooks {

struct Settings {
  std::vector<double> retry_seconds = {10, 60, 300, 1800, 7200, 21600, 86400};
  int timeout_seconds = 10;      // one attempt, connect to last byte
  int concurrency = 8;           // deliveries in flight at once
  int pause_after = 15;          // consecutive failed attempts that pause a subscription
  int poll_ms = 20;              // how often new outbox events are looked for
  uint64_t response_cap = 4096;  // bytes of a receiver's answer that are read and logged

  // From the webhook_* settings; a bad schedule throws Error::invalid_request naming it.
  static Settings from(const core::Config& config);
  int max_attempts() const { return static_cast<int>(retry_seconds.size()) + 1; }
  // The wait after failed attempt n (1-based): the schedule's entry, +-20 % jitter.
  int64_t backoff_ms(int attempt) const;
  // In-flight deliveries one subscription may hold, so a hanging receiver leaves threads to the
  // others.
  int per_subscription() const { return std::max(1, concurrency / 2); }
};

// A claimed delivery, ready to send.
struct Outgoing {
  int64_t id = 0;  // webhook_deliveries.id
  std::string delivery_id;
  int64_t account_id = 0, subscription_id = 0;
  std::string url, secret, body, event_type, event_id;
  int attempt = 1;  // X-PaperOffice-Delivery
};

struct Attempt {
  long status_code = 0;  // 0 when no HTTP answer came
  std::string error;     // why no usable answer came (timeout, refused address, reset)
  int64_t latency_ms = 0;
  std::string snippet;  // the first bytes of the answer, valid UTF-8
  int64_t started_at_ms = 0;
  bool ok() const { return error.empty() && status_code >= 200 && status_code < 300; }
};

// A new pending delivery of event to a subscription, due now. Returns its row id, or 0 when the
// subscription already has this event (fan-out is idempotent).
int64_t create_delivery(store::Connection& c, int64_t account_id, int64_t subscription_id,
                        const store::OutboxEvent& event, int64_t due_at_ms);

// Sends one attempt: POST with the signed headers, no redirects followed, the answer read up to
// response_cap. Never throws for what the receiver does; errors land in Attempt::error.
Attempt send(const Outgoing& o, const net::OutboundPolicy& policy, const Settings& s);

// Records attempt o.attempt and moves the delivery on: delivered, pending again (retry=true and
// attempts left), or failed. Does nothing when the delivery is no longer this attempt's (its lease
// ran out and another sender took it). Returns the new state, or "" when nothing was recorded.
std::string record(store::Connection& c, const Outgoing& o, const Attempt& a, const Settings& s,
                   bool retry);

// The delivery_id of new rows: whd_ + 24 base62 characters.
std::string new_delivery_id();

}  // namespace paperd::services::webhooks
