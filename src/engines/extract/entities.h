// Entity extraction from plain text: e-mail addresses, URLs, phone numbers, IBANs, BICs, VAT ids,
// dates, amounts, companies, persons and postcode + city, each with its canonical value and its
// exact byte span. Feeds the DMS entity index and the invoice/receipt extraction (README.md has
// the rules). Pure functions over immutable tables; any thread; never throws on any input.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace paperd::engines::extract {

struct Entity {
  // email | phone | iban | bic | vat_id | url | date | amount | company | person | postcode_city
  std::string type;
  // Canonical: email lower-case; phone E.164; iban compact upper-case; bic upper; vat_id compact
  // upper ("DE123456789"); url as written; date ISO "YYYY-MM-DD"; amount "1234.56" (currency in
  // `currency`); company/person whitespace collapsed, original case; postcode_city "10115 Berlin".
  std::string value;
  std::string text;               // exactly as in the input
  size_t offset = 0, length = 0;  // bytes in the input (UTF-8)
  std::string currency;           // amount: ISO 4217 ("EUR", "USD", ...) when known
  double confidence = 0;          // 0..1: higher when a check digit passed / a label confirmed
};

struct Options {
  // Region of national phone numbers; "US" also makes ambiguous slash dates month-first.
  std::string default_region = "DE";
};

// Every entity in text, in order of offset (longer first at one offset), no two of one type
// overlapping. Linear in the text (1 MB takes a few tens of milliseconds).
std::vector<Entity> find_entities(std::string_view text, const Options& options = {});

// ISO 13616: country length table and mod-97 check of a compact upper-case IBAN.
bool iban_valid(std::string_view compact);
// A compact upper-case EU VAT id ("DE136695976", "ATU13585627", "EL094259216"): the format of
// all 27 member states and the national check digit where one exists (README.md lists them).
bool vat_id_valid(std::string_view compact);
// The whole of s as one date ("12.03.2025", "3. März 2025", "March 3, 2025", ...) in ISO form;
// ambiguous slash dates are read day-first.
std::optional<std::string> parse_date(std::string_view s);
// The whole of s as one amount: {"1234.56", "EUR"} for "€ 1.234,56"; a bare number gives an
// empty currency ("1.234,56" → {"1234.56", ""}).
std::optional<std::pair<std::string, std::string>> parse_amount(std::string_view s);

}  // namespace paperd::engines::extract
