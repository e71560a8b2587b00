#include "engines/office/xml_text.h"

#include <cmath>
#include <cstdio>

namespace paperd::engines::office {

namespace {

// Decodes one UTF-8 sequence at s[i]; returns the code point (or -1 when invalid) and advances i.
int32_t next_rune(std::string_view s, size_t& i) {
  auto c = static_cast<unsigned char>(s[i]);
  int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return -1;
  }
  int32_t r = len == 1 ? c : c & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) {
      ++i;
      return -1;
    }
    r = (r << 6) | (cc & 0x3F);
  }
  i += len;
  static const int32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (r < kMin[len] || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) return -1;
  return r;
}

}  // namespace

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    int32_t r = next_rune(text, i);
    if (r < 0) {
      out += "\xEF\xBF\xBD";
      continue;
    }
    switch (r) {
      case '&':
        out += "&amp;";
        continue;
      case '<':
        out += "&lt;";
        continue;
      case '>':
        out += "&gt;";
        continue;
      case '"':
        out += "&quot;";
        continue;
      case '\'':
        out += "&apos;";
        continue;
      default:
        break;
    }
    bool allowed = r == 0x9 || r == 0xA || r == 0xD || (r >= 0x20 && r <= 0xD7FF) ||
                   (r >= 0xE000 && r <= 0xFFFD) || r >= 0x10000;
    if (allowed) out.append(text.substr(start, i - start));
  }
  return out;
}

std::string xml_number(double v) {
  if (std::isnan(v) || std::isinf(v)) return "0";
  char buf[32];
  if (v == std::floor(v) && std::fabs(v) < 1e15)
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else
    std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

}  // namespace paperd::engines::office
