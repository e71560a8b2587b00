#include "services/messages/http_providers.h"

#include <regex>

#include "core/error.h"
#include "net/fetch.h"
#include "services/messages/smtp.h"

namespace paperd::services::messages {

namespace {

// One POST of a JSON body; its outcome classified by the HTTP status net/fetch reports.
Outcome post_json(const std::string& url, const Json& body, const std::string& token,
                  const std::string& setting, const net::OutboundPolicy& outbound,
                  std::string& answer) {
  net::FetchOptions opts;
  opts.method = "POST";
  opts.body = body.dump();
  opts.headers = {"Content-Type: application/json", "Accept: application/json"};
  if (!token.empty()) opts.headers.push_back("Authorization: Bearer " + token);
  opts.max_bytes = 64 << 10;
  opts.timeout_seconds = 30;
  opts.max_redirects = 0;
  opts.param = setting;
  try {
    net::fetch_to_string(url, answer, outbound, opts);
    return Outcome::delivered("");
  } catch (const core::Error& e) {
    std::string reason = e.what();
    static const std::regex kStatus("answered HTTP ([0-9]{3})");
    std::smatch m;
    if (std::regex_search(reason, m, kStatus)) {
      int status = std::stoi(m[1]);
      if (status >= 400 && status < 500 && status != 408 && status != 429)
        return Outcome::permanent(reason);
    }
    return Outcome::transient(reason);
  }
}

std::string ref_of(const std::string& answer, const Json::json_pointer& where) {
  Json j = Json::parse(answer, nullptr, false);
  if (j.is_discarded() || !j.contains(where)) return "";
  const Json& v = j.at(where);
  return v.is_string() ? v.get<std::string>() : v.is_number() ? v.dump() : "";
}

}  // namespace

TelegramProvider::TelegramProvider(std::string api_url, std::string token,
                                   const net::OutboundPolicy& outbound)
    : api_url_(std::move(api_url)), token_(std::move(token)), outbound_(outbound) {
  while (!api_url_.empty() && api_url_.back() == '/') api_url_.pop_back();
}

std::string TelegramProvider::missing_setting() const {
  return token_.empty() ? "PAPERD_TELEGRAM_BOT_TOKEN" : "";
}

Outcome TelegramProvider::deliver(const Notification& n, const std::string& chat_id) {
  std::string text = n.title + (n.body.empty() ? "" : "\n\n" + n.body);
  if (text.size() > 4096) text = text.substr(0, 4093) + "...";  // the Bot API's limit
  Json chat = chat_id;
  if (chat_id[0] != '@') chat = std::stoll(chat_id);
  Json body = {{"chat_id", chat}, {"text", text}, {"disable_web_page_preview", true}};
  std::string answer;
  Outcome o = post_json(api_url_ + "/bot" + token_ + "/sendMessage", body, "", "telegram_api_url",
                        outbound_, answer);
  if (o.kind != Outcome::Kind::kDelivered) {
    // The token is part of the URL: never let it into a stored reason.
    for (size_t at; (at = o.detail.find(token_)) != std::string::npos;)
      o.detail.replace(at, token_.size(), "<token>");
    return o;
  }
  Json j = Json::parse(answer, nullptr, false);
  if (j.is_discarded() || j.value("ok", false) != true)
    return Outcome::transient("Telegram answered without ok: " + answer.substr(0, 200));
  return Outcome::delivered("accepted by the Telegram Bot API",
                            ref_of(answer, Json::json_pointer("/result/message_id")));
}

GatewayProvider::GatewayProvider(Channel channel, std::string url, std::string token,
                                 std::string setting, const net::OutboundPolicy& outbound)
    : channel_(channel),
      url_(std::move(url)),
      token_(std::move(token)),
      setting_(std::move(setting)),
      outbound_(outbound) {}

std::string GatewayProvider::missing_setting() const {
  if (!url_.empty()) return "";
  std::string env = "PAPERD_" + setting_;
  for (char& c : env) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return env;
}

Outcome GatewayProvider::deliver(const Notification& n, const std::string& to) {
  Json body = {{"channel", channel_name(channel_)},
               {"to", to},
               {"title", n.title},
               {"body", n.body},
               {"text", n.title + (n.body.empty() ? "" : "\n\n" + n.body)},
               {"category", n.category},
               {"priority", n.priority},
               {"message_id", n.message_id},
               {"user_id", n.user_id},
               {"data", n.data}};
  std::string answer;
  Outcome o = post_json(url_, body, token_, setting_, outbound_, answer);
  if (o.kind != Outcome::Kind::kDelivered) return o;
  std::string ref = ref_of(answer, Json::json_pointer("/id"));
  if (ref.empty()) ref = ref_of(answer, Json::json_pointer("/message_id"));
  return Outcome::delivered("accepted by the " + std::string(channel_name(channel_)) + " gateway",
                            ref);
}

std::unique_ptr<Provider> make_provider(Channel c, const core::Config& config,
                                        const net::OutboundPolicy& outbound) {
  switch (c) {
    case Channel::kEmail:
      return std::make_unique<SmtpProvider>(config);
    case Channel::kTelegram:
      return std::make_unique<TelegramProvider>(config.telegram_api_url, config.telegram_bot_token,
                                                outbound);
    case Channel::kSms:
      return std::make_unique<GatewayProvider>(c, config.sms_gateway_url, config.sms_gateway_token,
                                               "sms_gateway_url", outbound);
    case Channel::kVoice:
      return std::make_unique<GatewayProvider>(
          c, config.voice_gateway_url, config.voice_gateway_token, "voice_gateway_url", outbound);
    case Channel::kWebPush:
      return std::make_unique<GatewayProvider>(
          c, config.push_gateway_url, config.push_gateway_token, "push_gateway_url", outbound);
    case Channel::kInApp:
    case Channel::kWebhook:
      return nullptr;
  }
  return nullptr;
}

}  // namespace paperd::services::messages
