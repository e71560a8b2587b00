// Internals of engines/extract shared by its recogniser files: UTF-8 stepping, the character
// classes the recognisers agree on, the spans already claimed by a recogniser of higher rank,
// and one function per recogniser. Not part of the engine's interface (entities.h is).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engines/extract/entities.h"

namespace paperd::engines::extract::detail {

inline constexpr char32_t kInvalid = 0xFFFD;

// One code point: len 0 means "none" (before the start or past the end of the text); a byte that
// is not valid UTF-8 decodes as kInvalid of length 1, so garbage never stops a scan.
struct Cp {
  char32_t cp = 0;
  size_t len = 0;
};
Cp cp_decode(std::string_view s, size_t i);  // the multi-byte case of cp_at
inline Cp cp_at(std::string_view s, size_t i) {
  if (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80)
    return {static_cast<char32_t>(s[i]), 1};
  return cp_decode(s, i);
}
Cp cp_before(std::string_view s, size_t i);  // the code point ending at byte i

inline bool is_digit(char32_t c) {
  return c >= '0' && c <= '9';
}
inline bool is_ascii_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
inline bool is_ascii_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
bool is_letter_slow(char32_t c);  // ICU
// ASCII inline, ICU for the rest: "Müller", "Señora", "Ærø".
inline bool is_letter(char32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  return is_letter_slow(c);
}
bool is_upper(char32_t c);
inline bool is_alnum(char32_t c) {
  return is_digit(c) || is_letter(c);
}
// Horizontal white space: ' ', tab, U+00A0, U+2007, U+2009, U+202F.
inline bool is_space(char32_t c) {
  return c == ' ' || c == '\t' || c == 0xA0 || c == 0x2007 || c == 0x2009 || c == 0x202F;
}
// \n \r \v \f, U+0085, U+2028, U+2029.
inline bool is_line_break(char32_t c) {
  return c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == 0x85 || c == 0x2028 ||
         c == 0x2029;
}

// No letter or digit right before / at byte i.
inline bool at_word_start(std::string_view s, size_t i) {
  return !is_alnum(cp_before(s, i).cp);
}
inline bool at_word_end(std::string_view s, size_t i) {
  return !is_alnum(cp_at(s, i).cp);
}
// Past up to max horizontal spaces from i.
size_t skip_spaces(std::string_view s, size_t i, size_t max = 2);
// Back over up to max horizontal spaces ending at i.
size_t skip_spaces_back(std::string_view s, size_t i, size_t max = 2);
bool has_line_break(std::string_view s);

std::string to_lower(std::string_view s);  // per code point (ICU), invalid bytes kept
// ASCII letters lowered, every other byte kept: offsets in the copy are offsets in s.
std::string ascii_lower(std::string_view s);
void append_utf8(std::string& out, char32_t c);
// Runs of white space (line breaks included) become one ' '; the ends are trimmed.
std::string collapse_spaces(std::string_view s);
// The parts of list between sep characters: the word tables are written as one string each.
std::vector<std::string_view> split(std::string_view list, char sep = ' ');

Entity make_entity(std::string_view text, const char* type, size_t begin, size_t end,
                   std::string value, double confidence);

// Spans of the structured entities accepted so far; a recogniser of lower rank drops (or, for
// phones, never checks) a candidate that overlaps one.
class TakenSpans {
 public:
  void add(size_t begin, size_t end) { spans_[begin] = end; }
  bool overlaps(size_t begin, size_t end) const;
  // The end of the span covering byte i, or 0 when none does.
  size_t covering_end(size_t i) const;

 private:
  std::map<size_t, size_t> spans_;  // begin → end, never overlapping
};

// Recognisers. Each returns its finds in order of offset, none overlapping another of its kind.
std::vector<Entity> find_urls(std::string_view text);
std::vector<Entity> find_emails(std::string_view text);
std::vector<Entity> find_phones(std::string_view text, const Options& options,
                                const TakenSpans& taken);
std::vector<Entity> find_ibans(std::string_view text);
// BICs labelled "BIC"/"SWIFT" or on the line of one of the accepted ibans.
std::vector<Entity> find_bics(std::string_view text, const std::vector<Entity>& ibans);
std::vector<Entity> find_vat_ids(std::string_view text);
// An ambiguous slash date is read month-first only when the text's unambiguous slash dates are
// (or, with none either way, the region is "US"); see dates.cpp.
std::vector<Entity> find_dates(std::string_view text, const Options& options);
std::vector<Entity> find_amounts(std::string_view text);
// Companies and persons (one tokenization for both).
std::vector<Entity> find_names(std::string_view text);
std::vector<Entity> find_postcode_cities(std::string_view text, const TakenSpans& taken);

}  // namespace paperd::engines::extract::detail
