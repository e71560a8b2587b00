// Unit tests of find_entities: every recogniser on positive and negative inputs with exact
// offsets and texts, a German and an English invoice, overlap resolution, and 1 MB of garbage.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "engines/extract/entities.h"

namespace ex = paperd::engines::extract;

namespace {

std::vector<ex::Entity> of_type(std::string_view text, const std::string& type,
                                const ex::Options& options = {}) {
  std::vector<ex::Entity> out;
  for (ex::Entity& e : ex::find_entities(text, options))
    if (e.type == type) out.push_back(std::move(e));
  return out;
}

std::vector<std::string> values(const std::vector<ex::Entity>& entities) {
  std::vector<std::string> out;
  for (const ex::Entity& e : entities) out.push_back(e.value);
  return out;
}

// The entity's text, at the first place it occurs in the input (offset and length exact).
void expect_at(std::string_view input, const ex::Entity& e, std::string_view text) {
  EXPECT_EQ(e.text, text);
  EXPECT_EQ(e.offset, input.find(text)) << e.text;
  EXPECT_EQ(e.length, text.size()) << e.text;
}

// What every result must satisfy, whatever the input.
void expect_well_formed(std::string_view input, const std::vector<ex::Entity>& entities) {
  std::map<std::string, size_t> end_of_type;
  size_t previous = 0;
  for (const ex::Entity& e : entities) {
    ASSERT_LE(e.offset + e.length, input.size());
    EXPECT_EQ(e.text, input.substr(e.offset, e.length));
    EXPECT_GE(e.offset, previous) << "not in order of offset";
    previous = e.offset;
    EXPECT_GE(e.offset, end_of_type[e.type]) << "two " << e.type << " overlap";
    end_of_type[e.type] = e.offset + e.length;
    EXPECT_GT(e.confidence, 0);
    EXPECT_LE(e.confidence, 1);
    EXPECT_FALSE(e.value.empty());
  }
}

TEST(EntitiesEmail, PracticalAddressesLowerCased) {
  const std::string t = "Schreiben Sie an Max.Mustermann@Example.COM oder info@müller.de.";
  const auto found = of_type(t, "email");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].value, "max.mustermann@example.com");
  expect_at(t, found[0], "Max.Mustermann@Example.COM");
  EXPECT_EQ(found[1].value, "info@müller.de");
  expect_at(t, found[1], "info@müller.de");  // the sentence's full stop stays outside
  EXPECT_EQ(values(of_type("<a+b_c@sub.example-firm.co.uk>", "email")),
            std::vector<std::string>{"a+b_c@sub.example-firm.co.uk"});
}

TEST(EntitiesEmail, RejectsWhatIsNoAddress) {
  for (const char* t : {"user@localhost", "a@b", "foo@bar.c", "@example.com", "name@.com",
                        "x.@example.com", "a..b@example.com", "Preis @ 5 EUR", "x@-a.de"})
    EXPECT_TRUE(of_type(t, "email").empty()) << t;
}

TEST(EntitiesUrl, SchemesAndWwwWithoutTrailingPunctuation) {
  const std::string t =
      "Siehe https://example.com/a_(b)?x=1, oder www.paperd.io. (Details: http://example.org/p)";
  const auto found = of_type(t, "url");
  ASSERT_EQ(found.size(), 3u);
  expect_at(t, found[0], "https://example.com/a_(b)?x=1");
  expect_at(t, found[1], "www.paperd.io");
  expect_at(t, found[2], "http://example.org/p");
  EXPECT_EQ(found[2].value, "http://example.org/p");
  EXPECT_EQ(values(of_type("HTTPS://Example.COM/X", "url")),
            std::vector<std::string>{"HTTPS://Example.COM/X"});  // as written
}

TEST(EntitiesUrl, RejectsIncompleteOnes) {
  for (const char* t : {"http://", "https://nohost", "www.x", "awww.example.com", "see www.",
                        "http:// example.com"})
    EXPECT_TRUE(of_type(t, "url").empty()) << t;
}

TEST(EntitiesPhone, NationalAndInternationalToE164) {
  const std::string t =
      "Tel.: +49 30 1234567, Fax (030) 12345-67, mobil 0171 1234567, Zentrale 0049 89 123456";
  const auto found = of_type(t, "phone");
  ASSERT_EQ(found.size(), 4u);
  EXPECT_EQ(found[0].value, "+49301234567");
  expect_at(t, found[0], "+49 30 1234567");
  EXPECT_DOUBLE_EQ(found[0].confidence, 0.95);  // labelled
  EXPECT_EQ(found[1].value, "+49301234567");
  expect_at(t, found[1], "(030) 12345-67");
  EXPECT_EQ(found[2].value, "+491711234567");
  expect_at(t, found[2], "0171 1234567");
  EXPECT_EQ(found[3].value, "+4989123456");
}

TEST(EntitiesPhone, DefaultRegionDecidesNationalNumbers) {
  const std::string t = "Call (650) 253-0000 today";
  ex::Options us;
  us.default_region = "US";
  const auto found = of_type(t, "phone", us);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].value, "+16502530000");
  expect_at(t, found[0], "(650) 253-0000");
  ex::Options nowhere;
  nowhere.default_region = "??";  // unknown: only international numbers
  EXPECT_TRUE(of_type("Tel 030 1234567", "phone", nowhere).empty());
  EXPECT_EQ(values(of_type("Tel +49 30 1234567", "phone", nowhere)),
            std::vector<std::string>{"+49301234567"});
}

TEST(EntitiesPhone, OnlyValidNumbers) {
  for (const char* t :
       {"Kundennummer 1234567890", "PLZ 10115 Berlin", "Tel +49 30 12", "Datum 12.03.2025",
        "Summe 1.234.567,00", "Artikel A0301234567", "+00 000 000000"})
    EXPECT_TRUE(of_type(t, "phone").empty()) << t;
}

TEST(EntitiesIban, GroupedOrCompactAndChecked) {
  const std::string t =
      "IBAN: DE89 3704 0044 0532 0130 00 oder GB82WEST12345698765432; alt DE89370400440532013001";
  const auto found = of_type(t, "iban");
  ASSERT_EQ(found.size(), 2u);  // the last one has a wrong digit
  EXPECT_EQ(found[0].value, "DE89370400440532013000");
  expect_at(t, found[0], "DE89 3704 0044 0532 0130 00");
  EXPECT_DOUBLE_EQ(found[0].confidence, 0.99);
  EXPECT_EQ(found[1].value, "GB82WEST12345698765432");
  expect_at(t, found[1], "GB82WEST12345698765432");
  for (const char* t : {"DE893704004405320130001", "XDE89370400440532013000",
                        "DE89 3704 0044 0532 0130 0", "de89370400440532013000"})
    EXPECT_TRUE(of_type(t, "iban").empty()) << t;
}

TEST(EntitiesBic, OnlyLabelledOrNextToAnIban) {
  const std::string labelled = "BIC/SWIFT-Code: COBADEFFXXX";
  auto found = of_type(labelled, "bic");
  ASSERT_EQ(found.size(), 1u);
  expect_at(labelled, found[0], "COBADEFFXXX");
  EXPECT_DOUBLE_EQ(found[0].confidence, 0.9);
  const std::string beside = "DE89 3704 0044 0532 0130 00 COBADEFF";
  found = of_type(beside, "bic");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].value, "COBADEFF");
  EXPECT_DOUBLE_EQ(found[0].confidence, 0.95);  // same country as the IBAN
  for (const char* t : {"PAPERDOC WILLKOMMEN", "BIC\nCOBADEFFXXX", "BIC: ABCDXXYY",
                        "Swift: COBADEFFXX", "DE89370400440532013001 COBADEFFXXX"})
    EXPECT_TRUE(of_type(t, "bic").empty()) << t;
}

TEST(EntitiesVat, SpacedIdsCompactedAndChecked) {
  const std::string t =
      "USt-IdNr.: DE 136 695 976, UID ATU13585627, TVA BE 0428.759.497, VAT MT12345678, "
      "falsch DE136695978";
  const auto found = of_type(t, "vat_id");
  ASSERT_EQ(found.size(), 4u);
  EXPECT_EQ(found[0].value, "DE136695976");
  expect_at(t, found[0], "DE 136 695 976");
  EXPECT_DOUBLE_EQ(found[0].confidence, 0.95);
  EXPECT_EQ(found[1].value, "ATU13585627");
  EXPECT_EQ(found[2].value, "BE0428759497");
  expect_at(t, found[2], "BE 0428.759.497");
  EXPECT_EQ(found[3].value, "MT12345678");
  EXPECT_DOUBLE_EQ(found[3].confidence, 0.7);  // Malta: format only
}

TEST(EntitiesDate, NumericFormsWithExactSpans) {
  const std::string t =
      "Rechnung vom 12.03.2025, geliefert am 1.3.25, fällig 2025-03-31T12:00, "
      "bezahlt 15/04/2025, Version 1.2.3.4, IP 10.1.1.20, Datum 31.02.2025";
  const auto found = of_type(t, "date");
  ASSERT_EQ(found.size(), 4u);
  EXPECT_EQ(found[0].value, "2025-03-12");
  expect_at(t, found[0], "12.03.2025");
  EXPECT_EQ(found[1].value, "2025-03-01");
  expect_at(t, found[1], "1.3.25");
  EXPECT_EQ(found[2].value, "2025-03-31");
  expect_at(t, found[2], "2025-03-31");
  EXPECT_EQ(found[3].value, "2025-04-15");
}

TEST(EntitiesDate, AmbiguousSlashDatesFollowTheText) {
  // A month-first date elsewhere in the text makes 03/04/2025 the 4th of March.
  EXPECT_EQ(values(of_type("Ordered 04/15/2025, shipped 03/04/2025", "date")),
            (std::vector<std::string>{"2025-04-15", "2025-03-04"}));
  // A day-first one makes it the 3rd of April.
  EXPECT_EQ(values(of_type("Bestellt 15/04/2025, geliefert 03/04/2025", "date")),
            (std::vector<std::string>{"2025-04-15", "2025-04-03"}));
  // Neither: day-first, unless the region is the US.
  EXPECT_EQ(values(of_type("Datum 03/04/2025", "date")), std::vector<std::string>{"2025-04-03"});
  ex::Options us;
  us.default_region = "US";
  EXPECT_EQ(values(of_type("Date 03/04/2025", "date", us)), std::vector<std::string>{"2025-03-04"});
  // Dotted dates are always day-first.
  EXPECT_EQ(values(of_type("Date 03.04.2025", "date", us)), std::vector<std::string>{"2025-04-03"});
}

TEST(EntitiesDate, MonthNamesInSixLanguages) {
  const std::string t =
      "am 3. März 2025; on March 3, 2025; le 3 mars 2025; el 3 de marzo de 2025; "
      "il 3 marzo 2025; op 3 maart 2025; due Jan. 5, 2026; 5 Sept 2024; Mär 2025";
  const auto found = of_type(t, "date");
  ASSERT_EQ(found.size(), 8u);
  for (size_t k = 0; k < 6; ++k) EXPECT_EQ(found[k].value, "2025-03-03") << found[k].text;
  expect_at(t, found[0], "3. März 2025");
  expect_at(t, found[1], "March 3, 2025");
  expect_at(t, found[3], "3 de marzo de 2025");
  EXPECT_EQ(found[6].value, "2026-01-05");
  expect_at(t, found[6], "Jan. 5, 2026");
  EXPECT_EQ(found[7].value, "2024-09-05");
  EXPECT_TRUE(of_type("am 31. Februar 2025 oder 30 février 2024", "date").empty());
}

TEST(EntitiesAmount, CurrencyBeforeOrAfter) {
  const std::string t =
      "Preis € 1.234,56 oder 1.234,56 EUR, US: $1,234.56, CH: 1'234.50 CHF, EUR 12,00 und "
      "12,00 €, Rabatt -5,00 €, UK £99.";
  const auto found = of_type(t, "amount");
  ASSERT_EQ(found.size(), 8u);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"1234.56", "EUR"}, {"1234.56", "EUR"}, {"1234.56", "USD"}, {"1234.50", "CHF"},
      {"12.00", "EUR"},   {"12.00", "EUR"},   {"-5.00", "EUR"},   {"99.00", "GBP"}};
  for (size_t k = 0; k < expected.size(); ++k) {
    EXPECT_EQ(found[k].value, expected[k].first) << found[k].text;
    EXPECT_EQ(found[k].currency, expected[k].second) << found[k].text;
  }
  expect_at(t, found[0], "€ 1.234,56");
  expect_at(t, found[1], "1.234,56 EUR");
  expect_at(t, found[3], "1'234.50 CHF");
  expect_at(t, found[6], "-5,00 €");
  expect_at(t, found[7], "£99");
}

TEST(EntitiesAmount, BareNumbersOnlyAfterALabel) {
  const std::string t =
      "Menge 1.234,56\nGesamtbetrag: 1.469,13\nTotal due 99.90 (19 %)\nMwSt.-Betrag 19,00 %";
  const auto found = of_type(t, "amount");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].value, "1469.13");
  EXPECT_EQ(found[0].currency, "");
  expect_at(t, found[0], "1.469,13");
  EXPECT_DOUBLE_EQ(found[0].confidence, 0.6);
  EXPECT_EQ(found[1].value, "99.90");
  // Without currency and label nothing is an amount; "2 USD 50.00" is 50.00.
  EXPECT_TRUE(of_type("Artikel 4711 kostet 12,50 laut Liste", "amount").empty());
  EXPECT_EQ(values(of_type("Qty 2 USD 50.00", "amount")), std::vector<std::string>{"50.00"});
}

TEST(EntitiesCompany, LegalFormEndsTheNameAndTheStopListStartsIt) {
  const std::pair<const char*, const char*> cases[] = {
      {"Rechnung der Müller GmbH über", "Müller GmbH"},
      {"Invoice from Acme Widgets Ltd. for May", "Acme Widgets Ltd."},
      {"Firma Schmidt & Söhne GmbH & Co. KG, Berlin", "Schmidt & Söhne GmbH & Co. KG"},
      {"Mustermann Consulting UG (haftungsbeschränkt) Köln",
       "Mustermann Consulting UG (haftungsbeschränkt)"},
      {"Bill to: Globex, Inc.", "Globex, Inc."},
      {"Vielen Dank\nBeta   Systems AG", "Beta Systems AG"},
      {"Kunde: Bank of America Corp. (NY)", "Bank of America Corp."},
      {"Wir danken der Muster AG.", "Muster AG"},
      {"An die 1&1 Internet SE", "1&1 Internet SE"},
      {"Les Éditions Gallimard S.A. Paris", "Éditions Gallimard S.A."},
      {"Verein der Freunde e.V.", "Freunde e.V."},
  };
  for (const auto& [text, name] : cases) {
    const auto found = of_type(text, "company");
    ASSERT_EQ(found.size(), 1u) << text;
    EXPECT_EQ(found[0].value, name) << text;
  }
  // At most six words before the form; the text keeps the original spacing.
  const std::string t = "Alpha Beta Gamma Delta Epsilon Zeta Eta GmbH";
  auto found = of_type(t, "company");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].value, "Beta Gamma Delta Epsilon Zeta Eta GmbH");
  found = of_type("Beta   Systems AG", "company");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].text, "Beta   Systems AG");
  for (const char* t :
       {"die AG hat beschlossen", "Die GmbH", "mit der gmbh", "RECHNUNG GmbH", "Zahlung per SEPA"})
    EXPECT_TRUE(of_type(t, "company").empty()) << t;
}

TEST(EntitiesPerson, HonorificThenNames) {
  const std::string t = "Sehr geehrter Herr Dr. Max Müller, bitte rufen Sie Frau Holle an.";
  const auto found = of_type(t, "person");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].value, "Max Müller");
  expect_at(t, found[0], "Herr Dr. Max Müller");
  EXPECT_EQ(found[1].value, "Holle");
  const std::pair<const char*, const char*> cases[] = {
      {"Dear Mrs. Jane Doe,", "Jane Doe"},
      {"Madame Claire Dubois", "Claire Dubois"},
      {"Señora María García López y", "María García López"},
      {"Herrn\nMax Mustermann\nMusterstraße 1", "Max Mustermann"},
      {"Mr. J. Smith", "J. Smith"},
      {"Herr Ludwig van Beethoven", "Ludwig van Beethoven"},
      {"Bonjour M. Dupont.", "Dupont"},
  };
  for (const auto& [text, name] : cases) {
    const auto people = of_type(text, "person");
    ASSERT_EQ(people.size(), 1u) << text;
    EXPECT_EQ(people[0].value, name) << text;
  }
  for (const char* t : {"die Frau des Hauses", "Herr der Ringe", "J. M. Smith", "John M. Smith",
                        "Fr. 12.50", "Dr. Oetker KG"})
    EXPECT_TRUE(of_type(t, "person").empty()) << t;
  EXPECT_EQ(values(of_type("Dr. Oetker KG", "company")), std::vector<std::string>{"Dr. Oetker KG"});
}

TEST(EntitiesPostcodeCity, AddressLines) {
  const std::string t =
      "Hauptstraße 12, 10115 Berlin\nD-80331 München\n75001 Paris\n1010 Wien\n"
      "60311 Frankfurt am Main\n06108 Halle (Saale)\nSW1A 1AA London";
  const auto found = of_type(t, "postcode_city");
  EXPECT_EQ(values(found), (std::vector<std::string>{"10115 Berlin", "80331 München", "75001 Paris",
                                                     "1010 Wien", "60311 Frankfurt am Main",
                                                     "06108 Halle (Saale)", "SW1A 1AA London"}));
  ASSERT_EQ(found.size(), 7u);
  expect_at(t, found[1], "D-80331 München");
  EXPECT_DOUBLE_EQ(found[1].confidence, 0.85);
  for (const char* t : {"Wir haben 1200 Stück geliefert", "im Jahr 2025 Berlin besucht",
                        "12345 berlin", "123456 Berlin", "0999 Wien"})
    EXPECT_TRUE(of_type(t, "postcode_city").empty()) << t;
}

TEST(EntitiesDocuments, GermanInvoice) {
  const std::string t =
      "Müller Bürobedarf GmbH\n"
      "Hauptstraße 12, 10115 Berlin\n"
      "Tel.: +49 30 1234567 · E-Mail: info@mueller-buero.de · www.mueller-buero.de\n"
      "\n"
      "Rechnung Nr. 2025-0042\n"
      "Rechnungsdatum: 12.03.2025\n"
      "Leistungsdatum: 3. März 2025\n"
      "\n"
      "Sehr geehrte Frau Dr. Anna Schmidt,\n"
      "\n"
      "Pos. 1  Druckerpapier A4, 2 x 12,50 €        25,00 €\n"
      "Zwischensumme                              1.234,56\n"
      "Gesamtbetrag:                          1.469,13 EUR\n"
      "\n"
      "Bitte überweisen Sie den Betrag bis 26.03.2025 auf\n"
      "IBAN: DE89 3704 0044 0532 0130 00, BIC: COBADEFFXXX\n"
      "USt-IdNr.: DE136695976 · Amtsgericht Berlin HRB 12345\n";
  const auto found = ex::find_entities(t);
  expect_well_formed(t, found);
  std::vector<std::string> got;
  for (const auto& e : found) got.push_back(e.type + " " + e.value + " " + e.currency);
  const std::vector<std::string> expected = {
      "company Müller Bürobedarf GmbH ",
      "postcode_city 10115 Berlin ",
      "phone +49301234567 ",
      "email info@mueller-buero.de ",
      "url www.mueller-buero.de ",
      "date 2025-03-12 ",
      "date 2025-03-03 ",
      "person Anna Schmidt ",
      "amount 12.50 EUR",
      "amount 25.00 EUR",
      "amount 1234.56 ",
      "amount 1469.13 EUR",
      "date 2025-03-26 ",
      "iban DE89370400440532013000 ",
      "bic COBADEFFXXX ",
      "vat_id DE136695976 ",
  };
  EXPECT_EQ(got, expected);
}

TEST(EntitiesDocuments, EnglishInvoice) {
  const std::string t =
      "Acme Widgets Ltd.\n"
      "10 Downing Street\n"
      "SW1A 2AA London\n"
      "Phone +44 20 7946 0958 | billing@acme.example.co.uk\n"
      "\n"
      "INVOICE 2025-117\n"
      "Invoice date: March 3, 2025\n"
      "Due date: 04/15/2025\n"
      "Bill to: Mr. John Smith, Globex Corporation\n"
      "\n"
      "Item 1   Widgets   3 x $400.00   $1,200.00\n"
      "Shipping                            $34.56\n"
      "Total due:                     $1,234.56\n"
      "\n"
      "Pay to IBAN GB82 WEST 1234 5698 7654 32, SWIFT NWBKGB2L\n"
      "Details: https://acme.example.co.uk/invoices/117.\n";
  ex::Options options;
  options.default_region = "GB";
  const auto found = ex::find_entities(t, options);
  expect_well_formed(t, found);
  std::vector<std::string> got;
  for (const auto& e : found) got.push_back(e.type + " " + e.value + " " + e.currency);
  const std::vector<std::string> expected = {
      "company Acme Widgets Ltd. ",
      "postcode_city SW1A 2AA London ",
      "phone +442079460958 ",
      "email billing@acme.example.co.uk ",
      "date 2025-03-03 ",
      "date 2025-04-15 ",
      "person John Smith ",
      "company Globex Corporation ",
      "amount 400.00 USD",
      "amount 1200.00 USD",
      "amount 34.56 USD",
      "amount 1234.56 USD",
      "iban GB82WEST12345698765432 ",
      "bic NWBKGB2L ",
      "url https://acme.example.co.uk/invoices/117 ",
  };
  EXPECT_EQ(got, expected);
}

TEST(EntitiesOverlaps, HigherRankKeepsTheSpan) {
  // IBAN digits are no phone, a date is no amount or phone, an e-mail inside a URL is the URL.
  auto found = ex::find_entities("IBAN DE89 3704 0044 0532 0130 00");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].type, "iban");
  found = ex::find_entities("Summe: 12.03.2025");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].type, "date");
  found = ex::find_entities("https://example.com/contact?to=info@example.com");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].type, "url");
  // A VAT id is no phone number; "DE 0301234567" is neither a valid id nor a phone.
  found = ex::find_entities("USt-IdNr. DE136695976");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].type, "vat_id");
  // Names may overlap other types: the company holds the person-like "Dr. Oetker".
  found = ex::find_entities("Dr. August Oetker KG, 33617 Bielefeld");
  EXPECT_EQ(values(found), (std::vector<std::string>{"Dr. August Oetker KG", "33617 Bielefeld"}));
  // One type never overlaps itself: the longer form wins.
  found = of_type("Schmidt GmbH & Co. KG", "company");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].value, "Schmidt GmbH & Co. KG");
}

TEST(EntitiesRobustness, EmptyTruncatedAndInvalidUtf8) {
  EXPECT_TRUE(ex::find_entities("").empty());
  for (std::string t : {std::string("M\xc3"), std::string("\xff\xfe 12,00 \xe2\x82"),
                        std::string("Herr \xc3\x28 M\xfcller GmbH"), std::string("\0\0@\0.de", 7),
                        std::string("DE89 3704 0044 0532 0130 0\xf0"), std::string(300, '@')}) {
    const auto found = ex::find_entities(t);
    expect_well_formed(t, found);
  }
}

TEST(EntitiesRobustness, OneMegabyteOfGarbage) {
  std::mt19937 rng(20251129);
  std::string bytes(1 << 20, '\0');
  for (char& c : bytes) c = static_cast<char>(rng());
  std::string ascii(1 << 20, '\0');
  const std::string alphabet =
      "0123456789 .,-/+()@\xe2\x82\xac$ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\n";
  for (char& c : ascii) c = alphabet[rng() % alphabet.size()];
  std::string digits(1 << 20, '\0');
  const std::string digit_alphabet = "0123456789 0123456789 ..,,//--+(";
  for (char& c : digits) c = digit_alphabet[rng() % digit_alphabet.size()];
  std::string invoices;
  while (invoices.size() < (1 << 20))
    invoices += "Müller GmbH, Hauptstraße 12, 10115 Berlin, Tel. 030 " +
                std::to_string(1000000 + rng() % 9000000) +
                ", info@mueller.de, 12.03.2025, Gesamt 1.234,56 EUR, Herr Max Müller\n";
  for (const auto& [name, text] :
       std::vector<std::pair<const char*, std::string>>{{"random bytes", bytes},
                                                        {"random ASCII", ascii},
                                                        {"digits and separators", digits},
                                                        {"invoice lines", invoices}}) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto found = ex::find_entities(text);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("[ timing   ] %s: %zu bytes, %zu entities, %.3f s\n", name, text.size(),
                found.size(), seconds);
    expect_well_formed(text, found);
  }
}

}  // namespace
