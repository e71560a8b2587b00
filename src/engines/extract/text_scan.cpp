// UTF-8 stepping and character classes of the recognisers (recognisers.h).
#include <unicode/uchar.h>

#include "engines/extract/recognisers.h"

namespace paperd::engines::extract::detail {

Cp cp_decode(std::string_view s, size_t i) {
  if (i >= s.size()) return {0, 0};
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return {c, 1};
  size_t n;
  char32_t cp;
  if ((c & 0xE0) == 0xC0) {
    n = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4;
    cp = c & 0x07;
  } else {
    return {kInvalid, 1};
  }
  if (i + n > s.size()) return {kInvalid, 1};
  for (size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return {kInvalid, 1};
    cp = (cp << 6) | (b & 0x3F);
  }
  const bool overlong = (n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000);
  if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {kInvalid, 1};
  return {cp, n};
}

Cp cp_before(std::string_view s, size_t i) {
  if (i == 0 || i > s.size()) return {0, 0};
  size_t j = i - 1;
  while (j > 0 && i - j < 4 && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) --j;
  const Cp c = cp_at(s, j);
  if (c.len == i - j) return c;
  return {kInvalid, 1};
}

bool is_letter_slow(char32_t c) {
  return c != kInvalid && u_isalpha(static_cast<UChar32>(c));
}

bool is_upper(char32_t c) {
  if (c < 0x80) return c >= 'A' && c <= 'Z';
  return c != kInvalid && u_isupper(static_cast<UChar32>(c));
}

size_t skip_spaces(std::string_view s, size_t i, size_t max) {
  for (size_t n = 0; n < max; ++n) {
    const Cp c = cp_at(s, i);
    if (!is_space(c.cp)) break;
    i += c.len;
  }
  return i;
}

size_t skip_spaces_back(std::string_view s, size_t i, size_t max) {
  for (size_t n = 0; n < max; ++n) {
    const Cp c = cp_before(s, i);
    if (!is_space(c.cp)) break;
    i -= c.len;
  }
  return i;
}

bool has_line_break(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const Cp c = cp_at(s, i);
    if (is_line_break(c.cp)) return true;
    i += c.len;
  }
  return false;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

std::string to_lower(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const Cp c = cp_at(s, i);
    if (c.cp < 0x80) {
      out += static_cast<char>(c.cp >= 'A' && c.cp <= 'Z' ? c.cp + 32 : c.cp);
    } else if (c.cp == kInvalid) {
      out.append(s.substr(i, c.len));
    } else {
      append_utf8(out, static_cast<char32_t>(u_tolower(static_cast<UChar32>(c.cp))));
    }
    i += c.len;
  }
  return out;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return out;
}

std::string collapse_spaces(std::string_view s) {
  std::string out;
  bool pending = false;
  for (size_t i = 0; i < s.size();) {
    const Cp c = cp_at(s, i);
    if (is_space(c.cp) || is_line_break(c.cp)) {
      pending = !out.empty();
    } else {
      if (pending) out += ' ';
      pending = false;
      out.append(s.substr(i, c.len));
    }
    i += c.len;
  }
  return out;
}

std::vector<std::string_view> split(std::string_view list, char sep) {
  std::vector<std::string_view> parts;
  while (!list.empty()) {
    const size_t at = list.find(sep);
    if (at != 0) parts.push_back(list.substr(0, at));
    if (at == std::string_view::npos) break;
    list = list.substr(at + 1);
  }
  return parts;
}

Entity make_entity(std::string_view text, const char* type, size_t begin, size_t end,
                   std::string value, double confidence) {
  Entity e;
  e.type = type;
  e.value = std::move(value);
  e.text = std::string(text.substr(begin, end - begin));
  e.offset = begin;
  e.length = end - begin;
  e.confidence = confidence;
  return e;
}

bool TakenSpans::overlaps(size_t begin, size_t end) const {
  auto it = spans_.lower_bound(end);
  if (it == spans_.begin()) return false;
  --it;  // the last span starting before end; ends grow with begins, so it decides
  return it->second > begin;
}

size_t TakenSpans::covering_end(size_t i) const {
  auto it = spans_.upper_bound(i);
  if (it == spans_.begin()) return 0;
  --it;
  return it->second > i ? it->second : 0;
}

}  // namespace paperd::engines::extract::detail
