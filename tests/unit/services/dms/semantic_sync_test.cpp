// The semantic index's background sync on a real database (migrations, FTS5 chunks, random
// indexing): a pass that runs out of budget leaves documents waiting for their vector, and the
// next pass embeds them under the same model instead of training a new one, so the index
// converges; a change the model has not read still rebuilds it (always on a small corpus, once
// a tenth of a large one changed).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "core/config.h"
#include "dms_store.h"
#include "services/dms/fulltext.h"
#include "services/dms/semantic_index.h"

namespace paperd::services::dms {
namespace {

class SemanticSync : public ::testing::Test {
 protected:
  SemanticSync()
      : store_("paperd-semantic-sync-"),
        index_(with_semantic_marks(make_fulltext_index("sqlite"))),
        semantic_(db_, *index_, config_) {}

  // n documents about a few topics, each a name chunk and one page.
  void add_documents(int from, int n) {
    static const char* kTopics[] = {
        "invoice payment amount due supplier", "contract agreement signed parties clause",
        "vacation holiday travel hotel booking", "car vehicle repair garage engine"};
    auto& c = db_.conn();
    c.transaction([&] {
      for (int i = from; i < from + n; ++i)
        store_.add_document(*index_, i, fmt::format("{} number {}", kTopics[i % 4], i));
    });
    // Marks are compared with the model's start in milliseconds (the same millisecond counts
    // as after it): leave one between.
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }

  void change(int id) {
    index_->put_meta(db_.conn(), id, fmt::format("doc{}.txt", id), "changed note");
  }

  int64_t version() {
    auto r = db_.conn().query_one("SELECT version FROM semantic_models WHERE account_id = 1");
    return r ? r->i64("version") : 0;
  }
  int64_t changed_documents() {
    return db_.conn()
        .query_one("SELECT changed_documents FROM semantic_models WHERE account_id = 1")
        ->i64("changed_documents");
  }
  // Documents without a vector of the current model, or marked as changed.
  int64_t pending() {
    return db_.conn()
        .query_one(
            "SELECT COUNT(*) AS n FROM documents d WHERE d.id IN (SELECT document_id FROM "
            "semantic_dirty) OR NOT EXISTS (SELECT 1 FROM semantic_chunks s WHERE "
            "s.document_id = d.id AND s.page = 0 AND s.version = (SELECT version FROM "
            "semantic_models))")
        ->i64("n");
  }
  // Passes of 1 ms (one batch of documents each) until nothing is pending.
  int passes_until_synced(int most) {
    for (int pass = 1; pass <= most; ++pass) {
      semantic_.sync(1);
      if (pending() == 0) return pass;
    }
    return -1;
  }

  testing::DmsStore store_;
  core::Config config_;
  store::Database& db_ = store_.db;
  std::unique_ptr<FulltextIndex> index_;
  SemanticIndex semantic_;
};

TEST_F(SemanticSync, ShortPassesConvergeUnderOneModelOnASmallCorpus) {
  add_documents(1, 600);  // ten batches: more than one 1 ms pass embeds
  EXPECT_GT(passes_until_synced(400), 1);
  EXPECT_EQ(pending(), 0);
  EXPECT_EQ(version(), 1);  // the documents waiting for a vector did not retrain the model

  change(7);  // a change the model has not read: a small corpus is rebuilt
  EXPECT_GT(passes_until_synced(400), 0);
  EXPECT_EQ(version(), 2);
}

TEST_F(SemanticSync, ALargeCorpusIsRebuiltOnceATenthChanged) {
  add_documents(1, 2100);
  ASSERT_GT(passes_until_synced(2000), 1);
  EXPECT_EQ(version(), 1);

  for (int id = 1; id <= 20; ++id) change(id);  // 1%: embedded under the same model
  ASSERT_GT(passes_until_synced(400), 0);
  EXPECT_EQ(version(), 1);
  EXPECT_EQ(changed_documents(), 20);

  for (int id = 100; id < 320; ++id) change(id);  // with the 20 above, over a tenth
  ASSERT_GT(passes_until_synced(2000), 0);
  EXPECT_EQ(version(), 2);
  EXPECT_EQ(changed_documents(), 0);
}

}  // namespace
}  // namespace paperd::services::dms
