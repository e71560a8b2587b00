// Unit tests of hybrid ranking (services/dms/semantic_index.h): reciprocal rank fusion with
// k = 60 and a semantic weight, each document once, one-sided hits counted, ties resolved.
#include <gtest/gtest.h>

#include "services/dms/semantic_index.h"

using paperd::services::dms::reciprocal_rank_fusion;

TEST(RankFusion, WeightsRanksOfBothLists) {
  auto f = reciprocal_rank_fusion({1, 2, 3}, {3, 4}, 0.5);
  ASSERT_EQ(f.size(), 4u);
  // 3: 0.5/63 + 0.5/61; 1: 0.5/61; 4: 0.5/62; 2: 0.5/62 (tie: 2 is full text's, 4 semantic's:
  // same single rank, full text first).
  EXPECT_EQ(f[0].document_id, 3);
  EXPECT_DOUBLE_EQ(f[0].score, 0.5 / 63 + 0.5 / 61);
  EXPECT_EQ(f[0].fulltext_rank, 3);
  EXPECT_EQ(f[0].semantic_rank, 1);
  EXPECT_EQ(f[1].document_id, 1);
  EXPECT_EQ(f[1].semantic_rank, 0);
  EXPECT_EQ(f[2].document_id, 2);
  EXPECT_EQ(f[3].document_id, 4);
  EXPECT_DOUBLE_EQ(f[3].score, 0.5 / 62);
}

TEST(RankFusion, WeightZeroAndOneAreTheSingleLists) {
  auto text = reciprocal_rank_fusion({5, 6}, {6, 7}, 0.0);
  EXPECT_EQ(text[0].document_id, 5);
  EXPECT_EQ(text[1].document_id, 6);
  EXPECT_DOUBLE_EQ(text[2].score, 0.0);  // 7: semantic only, weight 0
  auto sem = reciprocal_rank_fusion({5, 6}, {6, 7}, 1.0);
  EXPECT_EQ(sem[0].document_id, 6);
  EXPECT_EQ(sem[1].document_id, 7);
}

TEST(RankFusion, TheOnlyKeywordHitStaysFirstWhenSemanticRanksItLow) {
  // Full text found only document 9; semantic ranks 1, 2 above it or leaves it out.
  EXPECT_EQ(reciprocal_rank_fusion({9}, {1, 2, 9}, 0.5)[0].document_id, 9);
  EXPECT_EQ(reciprocal_rank_fusion({9}, {1, 2}, 0.5)[0].document_id, 9);
  EXPECT_TRUE(reciprocal_rank_fusion({}, {}, 0.5).empty());
  // A document listed twice by one side counts once, at its best rank.
  auto f = reciprocal_rank_fusion({4, 4}, {}, 0.5);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_DOUBLE_EQ(f[0].score, 0.5 / 61);
}
