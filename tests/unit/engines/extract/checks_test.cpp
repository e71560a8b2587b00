// Unit tests of the checks engines/extract exposes for reuse: IBAN mod-97, the EU VAT id
// formats and national check digits, and whole-string date and amount parsing.
//
// The check digits were verified independently of the implementation: the IBANs with Python's
// int(rotated, 36-digit expansion) % 97 == 1 (DE89370400440532013000, GB82WEST12345698765432,
// FR1420041010050500013M02606, CH9300762011623852957; ...013001 gives 28), and the VAT ids are
// the examples of python-stdnum's documentation (de/vat.py: DE136695976 valid, 136695978
// invalid; at/uid.py: U13585627; be/vat.py: 0428759497, 431150351 invalid; nl/btw.py:
// 004495445B01; it/iva.py: 00743110157; fr/tva.py: 23334175221, K7399859412, 84323140391
// invalid; es/nif.py: B64717838, 54362315K, X5253868R; es/cif.py: J99216582; pl/nip.py:
// 8567346215; dk/cvr.py: 13585628; fi/alv.py: 20774740; se/vat.py: 123456789701; pt/nif.py:
// 501964843; lu/tva.py: 15027442; gr/vat.py: 094259216; hr/oib.py: 33392005961; si/ddv.py:
// 50223054; hu/anum.py: 12892312; ee/kmkr.py: 100594102). FR40303265045: (303265045·100 + 12)
// mod 97 = 40 in Python; NL100000024B01 (mod 97 of "NL100000024B01" with letters as 10..35 is 1,
// its eleven-test fails) was searched for with Python.
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "engines/extract/entities.h"

namespace ex = paperd::engines::extract;

namespace {

TEST(EntitiesChecks, IbanPassesMod97AndCountryLength) {
  EXPECT_TRUE(ex::iban_valid("DE89370400440532013000"));
  EXPECT_TRUE(ex::iban_valid("GB82WEST12345698765432"));
  EXPECT_TRUE(ex::iban_valid("FR1420041010050500013M02606"));
  EXPECT_TRUE(ex::iban_valid("CH9300762011623852957"));
  EXPECT_FALSE(ex::iban_valid("DE89370400440532013001"));   // one digit changed
  EXPECT_FALSE(ex::iban_valid("DE98370400440532013000"));   // check digits swapped
  EXPECT_FALSE(ex::iban_valid("DE8937040044053201300"));    // 21 characters for DE
  EXPECT_FALSE(ex::iban_valid("DE893704004405320130000"));  // 23
  EXPECT_FALSE(ex::iban_valid("XX89370400440532013000"));   // no such country
  EXPECT_FALSE(ex::iban_valid("de89370400440532013000"));   // not compact upper-case
  EXPECT_FALSE(ex::iban_valid("DE89 3704 0044 0532 0130 00"));
  EXPECT_FALSE(ex::iban_valid(""));
  EXPECT_FALSE(ex::iban_valid("DE"));
}

TEST(EntitiesChecks, VatIdsWithNationalCheckDigits) {
  for (const char* valid :
       {"DE136695976",    "ATU13585627",   "BE0428759497",   "BE428759497",   "NL004495445B01",
        "NL100000024B01", "IT00743110157", "FR40303265045",  "FR23334175221", "FRK7399859412",
        "ESB64717838",    "ES54362315K",   "ESX5253868R",    "ESJ99216582",   "PL8567346215",
        "DK13585628",     "FI20774740",    "SE123456789701", "PT501964843",   "LU15027442",
        "EL094259216",    "HR33392005961", "SI50223054",     "HU12892312",    "EE100594102"})
    EXPECT_TRUE(ex::vat_id_valid(valid)) << valid;
  for (const char* wrong :
       {"DE136695978",   "DE036695976",    "ATU13585626",    "ATX13585627",   "BE0431150351",
        "BE2428759497",  "NL123456789B90", "NL004495445C01", "IT00743110158", "FR84323140391",
        "FRIO334175221", "ESB64717839",    "ES54362315X",    "PL8567346216",  "DK13585627",
        "FI20774741",    "SE123456789101", "SE123456789702", "PT501964842",   "LU15027443",
        "EL123456781",   "HR33392005962",  "SI50223055",     "HU12892313",    "EE100594103",
        "DE13669597",    "DE1366959760"})
    EXPECT_FALSE(ex::vat_id_valid(wrong)) << wrong;
}

TEST(EntitiesChecks, VatIdsCheckedForFormatOnly) {
  for (const char* valid :
       {"BG123456789", "BG1234567890", "CY12345678L", "CZ12345678", "CZ1234567890", "IE1234567T",
        "IE1234567WA", "IE8Z49289F", "LT123456789", "LT123456789012", "LV12345678901", "MT12345678",
        "RO1234567", "SK1234567890"})
    EXPECT_TRUE(ex::vat_id_valid(valid)) << valid;
  for (const char* wrong : {"BG12345678", "CY123456789", "CZ1234567", "IE123456T", "LT1234567890",
                            "LV1234567890", "MT1234567", "RO01234567", "SK123456789", "GR094259216",
                            "XX123456789", "", "DE", "de136695976"})
    EXPECT_FALSE(ex::vat_id_valid(wrong)) << wrong;
}

TEST(EntitiesChecks, ParseDateNumericForms) {
  const std::pair<const char*, const char*> cases[] = {
      {"12.03.2025", "2025-03-12"}, {"1.3.25", "2025-03-01"},     {"31.12.99", "1999-12-31"},
      {"01.01.69", "2069-01-01"},   {"12/03/2025", "2025-03-12"},  // ambiguous: day first
      {"03/15/2025", "2025-03-15"},                                // 15 is no month: US
      {"15/03/2025", "2025-03-15"}, {"2025-03-12", "2025-03-12"}, {"2025/3/9", "2025-03-09"},
      {"12-03-2025", "2025-03-12"}, {"29.02.2024", "2024-02-29"}, {" 12.03.2025 ", "2025-03-12"},
  };
  for (const auto& [in, iso] : cases) EXPECT_EQ(ex::parse_date(in).value_or("-"), iso) << in;
}

TEST(EntitiesChecks, ParseDateMonthNames) {
  const std::pair<const char*, const char*> cases[] = {
      {"3. März 2025", "2025-03-03"},      {"03. Jan. 2025", "2025-01-03"},
      {"March 3, 2025", "2025-03-03"},     {"Mar 3 2025", "2025-03-03"},
      {"Jan. 5, 2024", "2024-01-05"},      {"3rd March 2025", "2025-03-03"},
      {"5 Sept 2024", "2024-09-05"},       {"3 mars 2025", "2025-03-03"},
      {"1er février 2025", "2025-02-01"},  {"3 de marzo de 2025", "2025-03-03"},
      {"3 marzo 2025", "2025-03-03"},      {"3 maart 2025", "2025-03-03"},
      {"24. Dezember 2024", "2024-12-24"}, {"12 oktober 2023", "2023-10-12"},
      {"1 août 2025", "2025-08-01"},       {"15 dicembre 2025", "2025-12-15"},
      {"7. Jänner 2025", "2025-01-07"},    {"MÄRZ 3, 2025", "2025-03-03"},
  };
  for (const auto& [in, iso] : cases) EXPECT_EQ(ex::parse_date(in).value_or("-"), iso) << in;
}

TEST(EntitiesChecks, ParseDateRejectsImpossibleAndPartialDates) {
  for (const char* bad :
       {"31.02.2025", "29.02.2025", "32.01.2025", "12.13.2025", "13/13/2025", "2025-02-30",
        "00.01.2025", "12.03.", "March 2025", "30. Februar 2025", "12.03.2025 foo", "1.234.567",
        "99.99.99", "12.03.1799", "", "   ", "März"})
    EXPECT_FALSE(ex::parse_date(bad).has_value()) << bad;
}

TEST(EntitiesChecks, ParseAmountSeparatorsAndCurrencies) {
  using Amount = std::pair<std::string, std::string>;
  const std::pair<const char*, Amount> cases[] = {
      {"€ 1.234,56", {"1234.56", "EUR"}},
      {"1.234,56 EUR", {"1234.56", "EUR"}},
      {"$1,234.56", {"1234.56", "USD"}},
      {"1'234.50 CHF", {"1234.50", "CHF"}},
      {"EUR 12,00", {"12.00", "EUR"}},
      {"12,00 €", {"12.00", "EUR"}},
      {"1 234,56 €", {"1234.56", "EUR"}},
      {"1\u00a0234,56 €", {"1234.56", "EUR"}},  // no-break space
      {"1\u202f234,56 €", {"1234.56", "EUR"}},  // narrow no-break space
      {"£12.5", {"12.50", "GBP"}},
      {"12,- €", {"12.00", "EUR"}},
      {"-12,00 €", {"-12.00", "EUR"}},
      {"EUR -12,00", {"-12.00", "EUR"}},
      {"1.234.567,89 EUR", {"1234567.89", "EUR"}},
      {"Fr. 12.50", {"12.50", "CHF"}},
      {"1,234 USD", {"1234.00", "USD"}},  // one group of three digits groups thousands
      {"US$ 99", {"99.00", "USD"}},
      {"100 Euro", {"100.00", "EUR"}},
      {"1.234,56", {"1234.56", ""}},  // bare: the caller knows it is an amount
      {"0,99", {"0.99", ""}},
  };
  for (const auto& [in, expected] : cases) {
    const auto got = ex::parse_amount(in);
    ASSERT_TRUE(got.has_value()) << in;
    EXPECT_EQ(*got, expected) << in;
  }
  for (const char* bad : {"1.234.56 EUR", "1,23,456 €", "12,345,67 €", "1.2345,00 €", "EUR", "abc",
                          "12 EUR 13", "", "12,00 € extra", "12.50 Fr."})
    EXPECT_FALSE(ex::parse_amount(bad).has_value()) << bad;
}

}  // namespace
