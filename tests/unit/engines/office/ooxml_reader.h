// Test helper: reads parts of a zip package (docx/xlsx/pptx) with libzip and pulls the visible
// text and spreadsheet cells out of the XML, so tests can assert on what the files contain.
#pragma once

#include <zip.h>

#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace paperd::fixtures {

// The part's bytes, or nullopt when the package has no such part.
inline std::optional<std::string> zip_part(const std::filesystem::path& file,
                                           const std::string& name) {
  int err = 0;
  zip_t* z = zip_open(file.c_str(), ZIP_RDONLY, &err);
  if (!z) return std::nullopt;
  std::optional<std::string> out;
  zip_stat_t st;
  if (zip_stat(z, name.c_str(), 0, &st) == 0) {
    if (zip_file_t* f = zip_fopen(z, name.c_str(), 0)) {
      std::string data(st.size, '\0');
      if (zip_fread(f, data.data(), st.size) == static_cast<zip_int64_t>(st.size)) out = data;
      zip_fclose(f);
    }
  }
  zip_close(z);
  return out;
}

inline std::string xml_unescape(std::string s) {
  const std::pair<const char*, const char*> ents[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}};
  for (const auto& [e, c] : ents)
    for (size_t p; (p = s.find(e)) != std::string::npos;) s.replace(p, std::strlen(e), c);
  return s;
}

// The contents of every <tag ...>text</tag> in document order, joined with `sep`.
inline std::string xml_texts(const std::string& xml, const std::string& tag,
                             const std::string& sep = " ") {
  std::regex re("<" + tag + "(?: [^>]*)?>([^<]*)</" + tag + ">");
  std::string out;
  for (auto it = std::sregex_iterator(xml.begin(), xml.end(), re); it != std::sregex_iterator();
       ++it) {
    if (!out.empty()) out += sep;
    out += xml_unescape((*it)[1].str());
  }
  return out;
}

// Cell reference ("B3") → value as text (shared strings resolved, numbers as written).
inline std::map<std::string, std::string> xlsx_cells(const std::filesystem::path& file,
                                                     int sheet = 1) {
  std::vector<std::string> shared;
  if (auto ss = zip_part(file, "xl/sharedStrings.xml")) {
    std::regex si("<si>(.*?)</si>");
    for (auto it = std::sregex_iterator(ss->begin(), ss->end(), si); it != std::sregex_iterator();
         ++it)
      shared.push_back(xml_texts((*it)[1].str(), "t", ""));
  }
  std::map<std::string, std::string> cells;
  auto xml = zip_part(file, "xl/worksheets/sheet" + std::to_string(sheet) + ".xml");
  if (!xml) return cells;
  std::regex c("<c r=\"([A-Z]+[0-9]+)\"([^>]*)>(?:<f>[^<]*</f>)?<v>([^<]*)</v></c>");
  for (auto it = std::sregex_iterator(xml->begin(), xml->end(), c); it != std::sregex_iterator();
       ++it) {
    std::string v = (*it)[3].str();
    bool is_shared = (*it)[2].str().find("t=\"s\"") != std::string::npos;
    cells[(*it)[1].str()] = is_shared ? shared.at(std::stoul(v)) : v;
  }
  return cells;
}

}  // namespace paperd::fixtures
