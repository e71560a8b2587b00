#include "services/messages/mime.h"

#include <fmt/format.h>

#include <openssl/evp.h>

#include <ctime>

namespace paperd::services::messages {

namespace {

bool printable_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

// Length of the UTF-8 sequence that starts with byte c (1 for stray bytes).
size_t utf8_len(unsigned char c) {
  if (c >= 0xf0 && c < 0xf8) return 4;
  if (c >= 0xe0) return c < 0xf0 ? 3 : 1;
  if (c >= 0xc0) return 2;
  return 1;
}

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

// Header values never carry line breaks of their own: a title with CR/LF could add headers.
std::string one_line(std::string_view s) {
  std::string out;
  for (char c : s) out.push_back(c == '\r' || c == '\n' || c == '\t' ? ' ' : c);
  return out;
}

}  // namespace

std::string rfc5322_date(int64_t unix_seconds) {
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  time_t t = static_cast<time_t>(unix_seconds);
  struct tm tm {};
  gmtime_r(&t, &tm);
  return fmt::format("{}, {:02d} {} {:04d} {:02d}:{:02d}:{:02d} +0000", kDays[tm.tm_wday],
                     tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                     tm.tm_sec);
}

std::string encode_header_text(std::string_view raw, size_t used) {
  std::string text = one_line(raw);
  if (printable_ascii(text)) return text;
  constexpr size_t kLine = 76, kFrame = 12;  // "=?UTF-8?B?" and "?="
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    // Bytes that fit the line as base64: 3 for every 4 characters left.
    size_t room = kLine - std::min(kLine - kFrame - 4, used) - kFrame;
    size_t chunk = room / 4 * 3;
    size_t end = i;
    while (end < text.size()) {
      size_t n = utf8_len(static_cast<unsigned char>(text[end]));
      if (end + n - i > chunk) break;
      end += n;
    }
    if (end == i) end = std::min(text.size(), i + chunk);  // a malformed run: cut anywhere
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(text.substr(i, end - i)) + "?=";
    i = end;
    used = 1;  // continuation lines start with the folding blank
  }
  return out;
}

std::string quoted_printable(std::string_view text) {
  constexpr size_t kMax = 76;
  std::string out, line;
  auto flush_line = [&](bool hard) {
    // A blank at the end of a line would be lost in transport: encode it.
    if (hard && !line.empty() && (line.back() == ' ' || line.back() == '\t')) {
      char c = line.back();
      line.pop_back();
      if (line.size() + 3 > kMax) {
        out += line + "=\r\n";
        line.clear();
      }
      line += fmt::format("={:02X}", static_cast<unsigned char>(c));
    }
    out += line;
    out += hard ? "\r\n" : "=\r\n";
    line.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      flush_line(true);
      continue;
    }
    std::string piece;
    if ((c >= 33 && c <= 126 && c != '=') || c == ' ' || c == '\t')
      piece.assign(1, static_cast<char>(c));
    else
      piece = fmt::format("={:02X}", c);
    // Keep one column for the soft break's '='.
    if (line.size() + piece.size() > kMax - 1) flush_line(false);
    line += piece;
  }
  if (!line.empty()) flush_line(true);
  return out;
}

std::string decode_quoted_printable(std::string_view qp) {
  std::string out;
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (size_t i = 0; i < qp.size(); ++i) {
    if (qp[i] != '=') {
      out.push_back(qp[i]);
      continue;
    }
    if (i + 2 < qp.size() && qp[i + 1] == '\r' && qp[i + 2] == '\n') {
      i += 2;  // soft break
    } else if (i + 1 < qp.size() && qp[i + 1] == '\n') {
      i += 1;
    } else if (i + 2 < qp.size() && hex(qp[i + 1]) >= 0 && hex(qp[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(qp[i + 1]) * 16 + hex(qp[i + 2])));
      i += 2;
    } else {
      out.push_back('=');
    }
  }
  return out;
}

std::string mailbox_address(std::string_view from) {
  auto lt = from.rfind('<');
  auto gt = from.rfind('>');
  if (lt != std::string_view::npos && gt != std::string_view::npos && gt > lt)
    return std::string(from.substr(lt + 1, gt - lt - 1));
  size_t b = from.find_first_not_of(' ');
  size_t e = from.find_last_not_of(' ');
  return b == std::string_view::npos ? "" : std::string(from.substr(b, e - b + 1));
}

std::string mailbox_name(std::string_view from) {
  auto lt = from.rfind('<');
  if (lt == std::string_view::npos) return "";
  std::string name(from.substr(0, lt));
  while (!name.empty() && (name.back() == ' ' || name.back() == '"')) name.pop_back();
  size_t b = name.find_first_not_of(" \"");
  return b == std::string::npos ? "" : name.substr(b);
}

std::string build_email(const EmailParts& e) {
  std::string from_addr = mailbox_address(e.from);
  std::string name = mailbox_name(e.from);
  std::string from;
  if (name.empty())
    from = from_addr;
  else if (printable_ascii(name) && name.find_first_of("\"\\()<>[]:;@,.") == std::string::npos)
    from = name + " <" + from_addr + ">";
  else if (printable_ascii(name))
    from = "\"" + name + "\" <" + from_addr + ">";  // a name with specials is quoted
  else
    from = encode_header_text(name, 6) + " <" + from_addr + ">";
  std::string m;
  m += "Date: " + rfc5322_date(e.date) + "\r\n";
  m += "Message-ID: <" + e.message_id + ">\r\n";
  m += "From: " + from + "\r\n";
  m += "To: <" + e.to + ">\r\n";
  m += "Subject: " + encode_header_text(e.subject, 9) + "\r\n";
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: text/plain; charset=utf-8\r\n";
  m += "Content-Transfer-Encoding: quoted-printable\r\n";
  // Auto-Submitted (RFC 3834) keeps vacation responders from answering a notification.
  m += "Auto-Submitted: auto-generated\r\n";
  if (!e.category.empty()) m += "X-PaperOffice-Category: " + one_line(e.category) + "\r\n";
  m += "\r\n";
  m += quoted_printable(e.body);
  return m;
}

}  // namespace paperd::services::messages
