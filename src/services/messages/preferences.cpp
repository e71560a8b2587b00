#include "services/messages/preferences.h"

#include <algorithm>

#include "core/error.h"
#include "core/json_guard.h"

namespace paperd::services::messages {

using core::Error;

namespace {

Json channel_names(const std::vector<Channel>& list) {
  Json out = Json::array();
  for (Channel c : list) out.push_back(channel_name(c));
  return out;
}

std::vector<std::string> contact_keys() {
  std::vector<std::string> keys;
  for (Channel c : all_channels()) {
    std::string k(address_key(c));
    if (!k.empty() && std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  }
  return keys;
}

// The channel whose address a contact key holds (phone: sms, checked the same as voice).
Channel channel_of_contact(const std::string& key) {
  for (Channel c : all_channels())
    if (address_key(c) == key) return c;
  return Channel::kInApp;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

const std::vector<std::string>& ai_feature_names() {
  static const std::vector<std::string> kNames = {"smart_summary", "priority_detection",
                                                  "smart_timing", "auto_translate"};
  return kNames;
}

std::vector<Channel> Preferences::channels_for(const std::string& category) const {
  auto it = channels.find(category);
  if (it != channels.end()) return it->second;
  return {Channel::kInApp, Channel::kEmail};
}

bool Preferences::enabled(const std::string& category, Channel c) const {
  auto list = channels_for(category);
  return std::find(list.begin(), list.end(), c) != list.end();
}

bool Preferences::opted_out(const std::string& category, Channel c) const {
  auto it = channels.find(category);
  return it != channels.end() &&
         std::find(it->second.begin(), it->second.end(), c) == it->second.end();
}

void Preferences::apply(const Json& changes) {
  Preferences next = *this;  // nothing applies unless everything is valid
  if (changes.contains("channels") && !changes["channels"].is_null()) {
    const Json& ch = changes["channels"];
    if (!ch.is_object())
      throw Error::invalid_request(
          "field 'channels' must be an object of category: [channels], e.g. "
          "{\"documents\":[\"in_app\",\"email\"]}");
    for (auto& [category, list] : ch.items()) {
      if (!is_category(category))
        throw Error::invalid_request("field 'channels." + category +
                                     "': unknown category (known: " + join(all_categories()) + ")");
      next.channels[category] = parse_channel_list(list, "channels." + category);
    }
  }
  if (changes.contains("quiet_hours")) {
    Json q = changes["quiet_hours"];
    // A form field carries the object as JSON text.
    if (q.is_string()) {
      Json parsed = core::parse_untrusted_json(q.get<std::string>(), {}, "quiet_hours");
      if (parsed.is_object() || parsed.is_null()) q = parsed;
    }
    if (q.is_null() || (q.is_object() && q.contains("enabled") && q["enabled"] == false))
      next.quiet_hours.reset();
    else
      next.quiet_hours = QuietHours::parse(q);
  }
  if (changes.contains("ai_features") && !changes["ai_features"].is_null()) {
    const Json& ai = changes["ai_features"];
    if (!ai.is_object())
      throw Error::invalid_request("field 'ai_features' must be an object of feature: true|false");
    const auto& names = ai_feature_names();
    for (auto& [name, value] : ai.items()) {
      if (std::find(names.begin(), names.end(), name) == names.end())
        throw Error::invalid_request("field 'ai_features." + name +
                                     "': unknown feature (known: " + join(names) + ")");
      if (!value.is_boolean())
        throw Error::invalid_request("field 'ai_features." + name + "' must be true or false");
      next.ai_features[name] = value.get<bool>();
    }
  }
  if (changes.contains("contacts") && !changes["contacts"].is_null()) {
    const Json& contacts_in = changes["contacts"];
    if (!contacts_in.is_object())
      throw Error::invalid_request("field 'contacts' must be an object (" + join(contact_keys()) +
                                   ")");
    const auto keys = contact_keys();
    for (auto& [key, value] : contacts_in.items()) {
      if (std::find(keys.begin(), keys.end(), key) == keys.end())
        throw Error::invalid_request("field 'contacts." + key +
                                     "': unknown contact (known: " + join(keys) + ")");
      if (value.is_null() || (value.is_string() && value.get<std::string>().empty())) {
        next.contacts.erase(key);
        continue;
      }
      std::string s = value.is_string() ? value.get<std::string>() : value.dump();
      next.contacts[key] = check_address(channel_of_contact(key), s, "contacts." + key);
    }
  }
  *this = std::move(next);
}

Json Preferences::stored() const {
  Json ch = Json::object();
  for (auto& [category, list] : channels) ch[category] = channel_names(list);
  Json out = {{"channels", ch},
              {"ai_features", ai_features},
              {"contacts", contacts},
              {"quiet_hours", quiet_hours ? quiet_hours->to_json() : Json(nullptr)}};
  return out;
}

Preferences Preferences::from_stored(const Json& j) {
  Preferences p;
  if (!j.is_object()) return p;
  // Each object is held in a local: items() of a temporary would dangle in the loop.
  const Json channels_in = j.value("channels", Json::object());
  for (auto& [category, list] : channels_in.items())
    if (is_category(category)) p.channels[category] = parse_channel_list(list, category);
  if (j.contains("quiet_hours") && j["quiet_hours"].is_object()) {
    try {
      p.quiet_hours = QuietHours::parse(j["quiet_hours"]);
    } catch (const std::exception&) {
      // A zone the system no longer knows: no quiet hours rather than no preferences.
    }
  }
  const Json ai = j.value("ai_features", Json::object());
  for (auto& [k, v] : ai.items())
    if (v.is_boolean()) p.ai_features[k] = v.get<bool>();
  const Json contacts_in = j.value("contacts", Json::object());
  for (auto& [k, v] : contacts_in.items())
    if (v.is_string()) p.contacts[k] = v.get<std::string>();
  return p;
}

Json Preferences::view() const {
  Json ch = Json::object();
  for (const auto& category : all_categories())
    ch[category] = channel_names(channels_for(category));
  Json ai = Json::object();
  for (const auto& name : ai_feature_names()) {
    auto it = ai_features.find(name);
    ai[name] = it != ai_features.end() && it->second;
  }
  return {{"channels", ch},
          {"quiet_hours", quiet_hours ? quiet_hours->to_json() : Json({{"enabled", false}})},
          {"ai_features", ai},
          {"contacts", contacts}};
}

}  // namespace paperd::services::messages
