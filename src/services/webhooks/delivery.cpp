#include "services/webhooks/delivery.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <random>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/error.h"
#include "net/fetch.h"
#include "services/webhooks/events.h"

namespace paperd::services::webhooks {

using core::Error;

Settings Settings::from(const core::Config& config) {
  Settings s;
  s.retry_seconds.clear();
  std::string list = config.webhook_retry_seconds;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    std::string item =
        list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    start = comma == std::string::npos ? list.size() + 1 : comma + 1;
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (item.empty()) continue;
    char* end = nullptr;
    double v = std::strtod(item.c_str(), &end);
    if (*end != '\0' || !(v >= 0) || v > 86400)
      throw Error::invalid_request("webhook_retry_seconds: '" + item +
                                   "' is not a wait between 0 and 86400 seconds");
    s.retry_seconds.push_back(v);
  }
  if (s.retry_seconds.size() > 50)
    throw Error::invalid_request("webhook_retry_seconds: at most 50 retries");
  s.timeout_seconds = std::clamp(config.webhook_timeout_seconds, 1, 300);
  s.concurrency = std::clamp(config.webhook_concurrency, 1, 256);
  s.pause_after = std::max(1, config.webhook_pause_after);
  s.poll_ms = std::clamp(config.webhook_poll_ms, 1, 10000);
  return s;
}

int64_t Settings::backoff_ms(int attempt) const {
  if (retry_seconds.empty()) return 0;
  double base = retry_seconds[std::clamp<size_t>(attempt - 1, 0, retry_seconds.size() - 1)];
  thread_local std::mt19937_64 rng{std::random_device{}()};
  double jitter = std::uniform_real_distribution<double>(0.8, 1.2)(rng);
  return static_cast<int64_t>(base * 1000 * jitter);
}

std::string new_delivery_id() {
  return "whd_" + core::random_string(24, core::kBase62);
}

int64_t create_delivery(store::Connection& c, int64_t account_id, int64_t subscription_id,
                        const store::OutboxEvent& event, int64_t due_at_ms) {
  int64_t now = core::unix_millis();
  int64_t n = c.exec(
      "INSERT OR IGNORE INTO webhook_deliveries (delivery_id, account_id, subscription_id, "
      "event_seq, event_id, event_type, body, state, next_attempt_at_ms, created_at_ms, "
      "updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)",
      {new_delivery_id(), account_id, subscription_id,
       event.seq > 0 ? store::Value(event.seq) : store::Value(nullptr), event.event_id, event.type,
       delivery_body(event, subscription_id), due_at_ms, now, now});
  return n == 1 ? c.last_insert_id() : 0;
}

namespace {

// The receiver's answer as log text: valid UTF-8 (a bad byte becomes '?'), no NULs.
std::string printable(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size();) {
    auto b = static_cast<unsigned char>(in[i]);
    size_t len = b < 0x80           ? 1
                 : (b >> 5) == 0x6  ? 2
                 : (b >> 4) == 0xe  ? 3
                 : (b >> 3) == 0x1e ? 4
                                    : 0;
    bool ok = len > 0 && i + len <= in.size() && b != 0;
    for (size_t k = 1; ok && k < len; ++k)
      ok = (static_cast<unsigned char>(in[i + k]) & 0xc0) == 0x80;
    if (ok) {
      out.append(in.substr(i, len));
      i += len;
    } else {
      out.push_back('?');
      ++i;
    }
  }
  return out;
}

}  // namespace

Attempt send(const Outgoing& o, const net::OutboundPolicy& policy, const Settings& s) {
  Attempt a;
  a.started_at_ms = core::unix_millis();
  net::FetchOptions opts;
  opts.method = "POST";
  opts.body = o.body;
  opts.timeout_seconds = s.timeout_seconds;
  opts.max_redirects = 0;  // a redirect is the receiver's answer, never followed elsewhere
  opts.any_status = true;
  opts.max_bytes = s.response_cap;
  opts.param = "url";
  opts.headers = {"Content-Type: application/json",
                  "User-Agent: PaperOffice-Webhooks/1.0",
                  "X-PaperOffice-Event: " + o.event_type,
                  "X-PaperOffice-Event-ID: " + o.event_id,
                  "X-PaperOffice-Signature: " + signature(o.secret, o.body),
                  "X-PaperOffice-Timestamp: " + std::to_string(a.started_at_ms / 1000),
                  "X-PaperOffice-Delivery: " + std::to_string(o.attempt)};
  core::Stopwatch watch;
  try {
    std::string answer;
    net::FetchResult r = net::fetch_to_string(o.url, answer, policy, opts);
    a.status_code = r.http_status;
    a.snippet = printable(answer);
    if (r.http_status >= 300 && r.http_status < 400) a.error = "redirects are not followed";
  } catch (const std::exception& e) {
    a.error = printable(e.what());
  }
  a.latency_ms = static_cast<int64_t>(watch.elapsed_ms());
  return a;
}

namespace {

// The subscription stops receiving: pending deliveries are cancelled (410 and delete) or wait
// (pause, until it is resumed).
void notify_account(store::Connection& c, int64_t account_id, const std::string& kind,
                    const std::string& title, const std::string& body, const Json& data) {
  c.exec(
      "INSERT INTO account_notifications (account_id, kind, title, body, data, created_at_ms) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {account_id, kind, title, body, data.dump(), core::unix_millis()});
}

// A one-time job subscription is gone once its delivery has ended, whichever way.
void end_job_subscription(store::Connection& c, int64_t subscription_id, int64_t now) {
  c.exec(
      "UPDATE webhook_subscriptions SET status = 'completed', deleted_at_ms = ?, updated_at_ms = ? "
      "WHERE id = ? AND job_id IS NOT NULL AND deleted_at_ms IS NULL",
      {now, now, subscription_id});
}

}  // namespace

std::string record(store::Connection& c, const Outgoing& o, const Attempt& a, const Settings& s,
                   bool retry) {
  return c.unflushed_transaction([&]() -> std::string {
    auto sub = c.query_one(
        "SELECT name, status, consecutive_failures, job_id FROM webhook_subscriptions WHERE id = ?",
        {o.subscription_id});
    int64_t now = core::unix_millis();
    std::string snippet = a.snippet.substr(0, 1024);
    bool gone = a.error.empty() && a.status_code == 410;
    bool last = !retry || gone || o.attempt >= s.max_attempts();
    std::string state = a.ok() ? "delivered" : last ? "failed" : "pending";
    std::optional<int64_t> next;
    if (state == "pending") next = now + s.backoff_ms(o.attempt);
    std::string error = a.error;
    if (error.empty() && !a.ok()) error = fmt::format("receiver answered HTTP {}", a.status_code);

    // The attempt number fences out a sender whose lease ran out meanwhile.
    if (c.exec("UPDATE webhook_deliveries SET state = ?, next_attempt_at_ms = ?, lease_until_ms = "
               "NULL, last_status_code = ?, last_error = ?, last_latency_ms = ?, "
               "response_snippet = ?, updated_at_ms = ?, finished_at_ms = ? WHERE id = ? AND "
               "state = 'delivering' AND attempts = ?",
               {state, next ? store::Value(*next) : store::Value(nullptr),
                a.status_code ? store::Value(int64_t{a.status_code}) : store::Value(nullptr), error,
                a.latency_ms, snippet, now,
                state == "pending" ? store::Value(nullptr) : store::Value(now), o.id,
                int64_t{o.attempt}}) != 1)
      return "";
    c.exec(
        "INSERT INTO webhook_attempts (delivery_id, attempt, status_code, error, latency_ms, "
        "response_snippet, started_at_ms, next_retry_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        {o.id, int64_t{o.attempt},
         a.status_code ? store::Value(int64_t{a.status_code}) : store::Value(nullptr), error,
         a.latency_ms, snippet, a.started_at_ms,
         next ? store::Value(*next) : store::Value(nullptr)});
    if (!sub || !retry) return state;  // webhooks/test leaves the subscription as it is

    bool job_sub = !sub->is_null("job_id");
    if (a.ok()) {
      c.exec(
          "UPDATE webhook_subscriptions SET consecutive_failures = 0, last_delivery_at_ms = ? "
          "WHERE id = ?",
          {now, o.subscription_id});
    } else if (gone) {
      c.exec(
          "UPDATE webhook_subscriptions SET status = 'disabled', status_reason = ?, "
          "updated_at_ms = ? WHERE id = ? AND status != 'disabled'",
          {"the receiver answered 410 Gone", now, o.subscription_id});
      c.exec(
          "UPDATE webhook_deliveries SET state = 'cancelled', next_attempt_at_ms = NULL, "
          "last_error = 'subscription disabled: the receiver answered 410 Gone', updated_at_ms = "
          "?, finished_at_ms = ? WHERE subscription_id = ? AND state = 'pending'",
          {now, now, o.subscription_id});
      notify_account(c, o.account_id, "webhook.disabled",
                     "Webhook subscription '" + sub->text("name") + "' disabled",
                     "Its receiver " + o.url + " answered 410 Gone; no more events are sent to it.",
                     {{"subscription_id", o.subscription_id}});
    } else {
      int64_t failures = sub->i64("consecutive_failures") + 1;
      c.exec("UPDATE webhook_subscriptions SET consecutive_failures = ? WHERE id = ?",
             {failures, o.subscription_id});
      if (failures >= s.pause_after && sub->text("status") == "active" && !job_sub) {
        std::string why =
            fmt::format("paused after {} consecutive failed attempts (last: {})", failures, error);
        c.exec(
            "UPDATE webhook_subscriptions SET status = 'paused', status_reason = ?, "
            "updated_at_ms = ? WHERE id = ?",
            {why, now, o.subscription_id});
        notify_account(c, o.account_id, "webhook.paused",
                       "Webhook subscription '" + sub->text("name") + "' paused",
                       why +
                           ". Its events wait; resume it with POST /webhooks/update "
                           "(status=active).",
                       {{"subscription_id", o.subscription_id}, {"last_error", error}});
      }
    }
    if (job_sub && state != "pending") end_job_subscription(c, o.subscription_id, now);
    return state;
  });
}

}  // namespace paperd::services::webhooks
