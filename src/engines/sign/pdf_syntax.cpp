// PDF syntax helpers: see pdf_syntax.h.
#include "engines/sign/pdf_syntax.h"

#include <zlib.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "core/error.h"

namespace paperd::engines::sign {

std::string pdf_literal(std::string_view bytes) {
  std::string out = "(";
  for (unsigned char c : bytes) {
    if (c == '(' || c == ')' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + ")";
}

std::string pdf_hex_string(std::string_view bytes) {
  static const char* kHex = "0123456789abcdef";
  std::string out = "<";
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out + ">";
}

std::u32string utf8_to_code_points(std::string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    int extra = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
    if (extra < 0 || i + extra >= s.size()) {
      out += U'\uFFFD';
      ++i;
      continue;
    }
    char32_t cp = extra == 0 ? c : c & (0x3f >> extra);
    bool ok = true;
    for (int k = 1; k <= extra; ++k) {
      auto n = static_cast<unsigned char>(s[i + k]);
      if ((n & 0xc0) != 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (n & 0x3f);
    }
    if (!ok || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      out += U'\uFFFD';
      ++i;
      continue;
    }
    out += cp;
    i += extra + 1;
  }
  return out;
}

std::string pdf_text_string(const std::string& utf8) {
  bool ascii = true;
  for (unsigned char c : utf8) ascii = ascii && c >= 0x20 && c < 0x7f;
  if (ascii) return pdf_literal(utf8);
  std::string be = "\xFE\xFF";
  auto unit = [&](char32_t u) {
    be += static_cast<char>(u >> 8);
    be += static_cast<char>(u & 0xff);
  };
  for (char32_t cp : utf8_to_code_points(utf8)) {
    if (cp >= 0x10000) {
      cp -= 0x10000;
      unit(0xd800 + (cp >> 10));
      unit(0xdc00 + (cp & 0x3ff));
    } else {
      unit(cp);
    }
  }
  return pdf_hex_string(be);
}

std::string pdf_name(std::string_view name) {
  std::string out = "/";
  for (unsigned char c : name) {
    bool regular =
        c > 0x20 && c < 0x7f && std::string_view("()<>[]{}/%#").find(c) == std::string::npos;
    if (regular) {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "#%02X", c);
      out += buf;
    }
  }
  return out;
}

std::string pdf_number(double v) {
  if (!std::isfinite(v)) v = 0;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  // Trim in the buffer: "12.5000" → "12.5", "3.0000" → "3", "-0.0000" → "0".
  size_t n = std::strlen(buf);
  while (n > 0 && buf[n - 1] == '0') --n;
  if (n > 0 && buf[n - 1] == '.') --n;
  std::string_view s(buf, n);
  if (s.empty() || s == "-0" || s == "-") return "0";
  return std::string(s);
}

std::string pdf_date(int64_t unix_seconds) {
  time_t t = static_cast<time_t>(unix_seconds);
  struct tm tm {};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "D:%Y%m%d%H%M%S+00'00'", &tm);
  return buf;
}

std::string iso_from_pdf_date(const std::string& d) {
  std::string s = d.rfind("D:", 0) == 0 ? d.substr(2) : d;
  auto field = [&](size_t at, size_t n, int fallback) {
    if (s.size() < at + n) return fallback;
    int v = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return fallback;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  if (s.size() < 4 || field(0, 4, -1) < 0) return "";
  struct tm tm {};
  tm.tm_year = field(0, 4, 1970) - 1900;
  tm.tm_mon = field(4, 2, 1) - 1;
  tm.tm_mday = field(6, 2, 1);
  tm.tm_hour = field(8, 2, 0);
  tm.tm_min = field(10, 2, 0);
  tm.tm_sec = field(12, 2, 0);
  int64_t t = timegm(&tm);
  if (s.size() > 14 && (s[14] == '+' || s[14] == '-')) {
    int off = field(15, 2, 0) * 3600 + field(18, 2, 0) * 60;  // "+02'00'"
    t += s[14] == '+' ? -off : off;
  }
  time_t tt = static_cast<time_t>(t);
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string flate(std::string_view data) {
  uLongf size = compressBound(static_cast<uLong>(data.size()));
  std::string out(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(out.data()), &size,
                reinterpret_cast<const Bytef*>(data.data()), static_cast<uLong>(data.size()),
                Z_BEST_COMPRESSION) != Z_OK)
    throw core::Error::internal("zlib could not compress an appearance stream");
  out.resize(size);
  return out;
}

bool has_pdf_header(std::string_view file) {
  return file.substr(0, 1024).find("%PDF-") != std::string_view::npos;
}

unsigned char winansi_byte(char32_t c) {
  if ((c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff)) return static_cast<unsigned char>(c);
  struct Pair {
    char32_t cp;
    unsigned char byte;
  };
  static constexpr Pair kExtra[] = {{0x20ac, 0x80}, {0x201a, 0x82}, {0x0192, 0x83}, {0x201e, 0x84},
                                    {0x2026, 0x85}, {0x2020, 0x86}, {0x2021, 0x87}, {0x02c6, 0x88},
                                    {0x2030, 0x89}, {0x0160, 0x8a}, {0x2039, 0x8b}, {0x0152, 0x8c},
                                    {0x017d, 0x8e}, {0x2018, 0x91}, {0x2019, 0x92}, {0x201c, 0x93},
                                    {0x201d, 0x94}, {0x2022, 0x95}, {0x2013, 0x96}, {0x2014, 0x97},
                                    {0x02dc, 0x98}, {0x2122, 0x99}, {0x0161, 0x9a}, {0x203a, 0x9b},
                                    {0x0153, 0x9c}, {0x017e, 0x9e}, {0x0178, 0x9f}};
  for (const auto& p : kExtra)
    if (p.cp == c) return p.byte;
  return 0;
}

}  // namespace paperd::engines::sign
