// E-mail, URL and phone recognisers. Phones are checked by libphonenumber's PhoneNumberMatcher,
// but only on short candidate windows: the matcher over a whole text is quadratic (a 2 MB text
// took minutes), over a 20-byte window it costs about 85 µs.
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumbermatch.h>
#include <phonenumbers/phonenumbermatcher.h>
#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "engines/extract/recognisers.h"

namespace paperd::engines::extract::detail {

namespace {

namespace pn = i18n::phonenumbers;

bool email_local_char(Cp c) {
  if (c.len == 0) return false;
  if (c.cp < 0x80)
    return is_ascii_alnum(static_cast<char>(c.cp)) || std::strchr("._%+-", static_cast<int>(c.cp));
  return is_letter(c.cp);
}

bool domain_char(Cp c) {
  if (c.len == 0) return false;
  if (c.cp < 0x80) return is_ascii_alnum(static_cast<char>(c.cp)) || c.cp == '-';
  return is_alnum(c.cp);  // IDN labels: "müller.de"
}

// A top-level domain: two letters or more (any script), or an A-label ("xn--p1ai").
bool tld_ok(std::string_view label) {
  if (label.rfind("xn--", 0) == 0) return label.size() > 4;
  size_t letters = 0;
  for (size_t i = 0; i < label.size();) {
    const Cp c = cp_at(label, i);
    if (!is_letter(c.cp)) return false;
    ++letters;
    i += c.len;
  }
  return letters >= 2;
}

struct Label {
  size_t begin, end;
};

// Labels of a domain from byte p; stops before the first label that cannot be part of one.
std::vector<Label> domain_labels(std::string_view text, size_t p) {
  std::vector<Label> labels;
  while (p < text.size() && labels.size() < 127) {
    const size_t q = p;
    for (Cp c = cp_at(text, p); domain_char(c); c = cp_at(text, p)) p += c.len;
    if (p == q || text[q] == '-' || text[p - 1] == '-') break;
    labels.push_back({q, p});
    if (p + 1 < text.size() && text[p] == '.' && domain_char(cp_at(text, p + 1))) {
      ++p;
    } else {
      break;
    }
  }
  return labels;
}

// The end of a domain made of the labels: the last label that can be a TLD, at least two labels.
size_t domain_end(std::string_view text, const std::vector<Label>& labels) {
  for (size_t k = labels.size(); k >= 2; --k) {
    const Label& last = labels[k - 1];
    if (last.end - labels[0].begin <= 253 && tld_ok(text.substr(last.begin, last.end - last.begin)))
      return last.end;
  }
  return 0;
}

bool starts_with_ci(std::string_view text, size_t i, std::string_view prefix) {
  if (i + prefix.size() > text.size()) return false;
  for (size_t k = 0; k < prefix.size(); ++k) {
    char c = text[i + k];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (c != prefix[k]) return false;
  }
  return true;
}

bool url_char(Cp c) {
  if (c.len == 0 || c.cp == kInvalid || c.cp <= 0x20 || c.cp == 0x7F) return false;
  if (c.cp < 0x80) return !std::strchr("<>\"`{}|\\^'", static_cast<int>(c.cp));
  return !is_space(c.cp) && !is_line_break(c.cp) && c.cp != 0xAB && c.cp != 0xBB &&
         (c.cp < 0x2018 || c.cp > 0x201F);
}

bool host_ok(std::string_view host) {
  if (host == "localhost") return true;
  const size_t dot = host.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || host.find("..") != std::string_view::npos)
    return false;
  const std::string_view last = host.substr(dot + 1);
  if (tld_ok(last)) return true;
  // A dotted IPv4 address.
  size_t dots = 0;
  for (char c : host) {
    if (c == '.') {
      ++dots;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return dots == 3;
}

// Labels that make a phone number more certain when they stand shortly before it on its line.
bool phone_label_before(std::string_view text, size_t begin) {
  const size_t from = begin > 24 ? begin - 24 : 0;
  std::string window = ascii_lower(text.substr(from, begin - from));
  const size_t nl = window.find_last_of("\n\r\v\f");
  if (nl != std::string::npos) window.erase(0, nl + 1);
  for (const char* label : {"tel", "t\xc3\xa9l", "phone", "fax", "mobil", "handy", "fon", "cell"})
    if (window.find(label) != std::string::npos) return true;
  return false;
}

bool phone_char(char c) {
  return (c >= '0' && c <= '9') || c == ' ' || c == '-' || c == '/' || c == '.' || c == '(' ||
         c == ')' || c == '+';
}

// The ASCII stand-in for the character next to a window: the matcher only needs to know whether
// a letter or digit touches the number, and an ASCII window keeps its offsets in bytes.
char context_char(Cp c) {
  if (c.len == 0) return ' ';
  if (c.cp < 0x80) return static_cast<char>(c.cp);
  if (is_letter(c.cp)) return 'a';
  return ' ';
}

struct PhoneHit {
  size_t start, length;  // in the window
  std::string e164;
};

// libphonenumber is the expensive part: at most this many calls per text (repeated windows are
// answered from a cache), which bounds a text full of digits to a few tenths of a second.
constexpr int kMaxParseChecks = 4096;
constexpr int kMaxMatcherRuns = 2048;
constexpr size_t kMaxCandidate = 80;

}  // namespace

std::vector<Entity> find_emails(std::string_view text) {
  std::vector<Entity> out;
  size_t from = 0;
  for (size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', from)) {
    from = at + 1;
    size_t b = at;
    bool too_long = false;
    for (Cp c = cp_before(text, b); email_local_char(c); c = cp_before(text, b)) {
      b -= c.len;
      if (at - b > 64) {
        too_long = true;
        break;
      }
    }
    while (b < at && text[b] == '.') ++b;
    if (too_long || b == at || text[at - 1] == '.' ||
        text.substr(b, at - b).find("..") != std::string_view::npos)
      continue;
    const size_t end = domain_end(text, domain_labels(text, at + 1));
    if (end == 0) continue;
    out.push_back(make_entity(text, "email", b, end, to_lower(text.substr(b, end - b)), 0.95));
    from = end;
  }
  return out;
}

std::vector<Entity> find_urls(std::string_view text) {
  std::vector<Entity> out;
  for (size_t i = 0; i < text.size(); ++i) {
    const char first = text[i];
    if (first != 'h' && first != 'H' && first != 'w' && first != 'W') continue;
    size_t host = 0;
    if (starts_with_ci(text, i, "https://")) {
      host = i + 8;
    } else if (starts_with_ci(text, i, "http://")) {
      host = i + 7;
    } else if (starts_with_ci(text, i, "www.")) {
      host = i;
    } else {
      continue;
    }
    const Cp before = cp_before(text, i);
    if (is_alnum(before.cp) || (before.len == 1 && std::strchr("@./-_", text[i - 1]))) continue;
    size_t end = host;
    for (Cp c = cp_at(text, end); url_char(c) && end - i < 2048; c = cp_at(text, end)) end += c.len;
    // Sentence punctuation and an unbalanced closing bracket belong to the text, not the URL.
    while (end > host) {
      const char last = text[end - 1];
      const std::string_view url = text.substr(i, end - i);
      const auto count = [&](char c) { return std::count(url.begin(), url.end(), c); };
      if (std::strchr(".,;:!?", last) || (last == ')' && count(')') > count('(')) ||
          (last == ']' && count(']') > count('['))) {
        --end;
      } else {
        break;
      }
    }
    const std::string_view rest = text.substr(host, end - host);
    const std::string_view host_name = rest.substr(0, rest.find_first_of("/?#:"));
    if (!host_ok(host_name)) continue;
    out.push_back(make_entity(text, "url", i, end, std::string(text.substr(i, end - i)), 0.9));
    i = end - 1;
  }
  return out;
}

std::vector<Entity> find_phones(std::string_view text, const Options& options,
                                const TakenSpans& taken) {
  std::vector<Entity> out;
  const pn::PhoneNumberUtil& util = *pn::PhoneNumberUtil::GetInstance();
  std::string region;
  for (char c : options.default_region)
    region += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  if (util.GetCountryCodeForRegion(region) == 0) region = "ZZ";  // then only "+49 ..." parses
  std::string trunk;
  util.GetNddPrefixForRegion(region, true, &trunk);
  // Where national numbers carry the trunk prefix 0 (most of Europe), a candidate that starts
  // with another digit is no national number: it never reaches libphonenumber.
  const bool trunk_zero = trunk == "0";

  std::unordered_map<std::string, std::vector<PhoneHit>> cache;
  int parse_checks = 0, matcher_runs = 0;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (!(c == '+' || c == '(' || (c >= '0' && c <= '9'))) {
      ++i;
      continue;
    }
    if (const size_t end = taken.covering_end(i)) {
      i = end;
      continue;
    }
    // The candidate: digit groups joined by short separators ("030 1234567", "(030) 12345-67",
    // "+49 (0)30 / 123 456"); a run like "/." or four spaces ends it.
    size_t j = i, digits = 0;
    while (j < text.size() && j - i < kMaxCandidate && taken.covering_end(j) == 0) {
      if (text[j] >= '0' && text[j] <= '9') {
        ++digits;
        ++j;
        continue;
      }
      size_t r = j;
      int spaces = 0, marks = 0, open = 0, close = 0, plus = 0;
      for (; r < text.size() && r - j < 4 && phone_char(text[r]) &&
             !(text[r] >= '0' && text[r] <= '9');
           ++r) {
        const char s = text[r];
        spaces += s == ' ';
        marks += s == '-' || s == '/' || s == '.';
        open += s == '(';
        close += s == ')';
        plus += s == '+';
      }
      const bool leading = j == i;
      const bool ok = r < text.size() && text[r] >= '0' && text[r] <= '9' && spaces <= 2 &&
                      marks <= 1 && open <= 1 && close <= 1 && plus <= (leading ? 1 : 0) &&
                      taken.covering_end(r) == 0;
      if (!ok) break;
      j = r;
    }
    // "(030)" keeps its closing parenthesis.
    size_t end = j;
    if (end < text.size() && text[end] == ')' &&
        text.substr(i, end - i).find('(') != std::string_view::npos)
      ++end;
    const size_t begin = i;
    i = end > i ? end : i + 1;
    if (digits < 6 || end <= begin) continue;
    const std::string_view candidate = text.substr(begin, end - begin);
    const bool international = candidate[0] == '+' || candidate.rfind("00", 0) == 0;
    if (trunk_zero && !international && candidate[0] != '(' && candidate[0] != '0') continue;

    std::string window(1, context_char(cp_before(text, begin)));
    window.append(candidate);
    window += context_char(cp_at(text, end));
    auto cached = cache.find(window);
    if (cached == cache.end()) {
      std::vector<PhoneHit> hits;
      bool worth_matching = digits > 12;  // may hold two numbers: let the matcher split them
      if (!worth_matching && parse_checks < kMaxParseChecks) {
        ++parse_checks;
        pn::PhoneNumber number;
        worth_matching = util.Parse(std::string(candidate), region, &number) ==
                             pn::PhoneNumberUtil::NO_PARSING_ERROR &&
                         util.IsValidNumber(number);
      }
      if (worth_matching && matcher_runs < kMaxMatcherRuns) {
        ++matcher_runs;
        pn::PhoneNumberMatcher matcher(util, window, region, pn::PhoneNumberMatcher::VALID, 16);
        pn::PhoneNumberMatch match;
        while (matcher.HasNext() && matcher.Next(&match)) {
          PhoneHit hit{static_cast<size_t>(match.start()), static_cast<size_t>(match.length()), {}};
          util.Format(match.number(), pn::PhoneNumberUtil::E164, &hit.e164);
          hits.push_back(std::move(hit));
        }
      }
      cached = cache.emplace(std::move(window), std::move(hits)).first;
    }
    for (const PhoneHit& hit : cached->second) {
      // Window byte 0 is the context character before the candidate.
      if (hit.start < 1 || hit.start - 1 + hit.length > candidate.size()) continue;
      const size_t b = begin + hit.start - 1, e = b + hit.length;
      if (!out.empty() && out.back().offset + out.back().length > b) continue;
      const std::string_view raw = text.substr(b, e - b);
      double confidence = 0.75;
      if (raw[0] == '+' || raw.rfind("00", 0) == 0) confidence = 0.85;
      if (phone_label_before(text, b)) confidence = 0.95;
      out.push_back(make_entity(text, "phone", b, e, hit.e164, confidence));
    }
  }
  return out;
}

}  // namespace paperd::engines::extract::detail
