// The message center's routes ("Account — Messaging"): send a notification, read its delivery
// status per channel (also the account's recent messages: the in-app inbox), and read or change
// the notification preferences. The work is services/messages/message_center.h.
#include "services/messages/message_center.h"
#include "api/context.h"

namespace paperd::api {

using http::Param;
using http::ParamType;
using http::Request;
using http::Response;

namespace {

const std::string kCategory = "Account — Messaging";

std::vector<std::string> category_names() {
  return services::messages::all_categories();
}

Param user_param() {
  return {.name = "user_id",
          .type = ParamType::kInteger,
          .description =
              "the recipient: a token id of this account (a user); 0 or absent = the "
              "account itself"};
}

}  // namespace

void add_message_center_routes(http::Router& router, ApiContext& ctx) {
  auto center = ctx.messages;
  router.add(
      {.method = "POST",
       .path = "/message_center/send",
       .category = kCategory,
       .title = "Send Notification",
       .summary = "Send a notification to a user across the channels of its category (In-App, "
                  "Web Push, Email, Telegram, SMS, Voice, webhook). Answers at once with each "
                  "channel's status: delivered, pending (sent in the background, retried), "
                  "deferred (quiet hours, until when), failed (with the reason), suppressed (off "
                  "in the user's preferences) or not_configured (no provider on this server).",
       .credits = 5,
       .params = {user_param(),
                  {.name = "category",
                   .required = true,
                   .description = "what the notification is about; preferences pick its channels",
                   .enum_values = category_names()},
                  {.name = "title", .required = true, .description = "subject line, not empty"},
                  {.name = "body", .description = "the text (plain, UTF-8); also 'message'"},
                  {.name = "channels",
                   .type = ParamType::kArray,
                   .description = "in_app, email, webhook, telegram, sms, voice, web_push; "
                                  "default: the user's channels for the category"},
                  {.name = "priority",
                   .description = "urgent is sent during quiet hours too",
                   .default_value = "normal",
                   .enum_values = {"low", "normal", "high", "urgent"}},
                  {.name = "data",
                   .type = ParamType::kObject,
                   .description = "extra fields for webhook and gateway receivers"},
                  {.name = "email", .description = "recipient address for this send"},
                  {.name = "phone", .description = "E.164 number for sms and voice"},
                  {.name = "telegram_chat_id", .description = "Telegram chat id or @channel"},
                  {.name = "push_subscription",
                   .description = "web push target the push gateway knows"}},
       .mcp_name = "po_message_center_send",
       .read_only = false,
       .handler = [center](Request& req) {
         return Response::json(center->send(req.principal, req.params.raw()));
       }});
  router.add(
      {.method = "POST",
       .path = "/message_center/delivery_status",
       .category = kCategory,
       .title = "Check Notification Delivery",
       .summary = "The delivery status of a notification per channel: delivered, pending, "
                  "deferred (until), failed (reason), suppressed or not_configured. Without "
                  "message_id: the latest messages of the account (channel=in_app: the inbox).",
       .params =
           {{.name = "message_id", .description = "msg_... as send answered it"},
            user_param(),
            {.name = "category", .enum_values = category_names()},
            {.name = "channel", .description = "only messages sent on this channel"},
            {.name = "limit",
             .type = ParamType::kInteger,
             .default_value = 20,
             .minimum = 1,
             .maximum = 100},
            {.name = "offset", .type = ParamType::kInteger, .default_value = 0, .minimum = 0}},
       .mcp_name = "po_message_center_delivery_status",
       .handler = [center](Request& req) {
         return Response::json(center->delivery_status(req.principal, req.params.raw()));
       }});
  std::vector<Param> pref_params = {
      user_param(),
      {.name = "channels",
       .type = ParamType::kObject,
       .description = "category: [channels], e.g. {\"documents\":[\"in_app\",\"email\"]}"},
      {.name = "quiet_hours",
       .type = ParamType::kAny,
       .description = "{start:\"22:00\", end:\"07:00\", time_zone:\"Europe/Berlin\"}; null or "
                      "{enabled:false} removes them"},
      {.name = "ai_features",
       .type = ParamType::kObject,
       .description =
           "smart_summary, priority_detection, smart_timing, auto_translate: true|false"},
      {.name = "contacts",
       .type = ParamType::kObject,
       .description = "email, phone, telegram_chat_id, push_subscription"}};
  auto preferences = [center](Request& req) {
    return Response::json(center->preferences(req.principal, req.params.raw()));
  };
  router.add({.method = "POST",
              .path = "/message_center/preferences",
              .category = kCategory,
              .title = "Update Notification Preferences",
              .summary = "Updates a user's notification settings: enabled channels per category, "
                         "quiet hours with an IANA time zone (deliveries in them are deferred "
                         "until they end), AI feature toggles and contact addresses. Fields left "
                         "out stay as they are; none given reads them.",
              .params = pref_params,
              .mcp_name = "po_message_center_preferences",
              .read_only = false,
              .handler = preferences});
  router.add({.method = "GET",
              .path = "/message_center/preferences",
              .category = kCategory,
              .title = "Get Notification Preferences",
              .summary = "A user's notification settings in force (its own, else the account's, "
                         "else the defaults) and whether quiet hours hold now.",
              .params = {user_param()},
              .handler = [center](Request& req) {
                // A read: fields that would change something are not passed on.
                Json only_user = Json::object();
                if (req.params.has("user_id")) only_user["user_id"] = req.params.raw()["user_id"];
                return Response::json(center->preferences(req.principal, only_user));
              }});
}

}  // namespace paperd::api
