// Date extraction: see date_finder.h. Candidates are matched with std::regex per pattern, then
// checked as real calendar dates; two-digit years map to 1970-2069.
#include "engines/split/date_finder.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <regex>
#include <string>

namespace paperd::engines::split {

namespace {

bool valid(int y, int m, int d) {
  if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1) return false;
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (d > kDays[m - 1]) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return !(m == 2 && d == 29 && !leap);
}

int full_year(int y) {
  return y >= 100 ? y : (y < 70 ? 2000 + y : 1900 + y);
}

std::string iso(int y, int m, int d) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

// Month from an English or German name or abbreviation ("mar", "märz", "maerz", "sept").
int month_of(std::string name) {
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (!name.empty() && name.back() == '.') name.pop_back();
  static const std::pair<const char*, int> kNames[] = {
      {"january", 1}, {"januar", 1},    {"jan", 1},      {"jänner", 1},    {"february", 2},
      {"februar", 2}, {"feb", 2},       {"march", 3},    {"märz", 3},      {"maerz", 3},
      {"mar", 3},     {"mär", 3},       {"april", 4},    {"apr", 4},       {"may", 5},
      {"mai", 5},     {"june", 6},      {"juni", 6},     {"jun", 6},       {"july", 7},
      {"juli", 7},    {"jul", 7},       {"august", 8},   {"aug", 8},       {"september", 9},
      {"sept", 9},    {"sep", 9},       {"october", 10}, {"oktober", 10},  {"oct", 10},
      {"okt", 10},    {"november", 11}, {"nov", 11},     {"december", 12}, {"dezember", 12},
      {"dec", 12},    {"dez", 12}};
  for (const auto& [n, m] : kNames)
    if (name == n) return m;
  return 0;
}

const std::string kMonthWord = "([A-Za-z\xC3\xA4\xC3\x84]{3,9}\\.?)";

}  // namespace

std::vector<FoundDate> find_dates(std::string_view text) {
  std::string s(text);
  std::vector<FoundDate> out;
  auto add = [&](size_t at, int y, int m, int d) {
    y = full_year(y);
    if (valid(y, m, d)) out.push_back({iso(y, m, d), at});
  };
  static const std::regex kIso(R"((?:^|[^\d])((\d{4})-(\d{1,2})-(\d{1,2}))(?!\d))");
  static const std::regex kDotted(R"((?:^|[^\d.])((\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2}))(?![\d]))");
  static const std::regex kSlashed(R"((?:^|[^\d/])((\d{1,2})/(\d{1,2})/(\d{4}|\d{2}))(?!\d))");
  static const std::regex kDayMonth("(?:^|[^\\d])((\\d{1,2})\\.?\\s+" + kMonthWord +
                                    "\\s+(\\d{4}))");
  static const std::regex kMonthDay("(?:^|[^A-Za-z])(" + kMonthWord +
                                    "\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4}))");
  auto each = [&](const std::regex& re, auto&& f) {
    for (auto it = std::sregex_iterator(s.begin(), s.end(), re); it != std::sregex_iterator(); ++it)
      f(*it);
  };
  each(kIso, [&](const std::smatch& m) {
    add(m.position(1), std::stoi(m[2]), std::stoi(m[3]), std::stoi(m[4]));
  });
  each(kDotted, [&](const std::smatch& m) {
    add(m.position(1), std::stoi(m[4]), std::stoi(m[3]), std::stoi(m[2]));
  });
  each(kSlashed, [&](const std::smatch& m) {
    int a = std::stoi(m[2]), b = std::stoi(m[3]);
    // US month/day unless the first number cannot be a month.
    if (a > 12)
      add(m.position(1), std::stoi(m[4]), b, a);
    else
      add(m.position(1), std::stoi(m[4]), a, b);
  });
  each(kDayMonth, [&](const std::smatch& m) {
    if (int mo = month_of(m[3])) add(m.position(1), std::stoi(m[4]), mo, std::stoi(m[2]));
  });
  each(kMonthDay, [&](const std::smatch& m) {
    if (int mo = month_of(m[2])) add(m.position(1), std::stoi(m[4]), mo, std::stoi(m[3]));
  });
  std::sort(out.begin(), out.end(),
            [](const FoundDate& a, const FoundDate& b) { return a.offset < b.offset; });
  return out;
}

}  // namespace paperd::engines::split
