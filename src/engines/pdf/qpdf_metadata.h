// Document metadata with qpdf: the Info dictionary and the XMP packet, always written together
// so readers that prefer either one see the same title, author, dates, ... Dates go in and out as
// ISO 8601 and are stored as PDF dates (D:YYYYMMDDHHmmSS+HH'mm') in Info.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <qpdf/QPDF.hh>

namespace paperd::engines::pdf {

// The fields, by their API names: title, author, subject, keywords, creator, producer,
// creation_date, mod_date.
const std::vector<std::string>& metadata_fields();

// Field → value from the Info dictionary (dates as ISO 8601); absent fields are left out.
std::map<std::string, std::string> read_info(QPDF& doc);
// Field → value from the XMP packet; absent fields are left out.
std::map<std::string, std::string> read_xmp(QPDF& doc);

// Sets (value) or removes (empty string) fields in Info, stamps mod_date with `now_iso` unless
// it is among the changes, then rewrites the XMP packet (created if missing) to match Info.
// Dates must be ISO 8601; a bad one throws Error::invalid_request naming the field.
void update_metadata(QPDF& doc, const std::map<std::string, std::string>& changes,
                     const std::string& now_iso);

// "2024-05-01T10:20:30+02:00" → "D:20240501102030+02'00'". Throws Error::invalid_request
// naming `field` when iso is not an ISO 8601 date or date-time.
std::string iso_to_pdf_date(const std::string& iso, const std::string& field);
// The reverse; "" when pdf_date is not a PDF date.
std::string pdf_date_to_iso(const std::string& pdf_date);

}  // namespace paperd::engines::pdf
