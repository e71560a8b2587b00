// Unit tests of engines/thesaurus on the installed data (WordNet 3.0, MyThes en_US, de_DE
// (OpenThesaurus), fr_FR, es_ES): real synonyms and hypernyms per language, what must never come
// back (the word itself, antonyms, phrases), the cap, and equal answers under concurrent lookups.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>

#include "engines/thesaurus/thesaurus.h"

namespace thesaurus = paperd::engines::thesaurus;

namespace {

const thesaurus::Expansion* find(const std::vector<thesaurus::Expansion>& all,
                                 std::string_view term) {
  auto it = std::find_if(all.begin(), all.end(), [&](const auto& e) { return e.term == term; });
  return it == all.end() ? nullptr : &*it;
}

bool is_synonym(const std::vector<thesaurus::Expansion>& all, std::string_view term) {
  const thesaurus::Expansion* e = find(all, term);
  return e && e->relation == "synonym" && e->weight == thesaurus::kSynonymWeight;
}

bool is_hypernym(const std::vector<thesaurus::Expansion>& all, std::string_view term) {
  const thesaurus::Expansion* e = find(all, term);
  return e && e->relation == "hypernym" && e->weight == thesaurus::kHypernymWeight;
}

std::string show(const std::vector<thesaurus::Expansion>& all) {
  std::string out;
  for (const auto& e : all) out += e.term + (e.relation == "hypernym" ? "^ " : " ");
  return out;
}

TEST(Thesaurus, AllFourLanguagesHaveData) {
  EXPECT_EQ(thesaurus::languages(), (std::vector<std::string>{"de", "en", "es", "fr"}));
}

// First in this file, so with --gtest_filter='Thesaurus*' it times the loading of each language.
TEST(Thesaurus, PrintsFirstLoadTime) {
  using Clock = std::chrono::steady_clock;
  for (auto [language, word] :
       {std::pair{"en", "house"}, {"de", "Haus"}, {"fr", "maison"}, {"es", "casa"}}) {
    auto start = Clock::now();
    auto all = thesaurus::expand(language, word);
    double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    std::printf("  first expand(%s): %.1f ms (%zu expansions)\n", language, ms, all.size());
    EXPECT_FALSE(all.empty()) << language;
  }
}

TEST(Thesaurus, EnglishSynonymsFromWordNet) {
  auto car = thesaurus::expand("en", "car");
  EXPECT_TRUE(is_synonym(car, "automobile")) << show(car);
  EXPECT_EQ(car.front().language, "en");
  auto doctor = thesaurus::expand("en", "Doctor");
  EXPECT_TRUE(is_synonym(doctor, "physician")) << show(doctor);
  // Inflected forms reach their base form's synsets; the base form is the word itself.
  auto bought = thesaurus::expand("en", "bought");
  EXPECT_TRUE(is_synonym(bought, "purchase")) << show(bought);
  EXPECT_EQ(find(bought, "buy"), nullptr) << show(bought);
}

TEST(Thesaurus, EnglishHypernymsWeighLessAndComeLast) {
  auto car = thesaurus::expand("en", "car", 100);
  // car → {motor_vehicle, wheeled_vehicle, compartment}: only the single word survives.
  EXPECT_TRUE(is_hypernym(car, "compartment")) << show(car);
  EXPECT_EQ(find(car, "vehicle"), nullptr);
  EXPECT_EQ(find(car, "motor"), nullptr);
  auto invoice = thesaurus::expand("en", "invoice", 100);
  EXPECT_TRUE(is_synonym(invoice, "bill")) << show(invoice);  // also a hypernym of the verb
  EXPECT_TRUE(is_hypernym(invoice, "statement")) << show(invoice);
  for (const auto& all : {car, invoice}) {
    auto first_hypernym = std::find_if(all.begin(), all.end(),
                                       [](const auto& e) { return e.relation == "hypernym"; });
    EXPECT_TRUE(std::all_of(first_hypernym, all.end(), [](const auto& e) {
      return e.relation == "hypernym";
    })) << show(all);
  }
}

TEST(Thesaurus, GermanFromOpenThesaurusInAnyCase) {
  for (const char* word : {"Auto", "auto", "AUTO"}) {
    auto all = thesaurus::expand("de", word, 100);
    EXPECT_TRUE(is_synonym(all, "wagen") || is_synonym(all, "kraftwagen"))
        << word << ": " << show(all);
    EXPECT_TRUE(is_hypernym(all, "fahrzeug")) << word << ": " << show(all);  // (Oberbegriff)
    EXPECT_EQ(all.front().language, "de");
  }
  auto rechnung = thesaurus::expand("de", "Rechnung", 100);
  EXPECT_TRUE(is_synonym(rechnung, "abrechnung")) << show(rechnung);
  // Umlauts are lower-cased too: "ÄCHZEN" is the headword "ächzen".
  auto aechzen = thesaurus::expand("de", "ÄCHZEN", 100);
  EXPECT_TRUE(is_synonym(aechzen, "stöhnen")) << show(aechzen);
}

TEST(Thesaurus, FrenchAndSpanish) {
  auto voiture = thesaurus::expand("fr", "Voiture", 100);
  EXPECT_TRUE(is_synonym(voiture, "automobile")) << show(voiture);
  EXPECT_TRUE(is_synonym(voiture, "véhicule")) << show(voiture);
  EXPECT_EQ(voiture.front().language, "fr");
  // The Spanish data is ISO-8859-1: answers come back as UTF-8.
  auto coche = thesaurus::expand("es", "coche", 100);
  EXPECT_TRUE(is_synonym(coche, "automóvil")) << show(coche);
  EXPECT_TRUE(is_synonym(coche, "carro")) << show(coche);
  EXPECT_EQ(coche.front().language, "es");
}

TEST(Thesaurus, UnknownWordOrLanguageIsEmpty) {
  EXPECT_TRUE(thesaurus::expand("en", "xqzzvwk").empty());
  EXPECT_TRUE(thesaurus::expand("de", "xqzzvwk").empty());
  EXPECT_TRUE(thesaurus::expand("xx", "car").empty());
  EXPECT_TRUE(thesaurus::expand("", "car").empty());
  EXPECT_TRUE(thesaurus::expand("en", "").empty());
  EXPECT_TRUE(thesaurus::expand("en", "car", 0).empty());
}

TEST(Thesaurus, NeverTheWordItselfNorPhrasesNorDuplicates) {
  for (auto [language, word] : {std::pair{"en", "car"},
                                {"en", "doctor"},
                                {"de", "Rechnung"},
                                {"de", "Auto"},
                                {"fr", "voiture"},
                                {"es", "coche"}}) {
    auto all = thesaurus::expand(language, word, 1000);
    ASSERT_FALSE(all.empty()) << word;
    std::string self = word;
    std::transform(self.begin(), self.end(), self.begin(), ::tolower);
    std::vector<std::string> terms;
    for (const auto& e : all) {
      EXPECT_NE(e.term, self) << word;
      EXPECT_EQ(e.term.find_first_of(" _."), std::string::npos) << e.term;
      EXPECT_EQ(e.term, [&] {
        std::string t = e.term;
        std::transform(t.begin(), t.end(), t.begin(), ::tolower);
        return t;
      }()) << e.term;
      terms.push_back(e.term);
    }
    std::sort(terms.begin(), terms.end());
    EXPECT_EQ(std::adjacent_find(terms.begin(), terms.end()), terms.end()) << show(all);
  }
}

TEST(Thesaurus, NoAntonyms) {
  // MyThes en_US: buy → "(verb)|purchase|...|sell (antonym)"; good → "...|bad (antonym)".
  auto buy = thesaurus::expand("en", "buy", 1000);
  EXPECT_TRUE(is_synonym(buy, "purchase")) << show(buy);
  EXPECT_EQ(find(buy, "sell"), nullptr) << show(buy);
  auto good = thesaurus::expand("en", "good", 1000);
  EXPECT_FALSE(good.empty());
  EXPECT_EQ(find(good, "bad"), nullptr) << show(good);
  EXPECT_EQ(find(good, "evil"), nullptr) << show(good);
}

TEST(Thesaurus, MaxIsRespected) {
  EXPECT_EQ(thesaurus::expand("en", "doctor").size(), 8u);
  EXPECT_EQ(thesaurus::expand("en", "car", 3).size(), 3u);
  EXPECT_EQ(thesaurus::expand("de", "Auto", 2).size(), 2u);
  auto all = thesaurus::expand("en", "car", 1000), three = thesaurus::expand("en", "car", 3);
  for (size_t i = 0; i < three.size(); ++i) EXPECT_EQ(three[i].term, all[i].term);
}

TEST(Thesaurus, ConcurrentLookupsGiveTheSingleThreadedAnswers) {
  const std::vector<std::pair<std::string, std::string>> words{
      {"en", "car"},  {"en", "doctor"},   {"en", "invoice"}, {"en", "bought"},
      {"de", "Auto"}, {"de", "Rechnung"}, {"fr", "voiture"}, {"es", "coche"}};
  std::vector<std::vector<thesaurus::Expansion>> expected;
  for (const auto& [language, word] : words) expected.push_back(thesaurus::expand(language, word));
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        size_t k = (i + t) % words.size();
        auto got = thesaurus::expand(words[k].first, words[k].second);
        bool same = got.size() == expected[k].size();
        for (size_t j = 0; same && j < got.size(); ++j)
          same = got[j].term == expected[k][j].term && got[j].relation == expected[k][j].relation;
        if (!same) ++mismatches[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

TEST(Thesaurus, PrintsTimePerWordAndExamples) {
  using Clock = std::chrono::steady_clock;
  const std::vector<std::pair<std::string, std::string>> examples{
      {"en", "car"},  {"en", "doctor"},   {"en", "invoice"}, {"en", "buy"},
      {"de", "Auto"}, {"de", "Rechnung"}, {"fr", "voiture"}, {"es", "coche"}};
  for (const auto& [language, word] : examples) {
    std::printf("  %s %s: %s\n", language.c_str(), word.c_str(),
                show(thesaurus::expand(language, word)).c_str());
  }
  // Words no test asked for: the first expansion of each is not cached.
  const std::vector<std::pair<std::string, std::vector<std::string>>> fresh{
      {"en", {"contract", "payment",   "letter",    "tax",      "employee", "salary",   "report",
              "meeting",  "customer",  "delivered", "orders",   "signed",   "receipts", "happy",
              "quickly",  "insurance", "bank",      "transfer", "address",  "xqzzvwk"}},
      {"de",
       {"Vertrag", "Zahlung", "Brief", "Steuer", "Mitarbeiter", "Gehalt", "Bericht", "Kunde",
        "Lieferung", "Versicherung"}},
      {"fr", {"contrat", "paiement", "lettre", "facture", "client"}},
      {"es", {"contrato", "pago", "carta", "factura", "cliente"}}};
  for (const auto& [language, words] : fresh) {
    auto start = Clock::now();
    for (const auto& word : words) thesaurus::expand(language, word);
    double cold = std::chrono::duration<double, std::micro>(Clock::now() - start).count() /
                  static_cast<double>(words.size());
    constexpr int kRounds = 200;
    start = Clock::now();
    for (int i = 0; i < kRounds; ++i)
      for (const auto& word : words) thesaurus::expand(language, word);
    double warm = std::chrono::duration<double, std::micro>(Clock::now() - start).count() /
                  (kRounds * static_cast<double>(words.size()));
    std::printf("  expand(%s): %.1f µs per new word, %.2f µs per repeated word (%zu words)\n",
                language.c_str(), cold, warm, words.size());
  }
}

}  // namespace
