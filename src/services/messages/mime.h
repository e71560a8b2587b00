// The email of a notification as an RFC 5322 / MIME message: Date, Message-ID, From, To, Subject
// (RFC 2047 encoded-words when not ASCII), MIME-Version, Content-Type text/plain; charset=utf-8,
// and the body in quoted-printable (RFC 2045), lines ending in CRLF. Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace paperd::services::messages {

// "Mon, 07 Dec 2026 10:05:41 +0000" (RFC 5322 date-time, UTC).
std::string rfc5322_date(int64_t unix_seconds);

// A header value as is when it is printable ASCII, else as RFC 2047 "B" encoded-words of UTF-8,
// split on character boundaries and folded with CRLF SP so that no line passes 76 characters;
// `used` is what the first line already holds ("Subject: " = 9).
std::string encode_header_text(std::string_view utf8, size_t used = 0);

// The body in quoted-printable: line breaks become CRLF, lines at most 76 characters with soft
// breaks, '=' and bytes outside printable ASCII as =XX, trailing blanks encoded.
std::string quoted_printable(std::string_view text);
// The reverse, for tests and for reading a message back.
std::string decode_quoted_printable(std::string_view qp);

// "paperd <noreply@example.com>" → "noreply@example.com"; a bare address stays as it is.
std::string mailbox_address(std::string_view from);
// The display name of a "Name <address>" mailbox, or empty.
std::string mailbox_name(std::string_view from);

struct EmailParts {
  std::string from;  // "Name <address>" or "address"
  std::string to;    // an address
  std::string subject, body;
  std::string message_id;  // without angle brackets: msg_...@example.com
  int64_t date = 0;        // unix seconds
  std::string category;    // X-PaperOffice-Category
};

// The whole message, headers and body, ready for SMTP DATA.
std::string build_email(const EmailParts& e);

}  // namespace paperd::services::messages
