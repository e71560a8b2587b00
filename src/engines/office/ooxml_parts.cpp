#include "engines/office/ooxml_parts.h"

#include "engines/office/xml_text.h"

namespace paperd::engines::office {

std::string relationships_xml(const std::vector<Relationship>& rels) {
  std::string x = kXmlHeader;
  x += "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";
  for (const auto& r : rels) {
    std::string base =
        r.type == "core-properties"
            ? "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
            : "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
    x += "<Relationship Id=\"" + r.id + "\" Type=\"" + base + r.type + "\" Target=\"" +
         xml_escape(r.target) + "\"/>";
  }
  return x + "</Relationships>";
}

std::string content_types_xml(const std::vector<std::pair<std::string, std::string>>& overrides) {
  std::string x = kXmlHeader;
  x += "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
       "<Default Extension=\"rels\" "
       "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
       "<Default Extension=\"xml\" ContentType=\"application/xml\"/>";
  for (const auto& [part, type] : overrides)
    x += "<Override PartName=\"" + part + "\" ContentType=\"" + type + "\"/>";
  return x + "</Types>";
}

}  // namespace paperd::engines::office
