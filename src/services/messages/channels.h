// The message center's vocabulary: its channels and categories, how a recipient's address is
// checked per channel, and the small interface every outbound provider (SMTP, Telegram, the HTTP
// gateways) implements. A provider the operator has not configured says which setting is missing,
// so the channel is reported not_configured and never dropped or faked.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"
#include "core/json.h"
#include "net/ssrf.h"

namespace paperd::services::messages {

enum class Channel { kInApp, kEmail, kWebhook, kTelegram, kSms, kVoice, kWebPush };

const std::vector<Channel>& all_channels();
std::string_view channel_name(Channel c);
// Accepts the canonical names and common spellings (in-app, inapp, push, webpush), any case.
std::optional<Channel> parse_channel(std::string_view name);
// A list given as a JSON array or a comma-separated string; 400 naming `field` on an unknown one.
std::vector<Channel> parse_channel_list(const Json& value, const std::string& field);

// The categories a notification belongs to; preferences enable channels per category.
const std::vector<std::string>& all_categories();
bool is_category(std::string_view name);

// The contact key a channel's address comes from (preferences.contacts and the send field of the
// same name): email, telegram_chat_id, phone, push_subscription; empty for in_app and webhook.
std::string_view address_key(Channel c);
// The address checked and normalised for its channel; 400 naming `field` when malformed (an email
// address with spaces or line breaks could smuggle headers into the message).
std::string check_address(Channel c, const std::string& value, const std::string& field);

// What one notification is, as providers see it.
struct Notification {
  std::string message_id;  // msg_...
  int64_t account_id = 0;
  int64_t user_id = 0;
  std::string category, title, body, priority;
  Json data = Json::object();
  int64_t created_at_ms = 0;
};

// One attempt's result. Transient failures are retried on the schedule; permanent ones end it.
struct Outcome {
  enum class Kind { kDelivered, kTransient, kPermanent };
  Kind kind = Kind::kTransient;
  std::string detail;        // the failure's reason, or what the provider answered
  std::string provider_ref;  // the email's Message-ID, Telegram's message_id, a gateway's id
  static Outcome delivered(std::string detail, std::string ref = "") {
    return {Kind::kDelivered, std::move(detail), std::move(ref)};
  }
  static Outcome transient(std::string reason) { return {Kind::kTransient, std::move(reason), ""}; }
  static Outcome permanent(std::string reason) { return {Kind::kPermanent, std::move(reason), ""}; }
};

// An outbound channel. Implementations are stateless between calls and safe from any thread.
class Provider {
 public:
  virtual ~Provider() = default;
  // Empty when configured; otherwise the setting the operator has to set (PAPERD_SMTP_HOST, ...).
  virtual std::string missing_setting() const = 0;
  virtual Outcome deliver(const Notification& n, const std::string& address) = 0;
};

// The provider of each outbound channel (email, telegram, sms, voice, web_push) from the settings;
// in_app and webhook are written in the send transaction and have none. Throws
// Error::invalid_request naming a malformed setting (smtp_tls).
std::unique_ptr<Provider> make_provider(Channel c, const core::Config& config,
                                        const net::OutboundPolicy& outbound);

}  // namespace paperd::services::messages
