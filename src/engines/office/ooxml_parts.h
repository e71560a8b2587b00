// The package parts every OOXML format shares: the XML declaration, relationship files and the
// content-types part, written from short lists instead of literal boilerplate in each writer.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace paperd::engines::office {

inline constexpr const char* kXmlHeader =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

struct Relationship {
  std::string id, type, target;  // type: the last segment after .../relationships/
};
// A _rels/*.rels part.
std::string relationships_xml(const std::vector<Relationship>& rels);

// [Content_Types].xml with Defaults for rels and xml plus one Override per (part, type).
std::string content_types_xml(const std::vector<std::pair<std::string, std::string>>& overrides);

}  // namespace paperd::engines::office
