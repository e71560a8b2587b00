// Unit tests of engines/ann: on random L2-normalised vectors (fixed seed) the HNSW index finds
// the exact scan's top 10 (recall >= 0.95), a filtered search returns only allowed rows (and,
// for a fifth of the rows, still finds their top 10), scores are the rows' inner products, and a
// cancelled build returns nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "engines/ann/hnsw_index.h"
#include "engines/embed/vectors.h"

namespace ann = paperd::engines::ann;
namespace embed = paperd::engines::embed;

namespace {

constexpr size_t kDim = 256;  // random indexing's
constexpr size_t kRows = 4000;

std::vector<float> random_rows(size_t n, std::mt19937& rng) {
  std::normal_distribution<float> normal;
  std::vector<float> out(n * kDim);
  for (size_t i = 0; i < n; ++i) {
    std::vector<float> v(kDim);
    for (float& x : v) x = normal(rng);
    embed::normalize(v);
    std::copy(v.begin(), v.end(), out.begin() + i * kDim);
  }
  return out;
}

// The exact top k rows (of those allow admits) by inner product with q.
std::set<size_t> exact_top(const std::vector<float>& rows, const float* q, size_t k,
                           const ann::RowSet* allow = nullptr) {
  std::vector<std::pair<float, size_t>> scored;
  for (size_t i = 0; i < rows.size() / kDim; ++i)
    if (!allow || allow->contains(i)) scored.push_back({embed::dot(q, &rows[i * kDim], kDim), i});
  std::partial_sort(scored.begin(), scored.begin() + k, scored.end(),
                    [](const auto& a, const auto& b) { return a.first > b.first; });
  std::set<size_t> out;
  for (size_t i = 0; i < k; ++i) out.insert(scored[i].second);
  return out;
}

// One index for the suite: building 4,000 rows takes a few seconds.
class Hnsw : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::mt19937 rng(20240611);
    rows_ = random_rows(kRows, rng);
    queries_ = random_rows(50, rng);
    index_ = ann::HnswIndex::build(rows_.data(), kRows, kDim);
  }
  static void TearDownTestSuite() { index_.reset(); }
  static const float* query(size_t i) { return &queries_[i * kDim]; }

  static inline std::vector<float> rows_, queries_;
  static inline std::unique_ptr<ann::HnswIndex> index_;
};

TEST_F(Hnsw, Top10RecallAgainstTheExactScan) {
  ASSERT_TRUE(index_);
  EXPECT_EQ(index_->rows(), kRows);
  size_t found = 0, wanted = 0;
  for (size_t qi = 0; qi < queries_.size() / kDim; ++qi) {
    auto hits = index_->search(query(qi), 10);
    ASSERT_EQ(hits.size(), 10u);
    for (size_t i = 1; i < hits.size(); ++i) EXPECT_GE(hits[i - 1].score, hits[i].score);
    for (const auto& h : hits)  // the score is the row's inner product
      EXPECT_NEAR(h.score, embed::dot(query(qi), &rows_[h.row * kDim], kDim), 1e-5);
    std::set<size_t> truth = exact_top(rows_, query(qi), 10);
    for (const auto& h : hits) found += truth.count(h.row);
    wanted += truth.size();
  }
  double recall = static_cast<double>(found) / static_cast<double>(wanted);
  EXPECT_GE(recall, 0.95) << "recall@10 " << recall;
}

TEST_F(Hnsw, AFilteredSearchReturnsOnlyAllowedRows) {
  ASSERT_TRUE(index_);
  ann::RowSet allowed(kRows);  // a fifth of the rows
  for (size_t i = 3; i < kRows; i += 5) allowed.add(i);
  size_t found = 0, wanted = 0;
  for (size_t qi = 0; qi < queries_.size() / kDim; ++qi) {
    auto hits = index_->search(query(qi), 10, &allowed);
    ASSERT_EQ(hits.size(), 10u);
    for (const auto& h : hits) EXPECT_EQ(h.row % 5, 3u) << "row " << h.row << " is not allowed";
    std::set<size_t> truth = exact_top(rows_, query(qi), 10, &allowed);
    for (const auto& h : hits) found += truth.count(h.row);
    wanted += truth.size();
  }
  EXPECT_GE(static_cast<double>(found) / static_cast<double>(wanted), 0.95);

  // A very narrow filter (1%): the graph walk may end before it meets ten of them, but what it
  // returns is allowed.
  ann::RowSet few(kRows);
  for (size_t i = 0; i < kRows; i += 100) few.add(i);
  for (size_t qi = 0; qi < 5; ++qi) {
    auto hits = index_->search(query(qi), 10, &few);
    EXPECT_LE(hits.size(), 10u);
    for (const auto& h : hits) EXPECT_EQ(h.row % 100, 0u) << "row " << h.row << " is not allowed";
  }
}

TEST_F(Hnsw, KLargerThanTheIndexReturnsEveryRow) {
  std::mt19937 rng(5);
  std::vector<float> rows = random_rows(30, rng);
  auto small = ann::HnswIndex::build(rows.data(), 30, kDim);
  ASSERT_TRUE(small);
  auto hits = small->search(query(0), 100);
  std::set<size_t> seen;
  for (const auto& h : hits) seen.insert(h.row);
  EXPECT_EQ(seen.size(), 30u);
}

TEST(HnswBuild, ACancelledBuildReturnsNothing) {
  std::mt19937 rng(9);
  std::vector<float> rows = random_rows(600, rng);
  int asked = 0;
  ann::HnswOptions options;
  options.batch = 100;
  auto index = ann::HnswIndex::build(rows.data(), 600, kDim, options, [&] { return ++asked > 2; });
  EXPECT_FALSE(index);
  EXPECT_EQ(asked, 3);  // asked before each batch, stopped at the third
}

}  // namespace
