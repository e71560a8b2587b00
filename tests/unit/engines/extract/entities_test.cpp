// engines/extract: the entities of a German and an English invoice (type, canonical value, the
// text as written at its exact offset, currency), check digits deciding IBANs and VAT ids, date
// and amount parsing, and garbage input: 1 MB of random bytes, ASCII and digits never crash and
// every entity's span is the text it claims (the time is printed, not asserted).
#include "engines/extract/entities.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <set>
#include <tuple>

namespace ex = paperd::engines::extract;

namespace {

using Want = std::tuple<std::string, std::string, std::string>;  // type, value, text

void expect_entities(const std::string& text, const std::vector<Want>& want,
                     const ex::Options& options = {}) {
  auto found = ex::find_entities(text, options);
  std::set<Want> got;
  for (const auto& e : found) {
    got.emplace(e.type, e.value, e.text);
    ASSERT_LE(e.offset + e.length, text.size());
    EXPECT_EQ(text.substr(e.offset, e.length), e.text) << e.type;
  }
  for (const auto& w : want)
    EXPECT_TRUE(got.contains(w)) << std::get<0>(w) << " " << std::get<1>(w) << " ["
                                 << std::get<2>(w) << "]";
}

const std::string kGerman =
    "Müller Bürobedarf GmbH\nHauptstraße 12, 10115 Berlin\nTel.: +49 30 1234567\n"
    "E-Mail: info@mueller-buero.de\nwww.mueller-buero.de\n\nRechnung Nr. 2025-0042\n"
    "Rechnungsdatum: 12.03.2025\nLeistungsdatum: 3. März 2025\n\n"
    "Sehr geehrte Frau Dr. Anna Schmidt,\n\nPos 1 Druckerpapier 2 x 12,50 € 25,00 €\n"
    "Zwischensumme 1.234,56\nGesamtbetrag: 1.469,13 EUR\n\n"
    "Bitte überweisen Sie den Betrag bis 26.03.2025 auf\n"
    "IBAN: DE89 3704 0044 0532 0130 00, BIC: COBADEFFXXX\nUSt-IdNr.: DE136695976\n"
    "Rechnung der Schmidt & Partner Consulting GmbH & Co. KG\n";

}  // namespace

TEST(Entities, GermanInvoice) {
  expect_entities(kGerman, {{"company", "Müller Bürobedarf GmbH", "Müller Bürobedarf GmbH"},
                            {"postcode_city", "10115 Berlin", "10115 Berlin"},
                            {"phone", "+49301234567", "+49 30 1234567"},
                            {"email", "info@mueller-buero.de", "info@mueller-buero.de"},
                            {"url", "www.mueller-buero.de", "www.mueller-buero.de"},
                            {"date", "2025-03-12", "12.03.2025"},
                            {"date", "2025-03-03", "3. März 2025"},
                            {"person", "Anna Schmidt", "Frau Dr. Anna Schmidt"},
                            {"amount", "1469.13", "1.469,13 EUR"},
                            {"amount", "25.00", "25,00 €"},
                            {"iban", "DE89370400440532013000", "DE89 3704 0044 0532 0130 00"},
                            {"bic", "COBADEFFXXX", "COBADEFFXXX"},
                            {"vat_id", "DE136695976", "DE136695976"},
                            {"company", "Schmidt & Partner Consulting GmbH & Co. KG",
                             "Schmidt & Partner Consulting GmbH & Co. KG"}});
  for (const auto& e : ex::find_entities(kGerman))
    if (e.type == "amount" && e.value == "1469.13") EXPECT_EQ(e.currency, "EUR");
}

TEST(Entities, EnglishInvoice) {
  expect_entities(
      "Acme Widgets Ltd.\n10 Downing Street\nSW1A 2AA London\nInvoice date: March 3, 2025\n"
      "Due: 04/15/2025\nBill to: Mr. John Smith, Globex Corporation\nPhone +44 20 7946 0958\n"
      "Total due: $1,234.56\nIBAN GB82 WEST 1234 5698 7654 32 SWIFT NWBKGB2L\n",
      {{"company", "Acme Widgets Ltd.", "Acme Widgets Ltd."},
       {"date", "2025-03-03", "March 3, 2025"},
       {"date", "2025-04-15", "04/15/2025"},
       {"person", "John Smith", "Mr. John Smith"},
       {"phone", "+442079460958", "+44 20 7946 0958"},
       {"amount", "1234.56", "$1,234.56"},
       {"iban", "GB82WEST12345698765432", "GB82 WEST 1234 5698 7654 32"},
       {"bic", "NWBKGB2L", "NWBKGB2L"}});
}

TEST(Entities, CheckDigitsDecide) {
  EXPECT_TRUE(ex::iban_valid("DE89370400440532013000"));
  EXPECT_FALSE(ex::iban_valid("DE89370400440532013001"));  // one digit changed
  EXPECT_FALSE(ex::iban_valid("DE8937040044053201300"));   // one digit short for DE
  EXPECT_TRUE(ex::iban_valid("GB82WEST12345698765432"));
  EXPECT_TRUE(ex::vat_id_valid("DE136695976"));
  EXPECT_FALSE(ex::vat_id_valid("DE136695977"));
  EXPECT_FALSE(ex::vat_id_valid("XX123456789"));
  // A wrong IBAN or VAT id in a text is not an entity.
  for (const auto& e : ex::find_entities("IBAN DE89 3704 0044 0532 0130 01, USt DE136695977"))
    EXPECT_TRUE(e.type != "iban" && e.type != "vat_id") << e.type << " " << e.value;
}

TEST(Entities, DatesAndAmounts) {
  EXPECT_EQ(ex::parse_date("12.03.2025"), "2025-03-12");
  EXPECT_EQ(ex::parse_date("3 de marzo de 2025"), "2025-03-03");
  EXPECT_EQ(ex::parse_date("3 mars 2025"), "2025-03-03");
  EXPECT_EQ(ex::parse_date("3 maart 2025"), "2025-03-03");
  EXPECT_EQ(ex::parse_date("2025-03-03"), "2025-03-03");
  EXPECT_EQ(ex::parse_date("05/04/2025"), "2025-04-05") << "ambiguous: day first";
  EXPECT_EQ(ex::parse_date("31.02.2025"), std::nullopt) << "no such day";
  EXPECT_EQ(ex::parse_amount("€ 1.234,56"),
            std::make_pair(std::string("1234.56"), std::string("EUR")));
  EXPECT_EQ(ex::parse_amount("$1,234.56"),
            std::make_pair(std::string("1234.56"), std::string("USD")));
  EXPECT_EQ(ex::parse_amount("1'234.50 CHF"),
            std::make_pair(std::string("1234.50"), std::string("CHF")));
  EXPECT_EQ(ex::parse_amount("1.234,56"), std::make_pair(std::string("1234.56"), std::string("")));
  // A bare number without a currency or a label is no amount.
  for (const auto& e : ex::find_entities("Seite 12 von 34, Artikel 5566"))
    EXPECT_NE(e.type, "amount") << e.text;
}

TEST(Entities, GarbageNeverBreaksAndSpansHold) {
  std::mt19937 rng(7);
  auto random_text = [&](const std::string& alphabet) {
    std::string s(1 << 20, ' ');
    for (auto& ch : s)
      ch = alphabet.empty() ? static_cast<char>(rng() & 0xFF) : alphabet[rng() % alphabet.size()];
    return s;
  };
  const std::string ascii =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,@-/:\n€$";
  for (const auto& [name, text] : std::vector<std::pair<std::string, std::string>>{
           {"random bytes", random_text("")},
           {"random ascii", random_text(ascii)},
           {"random digits", random_text("0123456789 ./-+")}}) {
    auto t0 = std::chrono::steady_clock::now();
    auto found = ex::find_entities(text);
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("%s: 1 MB, %zu entities, %.3f s\n", name.c_str(), found.size(), s);
    size_t last = 0;
    for (const auto& e : found) {
      ASSERT_LE(e.offset + e.length, text.size()) << name;
      ASSERT_EQ(text.compare(e.offset, e.length, e.text), 0) << name;
      EXPECT_GE(e.offset, last) << "in order of offset";
      last = e.offset;
    }
  }
}
