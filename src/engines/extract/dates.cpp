// Date recogniser: numeric dates (dd.mm.yyyy, dd.mm.yy, dd/mm/yyyy, mm/dd/yyyy, yyyy-mm-dd) and
// dates with month names in German, English, French, Spanish, Italian and Dutch.
//
// The slash rule: "dd.mm.yyyy" and "dd-mm-yyyy" are always day-first and "yyyy-mm-dd" always
// year-first. A slash date whose first number exceeds 12 is day-first, one whose second number
// exceeds 12 is month-first (US). When both are 12 or less the text decides: month-first if its
// unambiguous slash dates are more often month-first than day-first, day-first if the other way
// round, and on a tie (usually: none at all) month-first only when the region is "US".
// Two-digit years: 00–69 are 20xx, 70–99 are 19xx. Four-digit years must be 1800–2199.
#include <algorithm>
#include <cstdio>
#include <unordered_map>

#include "engines/extract/recognisers.h"

namespace paperd::engines::extract {

namespace {

using detail::at_word_end;
using detail::at_word_start;
using detail::Cp;
using detail::cp_at;
using detail::is_letter;
using detail::skip_spaces;
using detail::skip_spaces_back;

bool digit_at(std::string_view s, size_t i) {
  return i < s.size() && s[i] >= '0' && s[i] <= '9';
}

bool leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool valid_date(int y, int m, int d) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1800 || y > 2199 || m < 1 || m > 12 || d < 1) return false;
  return d <= kDays[m - 1] + (m == 2 && leap(y) ? 1 : 0);
}

std::string iso(int y, int m, int d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

int two_digit_year(int yy) {
  return yy < 70 ? 2000 + yy : 1900 + yy;
}

struct Found {
  size_t begin, end;
  int y, m, d;
  double confidence;
};

// A numeric date before the day/month order of slash dates is settled.
struct Numeric {
  size_t begin, end;
  int n1, n2, n3;
  size_t w1, w3;  // digit counts of the first and last number
  char sep;
};

// Reads up to max digits at p; returns the count (0: none).
size_t read_number(std::string_view s, size_t& p, size_t max, int& value) {
  size_t n = 0;
  value = 0;
  while (n < max && digit_at(s, p)) {
    value = value * 10 + (s[p] - '0');
    ++p;
    ++n;
  }
  return n;
}

bool separator_then_digit(std::string_view s, size_t p, char sep) {
  return p < s.size() && (s[p] == sep || s[p] == '.' || s[p] == ',') && digit_at(s, p + 1);
}

std::vector<Numeric> numeric_candidates(std::string_view text) {
  std::vector<Numeric> out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (!digit_at(text, i) || !at_word_start(text, i)) continue;
    // Not inside a longer dotted number ("10.1.1.20", "1.234.567").
    if (i >= 2 &&
        (text[i - 1] == '.' || text[i - 1] == ',' || text[i - 1] == '/' || text[i - 1] == '-') &&
        digit_at(text, i - 2))
      continue;
    Numeric n{i, 0, 0, 0, 0, 0, 0, 0};
    size_t p = i;
    n.w1 = read_number(text, p, 5, n.n1);
    if (n.w1 == 0 || n.w1 == 3 || n.w1 == 5 || p >= text.size()) {
      i = p > i ? p - 1 : i;
      continue;
    }
    n.sep = text[p];
    if (n.sep != '.' && n.sep != '/' && n.sep != '-') continue;
    ++p;
    const size_t w2 = read_number(text, p, 3, n.n2);
    if (w2 == 0 || w2 > 2 || p >= text.size() || text[p] != n.sep) continue;
    ++p;
    n.w3 = read_number(text, p, 5, n.n3);
    const bool year_first = n.w1 == 4 && (n.w3 == 1 || n.w3 == 2);
    const bool year_last = n.w1 <= 2 && (n.w3 == 2 || n.w3 == 4);
    if (!year_first && !year_last) continue;
    // ISO date-times ("2025-03-12T10:00") end at the 'T'.
    const bool iso_time =
        year_first && p + 1 < text.size() && text[p] == 'T' && digit_at(text, p + 1);
    if ((!at_word_end(text, p) && !iso_time) || separator_then_digit(text, p, n.sep)) continue;
    n.end = p;
    out.push_back(n);
    i = p - 1;
  }
  return out;
}

bool month_first_text(const std::vector<Numeric>& candidates, std::string_view region) {
  int month_first = 0, day_first = 0;
  for (const Numeric& n : candidates) {
    if (n.sep != '/' || n.w1 > 2) continue;
    if (n.n1 <= 12 && n.n2 > 12 && n.n2 <= 31) ++month_first;
    if (n.n1 > 12 && n.n1 <= 31 && n.n2 <= 12) ++day_first;
  }
  if (month_first != day_first) return month_first > day_first;
  return region == "US" || region == "us";
}

void resolve_numeric(const std::vector<Numeric>& candidates, bool month_first,
                     std::vector<Found>& out) {
  for (const Numeric& n : candidates) {
    int y, m, d;
    double confidence = 0.9;
    if (n.w1 == 4) {
      y = n.n1;
      m = n.n2;
      d = n.n3;
    } else {
      y = n.w3 == 2 ? two_digit_year(n.n3) : n.n3;
      if (n.w3 == 2) confidence = 0.8;
      d = n.n1;
      m = n.n2;
      if (n.sep == '/') {
        const bool swap = n.n1 <= 12 && (n.n2 > 12 || month_first);
        if (n.n1 <= 12 && n.n2 <= 12 && n.n1 != n.n2) confidence = 0.7;
        if (swap) std::swap(d, m);
      }
    }
    if (valid_date(y, m, d)) out.push_back({n.begin, n.end, y, m, d, confidence});
  }
}

const std::unordered_map<std::string, int>& month_names() {
  static const std::unordered_map<std::string, int> kMonths = [] {
    std::unordered_map<std::string, int> m;
    const char* const names[12] = {
        // en, de, fr, es, it, nl and their usual abbreviations, lower-case
        "january jan januar jänner jän janvier janv enero ene gennaio gen januari",
        "february feb februar feber février fevrier févr fevr febrero febbraio februari",
        "march mar märz maerz marz mär mrz mars marzo maart mrt",
        "april apr avril avr abril abr aprile",
        "may mai mayo maggio mag mei",
        "june jun juni juin junio giugno giu",
        "july jul juli juillet juil julio luglio lug",
        "august aug août aout agosto ago augustus",
        "september sep sept septembre septiembre setiembre set settembre",
        "october oct oktober okt octobre octubre oct ottobre ott",
        "november nov novembre noviembre",
        "december dec dezember dez décembre decembre déc diciembre dic dicembre",
    };
    for (int k = 0; k < 12; ++k)
      for (std::string_view name : detail::split(names[k])) m.emplace(name, k + 1);
    return m;
  }();
  return kMonths;
}

// A four-digit year at p: its end, or 0.
size_t year_at(std::string_view s, size_t p, int& year) {
  size_t q = p;
  if (read_number(s, q, 5, year) != 4 || !at_word_end(s, q)) return 0;
  return q;
}

// The ordinal marks that may follow a day: "1st", "1er", "1e", "1º", "3.".
size_t skip_ordinal_back(std::string_view s, size_t j) {
  for (std::string_view mark : {"st", "nd", "rd", "th", "er", "e", "\xc2\xba", "\xc2\xb0", "."}) {
    if (j >= mark.size() + 1 && s.substr(j - mark.size(), mark.size()) == mark &&
        digit_at(s, j - mark.size() - 1))
      return j - mark.size();
  }
  return j;
}

size_t skip_ordinal(std::string_view s, size_t p) {
  for (std::string_view mark : {"st", "nd", "rd", "th", "."}) {
    if (s.substr(p, mark.size()) == mark && (mark == "." || at_word_end(s, p + mark.size())))
      return p + mark.size();
  }
  return p;
}

// Spanish "de"/"del" between day, month and year.
size_t skip_de(std::string_view s, size_t p) {
  for (std::string_view w : {"del", "de"}) {
    if (s.substr(p, w.size()) == w && at_word_end(s, p + w.size())) {
      const size_t q = skip_spaces(s, p + w.size(), 2);
      if (q > p + w.size()) return q;
    }
  }
  return p;
}

// "3. März 2025", "3 de marzo de 2025", "March 3, 2025" around the month word [mb, me).
bool month_date(std::string_view text, size_t mb, size_t me, int month, Found& found) {
  size_t after = me;
  if (after < text.size() && text[after] == '.') ++after;
  // Day before the month.
  {
    size_t j = skip_spaces_back(text, mb, 2);
    if (j >= 3 && text.substr(j - 2, 2) == "de" && j < mb && at_word_start(text, j - 2)) {
      const size_t k = skip_spaces_back(text, j - 2, 2);
      if (k < j - 2) j = k;
    }
    j = skip_ordinal_back(text, j);
    size_t k = j;
    while (k > 0 && j - k < 2 && digit_at(text, k - 1)) --k;
    if (k < j && at_word_start(text, k) && j < mb) {
      int day = 0;
      size_t q = k;
      read_number(text, q, 2, day);
      size_t p = skip_spaces(text, after, 2);
      if (p < text.size() && text[p] == ',') p = skip_spaces(text, p + 1, 2);
      p = skip_de(text, p);
      int year = 0;
      const size_t end = p > after ? year_at(text, p, year) : 0;
      if (end && valid_date(year, month, day)) {
        found = {k, end, year, month, day, 0.9};
        return true;
      }
    }
  }
  // Day after the month.
  size_t p = skip_spaces(text, after, 2);
  if (p == after) return false;
  int day = 0;
  size_t q = p;
  if (read_number(text, q, 3, day) == 0 || q - p > 2) return false;
  q = skip_ordinal(text, q);
  size_t r = q;
  if (r < text.size() && text[r] == ',') ++r;
  const size_t s = skip_spaces(text, r, 2);
  int year = 0;
  const size_t end = s > r ? year_at(text, s, year) : 0;
  if (!end || !valid_date(year, month, day)) return false;
  found = {mb, end, year, month, day, 0.9};
  return true;
}

bool digit_near(std::string_view s, size_t begin, size_t end) {
  const size_t from = begin > 8 ? begin - 8 : 0, to = std::min(s.size(), end + 8);
  for (size_t k = from; k < to; ++k)
    if (k < begin || k >= end)
      if (s[k] >= '0' && s[k] <= '9') return true;
  return false;
}

void month_name_dates(std::string_view text, std::vector<Found>& out) {
  const auto& months = month_names();
  for (size_t i = 0; i < text.size();) {
    const Cp c = cp_at(text, i);
    if (!is_letter(c.cp) || !at_word_start(text, i)) {
      i += c.len;
      continue;
    }
    size_t end = i;
    for (Cp w = c; is_letter(w.cp); w = cp_at(text, end)) end += w.len;
    const size_t len = end - i;
    if (len >= 3 && len <= 12 && digit_near(text, i, end)) {
      const auto it = months.find(detail::to_lower(text.substr(i, len)));
      Found found{};
      if (it != months.end() && month_date(text, i, end, it->second, found)) {
        out.push_back(found);
        i = found.end;
        continue;
      }
    }
    i = end;
  }
}

std::vector<Found> all_dates(std::string_view text, bool month_first,
                             const std::vector<Numeric>& numeric) {
  std::vector<Found> found;
  resolve_numeric(numeric, month_first, found);
  month_name_dates(text, found);
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  std::vector<Found> out;
  for (const Found& f : found)
    if (out.empty() || f.begin >= out.back().end) out.push_back(f);
  return out;
}

}  // namespace

std::optional<std::string> parse_date(std::string_view s) {
  const size_t begin = skip_spaces(s, 0, s.size());
  const size_t end = skip_spaces_back(s, s.size(), s.size());
  if (begin >= end) return std::nullopt;
  const std::string_view t = s.substr(begin, end - begin);
  for (const Found& f : all_dates(t, false, numeric_candidates(t)))
    if (f.begin == 0 && f.end == t.size()) return iso(f.y, f.m, f.d);
  return std::nullopt;
}

namespace detail {

std::vector<Entity> find_dates(std::string_view text, const Options& options) {
  const std::vector<Numeric> numeric = numeric_candidates(text);
  const bool month_first = month_first_text(numeric, options.default_region);
  std::vector<Entity> out;
  for (const Found& f : all_dates(text, month_first, numeric))
    out.push_back(make_entity(text, "date", f.begin, f.end, iso(f.y, f.m, f.d), f.confidence));
  return out;
}

}  // namespace detail

}  // namespace paperd::engines::extract
