// The channels that are one HTTPS POST to a provider the operator configures: Telegram's Bot API
// (sendMessage) and a generic JSON gateway for SMS, voice calls and web push (the operator's own
// relay to Twilio, a modem, a push service, ...). Requests go through net/fetch, so the outbound
// guard applies: a gateway on a private address must be in outbound_allow. 5xx, 408, 429 and
// connection errors are transient; other 4xx answers permanent.
#pragma once

#include <string>

#include "net/ssrf.h"
#include "services/messages/channels.h"

namespace paperd::services::messages {

class TelegramProvider : public Provider {
 public:
  TelegramProvider(std::string api_url, std::string token, const net::OutboundPolicy& outbound);
  std::string missing_setting() const override;
  Outcome deliver(const Notification& n, const std::string& chat_id) override;

 private:
  std::string api_url_, token_;
  const net::OutboundPolicy& outbound_;
};

// POSTs {channel, to, title, body, text, category, priority, message_id, user_id, data} as JSON
// with "Authorization: Bearer <token>" when a token is set; any 2xx is delivered, and an "id" or
// "message_id" in a JSON answer is kept as the provider's reference.
class GatewayProvider : public Provider {
 public:
  GatewayProvider(Channel channel, std::string url, std::string token, std::string setting,
                  const net::OutboundPolicy& outbound);
  std::string missing_setting() const override;
  Outcome deliver(const Notification& n, const std::string& to) override;

 private:
  Channel channel_;
  std::string url_, token_, setting_;
  const net::OutboundPolicy& outbound_;
};

}  // namespace paperd::services::messages
