// The semantic index's HNSW path on a real database (random indexing, two workspaces): with
// semantic_ann_min_chunks below the account's chunk count, search scans exactly until the
// background build is done, then answers through the index: the best documents agree with the
// exact scan, at least 200 documents come back, a workspace scope returns only its documents and
// min_similarity holds.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "core/config.h"
#include "core/fs.h"
#include "services/dms/fulltext.h"
#include "services/dms/semantic_index.h"
#include "store/db.h"

namespace paperd::services::dms {
namespace {

namespace fs = std::filesystem;

core::Config with_ann_from(int64_t chunks) {
  core::Config c;
  c.semantic_ann_min_chunks = chunks;
  return c;
}

class SemanticAnn : public ::testing::Test {
 protected:
  SemanticAnn()
      : dir_(fs::temp_directory_path(), "paperd-semantic-ann-"),
        ann_config_(with_ann_from(100)),
        db_(dir_.path() / "paperd.db"),
        index_(with_semantic_marks(make_fulltext_index("sqlite"))),
        ann_(db_, *index_, ann_config_),
        exact_(db_, *index_, exact_config_) {
    db_.migrate();
    auto& c = db_.conn();
    c.exec(
        "INSERT INTO accounts (id, name, tier, credits, created_at) VALUES (1, 'a', 'pro', 0, 0)");
    for (int w : {1, 2})
      c.exec(
          "INSERT INTO workspaces (id, account_id, name, created_at, updated_at) VALUES (?, 1, ?, "
          "0, 0)",
          {int64_t{w}, fmt::format("w{}", w)});
    add_documents();
    for (int pass = 0; pass < 50 && exact_.sync(5000) > 0; ++pass) {
    }
  }

  // Documents 1-400 in workspace 1, 401-600 in workspace 2: a name chunk and a page of words
  // drawn from a few topics.
  void add_documents() {
    static const std::vector<std::string> kWords = {
        "invoice", "payment", "amount", "supplier", "contract", "agreement", "signed",
        "clause",  "holiday", "travel", "hotel",    "booking",  "vehicle",   "repair",
        "garage",  "engine",  "salary", "employee", "tax",      "refund",    "insurance",
        "policy",  "claim",   "damage", "rent",     "tenant",   "landlord",  "deposit"};
    std::mt19937 rng(11);
    auto& c = db_.conn();
    c.transaction([&] {
      for (int i = 1; i <= 600; ++i) {
        c.exec(
            "INSERT INTO documents (id, account_id, workspace_id, pofid, file_name, mime_type, "
            "size, sha256, blob_id, created_at_ms, updated_at_ms) VALUES (?, 1, ?, ?, ?, "
            "'text/plain', 1, '', '', 0, 0)",
            {int64_t{i}, int64_t{i <= 400 ? 1 : 2}, fmt::format("P{}", i),
             fmt::format("doc{}.txt", i)});
        std::string text;
        size_t topic = rng() % 7;  // four words of one topic, then four of any
        for (int w = 0; w < 4; ++w) text += kWords[topic * 4 + rng() % 4] + " ";
        for (int w = 0; w < 4; ++w) text += kWords[rng() % kWords.size()] + " ";
        index_->put_document(c, i, fmt::format("doc{}.txt", i), "", {{1, text}});
      }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }

  // Searches through ann_ until the background build is done (at most ~20 s).
  SemanticResult approximate(const std::string& query, const SearchFilter& f, double min) {
    SemanticResult r;
    for (int i = 0; i < 400; ++i) {
      r = ann_.search(db_.conn(), query, f, min);
      if (r.approximate) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return r;
  }

  core::TempDir dir_;
  core::Config ann_config_, exact_config_;
  store::Database db_;
  std::unique_ptr<FulltextIndex> index_;
  SemanticIndex ann_, exact_;
};

TEST_F(SemanticAnn, TheIndexAgreesWithTheExactScan) {
  SearchFilter f;
  f.account_id = 1;
  SemanticResult exact = exact_.search(db_.conn(), "invoice payment supplier", f, -1);
  ASSERT_FALSE(exact.approximate);
  ASSERT_EQ(exact.hits.size(), 600u);

  SemanticResult r = approximate("invoice payment supplier", f, -1);
  ASSERT_TRUE(r.approximate);
  EXPECT_GE(r.hits.size(), 200u);
  EXPECT_NEAR(r.hits[0].score, exact.hits[0].score, 1e-6);
  std::map<int64_t, double> exact_score;
  for (const auto& h : exact.hits) exact_score[h.document_id] = h.score;
  for (size_t i = 0; i < r.hits.size(); ++i) {
    if (i > 0) {
      EXPECT_GE(r.hits[i - 1].score, r.hits[i].score);
    }
    EXPECT_LE(r.hits[i].score, exact_score.at(r.hits[i].document_id) + 1e-6);
  }
  // The top 20 documents: scores may tie, so compare the 20th best score reached.
  size_t agree = 0;
  for (size_t i = 0; i < 20; ++i) agree += r.hits[i].score >= exact.hits[19].score - 1e-6;
  EXPECT_GE(agree, 19u);
}

TEST_F(SemanticAnn, AWorkspaceScopeAndTheThresholdHold) {
  SearchFilter f;
  f.account_id = 1;
  f.workspace_ids = {2};
  SemanticResult r = approximate("holiday travel hotel", f, 0.2);
  ASSERT_TRUE(r.approximate);
  ASSERT_FALSE(r.hits.empty());
  for (const auto& h : r.hits) {
    EXPECT_GT(h.document_id, 400) << "document " << h.document_id << " is in workspace 1";
    EXPECT_GE(h.score, 0.2);
  }
  SemanticResult exact = exact_.search(db_.conn(), "holiday travel hotel", f, 0.2);
  ASSERT_FALSE(exact.hits.empty());
  EXPECT_NEAR(r.hits[0].score, exact.hits[0].score, 1e-6);
}

}  // namespace
}  // namespace paperd::services::dms
