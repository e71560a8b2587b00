// Dates written in document text, in the forms invoices and letters use: ISO (2024-03-15),
// German/European (15.03.2024, 15.3.24), slashed (03/15/2024 US, 15/03/2024 when the day is
// over 12), and with month names in English or German ("March 15, 2024", "15. März 2024",
// "15 Mar 2024"). Returned as ISO 8601 dates in the order they appear.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace paperd::engines::split {

struct FoundDate {
  std::string iso;    // "2024-03-15"
  size_t offset = 0;  // byte offset in the searched text
};

std::vector<FoundDate> find_dates(std::string_view text);

}  // namespace paperd::engines::split
