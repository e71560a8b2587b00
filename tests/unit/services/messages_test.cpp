// The message center's pure parts: the MIME pieces of a notification email (RFC 5322 date,
// RFC 2047 subjects, quoted-printable bodies), quiet-hour windows in IANA time zones across
// midnight and DST, channel names and addresses, and preferences that apply all or nothing.
#include <date/date.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <regex>

#include "core/error.h"
#include "services/messages/channels.h"
#include "services/messages/mime.h"
#include "services/messages/preferences.h"
#include "services/messages/quiet_hours.h"

namespace paperd::services::messages {
namespace {

using namespace std::chrono;
using date::operator""_y;

int64_t utc_ms(date::year_month_day day, int h, int m) {
  return duration_cast<milliseconds>(
             (date::sys_days{day} + hours(h) + minutes(m)).time_since_epoch())
      .count();
}

std::string decode_b64(const std::string& b64) {
  std::string raw(b64.size(), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(raw.data()),
                          reinterpret_cast<const unsigned char*>(b64.data()),
                          static_cast<int>(b64.size()));
  raw.resize(static_cast<size_t>(n) - std::count(b64.begin(), b64.end(), '='));
  return raw;
}

bool valid_utf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    size_t n = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
    if (c >= 0x80 && c < 0xc0) return false;
    if (i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return false;
    i += n;
  }
  return true;
}

TEST(Mime, DatesAreRfc5322InUtc) {
  EXPECT_EQ(rfc5322_date(0), "Thu, 01 Jan 1970 00:00:00 +0000");
  EXPECT_EQ(rfc5322_date(1700000000), "Tue, 14 Nov 2023 22:13:20 +0000");
}

TEST(Mime, QuotedPrintableKnownVectors) {
  EXPECT_EQ(quoted_printable("plain text"), "plain text\r\n");
  EXPECT_EQ(quoted_printable("a=b"), "a=3Db\r\n");
  EXPECT_EQ(quoted_printable("12,50 €"), "12,50 =E2=82=AC\r\n");
  EXPECT_EQ(quoted_printable("one\ntwo\r\nthree"), "one\r\ntwo\r\nthree\r\n");
  EXPECT_EQ(quoted_printable("trailing \nblank\t"), "trailing=20\r\nblank=09\r\n");
  std::string long_line(200, 'x');
  std::string qp = quoted_printable(long_line);
  for (size_t pos = 0; pos < qp.size();) {
    size_t eol = qp.find("\r\n", pos);
    EXPECT_LE(eol - pos, 76u);
    pos = eol + 2;
  }
  EXPECT_EQ(decode_quoted_printable(qp), long_line + "\r\n");
  // Escapes are never cut by a soft break.
  std::string euros;
  for (int i = 0; i < 40; ++i) euros += "€";
  std::string eq = quoted_printable(euros);
  EXPECT_FALSE(std::regex_search(eq, std::regex("=[0-9A-F]?=\r\n"))) << eq;
  EXPECT_EQ(decode_quoted_printable(eq), euros + "\r\n");
}

TEST(Mime, HeaderTextIsAsciiOrEncodedWordsWithinTheLineLimit) {
  EXPECT_EQ(encode_header_text("Invoice 42 ready", 9), "Invoice 42 ready");
  EXPECT_EQ(encode_header_text("two\r\nlines"), "two  lines");  // no header injection
  std::string title = "Grüße aus Köln: Ihre Rechnung über 1.234,56 € ist da — 日本語のテキストも";
  std::string enc = encode_header_text(title, 9);
  std::string decoded;
  size_t line_no = 0, pos = 0;
  while (pos <= enc.size()) {
    size_t eol = enc.find("\r\n", pos);
    std::string line = enc.substr(pos, eol == std::string::npos ? std::string::npos : eol - pos);
    EXPECT_LE(line.size() + (line_no == 0 ? 9 : 0), 76u) << line;
    std::smatch m;
    ASSERT_TRUE(std::regex_match(line, m, std::regex(R"( ?=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=)")))
        << line;
    std::string piece = decode_b64(m[1]);
    EXPECT_TRUE(valid_utf8(piece)) << "a character was split";
    decoded += piece;
    ++line_no;
    if (eol == std::string::npos) break;
    pos = eol + 2;
  }
  EXPECT_GT(line_no, 1u);
  EXPECT_EQ(decoded, title);
}

TEST(Mime, MailboxesAndTheWholeMessage) {
  EXPECT_EQ(mailbox_address("Paperd <noreply@example.com>"), "noreply@example.com");
  EXPECT_EQ(mailbox_address(" noreply@example.com "), "noreply@example.com");
  EXPECT_EQ(mailbox_name("\"Paperd Notices\" <n@example.com>"), "Paperd Notices");
  std::string m = build_email({.from = "Büro <b@example.com>",
                               .to = "x@example.com",
                               .subject = "Hi",
                               .body = "Hello",
                               .message_id = "msg_1@example.com",
                               .date = 0,
                               .category = "general"});
  EXPECT_NE(m.find("Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"), std::string::npos);
  EXPECT_NE(m.find("Message-ID: <msg_1@example.com>\r\n"), std::string::npos);
  EXPECT_NE(m.find("From: =?UTF-8?B?QsO8cm8=?= <b@example.com>\r\n"), std::string::npos) << m;
  EXPECT_NE(m.find("To: <x@example.com>\r\nSubject: Hi\r\nMIME-Version: 1.0\r\n"),
            std::string::npos);
  EXPECT_NE(m.find("Content-Type: text/plain; charset=utf-8\r\n"), std::string::npos);
  EXPECT_EQ(m.substr(m.size() - 11), "\r\n\r\nHello\r\n");
}

TEST(QuietHours, OvernightWindowInBerlinFollowsDaylightSavingTime) {
  QuietHours q =
      QuietHours::parse({{"start", "22:00"}, {"end", "07:00"}, {"time_zone", "Europe/Berlin"}});
  // Winter (CET, UTC+1): 22:30 local is in the window, which ends 07:00 local = 06:00 UTC.
  EXPECT_EQ(q.ends_after(utc_ms(2026_y / 1 / 15, 21, 30)), utc_ms(2026_y / 1 / 16, 6, 0));
  // After midnight local, the same night's window.
  EXPECT_EQ(q.ends_after(utc_ms(2026_y / 1 / 16, 2, 0)), utc_ms(2026_y / 1 / 16, 6, 0));
  EXPECT_FALSE(q.ends_after(utc_ms(2026_y / 1 / 15, 12, 0)));
  EXPECT_FALSE(q.ends_after(utc_ms(2026_y / 1 / 16, 6, 0)));  // the end is exclusive
  // Summer (CEST, UTC+2): 07:00 local = 05:00 UTC.
  EXPECT_EQ(q.ends_after(utc_ms(2026_y / 7 / 15, 20, 30)), utc_ms(2026_y / 7 / 16, 5, 0));
  EXPECT_FALSE(q.ends_after(utc_ms(2026_y / 7 / 15, 19, 30)));  // 21:30 local
}

TEST(QuietHours, DaytimeWindowsAndAnEndInsideTheDstGap) {
  QuietHours day =
      QuietHours::parse({{"start", "09:00"}, {"end", "17:30"}, {"tz", "America/New_York"}});
  // 10:00 EST = 15:00 UTC; ends 17:30 EST = 22:30 UTC.
  EXPECT_EQ(day.ends_after(utc_ms(2026_y / 2 / 2, 15, 0)), utc_ms(2026_y / 2 / 2, 22, 30));
  EXPECT_FALSE(day.ends_after(utc_ms(2026_y / 2 / 2, 23, 0)));
  // 02:30 does not exist in Berlin on 2026-03-29: the window ends at the jump (01:00 UTC).
  QuietHours gap =
      QuietHours::parse({{"start", "01:00"}, {"end", "02:30"}, {"time_zone", "Europe/Berlin"}});
  EXPECT_EQ(gap.ends_after(utc_ms(2026_y / 3 / 29, 0, 30)), utc_ms(2026_y / 3 / 29, 1, 0));
  EXPECT_EQ(gap.to_json()["start"], "01:00");
  EXPECT_EQ(gap.to_json()["end"], "02:30");
}

TEST(QuietHours, MalformedInputNamesTheField) {
  auto message = [](const Json& j) {
    try {
      QuietHours::parse(j);
    } catch (const core::Error& e) {
      EXPECT_EQ(e.status(), 400);
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message({{"start", "24:00"}, {"end", "07:00"}}).find("quiet_hours.start"),
            std::string::npos);
  EXPECT_NE(message({{"start", "22:00"}, {"end", "7pm"}}).find("quiet_hours.end"),
            std::string::npos);
  EXPECT_NE(message({{"start", "22:00"}}).find("quiet_hours.end"), std::string::npos);
  EXPECT_NE(message({{"start", "22:00"}, {"end", "22:00"}}).find("differ"), std::string::npos);
  EXPECT_NE(message({{"start", "22:00"}, {"end", "07:00"}, {"time_zone", "Europe/Atlantis"}})
                .find("quiet_hours.time_zone"),
            std::string::npos);
  EXPECT_NE(message({{"start", "22:00"}, {"end", "07:00"}, {"time_zone", 5}})
                .find("quiet_hours.time_zone"),
            std::string::npos);
  EXPECT_NE(message("22:00-07:00").find("quiet_hours"), std::string::npos);
  EXPECT_EQ(QuietHours::parse({{"start", "7:05"}, {"end", "08:00:00"}}).start_minute, 7 * 60 + 5);
  EXPECT_EQ(QuietHours::parse({{"start", "7:05"}, {"end", "08:00"}}).time_zone, "UTC");
}

TEST(Channels, NamesAliasesAndAddresses) {
  EXPECT_EQ(parse_channel("In-App"), Channel::kInApp);
  EXPECT_EQ(parse_channel("push"), Channel::kWebPush);
  EXPECT_EQ(parse_channel("web-push"), Channel::kWebPush);
  EXPECT_FALSE(parse_channel("fax"));
  EXPECT_EQ(parse_channel_list("email, sms,email", "channels"),
            (std::vector<Channel>{Channel::kEmail, Channel::kSms}));
  EXPECT_THROW(parse_channel_list(Json::array({"email", 3}), "channels"), core::Error);
  EXPECT_EQ(check_address(Channel::kSms, "+49 (30) 123-4567", "phone"), "+49301234567");
  EXPECT_THROW(check_address(Channel::kSms, "0301234567", "phone"), core::Error);
  EXPECT_EQ(check_address(Channel::kEmail, " a@example.com ", "email"), "a@example.com");
  for (const char* bad : {"a@example.com\r\nBcc: x@evil.com", "a b@example.com", "@example.com",
                          "a@b", "<a@example.com>", "a@@example.com"})
    EXPECT_THROW(check_address(Channel::kEmail, bad, "email"), core::Error) << bad;
  EXPECT_EQ(check_address(Channel::kTelegram, "-100123", "telegram_chat_id"), "-100123");
  EXPECT_EQ(check_address(Channel::kTelegram, "@paperd_news", "telegram_chat_id"), "@paperd_news");
  EXPECT_THROW(check_address(Channel::kTelegram, "12a", "telegram_chat_id"), core::Error);
}

TEST(Preferences, DefaultsApplyAllOrNothingAndRoundTrip) {
  Preferences p;
  EXPECT_EQ(p.channels_for("documents"), (std::vector<Channel>{Channel::kInApp, Channel::kEmail}));
  EXPECT_FALSE(p.enabled("documents", Channel::kSms));
  p.apply({{"channels", {{"documents", {"sms", "in_app"}}}},
           {"quiet_hours", {{"start", "22:00"}, {"end", "06:00"}, {"time_zone", "Asia/Tokyo"}}},
           {"ai_features", {{"smart_summary", true}}},
           {"contacts", {{"phone", "+81 3 1234 5678"}}}});
  EXPECT_TRUE(p.enabled("documents", Channel::kSms));
  EXPECT_TRUE(p.opted_out("documents", Channel::kEmail));    // chosen without email
  EXPECT_FALSE(p.opted_out("billing", Channel::kTelegram));  // left at the defaults
  EXPECT_EQ(p.contacts["phone"], "+81312345678");
  // A bad field anywhere leaves everything as it was.
  EXPECT_THROW(p.apply({{"channels", {{"billing", {"sms"}}}}, {"contacts", {{"email", "x"}}}}),
               core::Error);
  EXPECT_EQ(p.channels_for("billing"), (std::vector<Channel>{Channel::kInApp, Channel::kEmail}));
  Preferences back = Preferences::from_stored(p.stored());
  EXPECT_EQ(back.view(), p.view());
  EXPECT_EQ(back.view()["quiet_hours"]["time_zone"], "Asia/Tokyo");
  EXPECT_EQ(back.view()["ai_features"]["smart_summary"], true);
  back.apply({{"quiet_hours", nullptr}});
  EXPECT_FALSE(back.quiet_hours);
  back.apply({{"quiet_hours", {{"start", "22:00"}, {"end", "06:00"}}}});
  back.apply({{"quiet_hours", {{"enabled", false}}}});
  EXPECT_FALSE(back.quiet_hours);
}

}  // namespace
}  // namespace paperd::services::messages
