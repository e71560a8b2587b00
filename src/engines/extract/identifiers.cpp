// IBAN (ISO 13616), BIC (ISO 9362) and EU VAT id recognisers with their checks.
#include <array>
#include <cstdint>

#include "engines/extract/recognisers.h"

namespace paperd::engines::extract {

namespace {

using detail::at_word_end;
using detail::at_word_start;
using detail::is_ascii_alnum;
using detail::is_ascii_upper;

struct IbanLength {
  char country[3];
  int length;
};

// The SWIFT IBAN registry (release 2024): country code → total length.
constexpr std::array<IbanLength, 89> kIbanLengths = {{
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
    {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24},
    {"DE", 22}, {"DJ", 27}, {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18},
    {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27},
    {"GT", 28}, {"HN", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26},
    {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20},
    {"LU", 20}, {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MN", 20},
    {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23}, {"PK", 24},
    {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33}, {"SA", 24},
    {"SC", 31}, {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"SO", 23}, {"ST", 25},
    {"SV", 28}, {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20},
    {"YE", 30},
}};

int iban_length(std::string_view country) {
  for (const auto& e : kIbanLengths)
    if (country == e.country) return e.length;
  return 0;
}

// ISO 3166-1 alpha-2 (and XK, which BICs use for Kosovo): the country part of a BIC.
constexpr std::string_view kCountries =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ "
    "BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM "
    "DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS "
    "GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN "
    "KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ "
    "MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM "
    "PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV "
    "SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI "
    "VN VU WF WS XK YE YT ZA ZM ZW";

bool is_country(std::string_view cc) {
  for (size_t i = 0; i + 2 <= kCountries.size(); i += 3)
    if (kCountries.substr(i, 2) == cc) return true;
  return false;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

int digit(char c) {
  return c - '0';
}

// Luhn over all of s (the last digit is the check digit).
bool luhn_valid(std::string_view s) {
  int sum = 0;
  bool twice = false;
  for (size_t i = s.size(); i-- > 0;) {
    int d = digit(s[i]);
    if (twice) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

// ISO 7064 MOD 11,10 (DE, HR): the last digit checks the others.
bool mod_11_10_valid(std::string_view s) {
  int product = 10;
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    int sum = (digit(s[i]) + product) % 10;
    if (sum == 0) sum = 10;
    product = (2 * sum) % 11;
  }
  int check = 11 - product;
  if (check == 10) check = 0;
  return check == digit(s.back());
}

// Sum of digit[i] * weights[i].
template <size_t N>
int weighted(std::string_view s, const std::array<int, N>& weights) {
  int sum = 0;
  for (size_t i = 0; i < N && i < s.size(); ++i) sum += digit(s[i]) * weights[i];
  return sum;
}

// Remainder mod 97 of a string of digits and letters (A = 10 ... Z = 35), as ISO 7064 reads it.
int mod97(std::string_view s) {
  int r = 0;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      r = (r * 10 + digit(c)) % 97;
    } else {
      r = (r * 100 + (c - 'A' + 10)) % 97;
    }
  }
  return r;
}

enum class VatCheck { kInvalid, kFormat, kCheckDigit };

VatCheck check_if(bool ok) {
  return ok ? VatCheck::kCheckDigit : VatCheck::kInvalid;
}
VatCheck format_if(bool ok) {
  return ok ? VatCheck::kFormat : VatCheck::kInvalid;
}

VatCheck spain(std::string_view n) {
  if (n.size() != 9 || !all_digits(n.substr(1, 7))) return VatCheck::kInvalid;
  constexpr std::string_view kDniLetters = "TRWAGMYFPDXBNJZSQVHLCKE";
  const char first = n[0], last = n[8];
  if ((first >= '0' && first <= '9') || first == 'X' || first == 'Y' || first == 'Z') {
    // DNI (8 digits + letter) or NIE (X/Y/Z for 0/1/2 + 7 digits + letter).
    const int lead = first == 'X' ? 0 : first == 'Y' ? 1 : first == 'Z' ? 2 : digit(first);
    long number = lead;
    for (size_t i = 1; i < 8; ++i) number = number * 10 + digit(n[i]);
    return check_if(kDniLetters[number % 23] == last);
  }
  // CIF: the Luhn check digit of the seven digits, or its letter "JABCDEFGHI"[digit].
  constexpr std::string_view kCifTypes = "ABCDEFGHJKLMNPQRSUVW";
  if (kCifTypes.find(first) == std::string_view::npos) return VatCheck::kInvalid;
  int sum = 0;
  for (size_t i = 1; i <= 7; ++i) {
    int d = digit(n[i]);
    if (i % 2 == 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  const int check = (10 - sum % 10) % 10;
  return check_if(last == static_cast<char>('0' + check) || last == "JABCDEFGHI"[check]);
}

VatCheck france(std::string_view n) {
  constexpr std::string_view kKeyAlphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
  if (n.size() != 11 || !all_digits(n.substr(2))) return VatCheck::kInvalid;
  const size_t k0 = kKeyAlphabet.find(n[0]), k1 = kKeyAlphabet.find(n[1]);
  if (k0 == std::string_view::npos || k1 == std::string_view::npos) return VatCheck::kInvalid;
  const std::string_view siren = n.substr(2);
  if (siren.substr(0, 3) != "000" && !luhn_valid(siren)) return VatCheck::kInvalid;  // Monaco
  int64_t siren_value = 0;
  for (char c : siren) siren_value = siren_value * 10 + digit(c);
  if (k0 < 10 && k1 < 10) {
    const int64_t key = static_cast<int64_t>(k0 * 10 + k1);
    return check_if(key == (siren_value * 100 + 12) % 97);
  }
  // New-style keys with a letter (algorithm as published by the French tax administration).
  const int64_t check =
      k0 < 10 ? static_cast<int64_t>(k0 * 24 + k1) - 10 : static_cast<int64_t>(k0 * 34 + k1) - 100;
  return check_if((siren_value + 1 + check / 11) % 11 == check % 11);
}

VatCheck netherlands(std::string_view n) {
  if (n.size() != 12 || n[9] != 'B' || !all_digits(n.substr(0, 9)) || !all_digits(n.substr(10)))
    return VatCheck::kInvalid;
  // RSIN/BSN eleven-test, or (sole traders since 2020) mod 97 of "NL" + number.
  const int eleven = weighted(n, std::array<int, 8>{9, 8, 7, 6, 5, 4, 3, 2}) - digit(n[8]);
  if (eleven % 11 == 0) return VatCheck::kCheckDigit;
  return check_if(mod97(std::string("NL").append(n)) == 1);
}

VatCheck vat_check(std::string_view compact) {
  if (compact.size() < 4) return VatCheck::kInvalid;
  const std::string_view cc = compact.substr(0, 2), n = compact.substr(2);
  const size_t len = n.size();
  const bool digits = all_digits(n);
  if (cc == "AT") {
    if (len != 9 || n[0] != 'U' || !all_digits(n.substr(1))) return VatCheck::kInvalid;
    int s = 0;
    for (size_t i = 1; i <= 7; ++i) {
      int d = digit(n[i]);
      if (i % 2 == 0) d = d * 2 / 10 + d * 2 % 10;
      s += d;
    }
    return check_if((10 - (s + 4) % 10) % 10 == digit(n[8]));
  }
  if (cc == "BE") {
    std::string b(n);
    if (b.size() == 9) b.insert(b.begin(), '0');
    if (b.size() != 10 || !all_digits(b) || (b[0] != '0' && b[0] != '1')) return VatCheck::kInvalid;
    int64_t head = 0;
    for (size_t i = 0; i < 8; ++i) head = head * 10 + digit(b[i]);
    return check_if(97 - head % 97 == digit(b[8]) * 10 + digit(b[9]));
  }
  if (cc == "BG") return format_if(digits && (len == 9 || len == 10));
  if (cc == "CY") return format_if(len == 9 && all_digits(n.substr(0, 8)) && is_ascii_upper(n[8]));
  if (cc == "CZ") return format_if(digits && len >= 8 && len <= 10);
  if (cc == "DE")
    return digits && len == 9 && n[0] != '0' ? check_if(mod_11_10_valid(n)) : VatCheck::kInvalid;
  if (cc == "DK") {
    if (!digits || len != 8 || n[0] == '0') return VatCheck::kInvalid;
    return check_if(weighted(n, std::array<int, 8>{2, 7, 6, 5, 4, 3, 2, 1}) % 11 == 0);
  }
  if (cc == "EE") {
    if (!digits || len != 9) return VatCheck::kInvalid;
    return check_if(weighted(n, std::array<int, 9>{3, 7, 1, 3, 7, 1, 3, 7, 1}) % 10 == 0);
  }
  if (cc == "EL") {
    if (!digits || len != 9) return VatCheck::kInvalid;
    int s = 0;
    for (size_t i = 0; i < 8; ++i) s = s * 2 + digit(n[i]);
    return check_if(s * 2 % 11 % 10 == digit(n[8]));
  }
  if (cc == "ES") return spain(n);
  if (cc == "FI") {
    if (!digits || len != 8) return VatCheck::kInvalid;
    return check_if(weighted(n, std::array<int, 8>{7, 9, 10, 5, 8, 4, 2, 1}) % 11 == 0);
  }
  if (cc == "FR") return france(n);
  if (cc == "HR") return digits && len == 11 ? check_if(mod_11_10_valid(n)) : VatCheck::kInvalid;
  if (cc == "HU") {
    if (!digits || len != 8) return VatCheck::kInvalid;
    return check_if(weighted(n, std::array<int, 8>{9, 7, 3, 1, 9, 7, 3, 1}) % 10 == 0);
  }
  if (cc == "IE") {
    // 7 digits + 1–2 letters, or the old form digit, letter/+/*, 5 digits, letter.
    const bool modern = (len == 8 || len == 9) && all_digits(n.substr(0, 7)) &&
                        is_ascii_upper(n[7]) && (len == 8 || is_ascii_upper(n[8]));
    const bool old = len == 8 && n[0] >= '0' && n[0] <= '9' &&
                     (is_ascii_upper(n[1]) || n[1] == '+' || n[1] == '*') &&
                     all_digits(n.substr(2, 5)) && is_ascii_upper(n[7]);
    return format_if(modern || old);
  }
  if (cc == "IT") {
    if (!digits || len != 11 || n.substr(0, 7) == "0000000") return VatCheck::kInvalid;
    const int office = digit(n[7]) * 100 + digit(n[8]) * 10 + digit(n[9]);
    const bool office_ok = (office >= 1 && office <= 100) || office == 120 || office == 121 ||
                           office == 888 || office == 999;
    return check_if(office_ok && luhn_valid(n));
  }
  if (cc == "LT") return format_if(digits && (len == 9 || len == 12));
  if (cc == "LU") {
    if (!digits || len != 8) return VatCheck::kInvalid;
    int head = 0;
    for (size_t i = 0; i < 6; ++i) head = head * 10 + digit(n[i]);
    return check_if(head % 89 == digit(n[6]) * 10 + digit(n[7]));
  }
  if (cc == "LV") return format_if(digits && len == 11);
  if (cc == "MT") return format_if(digits && len == 8);
  if (cc == "NL") return netherlands(n);
  if (cc == "PL") {
    if (!digits || len != 10) return VatCheck::kInvalid;
    return check_if(weighted(n, std::array<int, 9>{6, 5, 7, 2, 3, 4, 5, 6, 7}) % 11 == digit(n[9]));
  }
  if (cc == "PT") {
    if (!digits || len != 9 || n[0] == '0') return VatCheck::kInvalid;
    const int s = weighted(n, std::array<int, 8>{9, 8, 7, 6, 5, 4, 3, 2});
    return check_if((11 - s % 11) % 11 % 10 == digit(n[8]));
  }
  if (cc == "RO") return format_if(digits && len >= 2 && len <= 10 && n[0] != '0');
  if (cc == "SE") {
    if (!digits || len != 12 || n.substr(10) != "01") return VatCheck::kInvalid;
    return check_if(luhn_valid(n.substr(0, 10)));
  }
  if (cc == "SI") {
    if (!digits || len != 8 || n[0] == '0') return VatCheck::kInvalid;
    const int check = 11 - weighted(n, std::array<int, 7>{8, 7, 6, 5, 4, 3, 2}) % 11;
    return check_if(check != 11 && (check == 10 ? 0 : check) == digit(n[7]));
  }
  if (cc == "SK") return format_if(digits && len == 10);
  return VatCheck::kInvalid;
}

constexpr std::string_view kVatPrefixes =
    "AT BE BG CY CZ DE DK EE EL ES FI FR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK";

bool is_vat_prefix(std::string_view cc) {
  for (size_t i = 0; i + 2 <= kVatPrefixes.size(); i += 3)
    if (kVatPrefixes.substr(i, 2) == cc) return true;
  return false;
}

bool is_upper_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
}

// "BIC" or "SWIFT" as a word ending at most kLabelReach bytes before i, on i's line.
constexpr size_t kLabelReach = 40;

bool labelled_bic(std::string_view text, size_t i) {
  const size_t from = i > kLabelReach + 5 ? i - kLabelReach - 5 : 0;
  const std::string window = detail::ascii_lower(text.substr(from, i - from));
  for (std::string_view label : {"bic", "swift"}) {
    for (size_t at = window.rfind(label); at != std::string::npos;
         at = at == 0 ? std::string::npos : window.rfind(label, at - 1)) {
      const size_t begin = from + at, end = begin + label.size();
      if (at_word_start(text, begin) && at_word_end(text, end) && i - end <= kLabelReach &&
          !detail::has_line_break(text.substr(end, i - end)))
        return true;
    }
  }
  return false;
}

}  // namespace

bool iban_valid(std::string_view s) {
  if (s.size() < 5 || !is_ascii_upper(s[0]) || !is_ascii_upper(s[1]) || !all_digits(s.substr(2, 2)))
    return false;
  if (iban_length(s.substr(0, 2)) != static_cast<int>(s.size())) return false;
  for (char c : s.substr(4))
    if (!is_upper_alnum(c)) return false;
  std::string rotated(s.substr(4));
  rotated.append(s.substr(0, 4));
  return mod97(rotated) == 1;
}

bool vat_id_valid(std::string_view compact) {
  return vat_check(compact) != VatCheck::kInvalid;
}

namespace detail {

std::vector<Entity> find_ibans(std::string_view text) {
  std::vector<Entity> out;
  for (size_t i = 0; i + 15 <= text.size(); ++i) {
    if (!is_ascii_upper(text[i]) || !is_ascii_upper(text[i + 1]) || text[i + 2] < '0' ||
        text[i + 2] > '9' || text[i + 3] < '0' || text[i + 3] > '9' || !at_word_start(text, i))
      continue;
    const int length = iban_length(text.substr(i, 2));
    if (length == 0) continue;
    // Groups of any size separated by single spaces: "DE89 3704 0044 0532 0130 00".
    std::string compact;
    size_t p = i;
    while (p < text.size() && compact.size() < static_cast<size_t>(length)) {
      const char c = text[p];
      if (is_upper_alnum(c)) {
        compact += c;
        ++p;
      } else if (c == ' ' && compact.size() >= 4 && p + 1 < text.size() &&
                 is_upper_alnum(text[p + 1])) {
        ++p;
      } else {
        break;
      }
    }
    if (compact.size() != static_cast<size_t>(length) || !at_word_end(text, p) ||
        !iban_valid(compact))
      continue;
    out.push_back(make_entity(text, "iban", i, p, compact, 0.99));
    i = p - 1;
  }
  return out;
}

std::vector<Entity> find_bics(std::string_view text, const std::vector<Entity>& ibans) {
  std::vector<Entity> out;
  size_t next_iban = 0;
  for (size_t i = 0; i + 8 <= text.size(); ++i) {
    if (!is_ascii_upper(text[i]) || !at_word_start(text, i)) continue;
    size_t end = i;
    while (end < text.size() && end - i < 12 && is_upper_alnum(text[end])) ++end;
    const size_t len = end - i;
    if ((len != 8 && len != 11) || !at_word_end(text, end)) {
      i = end > i ? end - 1 : i;
      continue;
    }
    const std::string_view bic = text.substr(i, len);
    bool letters = true;
    for (size_t k = 0; k < 6; ++k) letters = letters && is_ascii_upper(bic[k]);
    if (!letters || !is_country(bic.substr(4, 2))) {
      i = end - 1;
      continue;
    }
    // An IBAN on the same line within reach, before or after.
    while (next_iban < ibans.size() &&
           ibans[next_iban].offset + ibans[next_iban].length + kLabelReach < i)
      ++next_iban;
    const Entity* iban = nullptr;
    for (size_t k = next_iban; k < ibans.size() && ibans[k].offset <= end + kLabelReach; ++k) {
      const Entity& e = ibans[k];
      const size_t gap_begin = std::min(e.offset + e.length, end);
      const size_t gap_end = std::max(e.offset, i);
      if (gap_begin <= gap_end && !has_line_break(text.substr(gap_begin, gap_end - gap_begin))) {
        iban = &e;
        break;
      }
    }
    const bool labelled = labelled_bic(text, i);
    if (labelled || iban) {
      double confidence = labelled ? 0.9 : 0.8;
      if (iban && iban->value.compare(0, 2, bic.substr(4, 2)) == 0) confidence = 0.95;
      out.push_back(make_entity(text, "bic", i, end, std::string(bic), confidence));
    }
    i = end - 1;
  }
  return out;
}

std::vector<Entity> find_vat_ids(std::string_view text) {
  std::vector<Entity> out;
  for (size_t i = 0; i + 4 <= text.size(); ++i) {
    if (!is_ascii_upper(text[i]) || !is_ascii_upper(text[i + 1]) || !at_word_start(text, i) ||
        !is_vat_prefix(text.substr(i, 2)))
      continue;
    // Body characters with single ' ', '.' or '-' between them ("DE 136 695 976"); every place
    // where the body could end is tried, the longest valid id wins.
    std::string compact(text.substr(i, 2));
    size_t p = i + 2, best_end = 0;
    VatCheck best = VatCheck::kInvalid;
    if (p < text.size() && (text[p] == ' ' || text[p] == '-')) ++p;
    while (p < text.size() && compact.size() < 16) {
      const char c = text[p];
      if (is_upper_alnum(c) || ((c == '+' || c == '*') && compact.size() == 3)) {
        compact += c;
        ++p;
        if (at_word_end(text, p)) {
          const VatCheck check = vat_check(compact);
          if (check != VatCheck::kInvalid) {
            best = check;
            best_end = p;
          }
        }
      } else if ((c == ' ' || c == '.' || c == '-') && compact.size() > 2 && p + 1 < text.size() &&
                 is_upper_alnum(text[p + 1])) {
        ++p;
      } else {
        break;
      }
    }
    if (best == VatCheck::kInvalid) continue;
    std::string value;
    for (char c : text.substr(i, best_end - i))
      if (c != ' ' && c != '.' && c != '-') value += c;
    out.push_back(make_entity(text, "vat_id", i, best_end, value,
                              best == VatCheck::kCheckDigit ? 0.95 : 0.7));
    i = best_end - 1;
  }
  return out;
}

}  // namespace detail

}  // namespace paperd::engines::extract
