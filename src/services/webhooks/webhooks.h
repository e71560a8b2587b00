// Webhook subscriptions of an account and their delivery log (CONTRACTS §2.8): subscribe (name
// unique per account, https URL, events or "*", a secret generated and shown once when none is
// given, filters by workspace or pipeline), list, update, delete (the log is kept), info, test (a
// signed test event sent now), the paginated delivery log, and one-time subscriptions to one job.
// Every query is scoped by account: another account's id answers 404. Secrets are stored sealed.
// Thread-safe: every call uses the calling thread's connection.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/json.h"
#include "http/route.h"
#include "net/ssrf.h"
#include "services/webhooks/delivery.h"
#include "store/db.h"
#include "store/value_sealer.h"

namespace paperd::services::webhooks {

using http::Principal;

struct DeliveryQuery {
  std::optional<int64_t> subscription_id;
  std::string state;       // pending | delivering | delivered | failed | cancelled; "" = all
  std::string event_type;  // "" = all
  int64_t page = 1, per_page = 20;
};

class Webhooks {
 public:
  // sealer: without one (tools that serve no requests), calls that store a secret answer 503.
  Webhooks(store::Database& db, const store::ValueSealer* sealer,
           const net::OutboundPolicy& outbound, Settings settings);

  // Which pipeline slugs a filter may name (the registry's); unset, any well-formed slug.
  void set_pipeline_check(std::function<bool(const std::string&)> known) {
    known_pipeline_ = std::move(known);
  }

  Json subscribe(const Principal& who, const Json& params);
  Json list(const Principal& who);
  Json update(const Principal& who, int64_t id, const Json& params);
  Json remove(const Principal& who, int64_t id);
  Json info() const;
  Json test(const Principal& who, int64_t id);
  Json deliveries(const Principal& who, const DeliveryQuery& q);
  Json subscribe_job(const Principal& who, const Json& params);
  Json job_subscriptions(const Principal& who, const std::string& job_id);

  // The plain secret of a subscription row (sealed under "webhook:<id>").
  std::string open_secret(int64_t subscription_id, const std::string& sealed) const;
  const Settings& settings() const { return settings_; }

 private:
  store::Row require_subscription(store::Connection& c, const Principal& who, int64_t id) const;
  Json normalise_filters(store::Connection& c, const Principal& who, const Json& filters) const;
  std::string check_url(const Json& url) const;
  std::string seal_secret(int64_t id, const std::string& secret) const;

  store::Database& db_;
  const store::ValueSealer* sealer_;
  const net::OutboundPolicy& outbound_;
  Settings settings_;
  std::function<bool(const std::string&)> known_pipeline_;
};

}  // namespace paperd::services::webhooks
