// services/dms/query_expansion: the words of a plain query with their thesaurus terms, weighted
// below the words; search syntax taken literally; the full-text form ORs every word and term.
#include "services/dms/query_expansion.h"

#include <gtest/gtest.h>

using paperd::services::dms::expand_query;

namespace {

bool has(const paperd::services::dms::ExpandedWord& w, const std::string& term) {
  for (const auto& t : w.terms)
    if (t.text == term) return true;
  return false;
}

TEST(QueryExpansion, PlainWordsGetSynonymsWeightedBelowThem) {
  auto e = expand_query("car doctor", "");
  ASSERT_EQ(e.words.size(), 2u);
  EXPECT_EQ(e.words[0].word, "car");
  EXPECT_TRUE(has(e.words[0], "automobile")) << e.to_json().dump();
  EXPECT_TRUE(has(e.words[1], "physician")) << e.to_json().dump();
  for (const auto& w : e.words)
    for (const auto& t : w.terms) {
      EXPECT_LT(t.weight, 1.0);
      EXPECT_NE(t.text, w.word);
    }
  EXPECT_LE(e.words[0].terms.size(), 6u);
  std::vector<std::string> all = e.alternatives();
  ASSERT_GE(all.size(), 4u);
  EXPECT_EQ(all[0], "car");
  std::string q = e.fulltext_query(std::vector<int64_t>(all.size(), 1), 1000);
  EXPECT_EQ(q.rfind("\"car\" OR ", 0), 0u) << q;
  EXPECT_NE(q.find("\"automobile\""), std::string::npos) << q;
  EXPECT_NE(q.find("\"doctor\""), std::string::npos) << q;
}

TEST(QueryExpansion, OneLanguageOnlyWhenNamed) {
  auto de = expand_query("Rechnung", "de");
  ASSERT_EQ(de.words.size(), 1u);
  ASSERT_FALSE(de.words[0].terms.empty());
  for (const auto& t : de.words[0].terms) EXPECT_EQ(t.language, "de");
}

TEST(QueryExpansion, SearchSyntaxAndShortWordsStayLiteral) {
  EXPECT_TRUE(expand_query("\"car doctor\"", "").words.empty());
  EXPECT_TRUE(expand_query("car*", "").words.empty());
  EXPECT_TRUE(expand_query("car OR bus", "").words.empty());
  EXPECT_TRUE(expand_query("car -bus", "").words.empty());
  EXPECT_TRUE(expand_query("qzxwvy", "").empty());
  EXPECT_TRUE(expand_query("qzxwvy", "").alternatives().empty());
  EXPECT_EQ(expand_query("qzxwvy", "").fulltext_query({}, 1000), "");
  EXPECT_TRUE(expand_query("of", "").words.empty()) << "words under 3 bytes are not expanded";
}

TEST(QueryExpansion, TheFullTextFormTakesTheRarestAlternativesWithinItsBudget) {
  auto e = expand_query("car", "en");
  std::vector<std::string> all = e.alternatives();
  ASSERT_GE(all.size(), 3u);
  // "car" is the commonest, alternative 1 the rarest, alternative 2 unknown to the corpus.
  std::vector<int64_t> chunks(all.size(), 400);
  chunks[0] = 5000;
  chunks[1] = 10;
  chunks[2] = 0;
  std::string q = e.fulltext_query(chunks, 1000);
  EXPECT_EQ(q.find("\"car\""), std::string::npos) << "over the budget: " << q;
  EXPECT_NE(q.find("\"" + all[1] + "\""), std::string::npos) << q;
  EXPECT_EQ(q.find("\"" + all[2] + "\""), std::string::npos) << "no chunk holds it: " << q;
  size_t kept = 0;
  for (size_t i = 3; i < all.size(); ++i) kept += q.find("\"" + all[i] + "\"") != std::string::npos;
  EXPECT_EQ(kept, std::min<size_t>(all.size() - 3, 2)) << "10 + 400 + 400 <= 1000: " << q;
  EXPECT_EQ(e.fulltext_query(chunks, 5), "") << "nothing fits";
}

}  // namespace
