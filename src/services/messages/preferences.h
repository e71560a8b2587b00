// A user's notification preferences: the channels enabled per category, quiet hours, the AI
// feature toggles and the contact addresses the channels deliver to. Stored as JSON per
// (account, user); a user without a row of their own has the account's (user 0), and an account
// without one these defaults: in_app and email for every category, no quiet hours, AI off.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"
#include "services/messages/channels.h"
#include "services/messages/quiet_hours.h"

namespace paperd::services::messages {

// The AI features a user can switch; stored and returned for clients and the engines that act on
// them (smart_summary: shorten long bodies for SMS/voice; priority_detection; smart_timing;
// auto_translate).
const std::vector<std::string>& ai_feature_names();

struct Preferences {
  std::map<std::string, std::vector<Channel>> channels;  // only categories set explicitly
  std::optional<QuietHours> quiet_hours;
  std::map<std::string, bool> ai_features;
  std::map<std::string, std::string> contacts;  // email, phone, telegram_chat_id, push_subscription

  // The channels a category's notifications go to (its own list, else in_app + email).
  std::vector<Channel> channels_for(const std::string& category) const;
  bool enabled(const std::string& category, Channel c) const;
  // True when the user chose the category's channels and left this one out: a send that names
  // it anyway is suppressed. Categories left at the defaults turn nothing off.
  bool opted_out(const std::string& category, Channel c) const;

  // Applies the fields present in changes (channels, quiet_hours, ai_features, contacts); 400
  // naming the field (channels.<category>, quiet_hours.time_zone, ...) on the first bad one, with
  // nothing applied. quiet_hours null or {"enabled":false} removes them.
  void apply(const Json& changes);

  // The stored form (explicit values only) and back.
  Json stored() const;
  static Preferences from_stored(const Json& j);
  // The full view for the API: every category with its effective channels.
  Json view() const;
};

}  // namespace paperd::services::messages
