#include "services/webhooks/webhooks.h"

#include <fmt/format.h>

#include <algorithm>
#include <regex>
#include <set>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/error.h"
#include "services/webhooks/events.h"
#include "store/outbox.h"

namespace paperd::services::webhooks {

using core::Error;

namespace {

constexpr size_t kMaxSubscriptions = 100;  // per account, job subscriptions not counted
constexpr const char* kColumns =
    "id, account_id, name, url, events, filters, description, secret, job_id, status, "
    "status_reason, consecutive_failures, created_at_ms, updated_at_ms, last_delivery_at_ms, "
    "deleted_at_ms";

std::string iso(std::optional<int64_t> ms) {
  return ms ? core::iso8601(*ms / 1000) : "";
}
Json iso_or_null(std::optional<int64_t> ms) {
  return ms ? Json(core::iso8601(*ms / 1000)) : Json(nullptr);
}

Json subscription_json(const store::Row& r) {
  Json out = {{"id", r.i64("id")},
              {"subscription_id", r.i64("id")},
              {"name", r.text("name")},
              {"url", r.text("url")},
              {"events", Json::parse(r.text("events"), nullptr, false)},
              {"filters", Json::parse(r.text("filters"), nullptr, false)},
              {"description", r.text("description")},
              {"status", r.text("status")},
              {"status_reason", r.text("status_reason")},
              {"consecutive_failures", r.i64("consecutive_failures")},
              {"signature", "sha256"},
              {"created_at", iso(r.i64("created_at_ms"))},
              {"updated_at", iso(r.i64("updated_at_ms"))},
              {"last_delivery_at", iso_or_null(r.opt_i64("last_delivery_at_ms"))}};
  if (!r.is_null("job_id")) {
    out["job_id"] = r.text("job_id");
    out["one_time"] = true;
  }
  return out;
}

std::string trimmed(std::string s) {
  s.erase(0, s.find_first_not_of(" \t\r\n"));
  s.erase(s.find_last_not_of(" \t\r\n") + 1);
  return s;
}

std::string text_field(const Json& params, const char* name, size_t max, bool required) {
  if (!params.contains(name) || params[name].is_null()) {
    if (required) throw Error::invalid_request(std::string(name) + " is required");
    return "";
  }
  if (!params[name].is_string())
    throw Error::invalid_request(std::string(name) + " must be a string");
  std::string v = trimmed(params[name].get<std::string>());
  if (required && v.empty()) throw Error::invalid_request(std::string(name) + " must not be empty");
  if (v.size() > max)
    throw Error::invalid_request(fmt::format("{} is longer than {} characters", name, max));
  return v;
}

// "events": a list of names (or one string, comma-separated names allowed), each known or "*".
// job_only: a job subscription takes job.* events only.
Json parse_events(const Json& value, bool job_only) {
  Json list = value.is_array() ? value : Json::array({value});
  Json out = Json::array();
  std::set<std::string> seen;
  for (const auto& item : list) {
    if (!item.is_string()) throw Error::invalid_request("events must be a list of event names");
    std::string all = item.get<std::string>();
    size_t start = 0;
    while (start <= all.size()) {
      size_t comma = all.find(',', start);
      std::string name =
          trimmed(all.substr(start, comma == std::string::npos ? all.npos : comma - start));
      start = comma == std::string::npos ? all.size() + 1 : comma + 1;
      if (name.empty()) continue;
      if (name != "*" && !is_known_event(name))
        throw Error::invalid_request("events: unknown event '" + name +
                                     "' (GET /webhooks/info lists them; \"*\" is every event)");
      if (job_only && name != "*" && name.rfind("job.", 0) != 0)
        throw Error::invalid_request("events: a job subscription takes job.* events only, not '" +
                                     name + "'");
      if (seen.insert(name).second) out.push_back(name);
    }
  }
  if (out.empty()) throw Error::invalid_request("events must name at least one event or \"*\"");
  return out;
}

std::string check_secret(const Json& value) {
  if (!value.is_string()) throw Error::invalid_request("secret must be a string");
  std::string s = value.get<std::string>();
  if (s.size() < 16 || s.size() > 256)
    throw Error::invalid_request("secret must have 16 to 256 characters");
  return s;
}

std::string generate_secret() {
  return "whsec_" + core::hex(core::random_bytes(32));
}

std::vector<Json> one_or_many(const Json& v) {
  if (v.is_array()) return {v.begin(), v.end()};
  return {v};
}

}  // namespace

Webhooks::Webhooks(store::Database& db, const store::ValueSealer* sealer,
                   const net::OutboundPolicy& outbound, Settings settings)
    : db_(db), sealer_(sealer), outbound_(outbound), settings_(std::move(settings)) {}

std::string Webhooks::seal_secret(int64_t id, const std::string& secret) const {
  if (!sealer_) throw Error::unavailable("webhook secrets need the server's master key");
  return sealer_->seal(secret, "webhook:" + std::to_string(id));
}

std::string Webhooks::open_secret(int64_t id, const std::string& sealed) const {
  if (!sealer_) throw Error::unavailable("webhook secrets need the server's master key");
  return sealer_->open(sealed, "webhook:" + std::to_string(id));
}

std::string Webhooks::check_url(const Json& value) const {
  if (!value.is_string() || trimmed(value.get<std::string>()).empty())
    throw Error::invalid_request("url is required: the https URL events are POSTed to");
  std::string url = trimmed(value.get<std::string>());
  if (url.size() > 2048) throw Error::invalid_request("url is longer than 2048 characters");
  // Resolves and checks the host now, so a private address is refused at once (and again at
  // every attempt, since DNS may change). A host that does not resolve yet (a receiver being set
  // up, DNS down) is accepted: its deliveries wait and retry like any other failure.
  net::CheckedUrl checked;
  try {
    checked = net::check_url(url, outbound_, "url");
  } catch (const Error& e) {
    if (std::string_view(e.what()).find("could not be resolved") == std::string_view::npos) throw;
    std::string lower = url.substr(0, 8);
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    if (lower != "https://")
      throw Error::invalid_request(
          "url must be https; plain http is accepted only for hosts allow-listed in "
          "PAPERD_OUTBOUND_ALLOW (development)");
    return url;
  }
  if (checked.scheme != "https") {
    bool allowed = outbound_.allows_host(checked.host) ||
                   std::all_of(checked.addresses.begin(), checked.addresses.end(),
                               [&](const std::string& ip) { return outbound_.allows_address(ip); });
    if (!allowed)
      throw Error::invalid_request(
          "url must be https; plain http is accepted only for hosts allow-listed in "
          "PAPERD_OUTBOUND_ALLOW (development)");
  }
  return checked.url;
}

Json Webhooks::normalise_filters(store::Connection& c, const Principal& who,
                                 const Json& filters) const {
  Json out = Json::object();
  if (filters.is_null()) return out;
  if (!filters.is_object())
    throw Error::invalid_request("filters must be an object, e.g. {\"workspace_id\": [17]}");
  for (auto& [key, value] : filters.items()) {
    if (key == "workspace_id" || key == "workspace_ids") {
      Json ids = Json::array();
      for (const auto& v : one_or_many(value)) {
        int64_t id = 0;
        if (v.is_number_integer())
          id = v.get<int64_t>();
        else if (v.is_string() && !v.get<std::string>().empty() &&
                 v.get<std::string>().find_first_not_of("0123456789") == std::string::npos)
          id = std::stoll(v.get<std::string>());
        else
          throw Error::invalid_request("filters." + key +
                                       " must be a workspace id or a list of them");
        if (!c.query_one("SELECT id FROM workspaces WHERE id = ? AND account_id = ?",
                         {id, who.account_id}))
          throw Error(404, "NOT_FOUND", fmt::format("filters.{}: workspace {} not found", key, id));
        ids.push_back(id);
      }
      if (ids.empty()) throw Error::invalid_request("filters." + key + " must not be empty");
      out["workspace_id"] = ids;
    } else if (key == "pipeline" || key == "pipelines") {
      static const std::regex slug("^(workflow|[a-z0-9_]+___[a-z0-9_]+)$");
      Json names = Json::array();
      for (const auto& v : one_or_many(value)) {
        if (!v.is_string() || !std::regex_match(v.get<std::string>(), slug))
          throw Error::invalid_request("filters." + key +
                                       " must be a pipeline slug (product___operation) or a list "
                                       "of them");
        if (known_pipeline_ && !known_pipeline_(v.get<std::string>()))
          throw Error::invalid_request("filters." + key + ": unknown pipeline '" +
                                       v.get<std::string>() + "'");
        names.push_back(v);
      }
      if (names.empty()) throw Error::invalid_request("filters." + key + " must not be empty");
      out["pipeline"] = names;
    } else {
      throw Error::invalid_request("filters." + key +
                                   " is not a filter; use workspace_id or pipeline");
    }
  }
  return out;
}

store::Row Webhooks::require_subscription(store::Connection& c, const Principal& who,
                                          int64_t id) const {
  auto r = c.query_one(std::string("SELECT ") + kColumns +
                           " FROM webhook_subscriptions WHERE id = ? AND account_id = ? AND "
                           "deleted_at_ms IS NULL",
                       {id, who.account_id});
  if (!r) throw Error::not_found(fmt::format("webhook subscription {} not found", id));
  return *r;
}

Json Webhooks::subscribe(const Principal& who, const Json& params) {
  std::string name = text_field(params, "name", 100, true);
  std::string url = check_url(params.value("url", Json()));
  Json events =
      parse_events(params.contains("events") && !params["events"].is_null() ? params["events"]
                                                                            : Json::array({"*"}),
                   false);
  std::string description = text_field(params, "description", 500, false);
  bool generated = !params.contains("secret") || params["secret"].is_null() ||
                   (params["secret"].is_string() && params["secret"].get<std::string>().empty());
  std::string secret = generated ? generate_secret() : check_secret(params["secret"]);
  if (!sealer_) throw Error::unavailable("webhook secrets need the server's master key");
  auto& c = db_.conn();
  Json filters = normalise_filters(c, who, params.value("filters", Json()));
  Json sub = c.transaction([&] {
    if (c.query_one("SELECT id FROM webhook_subscriptions WHERE account_id = ? AND name = ? AND "
                    "deleted_at_ms IS NULL AND job_id IS NULL",
                    {who.account_id, name}))
      throw Error::invalid_request("name: a webhook subscription named '" + name +
                                   "' exists already");
    auto count = c.query_one(
        "SELECT COUNT(*) AS n FROM webhook_subscriptions WHERE account_id = ? AND deleted_at_ms "
        "IS NULL AND job_id IS NULL",
        {who.account_id});
    if (static_cast<size_t>(count->i64("n")) >= kMaxSubscriptions)
      throw Error::invalid_request(
          fmt::format("an account has at most {} webhook subscriptions", kMaxSubscriptions));
    int64_t now = core::unix_millis();
    c.exec(
        "INSERT INTO webhook_subscriptions (account_id, name, url, events, filters, description, "
        "secret, status, since_seq, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, '', "
        "'active', ?, ?, ?)",
        {who.account_id, name, url, events.dump(), filters.dump(), description,
         store::last_event_seq(c), now, now});
    int64_t id = c.last_insert_id();
    c.exec("UPDATE webhook_subscriptions SET secret = ? WHERE id = ?",
           {seal_secret(id, secret), id});
    return subscription_json(require_subscription(c, who, id));
  });
  Json out = {{"status", "success"}, {"subscription_id", sub["id"]}, {"subscription", sub}};
  if (generated) {
    out["secret"] = secret;
    out["message"] = "store the secret now: it is shown only once";
  }
  return out;
}

Json Webhooks::list(const Principal& who) {
  Json subs = Json::array();
  for (auto& r : db_.conn().query(std::string("SELECT ") + kColumns +
                                      " FROM webhook_subscriptions WHERE account_id = ? AND "
                                      "deleted_at_ms IS NULL AND job_id IS NULL ORDER BY id",
                                  {who.account_id}))
    subs.push_back(subscription_json(r));
  return {{"status", "success"}, {"total", subs.size()}, {"subscriptions", subs}};
}

Json Webhooks::update(const Principal& who, int64_t id, const Json& params) {
  auto& c = db_.conn();
  std::optional<std::string> new_secret;
  bool rotated = params.value("rotate_secret", false) == true;
  if (params.contains("secret") && !params["secret"].is_null())
    new_secret = check_secret(params["secret"]);
  else if (rotated)
    new_secret = generate_secret();
  std::optional<std::string> url;
  if (params.contains("url") && !params["url"].is_null()) url = check_url(params["url"]);
  std::optional<Json> events;
  if (params.contains("events") && !params["events"].is_null())
    events = parse_events(params["events"], false);
  std::optional<Json> filters;
  if (params.contains("filters") && !params["filters"].is_null())
    filters = normalise_filters(c, who, params["filters"]);
  std::string status = text_field(params, "status", 20, false);
  if (!status.empty() && status != "active" && status != "paused")
    throw Error::invalid_request("status must be active or paused");
  Json sub = c.transaction([&] {
    store::Row row = require_subscription(c, who, id);
    if (!row.is_null("job_id"))
      throw Error::invalid_request("subscription_id: a one-time job subscription cannot change");
    int64_t now = core::unix_millis();
    if (params.contains("name") && !params["name"].is_null()) {
      std::string name = text_field(params, "name", 100, true);
      if (c.query_one("SELECT id FROM webhook_subscriptions WHERE account_id = ? AND name = ? AND "
                      "deleted_at_ms IS NULL AND job_id IS NULL AND id != ?",
                      {who.account_id, name, id}))
        throw Error::invalid_request("name: a webhook subscription named '" + name +
                                     "' exists already");
      c.exec("UPDATE webhook_subscriptions SET name = ? WHERE id = ?", {name, id});
    }
    if (url) c.exec("UPDATE webhook_subscriptions SET url = ? WHERE id = ?", {*url, id});
    if (events)
      c.exec("UPDATE webhook_subscriptions SET events = ? WHERE id = ?", {events->dump(), id});
    if (filters)
      c.exec("UPDATE webhook_subscriptions SET filters = ? WHERE id = ?", {filters->dump(), id});
    if (params.contains("description") && !params["description"].is_null())
      c.exec("UPDATE webhook_subscriptions SET description = ? WHERE id = ?",
             {text_field(params, "description", 500, false), id});
    if (new_secret)
      c.exec("UPDATE webhook_subscriptions SET secret = ? WHERE id = ?",
             {seal_secret(id, *new_secret), id});
    if (status == "active")  // resumes a paused or disabled subscription
      c.exec(
          "UPDATE webhook_subscriptions SET status = 'active', status_reason = '', "
          "consecutive_failures = 0 WHERE id = ?",
          {id});
    else if (status == "paused")
      c.exec(
          "UPDATE webhook_subscriptions SET status = 'paused', status_reason = 'paused by the "
          "account' WHERE id = ?",
          {id});
    c.exec("UPDATE webhook_subscriptions SET updated_at_ms = ? WHERE id = ?", {now, id});
    return subscription_json(require_subscription(c, who, id));
  });
  Json out = {{"status", "success"}, {"subscription_id", id}, {"subscription", sub}};
  if (rotated && !(params.contains("secret") && !params["secret"].is_null())) {
    out["secret"] = *new_secret;
    out["message"] = "store the new secret now: it is shown only once";
  }
  return out;
}

Json Webhooks::remove(const Principal& who, int64_t id) {
  auto& c = db_.conn();
  return c.transaction([&] {
    store::Row row = require_subscription(c, who, id);
    int64_t now = core::unix_millis();
    c.exec(
        "UPDATE webhook_subscriptions SET status = 'deleted', deleted_at_ms = ?, updated_at_ms = ? "
        "WHERE id = ?",
        {now, now, id});
    int64_t cancelled = c.exec(
        "UPDATE webhook_deliveries SET state = 'cancelled', next_attempt_at_ms = NULL, "
        "last_error = 'subscription deleted', updated_at_ms = ?, finished_at_ms = ? WHERE "
        "subscription_id = ? AND state = 'pending'",
        {now, now, id});
    int64_t kept = c.query_one(
                        "SELECT COUNT(*) AS n FROM webhook_deliveries WHERE "
                        "subscription_id = ?",
                        {id})
                       ->i64("n");
    return Json{{"status", "success"},
                {"deleted", true},
                {"subscription_id", id},
                {"name", row.text("name")},
                {"pending_cancelled", cancelled},
                {"deliveries_kept", kept}};
  });
}

Json Webhooks::info() const {
  Json events = Json::array();
  for (const auto& e : event_catalog())
    events.push_back({{"name", e.name}, {"description", e.description}});
  Json schedule = Json::array();
  for (double s : settings_.retry_seconds) schedule.push_back(s);
  return {
      {"status", "success"},
      {"data",
       {{"events", events},
        {"wildcard", "*"},
        {"headers",
         {{"X-PaperOffice-Event", "the event type, e.g. job.completed"},
          {"X-PaperOffice-Event-ID", "the event's id: the same on every retry, de-duplicate on it"},
          {"X-PaperOffice-Signature", "sha256=<hex HMAC-SHA256(secret, raw request body)>"},
          {"X-PaperOffice-Timestamp", "unix seconds when this attempt was sent"},
          {"X-PaperOffice-Delivery", "the attempt number, 1 for the first"},
          {"User-Agent", "PaperOffice-Webhooks/1.0"},
          {"Content-Type", "application/json"}}},
        {"signature",
         {{"algorithm", "HMAC-SHA256"},
          {"header", "X-PaperOffice-Signature"},
          {"format", "sha256=<lower-case hex>"},
          {"input", "the raw request body bytes; the timestamp is not part of it"}}},
        {"body",
         {{"fields", {"event_type", "event_id", "timestamp", "subscription_id", "data"}},
          {"job_events_also", {"event", "job_id", "status"}}}},
        {"delivery",
         {{"guarantee", "at least once; a 2xx answer ends it"},
          {"retry_schedule_seconds", schedule},
          {"jitter", "+-20 %"},
          {"max_attempts", settings_.max_attempts()},
          {"timeout_seconds", settings_.timeout_seconds},
          {"redirects", "not followed"},
          {"gone", "410 disables the subscription"},
          {"pause_after_consecutive_failures", settings_.pause_after}}},
        {"filters",
         {{"workspace_id", "an id or a list: only events of these workspaces"},
          {"pipeline", "a slug or a list: only job events of these pipelines"}}},
        {"endpoints",
         {"POST /webhooks/subscribe", "GET /webhooks/list", "POST /webhooks/update",
          "POST /webhooks/delete", "GET /webhooks/info", "POST /webhooks/test",
          "GET /webhooks/deliveries", "POST /webhooks/subscribe-job",
          "GET /webhooks/job-subscriptions"}}}}};
}

Json Webhooks::test(const Principal& who, int64_t id) {
  auto& c = db_.conn();
  Outgoing o;
  store::OutboxEvent event;
  c.transaction([&] {
    store::Row row = require_subscription(c, who, id);
    event.event_id = "evt_" + core::random_string(24, core::kBase62);
    event.account_id = who.account_id;
    event.type = "test";
    event.created_at_ms = core::unix_millis();
    event.data = {{"message", "a test event from paperd: your receiver is reachable"},
                  {"subscription_name", row.text("name")}};
    o.id = create_delivery(c, who.account_id, id, event, event.created_at_ms);
    c.exec(
        "UPDATE webhook_deliveries SET state = 'delivering', attempts = 1, lease_until_ms = ? "
        "WHERE id = ?",
        {event.created_at_ms + (settings_.timeout_seconds + 5) * 1000LL, o.id});
    auto d = c.query_one("SELECT delivery_id, body FROM webhook_deliveries WHERE id = ?", {o.id});
    o.delivery_id = d->text("delivery_id");
    o.body = d->text("body");
    o.account_id = who.account_id;
    o.subscription_id = id;
    o.url = row.text("url");
    o.secret = open_secret(id, row.text("secret"));
    o.event_type = event.type;
    o.event_id = event.event_id;
    o.attempt = 1;
  });
  Attempt a = send(o, outbound_, settings_);
  record(c, o, a, settings_, false);
  return {{"status", "success"},
          {"delivered", a.ok()},
          {"subscription_id", id},
          {"delivery_id", o.delivery_id},
          {"event_id", o.event_id},
          {"event_type", "test"},
          {"status_code", a.status_code ? Json(a.status_code) : Json(nullptr)},
          {"latency_ms", a.latency_ms},
          {"response_snippet", a.snippet.substr(0, 1024)},
          {"error",
           a.ok() ? Json(nullptr)
                  : Json(a.error.empty() ? fmt::format("receiver answered HTTP {}", a.status_code)
                                         : a.error)}};
}

Json Webhooks::deliveries(const Principal& who, const DeliveryQuery& q) {
  static const std::set<std::string> kStates = {"pending", "delivering", "delivered", "failed",
                                                "cancelled"};
  if (!q.state.empty() && !kStates.count(q.state))
    throw Error::invalid_request(
        "state must be pending, delivering, delivered, failed or cancelled");
  if (q.page < 1) throw Error::invalid_request("page must be 1 or more");
  if (q.per_page < 1 || q.per_page > 100)
    throw Error::invalid_request("per_page must be between 1 and 100");
  auto& c = db_.conn();
  std::string where = "d.account_id = ?";
  std::vector<store::Value> args = {who.account_id};
  if (q.subscription_id) {
    // Deleted subscriptions keep their log, so they are found here too.
    if (!c.query_one("SELECT id FROM webhook_subscriptions WHERE id = ? AND account_id = ?",
                     {*q.subscription_id, who.account_id}))
      throw Error::not_found(fmt::format("webhook subscription {} not found", *q.subscription_id));
    where += " AND d.subscription_id = ?";
    args.push_back(*q.subscription_id);
  }
  if (!q.state.empty()) {
    where += " AND d.state = ?";
    args.push_back(q.state);
  }
  if (!q.event_type.empty()) {
    where += " AND d.event_type = ?";
    args.push_back(q.event_type);
  }
  int64_t total =
      c.query_one("SELECT COUNT(*) AS n FROM webhook_deliveries d WHERE " + where, args)->i64("n");
  auto page_args = args;
  page_args.push_back(q.per_page);
  page_args.push_back((q.page - 1) * q.per_page);
  Json rows = Json::array();
  for (auto& r :
       c.query("SELECT d.*, s.name AS subscription_name FROM webhook_deliveries d LEFT JOIN "
               "webhook_subscriptions s ON s.id = d.subscription_id WHERE " +
                   where + " ORDER BY d.id DESC LIMIT ? OFFSET ?",
               page_args)) {
    Json attempts = Json::array();
    for (auto& a :
         c.query("SELECT attempt, status_code, error, latency_ms, response_snippet, started_at_ms, "
                 "next_retry_at_ms FROM webhook_attempts WHERE delivery_id = ? ORDER BY attempt",
                 {r.i64("id")}))
      attempts.push_back(
          {{"attempt", a.i64("attempt")},
           {"status_code", a.is_null("status_code") ? Json(nullptr) : Json(a.i64("status_code"))},
           {"latency_ms", a.i64("latency_ms")},
           {"error", a.text("error")},
           {"response_snippet", a.text("response_snippet")},
           {"started_at", iso(a.i64("started_at_ms"))},
           {"next_retry_at", iso_or_null(a.opt_i64("next_retry_at_ms"))}});
    rows.push_back(
        {{"delivery_id", r.text("delivery_id")},
         {"subscription_id", r.i64("subscription_id")},
         {"subscription_name", r.text("subscription_name")},
         {"event_type", r.text("event_type")},
         {"event_id", r.text("event_id")},
         {"state", r.text("state")},
         {"attempt", r.i64("attempts")},
         {"status_code",
          r.is_null("last_status_code") ? Json(nullptr) : Json(r.i64("last_status_code"))},
         {"latency_ms",
          r.is_null("last_latency_ms") ? Json(nullptr) : Json(r.i64("last_latency_ms"))},
         {"response_snippet", r.text("response_snippet")},
         {"error", r.text("last_error")},
         {"next_retry_at", r.text("state") == "pending"
                               ? iso_or_null(r.opt_i64("next_attempt_at_ms"))
                               : Json(nullptr)},
         {"created_at", iso(r.i64("created_at_ms"))},
         {"finished_at", iso_or_null(r.opt_i64("finished_at_ms"))},
         {"attempts", attempts}});
  }
  return {{"status", "success"},
          {"total", total},
          {"page", q.page},
          {"per_page", q.per_page},
          {"deliveries", rows}};
}

Json Webhooks::subscribe_job(const Principal& who, const Json& params) {
  std::string job_id = text_field(params, "job_id", 200, true);
  std::string url = check_url(params.value("url", Json()));
  Json events = parse_events(params.contains("events") && !params["events"].is_null()
                                 ? params["events"]
                                 : Json::array({"job.completed", "job.failed"}),
                             true);
  bool generated = !params.contains("secret") || params["secret"].is_null() ||
                   (params["secret"].is_string() && params["secret"].get<std::string>().empty());
  std::string secret = generated ? generate_secret() : check_secret(params["secret"]);
  std::string name = text_field(params, "name", 100, false);
  if (name.empty()) name = "job " + job_id;
  if (!sealer_) throw Error::unavailable("webhook secrets need the server's master key");
  auto& c = db_.conn();
  Json sub = c.transaction([&] {
    auto job = c.query_one("SELECT state FROM jobs WHERE id = ? AND account_id = ?",
                           {job_id, who.account_id});
    if (!job) throw Error::not_found("job '" + job_id + "' not found");
    int64_t now = core::unix_millis();
    c.exec(
        "INSERT INTO webhook_subscriptions (account_id, name, url, events, secret, job_id, status, "
        "since_seq, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, '', ?, 'active', ?, ?, ?)",
        {who.account_id, name, url, events.dump(), job_id, store::last_event_seq(c), now, now});
    int64_t id = c.last_insert_id();
    c.exec("UPDATE webhook_subscriptions SET secret = ? WHERE id = ?",
           {seal_secret(id, secret), id});
    // A job that ended before the subscription came: its own final event is delivered now.
    std::string state = job->text("state");
    if (state == "completed" || state == "failed") {
      std::string type = "job." + state;
      auto seq = c.query_one(
          "SELECT id FROM events WHERE account_id = ? AND type = ? AND "
          "json_extract(payload, '$.data.job_id') = ? ORDER BY id DESC LIMIT 1",
          {who.account_id, type, job_id});
      if (seq && subscribed_to(events, type))
        if (auto event = store::read_event(c, seq->i64("id"))) {
          create_delivery(c, who.account_id, id, *event, now);
          c.exec("UPDATE webhook_subscriptions SET status = 'fired' WHERE id = ?", {id});
        }
    }
    return subscription_json(require_subscription(c, who, id));
  });
  Json out = {{"status", "success"}, {"subscription_id", sub["id"]}, {"subscription", sub}};
  if (generated) {
    out["secret"] = secret;
    out["message"] = "store the secret now: it is shown only once";
  }
  return out;
}

Json Webhooks::job_subscriptions(const Principal& who, const std::string& job_id) {
  std::string sql = std::string("SELECT ") + kColumns +
                    " FROM webhook_subscriptions WHERE account_id = ? AND deleted_at_ms IS NULL "
                    "AND job_id IS NOT NULL";
  std::vector<store::Value> args = {who.account_id};
  if (!job_id.empty()) {
    sql += " AND job_id = ?";
    args.push_back(job_id);
  }
  Json subs = Json::array();
  for (auto& r : db_.conn().query(sql + " ORDER BY id", args)) subs.push_back(subscription_json(r));
  return {{"status", "success"}, {"total", subs.size()}, {"subscriptions", subs}};
}

}  // namespace paperd::services::webhooks
