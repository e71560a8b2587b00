// Text made safe for XML parts: escaping of markup characters, removal of characters XML 1.0
// forbids (control characters from PDF text), and replacement of invalid UTF-8 with U+FFFD.
#pragma once

#include <string>
#include <string_view>

namespace paperd::engines::office {

// Escapes & < > " ' and cleans the text as above; for element content and attribute values.
std::string xml_escape(std::string_view text);

// A number in XML attributes without locale effects: "12.5", "3".
std::string xml_number(double v);

}  // namespace paperd::engines::office
