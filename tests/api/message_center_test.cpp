// API tests of the message center against a real `paperd serve`: an SMTP sink on loopback
// receives the email (envelope, Date, Message-ID, From, To, RFC 2047 Subject, MIME headers and
// the quoted-printable body); quiet hours in a time zone defer email until they end and moving
// them away sends it; transient SMTP failures are retried and permanent ones fail with the
// relay's reason; Telegram and an SMS gateway (fakes on loopback) get real requests; channels
// without a provider are not_configured; validation names the field; another account's ids are
// 404; a pending delivery survives kill -9 of the server.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <regex>
#include <thread>

#include "json_api.h"
#include "server.h"
#include "services/messages/mime.h"
#include "smtp_sink.h"

using namespace paperd::testing;
using paperd::Json;

namespace {

// Telegram's Bot API and an SMS gateway, as far as paperd calls them.
class FakeProviders {
 public:
  struct Call {
    std::string path, authorization;
    Json body;
  };
  FakeProviders() {
    auto record = [this](const httplib::Request& req, httplib::Response& res, Json answer) {
      std::lock_guard lock(mu_);
      calls_.push_back(
          {req.path, req.get_header_value("Authorization"), Json::parse(req.body, nullptr, false)});
      res.set_content(answer.dump(), "application/json");
    };
    server_.Post(R"(/bot[^/]+/sendMessage)", [record](const auto& req, auto& res) {
      record(req, res, {{"ok", true}, {"result", {{"message_id", 42}}}});
    });
    server_.Post("/sms", [record](const auto& req, auto& res) {
      record(req, res, {{"id", "gw-1"}, {"queued", true}});
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~FakeProviders() {
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }
  std::optional<Call> call_to(const std::string& path_part) {
    std::lock_guard lock(mu_);
    for (const auto& c : calls_)
      if (c.path.find(path_part) != std::string::npos) return c;
    return std::nullopt;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<Call> calls_;
};

const char* kFrom = "Paperd Notices <noreply@paperd.test>";

// The sink and the fakes first, then the server configured to use them.
struct World {
  SmtpSink smtp;
  FakeProviders providers;
  PaperdServer server;
  World()
      : server(
            {{"PAPERD_SMTP_HOST", "127.0.0.1"},
             {"PAPERD_SMTP_PORT", std::to_string(smtp.port())},
             {"PAPERD_SMTP_TLS", "none"},
             {"PAPERD_SMTP_FROM", kFrom},
             {"PAPERD_MESSAGE_RETRY_SECONDS", "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1"},
             {"PAPERD_TELEGRAM_BOT_TOKEN", "123:abc"},
             {"PAPERD_TELEGRAM_API_URL", "http://127.0.0.1:" + std::to_string(providers.port())},
             {"PAPERD_SMS_GATEWAY_URL",
              "http://127.0.0.1:" + std::to_string(providers.port()) + "/sms"},
             {"PAPERD_SMS_GATEWAY_TOKEN", "sekrit"},
             {"PAPERD_OUTBOUND_ALLOW", "127.0.0.1"}},
            1) {}
};

World& world() {
  static World w;
  return w;
}

using Api = JsonApi;

Json channel_of(const Json& message, const std::string& channel) {
  for (const auto& c : message["channels"])
    if (c["channel"] == channel) return c;
  return Json::object();
}

// Polls delivery_status until the channel reaches one of `want` (generous deadline).
Json wait_status(Api& api, const std::string& message_id, const std::string& channel,
                 std::vector<std::string> want, int timeout_s = 45) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  Json c;
  while (std::chrono::steady_clock::now() < deadline) {
    c = channel_of(
        api.post("/message_center/delivery_status", {{"message_id", message_id}})["message"],
        channel);
    for (const auto& w : want)
      if (c.value("status", "") == w) return c;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return c;
}

std::optional<SmtpSink::Mail> wait_mail(const std::string& rcpt, int timeout_s = 45) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  while (std::chrono::steady_clock::now() < deadline) {
    if (auto m = world().smtp.mail_to(rcpt)) return m;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return std::nullopt;
}

// Headers of a message, unfolded; names as written.
std::map<std::string, std::string> headers_of(const std::string& data, std::string* body) {
  auto end = data.find("\r\n\r\n");
  std::string head = data.substr(0, end);
  if (body) *body = end == std::string::npos ? "" : data.substr(end + 4);
  std::map<std::string, std::string> out;
  std::string last;
  size_t pos = 0;
  while (pos < head.size()) {
    size_t eol = head.find("\r\n", pos);
    std::string line = head.substr(pos, eol == std::string::npos ? std::string::npos : eol - pos);
    pos = eol == std::string::npos ? head.size() : eol + 2;
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
      out[last] += line;  // folded: the CRLF goes, the blank stays
      continue;
    }
    auto colon = line.find(':');
    last = line.substr(0, colon);
    out[last] = line.substr(colon + 2);
  }
  return out;
}

// RFC 2047 "B" words of UTF-8, decoded and joined (the blanks between words are dropped).
std::string decode_words(const std::string& value) {
  static const std::regex kWord(R"(=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=)");
  std::string out;
  for (auto it = std::sregex_iterator(value.begin(), value.end(), kWord);
       it != std::sregex_iterator(); ++it) {
    std::string b64 = (*it)[1];
    std::string raw(b64.size(), '\0');
    int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(raw.data()),
                            reinterpret_cast<const unsigned char*>(b64.data()),
                            static_cast<int>(b64.size()));
    raw.resize(static_cast<size_t>(n) - std::count(b64.begin(), b64.end(), '='));
    out += raw;
  }
  return out;
}

// Asia/Kolkata is UTC+05:30 all year, so its local minute is the UTC minute + 330 and a window
// end `ahead` minutes after now's minute is that UTC instant, as delivery_status writes it.
std::string hhmm(int minute) {
  minute = ((minute % 1440) + 1440) % 1440;
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minute / 60, minute % 60);
  return buf;
}
std::string iso_in_minutes(int64_t minute_of_now, int ahead) {
  time_t t = static_cast<time_t>((minute_of_now + ahead) * 60);
  struct tm tm {};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
  return buf;
}

}  // namespace

TEST(MessageCenter, EmailReachesTheSmtpSinkAsAProperMimeMessage) {
  Api api(world().server, world().server.create_token("ut", "mc-mail", "enterprise"));
  const std::string title = "Grüße: Rechnung Nr. 42 ist bereit — bitte prüfen und freigeben, danke";
  const std::string body =
      "Hallo Anna,\nIhre Rechnung über 12,50 € ist bereit.\n.a line that starts with a dot\n"
      "a=b and a line long enough to be wrapped by quoted-printable soft line breaks because it "
      "goes on and on past seventy-six characters\nEnde ";
  Json sent = api.post("/message_center/send", {{"category", "documents"},
                                                {"title", title},
                                                {"body", body},
                                                {"channels", {"email", "in_app"}},
                                                {"email", "anna@example.com"}});
  ASSERT_EQ(sent["status"], "success");
  std::string id = sent["message_id"];
  EXPECT_EQ(channel_of(sent, "in_app")["status"], "delivered");
  std::string first = channel_of(sent, "email")["status"];
  EXPECT_TRUE(first == "pending" || first == "sending" || first == "delivered") << sent.dump();

  Json email = wait_status(api, id, "email", {"delivered", "failed"});
  ASSERT_EQ(email["status"], "delivered") << email.dump() << world().server.log();
  EXPECT_EQ(email["attempts"], 1);
  auto mail = wait_mail("anna@example.com");
  ASSERT_TRUE(mail);
  EXPECT_EQ(mail->from, "noreply@paperd.test");
  EXPECT_EQ(mail->rcpt, std::vector<std::string>{"anna@example.com"});

  std::string raw_body;
  auto h = headers_of(mail->data, &raw_body);
  EXPECT_EQ(h["From"], kFrom);
  EXPECT_EQ(h["To"], "<anna@example.com>");
  EXPECT_EQ(h["Message-ID"], "<" + id + "@paperd.test>");
  EXPECT_EQ(email["provider_ref"], id + "@paperd.test");
  EXPECT_TRUE(std::regex_match(
      h["Date"],
      std::regex(
          R"((Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d \+0000)")))
      << h["Date"];
  EXPECT_EQ(h["MIME-Version"], "1.0");
  EXPECT_EQ(h["Content-Type"], "text/plain; charset=utf-8");
  EXPECT_EQ(h["Content-Transfer-Encoding"], "quoted-printable");
  EXPECT_EQ(h["X-PaperOffice-Category"], "documents");
  // The subject is non-ASCII: encoded-words, each within 75 characters, decoding to the title.
  EXPECT_EQ(h["Subject"].rfind("=?UTF-8?B?", 0), 0u) << h["Subject"];
  EXPECT_EQ(decode_words(h["Subject"]), title);
  // No line passes 76 characters (RFC 2047 for encoded-words, RFC 2045 for quoted-printable).
  size_t pos = 0;
  while (pos < mail->data.size()) {
    size_t eol = mail->data.find("\r\n", pos);
    EXPECT_LE(eol - pos, 76u) << mail->data.substr(pos, eol - pos);
    pos = eol + 2;
  }
  EXPECT_NE(raw_body.find("=E2=82=AC"), std::string::npos) << raw_body;  // €
  EXPECT_NE(raw_body.find("a=3Db"), std::string::npos) << raw_body;
  EXPECT_NE(raw_body.find("Ende=20\r\n"), std::string::npos) << raw_body;  // a trailing blank
  std::string expected = std::regex_replace(body, std::regex("\n"), "\r\n") + "\r\n";
  EXPECT_EQ(paperd::services::messages::decode_quoted_printable(raw_body), expected);

  // The in-app copy is in the inbox.
  Json inbox = api.post("/message_center/delivery_status", {{"channel", "in_app"}});
  ASSERT_EQ(inbox["total"], 1);
  EXPECT_EQ(inbox["messages"][0]["message_id"], id);
  EXPECT_EQ(inbox["messages"][0]["title"], title);
  EXPECT_EQ(inbox["messages"][0]["body"], body);
}

TEST(MessageCenter, QuietHoursDeferEmailUntilTheyEndAndMovingThemAwaySendsIt) {
  Api api(world().server, world().server.create_token("ut", "mc-quiet", "enterprise"));
  int64_t minute_now = std::time(nullptr) / 60;
  int local = static_cast<int>((minute_now + 330) % 1440);
  Json prefs = api.post(
      "/message_center/preferences",
      {{"quiet_hours",
        {{"start", hhmm(local - 60)}, {"end", hhmm(local + 120)}, {"time_zone", "Asia/Kolkata"}}},
       {"contacts", {{"email", "quiet@example.com"}}}});
  std::string end = iso_in_minutes(minute_now, 120);
  EXPECT_EQ(prefs["quiet_now"]["active"], true) << prefs.dump();
  EXPECT_EQ(prefs["quiet_now"]["until"], end);
  EXPECT_EQ(prefs["preferences"]["quiet_hours"]["time_zone"], "Asia/Kolkata");

  // Default channels of a category: in_app (now) and email (deferred until the window ends).
  Json sent =
      api.post("/message_center/send",
               {{"category", "billing"}, {"title", "Your invoice"}, {"body", "quiet please"}});
  std::string id = sent["message_id"];
  EXPECT_EQ(channel_of(sent, "in_app")["status"], "delivered");
  Json email = channel_of(sent, "email");
  EXPECT_EQ(email["status"], "deferred") << sent.dump();
  EXPECT_EQ(email["deferred_until"], end);
  EXPECT_EQ(email["reason"], "quiet hours");
  // The background sender looks at it again and leaves it deferred.
  for (int i = 0; i < 20; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    Json now = wait_status(api, id, "email", {"deferred", "delivered", "failed"});
    ASSERT_EQ(now["status"], "deferred") << now.dump();
  }
  EXPECT_FALSE(world().smtp.mail_to("quiet@example.com"));

  // Urgent notifications are not held back.
  Json urgent = api.post("/message_center/send", {{"category", "security"},
                                                  {"title", "New sign-in"},
                                                  {"priority", "urgent"},
                                                  {"channels", {"email"}},
                                                  {"email", "urgent@example.com"}});
  EXPECT_EQ(wait_status(api, urgent["message_id"], "email", {"delivered", "failed"})["status"],
            "delivered");

  // Quiet hours moved to later today: the deferred email goes out now.
  Json moved = api.post(
      "/message_center/preferences",
      {{"quiet_hours",
        {{"start", hhmm(local + 180)}, {"end", hhmm(local + 240)}, {"timezone", "Asia/Kolkata"}}}});
  EXPECT_EQ(moved["quiet_now"]["active"], false) << moved.dump();
  Json done = wait_status(api, id, "email", {"delivered", "failed"});
  EXPECT_EQ(done["status"], "delivered") << done.dump();
  auto mail = wait_mail("quiet@example.com");
  ASSERT_TRUE(mail);
  EXPECT_NE(mail->data.find("quiet please"), std::string::npos);
}

TEST(MessageCenter, TransientSmtpFailuresAreRetriedAndPermanentOnesFailWithTheReason) {
  Api api(world().server, world().server.create_token("ut", "mc-retry", "enterprise"));
  Json flaky = api.post("/message_center/send", {{"category", "jobs"},
                                                 {"title", "Job done"},
                                                 {"channels", {"email"}},
                                                 {"email", "flaky@example.com"}});
  Json reject = api.post("/message_center/send", {{"category", "jobs"},
                                                  {"title", "Job done"},
                                                  {"channels", "email"},
                                                  {"email", "reject@example.com"}});
  Json ok = wait_status(api, flaky["message_id"], "email", {"delivered", "failed"});
  EXPECT_EQ(ok["status"], "delivered") << ok.dump();
  EXPECT_EQ(ok["attempts"], 3);  // 451 twice, then accepted
  EXPECT_TRUE(wait_mail("flaky@example.com"));

  Json bad = wait_status(api, reject["message_id"], "email", {"delivered", "failed"});
  EXPECT_EQ(bad["status"], "failed") << bad.dump();
  EXPECT_EQ(bad["attempts"], 1);  // 550 is final: no retries
  EXPECT_NE(bad.value("reason", "").find("550"), std::string::npos) << bad.dump();
}

TEST(MessageCenter, TelegramAndTheSmsGatewayGetRealRequests) {
  Api api(world().server, world().server.create_token("ut", "mc-http", "enterprise"));
  Json sent =
      api.post("/message_center/send", {{"category", "signatures"},
                                        {"title", "Signed"},
                                        {"body", "Contract 7 is signed."},
                                        {"channels", {"telegram", "sms", "voice", "web_push"}},
                                        {"telegram_chat_id", "-100123"},
                                        {"phone", "+49 30 1234567"}});
  std::string id = sent["message_id"];
  // Voice and web push have no provider on this server.
  for (const char* ch : {"voice", "web_push"}) {
    Json c = channel_of(sent, ch);
    EXPECT_EQ(c["status"], "not_configured") << ch;
    EXPECT_NE(c.value("reason", "").find("PAPERD_"), std::string::npos) << c.dump();
  }
  Json tg = wait_status(api, id, "telegram", {"delivered", "failed"});
  EXPECT_EQ(tg["status"], "delivered") << tg.dump();
  EXPECT_EQ(tg["provider_ref"], "42");
  Json sms = wait_status(api, id, "sms", {"delivered", "failed"});
  EXPECT_EQ(sms["status"], "delivered") << sms.dump();
  EXPECT_EQ(sms["provider_ref"], "gw-1");

  auto tcall = world().providers.call_to("/bot123:abc/sendMessage");
  ASSERT_TRUE(tcall);
  EXPECT_EQ(tcall->body["chat_id"], -100123);
  EXPECT_EQ(tcall->body["text"], "Signed\n\nContract 7 is signed.");
  auto scall = world().providers.call_to("/sms");
  ASSERT_TRUE(scall);
  EXPECT_EQ(scall->authorization, "Bearer sekrit");
  EXPECT_EQ(scall->body["to"], "+49301234567");
  EXPECT_EQ(scall->body["channel"], "sms");
  EXPECT_EQ(scall->body["message_id"], id);
  EXPECT_EQ(scall->body["text"], "Signed\n\nContract 7 is signed.");
}

TEST(MessageCenter, ChannelsWithoutAProviderAreNotConfiguredNeverDropped) {
  PaperdServer bare({}, 1);
  Api api(bare, bare.system_key());
  Json sent = api.post(
      "/message_center/send",
      {{"category", "general"},
       {"title", "Hello"},
       {"channels", {"in_app", "email", "webhook", "telegram", "sms", "voice", "web-push"}},
       {"email", "x@example.com"},
       {"phone", "+4930123456"},
       {"telegram_chat_id", "5"},
       {"push_subscription", "sub-1"}});
  ASSERT_EQ(sent["channels"].size(), 7u) << sent.dump();
  EXPECT_EQ(channel_of(sent, "in_app")["status"], "delivered");
  Json hook = channel_of(sent, "webhook");
  EXPECT_EQ(hook["status"], "delivered");
  EXPECT_EQ(hook["provider_ref"].get<std::string>().rfind("evt_", 0), 0u) << hook.dump();
  std::map<std::string, std::string> setting = {{"email", "PAPERD_SMTP_HOST"},
                                                {"telegram", "PAPERD_TELEGRAM_BOT_TOKEN"},
                                                {"sms", "PAPERD_SMS_GATEWAY_URL"},
                                                {"voice", "PAPERD_VOICE_GATEWAY_URL"},
                                                {"web_push", "PAPERD_PUSH_GATEWAY_URL"}};
  for (auto& [ch, env] : setting) {
    Json c = channel_of(sent, ch);
    EXPECT_EQ(c["status"], "not_configured") << ch << " " << sent.dump();
    EXPECT_NE(c.value("reason", "").find(env), std::string::npos) << c.dump();
  }
  EXPECT_EQ(sent["summary"]["not_configured"], 5);
  // The stored status says the same, and stays so.
  Json status = api.post("/message_center/delivery_status", {{"message_id", sent["message_id"]}});
  EXPECT_EQ(status["message"]["summary"]["not_configured"], 5) << status.dump();
}

TEST(MessageCenter, BadInputAnswers400NamingTheFieldAndStoresNothing) {
  Api api(world().server, world().server.create_token("ut", "mc-bad", "enterprise"));
  auto expect_400 = [&](const std::string& path, const Json& body, const std::string& field) {
    Json r = api.post(path, body, 400);
    EXPECT_EQ(r["code"], "INVALID_REQUEST") << r.dump();
    EXPECT_NE(r.value("message", "").find(field), std::string::npos)
        << "wanted '" << field << "' in: " << r.dump();
  };
  Json ok = {{"category", "general"}, {"title", "t"}};
  auto with = [&](Json patch) {
    Json b = ok;
    b.update(patch);
    return b;
  };
  expect_400("/message_center/send", with({{"channels", {"email", "pigeon"}}}), "channels");
  expect_400("/message_center/send", with({{"category", "gossip"}}), "category");
  expect_400("/message_center/send", with({{"title", "   "}}), "title");
  expect_400("/message_center/send", {{"category", "general"}}, "title");
  expect_400("/message_center/send", with({{"email", "a b@example.com"}, {"channels", {"email"}}}),
             "email");
  expect_400("/message_center/send", with({{"phone", "12345"}}), "phone");
  expect_400("/message_center/send", with({{"priority", "asap"}}), "priority");
  expect_400("/message_center/preferences",
             {{"quiet_hours", {{"start", "25:00"}, {"end", "07:00"}, {"time_zone", "UTC"}}}},
             "quiet_hours.start");
  expect_400("/message_center/preferences",
             {{"quiet_hours", {{"start", "22:00"}, {"end", "7"}, {"time_zone", "UTC"}}}},
             "quiet_hours.end");
  expect_400(
      "/message_center/preferences",
      {{"quiet_hours", {{"start", "22:00"}, {"end", "07:00"}, {"time_zone", "Mars/Olympus"}}}},
      "quiet_hours.time_zone");
  expect_400("/message_center/preferences", {{"quiet_hours", "22-07"}}, "quiet_hours");
  expect_400("/message_center/preferences", {{"channels", {{"gossip", {"email"}}}}},
             "channels.gossip");
  expect_400("/message_center/preferences", {{"channels", {{"documents", {"fax"}}}}},
             "channels.documents");
  expect_400("/message_center/preferences", {{"ai_features", {{"mind_reading", true}}}},
             "ai_features.mind_reading");
  expect_400("/message_center/preferences", {{"contacts", {{"email", "nope"}}}}, "contacts.email");
  // A rejected change changes nothing, even its valid parts.
  expect_400("/message_center/preferences",
             {{"channels", {{"documents", {"sms"}}}}, {"ai_features", {{"x", true}}}},
             "ai_features.x");
  Json prefs = api.get("/message_center/preferences");
  EXPECT_EQ(prefs["preferences"]["channels"]["documents"], Json({"in_app", "email"}));
  EXPECT_EQ(prefs["preferences"]["quiet_hours"]["enabled"], false);
  EXPECT_EQ(prefs["inherited"], true);
  EXPECT_EQ(api.post("/message_center/delivery_status", Json::object())["total"], 0);

  // A valid change sticks, and a GET with change fields changes nothing.
  Json set =
      api.post("/message_center/preferences", {{"channels", {{"documents", "in_app, telegram"}}},
                                               {"ai_features", {{"smart_summary", true}}}});
  EXPECT_EQ(set["preferences"]["channels"]["documents"], Json({"in_app", "telegram"}));
  EXPECT_EQ(set["preferences"]["ai_features"]["smart_summary"], true);
  EXPECT_EQ(set["preferences"]["ai_features"]["auto_translate"], false);
  api.get("/message_center/preferences?channels=%7B%22documents%22%3A%5B%22sms%22%5D%7D");
  EXPECT_EQ(api.get("/message_center/preferences")["preferences"]["channels"]["documents"],
            Json({"in_app", "telegram"}));
  // Quiet hours as JSON text (a form field) work the same; null removes them.
  Json text =
      api.post("/message_center/preferences",
               {{"quiet_hours", R"({"start":"22:00","end":"07:00","time_zone":"Europe/Berlin"})"}});
  EXPECT_EQ(text["preferences"]["quiet_hours"]["time_zone"], "Europe/Berlin") << text.dump();
  Json cleared = api.post("/message_center/preferences", {{"quiet_hours", nullptr}});
  EXPECT_EQ(cleared["preferences"]["quiet_hours"]["enabled"], false) << cleared.dump();
  // A channel the category has turned off is reported, not sent.
  Json sent = api.post("/message_center/send", {{"category", "documents"},
                                                {"title", "t"},
                                                {"channels", {"email", "in_app"}},
                                                {"email", "off@example.com"}});
  EXPECT_EQ(channel_of(sent, "email")["status"], "suppressed") << sent.dump();
  EXPECT_EQ(channel_of(sent, "in_app")["status"], "delivered");
  // No address for a channel: failed with the reason, at once.
  Json none = api.post("/message_center/send",
                       {{"category", "general"}, {"title", "t"}, {"channels", {"email"}}});
  EXPECT_EQ(channel_of(none, "email")["status"], "failed");
  EXPECT_NE(channel_of(none, "email").value("reason", "").find("contacts.email"),
            std::string::npos);
}

TEST(MessageCenter, AnotherAccountsMessagesAndUsersAre404) {
  int64_t user_a = 0;
  Api a(world().server, world().server.create_token("ut", "mc-a", "enterprise", -1, 0, &user_a));
  Api b(world().server, world().server.create_token("ut", "mc-b", "enterprise"));
  Json sent = a.post("/message_center/send", {{"category", "tasks"},
                                              {"title", "For A's user"},
                                              {"user_id", user_a},
                                              {"channels", {"in_app"}}});
  std::string id = sent["message_id"];
  EXPECT_EQ(sent["user_id"], user_a);
  EXPECT_EQ(a.post("/message_center/delivery_status", {{"message_id", id}})["message"]["title"],
            "For A's user");
  EXPECT_EQ(a.post("/message_center/delivery_status", {{"user_id", user_a}})["total"], 1);

  EXPECT_EQ(b.post("/message_center/delivery_status", {{"message_id", id}}, 404)["code"],
            "NOT_FOUND");
  b.post("/message_center/delivery_status", {{"message_id", "msg_doesnotexist"}}, 404);
  EXPECT_EQ(b.post("/message_center/delivery_status", Json::object())["total"], 0);
  b.post("/message_center/send", {{"category", "tasks"}, {"title", "x"}, {"user_id", user_a}}, 404);
  b.post("/message_center/preferences", {{"user_id", user_a}}, 404);
  b.post("/message_center/preferences", {{"user_id", user_a}, {"channels", {{"tasks", {"sms"}}}}},
         404);
  b.post("/message_center/delivery_status", {{"user_id", user_a}}, 404);
  // A's user has preferences of its own, apart from the account's.
  Json own = a.post("/message_center/preferences",
                    {{"user_id", user_a}, {"channels", {{"tasks", {"in_app"}}}}});
  EXPECT_EQ(own["inherited"], false);
  EXPECT_EQ(a.get("/message_center/preferences")["preferences"]["channels"]["tasks"],
            Json({"in_app", "email"}));
}

TEST(MessageCenter, APendingDeliverySurvivesKill9OfTheServer) {
  PaperdServer& server = world().server;
  std::string token = server.create_token("ut", "mc-restart", "enterprise");
  world().smtp.set_down(true);
  std::string id;
  {
    Api api(server, token);
    int refused = world().smtp.refused();
    id = api.post("/message_center/send", {{"category", "system"},
                                           {"title", "Survive"},
                                           {"channels", {"email"}},
                                           {"email", "restart@example.com"}})["message_id"];
    // Wait for a refused attempt: the delivery is now waiting for its retry.
    Json c;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      c = wait_status(api, id, "email", {"pending"});
      if (c.value("attempts", 0) >= 1 && world().smtp.refused() > refused) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_GE(c.value("attempts", 0), 1) << c.dump();
    EXPECT_NE(c.value("reason", "").find("421"), std::string::npos) << c.dump();
  }
  server.stop(SIGKILL);
  world().smtp.set_down(false);
  server.start();
  Api api(server, token);
  Json c = wait_status(api, id, "email", {"delivered", "failed"});
  EXPECT_EQ(c["status"], "delivered") << c.dump();
  EXPECT_TRUE(wait_mail("restart@example.com"));
}
