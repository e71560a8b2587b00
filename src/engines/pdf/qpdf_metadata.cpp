// Info dictionary and XMP metadata kept in sync: see qpdf_metadata.h.
#include "engines/pdf/qpdf_metadata.h"

#include <cstdio>
#include <regex>

#include <qpdf/QPDFObjectHandle.hh>

#include "core/error.h"
#include "engines/pdf/qpdf_xmp.h"

namespace paperd::engines::pdf {

namespace {

struct FieldMap {
  const char* field;
  const char* info_key;
  const char* xmp_property;
  bool date;
};

constexpr FieldMap kFields[] = {
    {"title", "/Title", "dc:title", false},
    {"author", "/Author", "dc:creator", false},
    {"subject", "/Subject", "dc:description", false},
    {"keywords", "/Keywords", "pdf:Keywords", false},
    {"creator", "/Creator", "xmp:CreatorTool", false},
    {"producer", "/Producer", "pdf:Producer", false},
    {"creation_date", "/CreationDate", "xmp:CreateDate", true},
    {"mod_date", "/ModDate", "xmp:ModifyDate", true},
};

// A date with as many parts as were given (-1 = absent); tz is "", "Z" or "+HH:MM".
struct DateParts {
  int year = -1, month = -1, day = -1, hour = -1, minute = -1, second = -1;
  std::string tz;
};

int part(const std::ssub_match& m) {
  return m.matched ? std::stoi(m.str()) : -1;
}

bool valid(const DateParts& d) {
  auto in = [](int v, int lo, int hi) { return v == -1 || (v >= lo && v <= hi); };
  return d.year >= 0 && in(d.month, 1, 12) && in(d.day, 1, 31) && in(d.hour, 0, 23) &&
         in(d.minute, 0, 59) && in(d.second, 0, 60);
}

std::string pad(int v, int width = 2) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%0*d", width, v);
  return buf;
}

std::string to_iso(const DateParts& d) {
  std::string out = pad(d.year, 4);
  if (d.month < 0) return out;
  out += "-" + pad(d.month);
  if (d.day < 0) return out;
  out += "-" + pad(d.day);
  if (d.hour < 0) return out;
  out += "T" + pad(d.hour) + ":" + pad(d.minute < 0 ? 0 : d.minute);
  if (d.second >= 0) out += ":" + pad(d.second);
  return out + d.tz;
}

QPDFObjectHandle info_dictionary(QPDF& doc, bool create) {
  QPDFObjectHandle trailer = doc.getTrailer();
  QPDFObjectHandle info = trailer.getKey("/Info");
  if (info.isDictionary() || !create) return info;
  info = doc.makeIndirectObject(QPDFObjectHandle::newDictionary());
  trailer.replaceKey("/Info", info);
  return info;
}

std::string xmp_packet(QPDF& doc) {
  QPDFObjectHandle meta = doc.getRoot().getKey("/Metadata");
  if (!meta.isStream()) return "";
  try {
    auto data = meta.getStreamData(qpdf_dl_all);
    return std::string(reinterpret_cast<const char*>(data->getBuffer()), data->getSize());
  } catch (const std::exception&) {
    return "";  // an unreadable packet is replaced by a fresh one
  }
}

}  // namespace

const std::vector<std::string>& metadata_fields() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& f : kFields) v.push_back(f.field);
    return v;
  }();
  return names;
}

std::string iso_to_pdf_date(const std::string& iso, const std::string& field) {
  static const std::regex re(
      R"(^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)"
      R"((Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?$)");
  std::smatch m;
  DateParts d;
  if (std::regex_match(iso, m, re)) {
    d = {part(m[1]), part(m[2]), part(m[3]), part(m[4]), part(m[5]), part(m[6]), m[7].str()};
  }
  if (!valid(d))
    throw core::Error::invalid_request("field '" + field + "' must be an ISO 8601 date such as " +
                                       "2024-05-01 or 2024-05-01T10:20:30+02:00, not '" + iso +
                                       "'");
  std::string out = "D:" + pad(d.year, 4);
  for (int v : {d.month, d.day, d.hour, d.minute, d.second}) {
    if (v < 0) break;
    out += pad(v);
  }
  if (d.tz == "Z") {
    out += "Z";
  } else if (!d.tz.empty()) {
    std::string digits;
    for (char c : d.tz.substr(1))
      if (c != ':') digits += c;
    if (digits.size() == 2) digits += "00";
    out += d.tz.substr(0, 1) + digits.substr(0, 2) + "'" + digits.substr(2, 2) + "'";
  }
  return out;
}

std::string pdf_date_to_iso(const std::string& pdf_date) {
  static const std::regex re(
      R"(^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?\s*(?:(Z)|([+-])(\d{2})'?(\d{2})?'?)?)");
  std::smatch m;
  if (!std::regex_search(pdf_date, m, re)) return "";
  DateParts d{part(m[1]), part(m[2]), part(m[3]), part(m[4]), part(m[5]), part(m[6]), ""};
  if (!valid(d)) return "";
  if (d.hour >= 0) {
    if (m[7].matched)
      d.tz = "Z";
    else if (m[8].matched)
      d.tz = m[8].str() + m[9].str() + ":" + (m[10].matched ? m[10].str() : "00");
  }
  return to_iso(d);
}

std::map<std::string, std::string> read_info(QPDF& doc) {
  std::map<std::string, std::string> out;
  QPDFObjectHandle info = info_dictionary(doc, false);
  if (!info.isDictionary()) return out;
  for (const auto& f : kFields) {
    QPDFObjectHandle v = info.getKey(f.info_key);
    if (!v.isString()) continue;
    std::string text = v.getUTF8Value();
    if (f.date) text = pdf_date_to_iso(text);
    if (!text.empty()) out[f.field] = text;
  }
  return out;
}

std::map<std::string, std::string> read_xmp(QPDF& doc) {
  std::map<std::string, std::string> out;
  XmpProperties props = xmp_read(xmp_packet(doc));
  for (const auto& f : kFields) {
    auto it = props.find(f.xmp_property);
    if (it != props.end() && !it->second.empty()) out[f.field] = it->second;
  }
  return out;
}

void update_metadata(QPDF& doc, const std::map<std::string, std::string>& changes,
                     const std::string& now_iso) {
  QPDFObjectHandle info = info_dictionary(doc, true);
  auto set = [&](const FieldMap& f, const std::string& value) {
    if (value.empty()) {
      info.removeKey(f.info_key);
      return;
    }
    std::string stored = f.date ? iso_to_pdf_date(value, f.field) : value;
    info.replaceKey(f.info_key, QPDFObjectHandle::newUnicodeString(stored));
  };
  for (const auto& [field, value] : changes) {
    const FieldMap* f = nullptr;
    for (const auto& candidate : kFields)
      if (field == candidate.field) f = &candidate;
    if (!f) throw core::Error::invalid_request("unknown metadata field '" + field + "'");
    set(*f, value);
  }
  if (!changes.count("mod_date")) set(kFields[7], now_iso);

  XmpProperties props;
  for (const auto& [field, value] : read_info(doc)) {
    for (const auto& f : kFields)
      if (field == f.field) props[f.xmp_property] = value;
  }
  props["xmp:MetadataDate"] = now_iso;
  const std::string packet = xmp_update(xmp_packet(doc), props);

  QPDFObjectHandle root = doc.getRoot();
  QPDFObjectHandle meta = root.getKey("/Metadata");
  if (meta.isStream()) {
    meta.replaceStreamData(packet, QPDFObjectHandle::newNull(), QPDFObjectHandle::newNull());
  } else {
    meta = doc.newStream(packet);
    root.replaceKey("/Metadata", meta);
  }
  QPDFObjectHandle dict = meta.getDict();
  dict.replaceKey("/Type", QPDFObjectHandle::newName("/Metadata"));
  dict.replaceKey("/Subtype", QPDFObjectHandle::newName("/XML"));
}

}  // namespace paperd::engines::pdf
