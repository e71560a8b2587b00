#include "services/webhooks/dispatcher.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <map>

#include "core/clock.h"
#include "services/webhooks/events.h"
#include "store/outbox.h"

namespace paperd::services::webhooks {

namespace {

constexpr const char* kReader = "webhooks";
constexpr int kBatch = 500;

struct Target {
  int64_t id = 0;
  Json events, filters;
  std::string job_id;
  int64_t since_seq = 0;
};

bool in_list(const Json& list, const Json& value) {
  if (!list.is_array()) return false;
  for (const auto& v : list)
    if (v == value) return true;
  return false;
}

bool matches(const Target& t, const store::OutboxEvent& e) {
  if (e.seq <= t.since_seq || !subscribed_to(t.events, e.type)) return false;
  if (!t.job_id.empty())
    return e.type.rfind("job.", 0) == 0 && e.data.value("job_id", "") == t.job_id;
  if (t.filters.contains("workspace_id")) {
    std::optional<int64_t> ws = e.workspace_id;
    if (!ws && e.data.contains("workspace_id") && e.data["workspace_id"].is_number_integer())
      ws = e.data["workspace_id"].get<int64_t>();
    if (!ws || !in_list(t.filters["workspace_id"], *ws)) return false;
  }
  if (t.filters.contains("pipeline") &&
      !(e.data.contains("pipeline") && in_list(t.filters["pipeline"], e.data["pipeline"])))
    return false;
  return true;
}

}  // namespace

Dispatcher::Dispatcher(store::Database& db, const Webhooks& webhooks,
                       const net::OutboundPolicy& outbound)
    : db_(db), webhooks_(webhooks), outbound_(outbound), settings_(webhooks.settings()) {
  threads_.emplace_back([this] { fan_out_loop(); });
  for (int i = 0; i < settings_.concurrency; ++i) threads_.emplace_back([this] { sender_loop(); });
}

Dispatcher::~Dispatcher() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  work_cv_.notify_all();
  for (auto& t : threads_) t.join();
}

int Dispatcher::fan_out() {
  auto& c = db_.conn();
  // Unflushed: a power cut that undoes it undoes the cursor with it, and the events are read
  // again; the events themselves were flushed by their writers.
  return c.unflushed_transaction([&] {
    int64_t cursor = store::reader_cursor(c, kReader);
    auto events = store::read_events(c, cursor, kBatch);
    if (events.empty()) return 0;
    std::map<int64_t, std::vector<Target>> by_account;
    int64_t now = core::unix_millis();
    int created = 0;
    for (const auto& e : events) {
      auto [it, fresh] = by_account.try_emplace(e.account_id);
      if (fresh)
        for (auto& r : c.query(
                 "SELECT id, events, filters, job_id, since_seq FROM webhook_subscriptions WHERE "
                 "account_id = ? AND deleted_at_ms IS NULL AND status IN ('active', 'paused')",
                 {e.account_id}))
          it->second.push_back({r.i64("id"), Json::parse(r.text("events"), nullptr, false),
                                Json::parse(r.text("filters"), nullptr, false), r.text("job_id"),
                                r.i64("since_seq")});
      for (auto& t : it->second) {
        if (!matches(t, e)) continue;
        if (create_delivery(c, e.account_id, t.id, e, now) > 0) ++created;
        if (!t.job_id.empty()) {
          // A one-time subscription fires once: no further event reaches it.
          c.exec("UPDATE webhook_subscriptions SET status = 'fired' WHERE id = ?", {t.id});
          t.since_seq = INT64_MAX;
        }
      }
    }
    store::set_reader_cursor(c, kReader, events.back().seq);
    return created > 0 ? static_cast<int>(events.size()) : -static_cast<int>(events.size());
  });
}

std::optional<int64_t> Dispatcher::next_due() {
  // Only deliveries of subscriptions that may send: a paused one's wait until it is resumed.
  auto r = db_.conn().query_one(
      "SELECT MIN(d.next_attempt_at_ms) AS due FROM webhook_deliveries d JOIN "
      "webhook_subscriptions s ON s.id = d.subscription_id WHERE d.state = 'pending' AND "
      "s.status IN ('active', 'fired')");
  auto lease = db_.conn().query_one(
      "SELECT MIN(lease_until_ms) AS due FROM webhook_deliveries WHERE state = 'delivering'");
  std::optional<int64_t> a = r ? r->opt_i64("due") : std::nullopt;
  std::optional<int64_t> b = lease ? lease->opt_i64("due") : std::nullopt;
  if (a && b) return std::min(*a, *b);
  return a ? a : b;
}

void Dispatcher::fan_out_loop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    lock.unlock();
    int read = 0;
    try {
      read = fan_out();  // negative: events read, but no delivery came of them
    } catch (const std::exception& e) {
      spdlog::warn("webhooks: fan-out failed: {}", e.what());
    }
    lock.lock();
    if (read > 0) {  // committed: the senders find the new deliveries now
      ++work_generation_;
      work_cv_.notify_all();
    }
    if (std::abs(read) >= kBatch) continue;  // more are waiting
    cv_.wait_for(lock, std::chrono::milliseconds(settings_.poll_ms), [this] { return stop_; });
  }
}

std::optional<Outgoing> Dispatcher::claim() {
  auto& c = db_.conn();
  return c.unflushed_transaction([&]() -> std::optional<Outgoing> {
    int64_t now = core::unix_millis();
    // Deliveries whose sender died first, then the due ones, oldest due first; a subscription
    // already holding its share of senders is skipped.
    const char* pick =
        "SELECT d.id, d.delivery_id, d.account_id, d.subscription_id, d.event_id, d.event_type, "
        "d.body, d.attempts, s.url, s.secret FROM webhook_deliveries d JOIN webhook_subscriptions "
        "s ON s.id = d.subscription_id WHERE {} AND s.status IN ('active', 'fired') AND "
        "s.deleted_at_ms IS NULL AND (SELECT COUNT(*) FROM webhook_deliveries f WHERE "
        "f.subscription_id = d.subscription_id AND f.state = 'delivering' AND f.lease_until_ms >= "
        "?) < ? ORDER BY {} LIMIT 1";
    int64_t share = settings_.per_subscription();
    auto row = c.query_one(
        fmt::format(fmt::runtime(pick), "d.state = 'delivering' AND d.lease_until_ms < ?",
                    "d.lease_until_ms"),
        {now, now, share});
    if (!row)
      row = c.query_one(
          fmt::format(fmt::runtime(pick), "d.state = 'pending' AND d.next_attempt_at_ms <= ?",
                      "d.next_attempt_at_ms"),
          {now, now, share});
    if (!row) return std::nullopt;
    Outgoing o;
    o.id = row->i64("id");
    o.attempt = static_cast<int>(row->i64("attempts")) + 1;
    int64_t lease = now + (settings_.timeout_seconds + 5) * 1000LL;
    c.exec(
        "UPDATE webhook_deliveries SET state = 'delivering', attempts = ?, lease_until_ms = ?, "
        "updated_at_ms = ? WHERE id = ?",
        {int64_t{o.attempt}, lease, now, o.id});
    o.delivery_id = row->text("delivery_id");
    o.account_id = row->i64("account_id");
    o.subscription_id = row->i64("subscription_id");
    o.event_id = row->text("event_id");
    o.event_type = row->text("event_type");
    o.body = row->text("body");
    o.url = row->text("url");
    o.secret = webhooks_.open_secret(o.subscription_id, row->text("secret"));
    return o;
  });
}

void Dispatcher::sender_loop() {
  for (;;) {
    uint64_t seen;
    {
      std::lock_guard lock(mu_);
      if (stop_) return;
      seen = work_generation_;
    }
    std::optional<Outgoing> o;
    try {
      o = claim();
    } catch (const std::exception& e) {
      spdlog::warn("webhooks: claiming a delivery failed: {}", e.what());
    }
    if (o) {
      Attempt a = send(*o, outbound_, settings_);
      try {
        record(db_.conn(), *o, a, settings_, true);
      } catch (const std::exception& e) {
        // The lease runs out and the delivery is tried again: at least once.
        spdlog::warn("webhooks: recording delivery {} failed: {}", o->delivery_id, e.what());
      }
      {
        std::lock_guard lock(mu_);  // a share of this subscription's senders is free again
        ++work_generation_;
      }
      work_cv_.notify_all();
      if (!a.ok())
        spdlog::info("webhooks: delivery {} attempt {} to subscription {} failed: {}",
                     o->delivery_id, o->attempt, o->subscription_id,
                     a.error.empty() ? "HTTP " + std::to_string(a.status_code) : a.error);
      continue;
    }
    // Nothing to claim: sleep until new work is announced or the next retry comes due; bounded,
    // so a delivery made by another thread or process (subscribe-job on a finished job) is found
    // too, and at least 50 ms while due deliveries wait for a busy subscription's share.
    int64_t wait_ms = 500;
    try {
      if (auto due = next_due()) wait_ms = std::clamp<int64_t>(*due - core::unix_millis(), 50, 500);
    } catch (const std::exception& e) {
      spdlog::warn("webhooks: reading the next due delivery failed: {}", e.what());
    }
    std::unique_lock lock(mu_);
    work_cv_.wait_for(lock, std::chrono::milliseconds(wait_ms),
                      [&] { return stop_ || work_generation_ != seen; });
  }
}

}  // namespace paperd::services::webhooks
