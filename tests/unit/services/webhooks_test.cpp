// Unit tests of the webhook pieces that need no server: the signature (RFC 4231 vector), the
// body of a delivery (§2.8, job events' top-level fields), event matching with the wildcard and
// the document.created alias, the retry schedule's parsing and jitter, and the outbox cursor.
#include <gtest/gtest.h>

#include "core/config.h"
#include "core/error.h"
#include "core/fs.h"
#include "services/webhooks/delivery.h"
#include "services/webhooks/events.h"
#include "store/db.h"
#include "store/outbox.h"

namespace paperd::services::webhooks {
namespace {

TEST(WebhookSignature, IsHmacSha256OfTheRawBodyInLowerHex) {
  // RFC 4231 test case 2.
  EXPECT_EQ(signature("Jefe", "what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(WebhookBody, CarriesTheContractFieldsAndJobAliases) {
  store::OutboxEvent e;
  e.seq = 7;
  e.event_id = "evt_abc";
  e.type = "job.completed";
  e.created_at_ms = 1776435791000;
  e.data = {{"job_id", "poai-job_1"}, {"status", "completed"}};
  Json body = Json::parse(delivery_body(e, 42));
  EXPECT_EQ(body["event_type"], "job.completed");
  EXPECT_EQ(body["event_id"], "evt_abc");
  EXPECT_EQ(body["timestamp"], "2026-04-17T14:23:11Z");
  EXPECT_EQ(body["subscription_id"], 42);
  EXPECT_EQ(body["event"], "job.completed");
  EXPECT_EQ(body["job_id"], "poai-job_1");
  EXPECT_EQ(body["status"], "completed");
  e.type = "document.uploaded";
  Json doc = Json::parse(delivery_body(e, 42));
  EXPECT_FALSE(doc.contains("event"));
  EXPECT_FALSE(doc.contains("job_id"));
}

TEST(WebhookEvents, WildcardAliasAndCatalogue) {
  EXPECT_TRUE(subscribed_to(Json::array({"*"}), "job.failed"));
  EXPECT_TRUE(subscribed_to(Json::array({"document.created"}), "document.uploaded"));
  EXPECT_FALSE(subscribed_to(Json::array({"job.completed"}), "job.failed"));
  EXPECT_TRUE(is_known_event("task.overdue"));
  EXPECT_TRUE(is_known_event("job.queued"));
  EXPECT_FALSE(is_known_event("job.finished"));
  int documented = 0;
  for (const auto& e : event_catalog()) documented += std::string(e.name) != "job.queued";
  EXPECT_GE(documented, 22);
}

TEST(WebhookSettings, ScheduleParsesWithDecimalsAndRefusesNonsense) {
  core::Config c;
  c.webhook_retry_seconds = "0.5, 2,10";
  Settings s = Settings::from(c);
  ASSERT_EQ(s.retry_seconds, (std::vector<double>{0.5, 2, 10}));
  EXPECT_EQ(s.max_attempts(), 4);
  for (int i = 0; i < 100; ++i) {
    int64_t b = s.backoff_ms(2);
    EXPECT_GE(b, 1600);
    EXPECT_LE(b, 2400);
  }
  EXPECT_LE(s.backoff_ms(99), 12000) << "past the schedule, its last wait";
  c.webhook_retry_seconds = "10,soon";
  try {
    Settings::from(c);
    FAIL();
  } catch (const core::Error& e) {
    EXPECT_NE(std::string(e.what()).find("webhook_retry_seconds"), std::string::npos);
  }
  c.webhook_retry_seconds = "90000";
  EXPECT_THROW(Settings::from(c), core::Error);
}

TEST(Outbox, ReadersFollowTheirCursorFromWhereTheyJoined) {
  core::TempDir dir(std::filesystem::temp_directory_path(), "outbox-");
  store::Database db(dir.path() / "t.db");
  db.migrate();
  auto& c = db.conn();
  c.exec(
      "INSERT INTO accounts (id, name, tier, credits, created_at) VALUES (1, 'a', 'free', 0, 0)");
  store::append_event(c, 1, "document.uploaded", {{"pofid", "x"}}, 3);
  // A new reader starts at the end: it hears what happens from now on.
  EXPECT_EQ(store::reader_cursor(c, "test-reader"), store::last_event_seq(c));
  std::string id = publish(c, 1, "job.completed", {{"job_id", "j"}});
  auto events = store::read_events(c, store::reader_cursor(c, "test-reader"), 10);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event_id, id);
  EXPECT_EQ(events[0].type, "job.completed");
  EXPECT_EQ(events[0].data["job_id"], "j");
  store::set_reader_cursor(c, "test-reader", events[0].seq);
  EXPECT_TRUE(store::read_events(c, store::reader_cursor(c, "test-reader"), 10).empty());
}

}  // namespace
}  // namespace paperd::services::webhooks
