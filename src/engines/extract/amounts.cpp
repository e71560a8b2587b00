// Amount recogniser: a number with a currency symbol or ISO code before or after it
// ("€ 1.234,56", "1.234,56 EUR", "$1,234.56", "1'234.50 CHF", "12,- €"), or a number with
// decimals after a total/amount label on its line ("Gesamtbetrag: 1.234,56", currency empty).
//
// Number rule: the last '.' or ',' followed by one or two digits is the decimal separator;
// every other separator ('.', ',', ' ', '\'', '’', U+00A0, U+2009, U+202F) groups thousands, must
// be one and the same throughout and be followed by exactly three digits ("1.234" is 1234, never
// 1.234). Values have two decimals ("12,5 €" → "12.50").
#include <algorithm>
#include <array>

#include "engines/extract/recognisers.h"

namespace paperd::engines::extract {

namespace {

using detail::at_word_end;
using detail::at_word_start;
using detail::Cp;
using detail::cp_at;
using detail::cp_before;
using detail::is_alnum;

constexpr size_t kMaxNumberBytes = 40;
constexpr size_t kLabelReach = 160;

bool is_group_sep(char32_t c) {
  return c == '.' || c == ',' || c == '\'' || c == 0x2019 || c == ' ' || c == 0xA0 || c == 0x2009 ||
         c == 0x202F;
}
bool is_dash(char32_t c) {
  return c == '-' || c == 0x2013 || c == 0x2014;
}
bool is_minus(char32_t c) {
  return c == '-' || c == 0x2212;
}
bool digit_at(std::string_view s, size_t i) {
  return i < s.size() && s[i] >= '0' && s[i] <= '9';
}

struct Number {
  size_t begin = 0, end = 0;
  std::string value;
  bool decimals = false;  // written with a decimal part (or ",-")
};

// raw: digits and separators only, starting with a digit (see the number rule above).
std::optional<Number> canonical(std::string_view raw) {
  std::vector<std::string_view> groups;
  std::vector<char32_t> seps;
  bool dash = false;
  for (size_t i = 0; i < raw.size();) {
    if (digit_at(raw, i)) {
      const size_t b = i;
      while (digit_at(raw, i)) ++i;
      groups.push_back(raw.substr(b, i - b));
      continue;
    }
    const Cp c = cp_at(raw, i);
    if (is_dash(c.cp) && !seps.empty() && seps.size() == groups.size() &&
        (seps.back() == '.' || seps.back() == ',') && i + c.len == raw.size()) {
      dash = true;  // "12,-": whole units
      break;
    }
    if (groups.empty() || !is_group_sep(c.cp) || seps.size() != groups.size() - 1)
      return std::nullopt;
    seps.push_back(c.cp);
    i += c.len;
  }
  if (groups.empty()) return std::nullopt;
  std::string decimals;
  char32_t decimal_sep = 0;
  if (dash) {
    decimals = "00";
    decimal_sep = seps.back();
    seps.pop_back();
  } else if (seps.size() == groups.size()) {
    return std::nullopt;  // ends in a separator
  } else if (!seps.empty() && (seps.back() == '.' || seps.back() == ',') &&
             groups.back().size() <= 2) {
    decimals = std::string(groups.back());
    decimal_sep = seps.back();
    groups.pop_back();
    seps.pop_back();
  }
  size_t digits = 0;
  for (size_t k = 0; k < groups.size(); ++k) {
    digits += groups[k].size();
    if (groups.size() > 1 && (k == 0 ? groups[k].size() > 3 : groups[k].size() != 3))
      return std::nullopt;
  }
  for (char32_t s : seps)
    if (s != seps[0] || s == decimal_sep) return std::nullopt;
  if (digits > 15 || (groups.size() > 1 && groups[0] == "0")) return std::nullopt;
  std::string integer;
  for (std::string_view g : groups) integer.append(g);
  const size_t nz = integer.find_first_not_of('0');
  integer = nz == std::string::npos ? "0" : integer.substr(nz);
  Number n;
  n.decimals = !decimals.empty();
  while (decimals.size() < 2) decimals += '0';
  n.value = integer + "." + decimals;
  return n;
}

// A place a number may start: not inside a word or inside a longer dotted number.
bool number_start_ok(std::string_view text, size_t s) {
  const Cp prev = cp_before(text, s);
  if (is_alnum(prev.cp)) return false;
  if ((prev.cp == '.' || prev.cp == ',') && digit_at(text, s - 2)) return false;
  return true;
}

// A leading minus sign right before b: its position, or b.
size_t with_sign(std::string_view text, size_t b) {
  const Cp c = cp_before(text, b);
  if (is_minus(c.cp) && !is_alnum(cp_before(text, b - c.len).cp)) return b - c.len;
  return b;
}

std::optional<Number> finish(std::string_view text, size_t b, size_t e, Number n) {
  const size_t signed_b = with_sign(text, b);
  if (signed_b < b) n.value.insert(n.value.begin(), '-');
  n.begin = signed_b;
  n.end = e;
  return n;
}

// The longest number ending at end (exclusive) that starts at or after floor.
std::optional<Number> number_ending_at(std::string_view text, size_t end, size_t floor) {
  size_t b = end;
  while (b > floor && end - b < kMaxNumberBytes) {
    const Cp c = cp_before(text, b);
    if (!(digit_at(text, b - 1) || is_group_sep(c.cp) || (b == end && is_dash(c.cp)))) break;
    b -= c.len;
  }
  for (size_t s = b; s < end; ++s) {
    if (!digit_at(text, s) || (s > b && digit_at(text, s - 1)) || !number_start_ok(text, s))
      continue;
    if (auto n = canonical(text.substr(s, end - s))) return finish(text, s, end, std::move(*n));
  }
  return std::nullopt;
}

// The longest number starting at begin.
std::optional<Number> number_starting_at(std::string_view text, size_t begin) {
  if (!digit_at(text, begin) || !number_start_ok(text, begin)) return std::nullopt;
  size_t e = begin;
  std::vector<size_t> ends;
  while (e < text.size() && e - begin < kMaxNumberBytes) {
    if (digit_at(text, e)) {
      ++e;
      if (!digit_at(text, e)) ends.push_back(e);
      continue;
    }
    const Cp c = cp_at(text, e);
    if (is_dash(c.cp) && (text[e - 1] == ',' || text[e - 1] == '.') && digit_at(text, e - 2)) {
      ends.push_back(e + c.len);
      break;
    }
    if (!is_group_sep(c.cp)) break;
    e += c.len;
  }
  for (size_t k = ends.size(); k-- > 0;) {
    if (auto n = canonical(text.substr(begin, ends[k] - begin)))
      return finish(text, begin, ends[k], std::move(*n));
  }
  return std::nullopt;
}

struct CurrencyToken {
  size_t length = 0;
  const char* code = nullptr;
  bool before_only = false;  // "Fr. 12.50" but never "12.50 Fr."
};

constexpr std::array<const char*, 36> kCodes = {
    "EUR", "USD", "GBP", "CHF", "JPY", "CNY", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF",
    "RON", "BGN", "HRK", "ISK", "TRY", "RUB", "UAH", "CAD", "AUD", "NZD", "INR", "BRL",
    "MXN", "ZAR", "SGD", "HKD", "KRW", "ILS", "AED", "SAR", "THB", "MYR", "IDR", "PHP"};

struct Symbol {
  std::string_view bytes;
  const char* code;
  bool word;         // must stand alone as a word
  bool before_only;  // only before the number
};

constexpr std::array<Symbol, 16> kSymbols = {{
    {"US$", "USD", false, false},
    {"\xe2\x82\xac", "EUR", false, false},  // €
    {"$", "USD", false, false},
    {"\xc2\xa3", "GBP", false, false},      // £
    {"\xc2\xa5", "JPY", false, false},      // ¥
    {"\xe2\x82\xb9", "INR", false, false},  // ₹
    {"\xe2\x82\xba", "TRY", false, false},  // ₺
    {"\xe2\x82\xa9", "KRW", false, false},  // ₩
    {"\xe2\x82\xbd", "RUB", false, false},  // ₽
    {"Euros", "EUR", true, false},
    {"Euro", "EUR", true, false},
    {"EURO", "EUR", true, false},
    {"euros", "EUR", true, false},
    {"euro", "EUR", true, false},
    {"SFr.", "CHF", true, true},
    {"Fr.", "CHF", true, true},
}};

CurrencyToken currency_at(std::string_view text, size_t i) {
  const char c = text[i];
  if (c >= 'A' && c <= 'Z' && i + 3 <= text.size() && at_word_start(text, i) &&
      at_word_end(text, i + 3)) {
    for (const char* code : kCodes)
      if (text.substr(i, 3) == code) return {3, code, false};
  }
  for (const Symbol& s : kSymbols) {
    if (text.substr(i, s.bytes.size()) != s.bytes) continue;
    if (s.word && (!at_word_start(text, i) ||
                   (s.bytes.back() != '.' && !at_word_end(text, i + s.bytes.size()))))
      continue;
    return {s.bytes.size(), s.code, s.before_only};
  }
  return {};
}

// Word stems of the labels that make a bare number an amount: "Gesamtbetrag", "Zwischensumme",
// "Total due", "Montant TTC", "Importe total", "Totale", "Totaal", "Bedrag".
constexpr std::array<std::string_view, 10> kLabelStems = {"total",  "summe",   "gesamt",  "betrag",
                                                          "amount", "montant", "importe", "totale",
                                                          "totaal", "bedrag"};

std::vector<size_t> label_ends(std::string_view text) {
  std::vector<size_t> out;
  for (size_t i = 0; i < text.size();) {
    const Cp c = cp_at(text, i);
    if (!detail::is_letter(c.cp)) {
      i += c.len;
      continue;
    }
    size_t end = i;
    for (Cp w = c; detail::is_letter(w.cp); w = cp_at(text, end)) end += w.len;
    if (end - i >= 5 && end - i <= 40 && at_word_start(text, i)) {
      const std::string word = detail::ascii_lower(text.substr(i, end - i));
      for (std::string_view stem : kLabelStems)
        if (word.find(stem) != std::string::npos) {
          out.push_back(end);
          break;
        }
    }
    i = end;
  }
  return out;
}

// A label ending before b on b's line, within reach.
bool labelled(std::string_view text, const std::vector<size_t>& labels, size_t& next, size_t b) {
  while (next + 1 < labels.size() && labels[next + 1] <= b) ++next;
  if (next >= labels.size() || labels[next] > b || b - labels[next] > kLabelReach) return false;
  return !detail::has_line_break(text.substr(labels[next], b - labels[next]));
}

bool percent_after(std::string_view text, size_t e) {
  const size_t p = detail::skip_spaces(text, e, 1);
  return p < text.size() && text[p] == '%';
}

}  // namespace

std::optional<std::pair<std::string, std::string>> parse_amount(std::string_view s) {
  const size_t begin = detail::skip_spaces(s, 0, s.size());
  const size_t end = detail::skip_spaces_back(s, s.size(), s.size());
  if (begin >= end) return std::nullopt;
  const std::string_view t = s.substr(begin, end - begin);
  // Currency first ("€ 1.234,56", "EUR -12,00").
  if (const CurrencyToken c = currency_at(t, 0); c.length) {
    size_t p = detail::skip_spaces(t, c.length, 2);
    const Cp sign = cp_at(t, p);
    const size_t digits = is_minus(sign.cp) ? p + sign.len : p;
    const auto n = number_starting_at(t, digits);
    if (n && n->end == t.size()) return std::pair{n->value, std::string(c.code)};
    return std::nullopt;
  }
  // Currency last ("1.234,56 EUR", "12,- €") or none.
  for (size_t i = 0; i < t.size(); ++i) {
    const CurrencyToken c = currency_at(t, i);
    if (!c.length || i + c.length != t.size() || c.before_only) continue;
    const auto n = number_ending_at(t, detail::skip_spaces_back(t, i, 2), 0);
    if (n && n->begin == 0) return std::pair{n->value, std::string(c.code)};
    return std::nullopt;
  }
  const auto n = number_ending_at(t, t.size(), 0);
  if (n && n->begin == 0) return std::pair{n->value, std::string()};
  return std::nullopt;
}

namespace detail {

std::vector<Entity> find_amounts(std::string_view text) {
  const std::vector<size_t> labels = label_ends(text);
  std::vector<Entity> out;
  size_t last_end = 0, next_label = 0;
  const auto emit = [&](size_t b, size_t e, const Number& n, const char* code) {
    const bool label = labelled(text, labels, next_label, b);
    Entity entity = make_entity(text, "amount", b, e, n.value, code ? (label ? 0.95 : 0.85) : 0.6);
    if (code) entity.currency = code;
    out.push_back(std::move(entity));
    last_end = e;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (!(c == '$' || (c >= 'A' && c <= 'Z') || c == 'e' || c >= 0xC2)) continue;
    const CurrencyToken cur = currency_at(text, i);
    if (!cur.length) continue;
    const size_t after = i + cur.length;
    std::optional<Number> before_number;
    if (!cur.before_only) {
      const size_t end = skip_spaces_back(text, i, 2);
      if (end > last_end) before_number = number_ending_at(text, end, last_end);
    }
    std::optional<Number> after_number;
    {
      size_t p = skip_spaces(text, after, 2);
      const Cp sign = cp_at(text, p);
      const size_t digits = is_minus(sign.cp) && digit_at(text, p + sign.len) ? p + sign.len : p;
      after_number = number_starting_at(text, digits);  // takes the sign along (with_sign)
    }
    // Prefer the number before the currency unless only the one after has decimals
    // ("2 USD 50.00" is 50.00).
    if (before_number && !(after_number && after_number->decimals && !before_number->decimals)) {
      emit(before_number->begin, after, *before_number, cur.code);
      i = after - 1;
    } else if (after_number) {
      emit(i, after_number->end, *after_number, cur.code);
      i = after_number->end - 1;
    }
  }
  // Bare numbers with decimals after a label; the currency amounts keep their place.
  std::vector<Entity> bare;
  size_t label_cursor = 0, currency_cursor = 0;
  for (size_t i = 0; i < text.size() && !labels.empty(); ++i) {
    if (!digit_at(text, i) || (i > 0 && digit_at(text, i - 1))) continue;
    if (i < labels.front()) continue;
    auto n = number_starting_at(text, i);
    if (!n) continue;
    const size_t b = n->begin, e = n->end;
    i = e - 1;
    while (currency_cursor < out.size() &&
           out[currency_cursor].offset + out[currency_cursor].length <= b)
      ++currency_cursor;
    const bool overlaps = currency_cursor < out.size() && out[currency_cursor].offset < e;
    if (!n->decimals || overlaps || percent_after(text, e) ||
        !labelled(text, labels, label_cursor, b))
      continue;
    bare.push_back(make_entity(text, "amount", b, e, n->value, 0.6));
  }
  if (!bare.empty()) {
    out.insert(out.end(), bare.begin(), bare.end());
    std::sort(out.begin(), out.end(),
              [](const Entity& a, const Entity& b) { return a.offset < b.offset; });
  }
  return out;
}

}  // namespace detail

}  // namespace paperd::engines::extract
