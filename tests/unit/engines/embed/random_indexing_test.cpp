// Unit tests of engines/embed: deterministic index vectors, a model in which two words used among
// the same neighbours end up closer than unrelated ones, normalised embeddings, the 8-lane dot
// product against a plain loop, the BLOB round trip and the OpenAI answer parsing.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <sstream>

#include "core/error.h"
#include "engines/embed/openai_embeddings.h"
#include "engines/embed/random_indexing.h"
#include "engines/embed/vectors.h"

namespace embed = paperd::engines::embed;

namespace {

std::vector<std::string> words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

float norm(const std::vector<float>& v) {
  double sq = 0;
  for (float x : v) sq += static_cast<double>(x) * x;
  return static_cast<float>(std::sqrt(sq));
}

TEST(RandomIndexing, IndexVectorsAreDeterministicSparseAndTernary) {
  embed::IndexVector a = embed::index_vector("automobile"), b = embed::index_vector("automobile");
  EXPECT_EQ(a.position, b.position);
  EXPECT_EQ(a.sign, b.sign);
  std::set<uint16_t> distinct(a.position.begin(), a.position.end());
  EXPECT_EQ(distinct.size(), embed::kNonZeros);
  for (size_t k = 0; k < embed::kNonZeros; ++k) {
    EXPECT_LT(a.position[k], embed::kDimensions);
    EXPECT_TRUE(a.sign[k] == 1 || a.sign[k] == -1);
  }
  // FNV-1a, not std::hash: a fixed value on every platform and run.
  embed::IndexVector car = embed::index_vector("car");
  EXPECT_NE(car.position, a.position);
  EXPECT_EQ(embed::index_vector("car").position, car.position);
}

TEST(RandomIndexing, WordsOfTheSameContextsAreCloserThanUnrelatedOnes) {
  embed::RandomIndexingTrainer trainer;
  std::mt19937 rng(7);
  const std::vector<std::string> cars = {"engine", "tyres", "wheels", "gearbox", "diesel"};
  const std::vector<std::string> food = {"flour", "sugar", "oven", "dough", "butter"};
  auto sentence = [&](const std::string& w, const std::vector<std::string>& ctx) {
    std::vector<std::string> s = {w, ctx[rng() % 5], ctx[rng() % 5], "the", ctx[rng() % 5]};
    std::shuffle(s.begin(), s.end(), rng);
    return s;
  };
  for (int i = 0; i < 20; ++i) {
    trainer.add_chunk(sentence(i % 2 ? "car" : "automobile", cars));
    trainer.add_chunk(sentence("cake", food));
  }
  EXPECT_EQ(trainer.chunks(), 40);
  embed::TermModel model = trainer.build();
  auto ctx = [&](const char* t) { return model.at(t).context; };
  float synonyms = embed::cosine_of_normalised(ctx("car"), ctx("automobile"));
  float unrelated = embed::cosine_of_normalised(ctx("car"), ctx("cake"));
  EXPECT_GT(synonyms, 0.6f);
  EXPECT_LT(unrelated, 0.3f);
  EXPECT_GT(synonyms, unrelated + 0.3f);
  EXPECT_NEAR(norm(ctx("car")), 1.0f, 1e-4);
  // Rare words weigh more than "the" (in every chunk).
  EXPECT_GT(model.at("car").idf, model.at("the").idf);
  EXPECT_EQ(model.at("the").df, 40);

  // Texts: a paraphrase is nearer than a text of another topic; embeddings are normalised.
  auto q = embed::embed_terms(words("car diesel"), model, trainer.chunks());
  auto near = embed::embed_terms(words("the automobile engine"), model, trainer.chunks());
  auto far = embed::embed_terms(words("the cake oven"), model, trainer.chunks());
  EXPECT_NEAR(norm(q), 1.0f, 1e-4);
  EXPECT_NEAR(norm(near), 1.0f, 1e-4);
  EXPECT_GT(embed::cosine_of_normalised(q, near), embed::cosine_of_normalised(q, far) + 0.3f);
  // An unseen word matches itself through its index vector.
  auto unseen = embed::embed_terms(words("zeppelin"), model, trainer.chunks());
  EXPECT_NEAR(embed::cosine_of_normalised(unseen, unseen), 1.0f, 1e-4);
  EXPECT_TRUE(embed::embed_terms({}, model, 1) == std::vector<float>(embed::kDimensions, 0.0f));
}

TEST(RandomIndexing, TheEmbedderTokenizesAndLooksUpOnce) {
  embed::RandomIndexingTrainer trainer;
  trainer.add_chunk(words("red apple fruit"));
  trainer.add_chunk(words("green apple fruit"));
  embed::TermModel model = trainer.build();
  int lookups = 0;
  embed::RandomIndexingEmbedder e([](const std::string& text) { return words(text); },
                                  [&](const std::vector<std::string>& terms) {
                                    ++lookups;
                                    embed::TermModel out;
                                    for (auto& t : terms)
                                      if (model.contains(t)) out.emplace(t, model.at(t));
                                    return out;
                                  },
                                  trainer.chunks());
  auto v = e.embed({"red apple", "green fruit", "red apple"});
  EXPECT_EQ(lookups, 1);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0], v[2]);
  EXPECT_EQ(v[0].size(), embed::kDimensions);
  EXPECT_EQ(e.id(), embed::kRandomIndexingId);
}

TEST(EmbedVectors, DotMatchesAPlainLoopAndBlobsRoundTrip) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> u(-1, 1);
  for (size_t n : {0u, 1u, 7u, 8u, 9u, 256u, 1539u}) {
    std::vector<float> a(n), b(n);
    for (size_t i = 0; i < n; ++i) a[i] = u(rng), b[i] = u(rng);
    double plain = 0;
    for (size_t i = 0; i < n; ++i) plain += static_cast<double>(a[i]) * b[i];
    EXPECT_NEAR(embed::dot(a.data(), b.data(), n), plain, 1e-3) << n;
    EXPECT_EQ(embed::from_blob(embed::to_blob(a)), a);
  }
  std::vector<float> v = {3, 4};
  embed::normalize(v);
  EXPECT_FLOAT_EQ(v[0], 0.6f);
  EXPECT_FLOAT_EQ(v[1], 0.8f);
  std::vector<float> zero(4, 0.0f);
  embed::normalize(zero);
  EXPECT_EQ(zero, std::vector<float>(4, 0.0f));
  EXPECT_TRUE(embed::from_blob("abc").empty());
  EXPECT_EQ(embed::to_blob({1.0f}), std::string("\x00\x00\x80\x3f", 4));
}

TEST(OpenAiEmbeddings, RequestAndAnswerShapes) {
  EXPECT_EQ(embed::embeddings_request("m", {"a", "b"}), R"({"input":["a","b"],"model":"m"})");
  EXPECT_EQ(embed::embeddings_endpoint("http://h/v1/"), "http://h/v1/embeddings");
  EXPECT_EQ(embed::embeddings_endpoint("http://h/v1/embeddings"), "http://h/v1/embeddings");
  auto v = embed::parse_embeddings_response(
      R"({"data":[{"index":1,"embedding":[0,2]},{"index":0,"embedding":[3,4]}]})", 2);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_FLOAT_EQ(v[0][0], 0.6f);  // ordered by index, normalised
  EXPECT_FLOAT_EQ(v[1][1], 1.0f);
  for (const char* bad : {"not json", R"({"data":[]})", R"({"data":[{"embedding":"x"}]})",
                          R"({"error":{"message":"quota"}})"}) {
    try {
      embed::parse_embeddings_response(bad, 1);
      ADD_FAILURE() << bad;
    } catch (const paperd::core::Error& e) {
      EXPECT_EQ(e.status(), 502) << bad;
      EXPECT_NE(std::string(e.what()).find("embeddings_url"), std::string::npos);
    }
  }
}

}  // namespace
