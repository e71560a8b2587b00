#include "services/messages/message_center.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/error.h"
#include "services/dms/common.h"
#include "services/webhooks/events.h"

namespace paperd::services::messages {

using core::Error;

namespace {

constexpr int64_t kLeaseMs = 5 * 60 * 1000;  // longer than any provider's timeout
constexpr size_t kMaxTitle = 500;
constexpr size_t kMaxBody = 64 * 1024;
const std::vector<std::string> kPriorities = {"low", "normal", "high", "urgent"};

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  size_t e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// A string field (numbers given as JSON keep their text); 400 naming it for objects and arrays.
std::string text_field(const Json& p, const std::string& name) {
  if (!p.contains(name) || p[name].is_null()) return "";
  const Json& v = p[name];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number() || v.is_boolean()) return v.dump();
  throw Error::invalid_request("field '" + name + "' must be a string");
}

std::optional<int64_t> integer_field(const Json& p, const std::string& name) {
  if (!p.contains(name) || p[name].is_null()) return std::nullopt;
  const Json& v = p[name];
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    if (s.empty()) return std::nullopt;
    if (s.size() < 19 && std::all_of(s.begin(), s.end(), ::isdigit)) return std::stoll(s);
  }
  throw Error::invalid_request("field '" + name + "' must be an integer");
}

std::vector<int64_t> parse_schedule(const std::string& s) {
  std::vector<int64_t> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t comma = s.find(',', start);
    std::string part = trim(s.substr(start, comma == std::string::npos ? comma : comma - start));
    if (part.empty() || part.size() > 9 || !std::all_of(part.begin(), part.end(), ::isdigit) ||
        std::stoll(part) <= 0)
      throw Error::invalid_request(
          "message_retry_seconds must be a comma-separated list of positive seconds, got '" + s +
          "'");
    out.push_back(std::stoll(part));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string iso(std::optional<int64_t> ms) {
  return ms ? dms::iso_ms(*ms) : "";
}

}  // namespace

struct MessageCenter::Due {
  int64_t id = 0;
  Channel channel = Channel::kInApp;
  std::string address;
  int64_t attempts = 0;
  Notification n;
};

MessageCenter::MessageCenter(store::Database& db, const core::Config& config,
                             const net::OutboundPolicy& outbound)
    : db_(db), retry_seconds_(parse_schedule(config.message_retry_seconds)) {
  for (Channel c : all_channels())
    if (auto p = make_provider(c, config, outbound)) providers_[c] = std::move(p);
}

void MessageCenter::set_waker(std::function<void()> waker) {
  std::lock_guard lock(waker_mu_);
  waker_ = std::move(waker);
}

void MessageCenter::wake() {
  std::lock_guard lock(waker_mu_);
  if (waker_) waker_();
}

int64_t MessageCenter::require_user(store::Connection& c, const Principal& who, const Json& p) {
  auto user = integer_field(p, "user_id");
  if (!user || *user == 0) return 0;
  // A user is one of the account's tokens (po_ut_ user tokens, system and group keys).
  if (!c.query_one("SELECT id FROM tokens WHERE id = ? AND account_id = ?",
                   {*user, who.account_id}))
    throw Error::not_found("no user " + std::to_string(*user) + " in this account");
  return *user;
}

Preferences MessageCenter::load_preferences(store::Connection& c, int64_t account_id,
                                            int64_t user_id) {
  auto row = c.query_one(
      "SELECT prefs FROM message_preferences WHERE account_id = ? AND user_id IN (?, 0) "
      "ORDER BY user_id DESC LIMIT 1",
      {account_id, user_id});
  if (!row) return {};
  return Preferences::from_stored(Json::parse(row->text("prefs"), nullptr, false));
}

Json MessageCenter::send(const Principal& who, const Json& p) {
  auto& c = db_.conn();
  std::string category = trim(text_field(p, "category"));
  if (category.empty()) throw Error::invalid_request("field 'category' is required");
  if (!is_category(category))
    throw Error::invalid_request("field 'category': unknown category '" + category +
                                 "' (known: " + join(all_categories()) + ")");
  std::string title = trim(text_field(p, "title"));
  if (title.empty())
    throw Error::invalid_request("field 'title' is required and must not be empty");
  if (title.size() > kMaxTitle)
    throw Error::input_too_large(fmt::format("field 'title' is longer than {} bytes", kMaxTitle),
                                 400);
  std::string body = text_field(p, "body");
  if (body.empty()) body = text_field(p, "message");
  if (body.size() > kMaxBody)
    throw Error::input_too_large(fmt::format("field 'body' is longer than {} bytes", kMaxBody),
                                 400);
  std::string priority = trim(text_field(p, "priority"));
  if (priority.empty()) priority = "normal";
  if (std::find(kPriorities.begin(), kPriorities.end(), priority) == kPriorities.end())
    throw Error::invalid_request("field 'priority' must be one of: " + join(kPriorities));
  Json data = p.contains("data") && !p["data"].is_null() ? p["data"] : Json::object();
  if (!data.is_object()) throw Error::invalid_request("field 'data' must be an object");

  int64_t user = require_user(c, who, p);
  Preferences prefs = load_preferences(c, who.account_id, user);
  bool explicit_channels = p.contains("channels") && !p["channels"].is_null();
  std::vector<Channel> channels = explicit_channels ? parse_channel_list(p["channels"], "channels")
                                                    : prefs.channels_for(category);
  if (explicit_channels && channels.empty())
    throw Error::invalid_request("field 'channels' names no channel");
  // Addresses given with the send win over the preferences' contacts.
  std::map<std::string, std::string> addresses = prefs.contacts;
  for (Channel ch : all_channels()) {
    std::string key(address_key(ch));
    if (key.empty()) continue;
    std::string given = trim(text_field(p, key));
    if (!given.empty()) addresses[key] = check_address(ch, given, key);
  }

  int64_t now = core::unix_millis();
  std::optional<int64_t> quiet_end;
  if (priority != "urgent" && prefs.quiet_hours) quiet_end = prefs.quiet_hours->ends_after(now);
  std::string message_id = "msg_" + core::random_string(24, core::kBase62);

  c.transaction([&] {
    c.exec(
        "INSERT INTO messages (message_id, account_id, user_id, category, title, body, priority, "
        "data, sent_by, created_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {message_id, who.account_id, user, category, title, body, priority, data.dump(),
         who.token_id, now});
    int64_t row_id = c.last_insert_id();
    for (Channel ch : channels) {
      std::string status, reason, address, ref;
      std::optional<int64_t> next_at, deferred_until, delivered_at;
      std::string key(address_key(ch));
      auto provider = providers_.find(ch);
      std::string missing = provider == providers_.end() ? "" : provider->second->missing_setting();
      if (!missing.empty()) {
        status = "not_configured";
        reason = fmt::format("no {} provider is configured on this server: set {}",
                             channel_name(ch), missing);
      } else if (prefs.opted_out(category, ch)) {
        status = "suppressed";
        reason = fmt::format("the recipient's preferences turn {} off for category {}",
                             channel_name(ch), category);
      } else if (!key.empty() && addresses[key].empty()) {
        status = "failed";
        reason = fmt::format("no {} for this recipient: pass '{}' or set preferences contacts.{}",
                             key, key, key);
      } else if (ch == Channel::kInApp) {
        status = "delivered";
        reason = "stored in the in-app inbox";
        delivered_at = now;
      } else if (ch == Channel::kWebhook) {
        // The outbox row is written in this transaction; the webhook dispatcher delivers it
        // to the account's subscriptions of message.sent (or "*").
        Json event = {{"message_id", message_id},
                      {"user_id", user},
                      {"category", category},
                      {"title", title},
                      {"body", body},
                      {"priority", priority},
                      {"data", data},
                      {"created_at", dms::iso_ms(now)}};
        ref = webhooks::publish(c, who.account_id, "message.sent", std::move(event));
        status = "delivered";
        reason = "published to the event outbox for webhook subscribers";
        delivered_at = now;
      } else if (quiet_end) {
        status = "deferred";
        reason = "quiet hours";
        deferred_until = next_at = *quiet_end;
        address = addresses[key];
      } else {
        status = "pending";
        next_at = now;
        address = addresses[key];
      }
      auto opt = [](std::optional<int64_t> v) {
        return v ? store::Value(*v) : store::Value(nullptr);
      };
      c.exec(
          "INSERT INTO message_deliveries (message_id, account_id, user_id, channel, address, "
          "status, next_attempt_at_ms, deferred_until_ms, reason, provider_ref, delivered_at_ms, "
          "updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {row_id, who.account_id, user, std::string(channel_name(ch)), address, status,
           opt(next_at), opt(deferred_until), reason, ref, opt(delivered_at), now});
    }
  });
  wake();
  auto m = c.query_one("SELECT * FROM messages WHERE message_id = ?", {message_id});
  Json out = message_json(c, *m);
  out["status"] = "success";
  return out;
}

Json MessageCenter::delivery_json(const store::Row& r) const {
  std::string status = r.text("status");
  Json d = {{"channel", r.text("channel")}, {"status", status}, {"attempts", r.i64("attempts")}};
  std::string reason = r.text("reason");
  if (!reason.empty()) d[status == "delivered" ? "detail" : "reason"] = reason;
  if (!r.text("address").empty()) d["address"] = r.text("address");
  if (status == "deferred") d["deferred_until"] = iso(r.opt_i64("deferred_until_ms"));
  if (status == "pending") d["next_attempt_at"] = iso(r.opt_i64("next_attempt_at_ms"));
  if (status == "delivered") d["delivered_at"] = iso(r.opt_i64("delivered_at_ms"));
  if (!r.text("provider_ref").empty()) d["provider_ref"] = r.text("provider_ref");
  d["updated_at"] = iso(r.i64("updated_at_ms"));
  return d;
}

Json MessageCenter::message_json(store::Connection& c, const store::Row& m) const {
  Json channels = Json::array();
  Json summary = Json::object();
  for (auto& r : c.query("SELECT * FROM message_deliveries WHERE message_id = ? ORDER BY id",
                         {m.i64("id")})) {
    channels.push_back(delivery_json(r));
    summary[r.text("status")] = summary.value(r.text("status"), 0) + 1;
  }
  Json data = Json::parse(m.text("data"), nullptr, false);
  return {{"message_id", m.text("message_id")},
          {"user_id", m.i64("user_id")},
          {"category", m.text("category")},
          {"title", m.text("title")},
          {"body", m.text("body")},
          {"priority", m.text("priority")},
          {"data", data.is_discarded() ? Json::object() : data},
          {"created_at", dms::iso_ms(m.i64("created_at_ms"))},
          {"channels", channels},
          {"summary", summary}};
}

Json MessageCenter::delivery_status(const Principal& who, const Json& p) {
  auto& c = db_.conn();
  std::string id = trim(text_field(p, "message_id"));
  if (!id.empty()) {
    auto m = c.query_one("SELECT * FROM messages WHERE message_id = ? AND account_id = ?",
                         {id, who.account_id});
    if (!m) throw Error::not_found("no message '" + id + "' in this account");
    return {{"status", "success"}, {"message", message_json(c, *m)}};
  }
  // No id: the account's latest messages, newest first (the in-app inbox with channel=in_app).
  std::string where = "m.account_id = ?";
  std::vector<store::Value> args = {who.account_id};
  if (p.contains("user_id") && !p["user_id"].is_null()) {
    where += " AND m.user_id = ?";
    args.push_back(require_user(c, who, p));
  }
  std::string category = trim(text_field(p, "category"));
  if (!category.empty()) {
    if (!is_category(category))
      throw Error::invalid_request("field 'category': unknown category '" + category + "'");
    where += " AND m.category = ?";
    args.push_back(category);
  }
  std::string channel = trim(text_field(p, "channel"));
  if (!channel.empty()) {
    auto ch = parse_channel(channel);
    if (!ch) throw Error::invalid_request("field 'channel': unknown channel '" + channel + "'");
    where +=
        " AND EXISTS (SELECT 1 FROM message_deliveries d WHERE d.message_id = m.id AND "
        "d.channel = ?)";
    args.push_back(std::string(channel_name(*ch)));
  }
  int64_t limit = integer_field(p, "limit").value_or(20);
  int64_t offset = integer_field(p, "offset").value_or(0);
  if (limit < 1 || limit > 100) throw Error::invalid_request("field 'limit' must be 1 to 100");
  if (offset < 0) throw Error::invalid_request("field 'offset' must not be negative");
  int64_t total =
      c.query_one("SELECT COUNT(*) AS n FROM messages m WHERE " + where, args)->i64("n");
  args.push_back(limit);
  args.push_back(offset);
  Json list = Json::array();
  for (auto& m :
       c.query("SELECT * FROM messages m WHERE " + where + " ORDER BY m.id DESC LIMIT ? OFFSET ?",
               args))
    list.push_back(message_json(c, m));
  return {{"status", "success"},
          {"total", total},
          {"limit", limit},
          {"offset", offset},
          {"messages", list}};
}

Json MessageCenter::preferences(const Principal& who, const Json& p) {
  auto& c = db_.conn();
  int64_t user = require_user(c, who, p);
  bool changes = false;
  for (const char* k : {"channels", "quiet_hours", "ai_features", "contacts"})
    changes = changes || p.contains(k);
  int64_t now = core::unix_millis();
  Preferences prefs;
  c.transaction([&] {
    prefs = load_preferences(c, who.account_id, user);
    if (!changes) return;
    prefs.apply(p);
    c.exec(
        "INSERT INTO message_preferences (account_id, user_id, prefs, updated_at_ms) "
        "VALUES (?, ?, ?, ?) ON CONFLICT (account_id, user_id) DO UPDATE SET prefs = "
        "excluded.prefs, updated_at_ms = excluded.updated_at_ms",
        {who.account_id, user, prefs.stored().dump(), now});
    // Deferred deliveries are looked at again under the new quiet hours (and sent when none
    // cover them now).
    c.exec(
        "UPDATE message_deliveries SET next_attempt_at_ms = ?, updated_at_ms = ? "
        "WHERE account_id = ? AND status = 'deferred'",
        {now, now, who.account_id});
  });
  if (changes) wake();
  auto own = c.query_one(
      "SELECT updated_at_ms FROM message_preferences WHERE account_id = ? AND user_id = ?",
      {who.account_id, user});
  Json quiet = {{"active", false}};
  if (prefs.quiet_hours)
    if (auto end = prefs.quiet_hours->ends_after(now))
      quiet = {{"active", true}, {"until", iso(end)}};
  Json out = {{"status", "success"},
              {"user_id", user},
              {"preferences", prefs.view()},
              {"quiet_now", quiet},
              // A user without preferences of their own has the account's (user 0) or defaults.
              {"inherited", !own.has_value()}};
  if (own) out["updated_at"] = iso(own->i64("updated_at_ms"));
  return out;
}

void MessageCenter::recover() {
  auto& c = db_.conn();
  int64_t n = c.exec(
      "UPDATE message_deliveries SET status = 'pending', lease_until_ms = NULL, "
      "next_attempt_at_ms = ? WHERE status = 'sending'",
      {core::unix_millis()});
  if (n > 0) spdlog::info("message center: {} interrupted deliveries are due again", n);
}

int MessageCenter::deliver_due(int limit) {
  auto& c = db_.conn();
  int64_t now = core::unix_millis();
  std::vector<Due> due = c.transaction([&] {
    std::vector<Due> out;
    auto rows = c.query(
        "SELECT d.id, d.channel, d.address, d.attempts, m.message_id, m.account_id, m.user_id, "
        "m.category, m.title, m.body, m.priority, m.data, m.created_at_ms "
        "FROM message_deliveries d JOIN messages m ON m.id = d.message_id "
        "WHERE (d.status IN ('pending', 'deferred') AND d.next_attempt_at_ms <= ?) "
        "OR (d.status = 'sending' AND d.lease_until_ms <= ?) "
        "ORDER BY d.next_attempt_at_ms LIMIT ?",
        {now, now, int64_t{limit}});
    for (auto& r : rows) {
      auto ch = parse_channel(r.text("channel"));
      if (!ch) continue;
      Json data = Json::parse(r.text("data"), nullptr, false);
      out.push_back({.id = r.i64("id"),
                     .channel = *ch,
                     .address = r.text("address"),
                     .attempts = r.i64("attempts"),
                     .n = {.message_id = r.text("message_id"),
                           .account_id = r.i64("account_id"),
                           .user_id = r.i64("user_id"),
                           .category = r.text("category"),
                           .title = r.text("title"),
                           .body = r.text("body"),
                           .priority = r.text("priority"),
                           .data = data.is_discarded() ? Json::object() : data,
                           .created_at_ms = r.i64("created_at_ms")}});
      c.exec(
          "UPDATE message_deliveries SET status = 'sending', lease_until_ms = ?, "
          "updated_at_ms = ? WHERE id = ?",
          {now + kLeaseMs, now, r.i64("id")});
    }
    return out;
  });
  for (const Due& d : due) {
    try {
      attempt(d);
    } catch (const std::exception& e) {
      // Left 'sending': the lease brings it back.
      spdlog::error("message center: delivery {} failed unexpectedly: {}", d.id, e.what());
    }
  }
  return static_cast<int>(due.size());
}

void MessageCenter::attempt(const Due& d) {
  auto& c = db_.conn();
  int64_t now = core::unix_millis();
  auto update = [&](const std::string& sql, std::vector<store::Value> args) {
    args.push_back(d.id);
    c.exec("UPDATE message_deliveries SET lease_until_ms = NULL, " + sql + " WHERE id = ?", args);
  };
  // Quiet hours are looked at again at send time: they may have been set or moved since.
  if (d.n.priority != "urgent") {
    Preferences prefs = load_preferences(c, d.n.account_id, d.n.user_id);
    if (prefs.quiet_hours)
      if (auto end = prefs.quiet_hours->ends_after(now)) {
        update(
            "status = 'deferred', reason = 'quiet hours', deferred_until_ms = ?, "
            "next_attempt_at_ms = ?, updated_at_ms = ?",
            {*end, *end, now});
        return;
      }
  }
  auto provider = providers_.find(d.channel);
  if (provider == providers_.end()) {
    update("status = 'failed', reason = ?, updated_at_ms = ?",
           {std::string("this channel is not sent by the background sender"), now});
    return;
  }
  if (std::string missing = provider->second->missing_setting(); !missing.empty()) {
    update("status = 'not_configured', reason = ?, updated_at_ms = ?",
           {fmt::format("no {} provider is configured on this server: set {}",
                        channel_name(d.channel), missing),
            now});
    return;
  }
  Outcome o;
  try {
    o = provider->second->deliver(d.n, d.address);
  } catch (const std::exception& e) {
    o = Outcome::transient(e.what());
  }
  int64_t attempts = d.attempts + 1;
  int64_t done = core::unix_millis();
  if (o.kind == Outcome::Kind::kDelivered) {
    update(
        "status = 'delivered', attempts = ?, reason = ?, provider_ref = ?, delivered_at_ms = ?, "
        "deferred_until_ms = NULL, next_attempt_at_ms = NULL, updated_at_ms = ?",
        {attempts, o.detail, o.provider_ref, done, done});
    return;
  }
  size_t max_attempts = retry_seconds_.size() + 1;
  if (o.kind == Outcome::Kind::kTransient && static_cast<size_t>(attempts) < max_attempts) {
    // ±10 % jitter, so deliveries that failed together do not retry together.
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    int64_t wait_ms = retry_seconds_[static_cast<size_t>(attempts) - 1] * 1000;
    wait_ms += std::uniform_int_distribution<int64_t>(-wait_ms / 10, wait_ms / 10)(rng);
    update(
        "status = 'pending', attempts = ?, reason = ?, next_attempt_at_ms = ?, "
        "deferred_until_ms = NULL, updated_at_ms = ?",
        {attempts, fmt::format("attempt {} of {} failed: {}", attempts, max_attempts, o.detail),
         done + wait_ms, done});
    spdlog::warn("message center: {} {} attempt {} failed: {}", d.n.message_id,
                 channel_name(d.channel), attempts, o.detail);
    return;
  }
  update(
      "status = 'failed', attempts = ?, reason = ?, next_attempt_at_ms = NULL, "
      "deferred_until_ms = NULL, updated_at_ms = ?",
      {attempts,
       o.kind == Outcome::Kind::kPermanent
           ? o.detail
           : fmt::format("gave up after {} attempts: {}", attempts, o.detail),
       done});
}

}  // namespace paperd::services::messages
