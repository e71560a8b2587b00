// The document meta fields clients set with short alias keys (document-edit): each alias names
// one canonical `_`-prefixed field with a type, and a value is checked and normalised by its
// type (dates to YYYY-MM-DD, amounts to numbers, currencies and languages by their ISO codes,
// IBANs by their mod-97 check). Custom fields (`_name` or `custom_name`) hold text.
#pragma once

#include <optional>
#include <string>

#include "core/json.h"

namespace paperd::services::dms {

struct MetaField {
  std::string field;  // canonical key, e.g. _document_date
  std::string type;   // string | date | amount | currency | language | iban | integer
};

// The field an alias or canonical key names; nullopt when it is neither (nor custom).
std::optional<MetaField> meta_field_for(const std::string& key);
// Every alias with its field and type, for messages and docs.
Json meta_field_catalog();
// The value normalised for storage; 400 INVALID_REQUEST naming the key and the problem.
Json normalize_meta_value(const std::string& key, const MetaField& f, const Json& value);

}  // namespace paperd::services::dms
