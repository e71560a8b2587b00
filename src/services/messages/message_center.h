// The message center (issue 12): notifications to a user of an account over in-app, email,
// webhook, Telegram, SMS, voice and web push. send() stores the message and one delivery row per
// channel in one transaction and returns at once: in_app is the stored message itself, webhook is
// an event in the outbox (read by the webhook dispatcher), and the outbound channels are sent by
// the Sender thread (sender.h) through deliver_due(), with retries for transient failures and
// deferral during the user's quiet hours. Deliveries survive a restart. Thread-safe: each call
// uses its thread's database connection.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/json.h"
#include "http/route.h"
#include "net/ssrf.h"
#include "services/messages/channels.h"
#include "services/messages/preferences.h"
#include "store/db.h"

namespace paperd::services::messages {

using http::Principal;

class MessageCenter {
 public:
  // Throws Error::invalid_request naming a malformed setting (smtp_tls, message_retry_seconds).
  MessageCenter(store::Database& db, const core::Config& config,
                const net::OutboundPolicy& outbound);

  // message_center/send: user_id?, category, title, body (or message), channels?, priority?,
  // data?, and per-send addresses (email, phone, telegram_chat_id, push_subscription). Answers
  // the message id and each channel's first status.
  Json send(const Principal& who, const Json& params);
  // message_center/delivery_status: one message (message_id) with its deliveries, or the latest
  // messages of the account (user_id?, category?, channel?, limit, offset): the in-app inbox.
  Json delivery_status(const Principal& who, const Json& params);
  // message_center/preferences: applies the fields given (channels, quiet_hours, ai_features,
  // contacts) for user_id (0 = the account) and answers the preferences in force.
  Json preferences(const Principal& who, const Json& params);

  // Sends up to `limit` due deliveries (the Sender's work); returns how many it handled.
  int deliver_due(int limit = 16);
  // Deliveries left 'sending' by a process that died are due again (called once at start).
  void recover();
  // The Sender's wake-up, called after a send or a preference change made work due.
  void set_waker(std::function<void()> waker);

 private:
  struct Due;
  int64_t require_user(store::Connection& c, const Principal& who, const Json& params);
  Preferences load_preferences(store::Connection& c, int64_t account_id, int64_t user_id);
  void attempt(const Due& d);
  void wake();
  Json delivery_json(const store::Row& r) const;
  Json message_json(store::Connection& c, const store::Row& m) const;

  store::Database& db_;
  std::map<Channel, std::unique_ptr<Provider>> providers_;
  std::vector<int64_t> retry_seconds_;
  std::mutex waker_mu_;
  std::function<void()> waker_;
};

}  // namespace paperd::services::messages
