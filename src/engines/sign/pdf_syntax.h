// PDF syntax the signer writes by hand: strings (PDFDocEncoding or UTF-16BE), names, numbers,
// dates, Flate-compressed stream data, and the WinAnsi bytes of text drawn with a standard font.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace paperd::engines::sign {

std::string pdf_literal(std::string_view bytes);     // "(a\(b\))", binary-safe
std::string pdf_hex_string(std::string_view bytes);  // "<0a1b>"
// A text string: ASCII as a literal, anything else as UTF-16BE with a BOM (invalid UTF-8 → U+FFFD).
std::string pdf_text_string(const std::string& utf8);
std::string pdf_name(std::string_view name);  // "/Signature#20one"
std::string pdf_number(double v);             // "12.5", at most 4 decimals
std::string pdf_date(int64_t unix_seconds);   // "D:20240501120000+00'00'"
// "D:2024..." (any PDF date) → "2024-05-01T12:00:00Z" in UTC; "" when unreadable.
std::string iso_from_pdf_date(const std::string& pdf_date);
std::string flate(std::string_view data);  // zlib stream (FlateDecode)
// "%PDF-" within the first 1024 bytes, where readers look for it.
bool has_pdf_header(std::string_view file);

// UTF-8 → Unicode code points (invalid sequences → U+FFFD).
std::u32string utf8_to_code_points(std::string_view utf8);
// The WinAnsiEncoding byte of a code point, or 0 when the encoding has none.
unsigned char winansi_byte(char32_t c);

}  // namespace paperd::engines::sign
