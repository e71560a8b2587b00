#include "services/messages/channels.h"

#include <algorithm>
#include <cctype>

#include "core/error.h"

namespace paperd::services::messages {

using core::Error;

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  size_t e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

bool has_control_or_space(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](unsigned char c) { return c <= 0x20 || c == 0x7f; });
}

}  // namespace

const std::vector<Channel>& all_channels() {
  static const std::vector<Channel> kAll = {Channel::kInApp,    Channel::kEmail, Channel::kWebhook,
                                            Channel::kTelegram, Channel::kSms,   Channel::kVoice,
                                            Channel::kWebPush};
  return kAll;
}

std::string_view channel_name(Channel c) {
  switch (c) {
    case Channel::kInApp:
      return "in_app";
    case Channel::kEmail:
      return "email";
    case Channel::kWebhook:
      return "webhook";
    case Channel::kTelegram:
      return "telegram";
    case Channel::kSms:
      return "sms";
    case Channel::kVoice:
      return "voice";
    case Channel::kWebPush:
      return "web_push";
  }
  return "";
}

std::optional<Channel> parse_channel(std::string_view name) {
  std::string n = lower(name);
  std::replace(n.begin(), n.end(), '-', '_');
  if (n == "inapp" || n == "in_app_notification") n = "in_app";
  if (n == "push" || n == "webpush") n = "web_push";
  if (n == "mail") n = "email";
  for (Channel c : all_channels())
    if (n == channel_name(c)) return c;
  return std::nullopt;
}

std::vector<Channel> parse_channel_list(const Json& value, const std::string& field) {
  std::vector<std::string> names;
  auto split = [&](const std::string& s) {
    size_t start = 0;
    while (start <= s.size()) {
      size_t comma = s.find(',', start);
      std::string part = trim(s.substr(start, comma == std::string::npos ? comma : comma - start));
      if (!part.empty()) names.push_back(part);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  };
  if (value.is_string()) {
    split(value.get<std::string>());
  } else if (value.is_array()) {
    for (const auto& v : value) {
      if (!v.is_string())
        throw Error::invalid_request("field '" + field + "' must list channel names (strings)");
      split(v.get<std::string>());
    }
  } else {
    throw Error::invalid_request("field '" + field + "' must be an array of channel names");
  }
  std::vector<Channel> out;
  for (const auto& n : names) {
    auto c = parse_channel(n);
    if (!c) {
      std::string known;
      for (Channel k : all_channels())
        known += (known.empty() ? "" : ", ") + std::string(channel_name(k));
      throw Error::invalid_request("field '" + field + "': unknown channel '" + n +
                                   "' (known: " + known + ")");
    }
    if (std::find(out.begin(), out.end(), *c) == out.end()) out.push_back(*c);
  }
  return out;
}

const std::vector<std::string>& all_categories() {
  static const std::vector<std::string> kAll = {"general",   "system", "security",  "billing",
                                                "documents", "jobs",   "workflows", "signatures",
                                                "approvals", "tasks",  "webhooks",  "marketing"};
  return kAll;
}

bool is_category(std::string_view name) {
  const auto& all = all_categories();
  return std::find(all.begin(), all.end(), name) != all.end();
}

std::string_view address_key(Channel c) {
  switch (c) {
    case Channel::kEmail:
      return "email";
    case Channel::kTelegram:
      return "telegram_chat_id";
    case Channel::kSms:
    case Channel::kVoice:
      return "phone";
    case Channel::kWebPush:
      return "push_subscription";
    case Channel::kInApp:
    case Channel::kWebhook:
      return "";
  }
  return "";
}

std::string check_address(Channel c, const std::string& raw, const std::string& field) {
  std::string v = trim(raw);
  auto bad = [&](const std::string& why) {
    return Error::invalid_request("field '" + field + "' " + why + ", got '" + raw + "'");
  };
  switch (c) {
    case Channel::kEmail: {
      size_t at = v.find('@');
      if (v.size() > 254 || at == std::string::npos || at == 0 || at + 1 >= v.size() ||
          v.find('@', at + 1) != std::string::npos || has_control_or_space(v) ||
          v.find_first_of("<>()[],;:\"\\") != std::string::npos ||
          v.find('.', at) == std::string::npos)
        throw bad("must be an email address like name@example.com");
      return v;
    }
    case Channel::kSms:
    case Channel::kVoice: {
      std::string digits;
      for (char ch : v)
        if (ch != ' ' && ch != '-' && ch != '(' && ch != ')') digits.push_back(ch);
      bool ok = digits.size() >= 8 && digits.size() <= 16 && digits[0] == '+' &&
                std::all_of(digits.begin() + 1, digits.end(), ::isdigit);
      if (!ok) throw bad("must be a phone number in international form like +4930123456");
      return digits;
    }
    case Channel::kTelegram: {
      auto word = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; };
      size_t sign = !v.empty() && v[0] == '-' ? 1 : 0;
      bool numeric = v.size() > sign && v.size() - sign <= 16 &&
                     std::all_of(v.begin() + static_cast<long>(sign), v.end(), ::isdigit);
      bool handle = v.size() > 1 && v.size() <= 64 && v[0] == '@' &&
                    std::all_of(v.begin() + 1, v.end(), word);
      if (!numeric && !handle) throw bad("must be a Telegram chat id (digits) or @channel");
      return v;
    }
    case Channel::kWebPush:
      if (v.empty() || v.size() > 4096 || has_control_or_space(v))
        throw bad("must be the push subscription (endpoint or token) the push gateway knows");
      return v;
    case Channel::kInApp:
    case Channel::kWebhook:
      return "";
  }
  return v;
}

}  // namespace paperd::services::messages
