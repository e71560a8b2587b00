// The SQLite full-text index on a real database: the work estimate of a query's alternatives
// (term_chunks), one chunk and a page of snippets in one statement, and the background merge of
// the segments every upload adds, which ends once each level holds one and changes no answer.
#include <gtest/gtest.h>

#include "dms_store.h"
#include "services/dms/fulltext.h"

namespace paperd::services::dms {
namespace {

class FulltextIndexTest : public ::testing::Test {
 protected:
  FulltextIndexTest() : store_("paperd-fulltext-"), index_(make_fulltext_index("sqlite")) {}

  // One document per transaction, as uploads come: each adds a segment to the index.
  void add(int id, const std::string& page_text) {
    store_.db.conn().transaction([&] { store_.add_document(*index_, id, page_text); });
  }

  std::vector<int64_t> ranking(const std::string& query) {
    SearchFilter f;
    f.account_id = 1;
    std::vector<int64_t> ids;
    for (const auto& h : index_->search(db_.conn(), query, f, 50, 0).hits)
      ids.push_back(h.document_id);
    return ids;
  }

  testing::DmsStore store_;
  store::Database& db_ = store_.db;
  std::unique_ptr<FulltextIndex> index_;
};

TEST_F(FulltextIndexTest, TermChunksCountTheChunksAnAlternativeCanMatch) {
  for (int i = 1; i <= 30; ++i)
    add(i, i % 3 == 0 ? "the invoice was paid" : i % 10 == 1 ? "a rare zebra" : "plain text");
  auto n = index_->term_chunks(db_.conn(), {"invoice", "zebra", "invoice zebra", "qqqxyz"});
  ASSERT_EQ(n.size(), 4u);
  EXPECT_EQ(n[0], 10);  // pages 3, 6, ..., 30
  EXPECT_EQ(n[1], 2);   // 1, 11 (21 is an invoice)
  EXPECT_EQ(n[2], 2) << "a phrase can match no more chunks than its rarest word";
  EXPECT_EQ(n[3], 0);
}

TEST_F(FulltextIndexTest, OneChunkAndAPageOfSnippetsInOrder) {
  add(1, "the invoice of March");
  add(2, "a contract for April");
  auto& c = db_.conn();
  EXPECT_EQ(index_->chunk(c, 2, 1), "a contract for April");
  EXPECT_EQ(index_->chunk(c, 2, 0), "doc2.txt\n");
  EXPECT_EQ(index_->chunk(c, 2, 7), "");
  auto s = index_->snippets(c, "invoice", {{2, 1}, {1, 1}, {1, 9}});
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0], "") << "no match in that chunk";
  EXPECT_NE(s[1].find("<mark>invoice</mark>"), std::string::npos) << s[1];
  EXPECT_EQ(s[2], "") << "no such chunk";
  EXPECT_TRUE(index_->snippets(c, "", {}).empty()) << "no chunks: the query is not read";
}

TEST_F(FulltextIndexTest, MergingTheSegmentsEndsAndChangesNoAnswer) {
  static const char* kWords[] = {"invoice", "contract", "holiday", "garage", "invoice contract"};
  for (int i = 1; i <= 120; ++i) add(i, fmt::format("{} number {}", kWords[i % 5], i));
  const auto invoices = ranking("invoice"), contracts = ranking("contract number");
  ASSERT_EQ(invoices.size(), 48u);

  auto& c = db_.conn();
  int steps = 0;
  while (index_->merge_step(c) && steps < 1000) ++steps;
  EXPECT_GT(steps, 0) << "120 segments left by single uploads are merged";
  EXPECT_LT(steps, 1000) << "the merge ends";
  EXPECT_FALSE(index_->merge_step(c)) << "a settled index is not rewritten";
  EXPECT_EQ(ranking("invoice"), invoices);
  EXPECT_EQ(ranking("contract number"), contracts);

  add(121, "invoice number 121");  // one new segment beside the merged one: nothing to merge
  EXPECT_FALSE(index_->merge_step(c));
  EXPECT_EQ(ranking("invoice").size(), 49u);
}

}  // namespace
}  // namespace paperd::services::dms
