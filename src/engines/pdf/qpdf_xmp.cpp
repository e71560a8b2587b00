// XMP packet reading and rewriting: see qpdf_xmp.h.
#include "engines/pdf/qpdf_xmp.h"

#include <cctype>
#include <string_view>
#include <vector>

namespace paperd::engines::pdf {

const char* const kXmpManaged[9] = {"dc:title",       "dc:creator",      "dc:description",
                                    "pdf:Keywords",   "xmp:CreatorTool", "pdf:Producer",
                                    "xmp:CreateDate", "xmp:ModifyDate",  "xmp:MetadataDate"};

namespace {

// Old Acrobat packets spell the xmp: namespace with the prefix xap:.
std::vector<std::string> spellings(const std::string& name) {
  std::vector<std::string> out{name};
  if (name.starts_with("xmp:")) out.push_back("xap:" + name.substr(4));
  return out;
}

std::string escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    size_t semi = s.find(';', i);
    if (semi == std::string::npos || semi - i > 10) {
      out += s[i];
      continue;
    }
    std::string ent = s.substr(i + 1, semi - i - 1);
    if (ent == "amp")
      out += '&';
    else if (ent == "lt")
      out += '<';
    else if (ent == "gt")
      out += '>';
    else if (ent == "quot")
      out += '"';
    else if (ent == "apos")
      out += '\'';
    else if (ent.size() > 1 && ent[0] == '#') {
      unsigned long cp = 0;
      try {
        cp = ent[1] == 'x' ? std::stoul(ent.substr(2), nullptr, 16) : std::stoul(ent.substr(1));
      } catch (const std::exception&) {
        cp = 0xFFFD;  // a malformed reference becomes the replacement character
      }
      if (cp > 0x10FFFF) cp = 0xFFFD;
      if (cp < 0x80) {
        out += static_cast<char>(cp);
      } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
      } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
      } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
      }
    } else {
      out += s.substr(i, semi - i + 1);
    }
    i = semi;
  }
  return out;
}

// std::regex recurses per character in libstdc++ and can overflow on large packets (some
// carry thumbnails), so matching is done by hand.
struct Match {
  size_t begin = std::string::npos, end = 0;  // the whole element or attribute
  std::string value;                          // raw (still escaped) text
  bool found() const { return begin != std::string::npos; }
};

bool name_ends(const std::string& s, size_t pos) {
  return pos >= s.size() || std::isspace(static_cast<unsigned char>(s[pos])) || s[pos] == '>' ||
         s[pos] == '/' || s[pos] == '=';
}

// <name ...>inner</name> or <name .../>, the first at or after `from`.
Match find_element(const std::string& s, const std::string& name, size_t from = 0) {
  const std::string open = "<" + name, close = "</" + name;
  for (size_t at = s.find(open, from); at != std::string::npos; at = s.find(open, at + 1)) {
    if (!name_ends(s, at + open.size()) || s[at + open.size()] == '=') continue;
    size_t gt = s.find('>', at);
    if (gt == std::string::npos) return {};
    Match m;
    m.begin = at;
    if (s[gt - 1] == '/') {
      m.end = gt + 1;
      return m;
    }
    size_t c = s.find(close, gt);
    while (c != std::string::npos && !name_ends(s, c + close.size())) c = s.find(close, c + 1);
    if (c == std::string::npos) return {};
    size_t cgt = s.find('>', c);
    if (cgt == std::string::npos) return {};
    m.value = s.substr(gt + 1, c - gt - 1);
    m.end = cgt + 1;
    return m;
  }
  return {};
}

// name="value" or name='value' preceded by whitespace (an attribute of rdf:Description).
Match find_attribute(const std::string& s, const std::string& name, size_t from = 0) {
  for (size_t at = s.find(name, from); at != std::string::npos; at = s.find(name, at + 1)) {
    if (at == 0 || !std::isspace(static_cast<unsigned char>(s[at - 1]))) continue;
    size_t p = at + name.size();
    while (p < s.size() && std::isspace(static_cast<unsigned char>(s[p]))) ++p;
    if (p >= s.size() || s[p] != '=') continue;
    ++p;
    while (p < s.size() && std::isspace(static_cast<unsigned char>(s[p]))) ++p;
    if (p >= s.size() || (s[p] != '"' && s[p] != '\'')) continue;
    size_t q = s.find(s[p], p + 1);
    if (q == std::string::npos) return {};
    Match m;
    m.begin = at - 1;  // with the whitespace before it
    m.end = q + 1;
    m.value = s.substr(p + 1, q - p - 1);
    return m;
  }
  return {};
}

// The text of an element: the first rdf:li when it holds a container, else its content.
std::string element_text(const std::string& inner) {
  Match li = find_element(inner, "rdf:li");
  if (li.found()) return unescape(li.value);
  if (inner.find('<') != std::string::npos) return "";
  return unescape(inner);
}

std::string property_xml(const std::string& name, const std::string& value) {
  const std::string v = escape(value);
  if (name == "dc:title" || name == "dc:description")
    return "   <" + name + "><rdf:Alt><rdf:li xml:lang=\"x-default\">" + v +
           "</rdf:li></rdf:Alt></" + name + ">\n";
  if (name == "dc:creator")
    return "   <" + name + "><rdf:Seq><rdf:li>" + v + "</rdf:li></rdf:Seq></" + name + ">\n";
  return "   <" + name + ">" + v + "</" + name + ">\n";
}

std::string description_xml(const XmpProperties& values) {
  std::string body;
  for (const char* name : kXmpManaged) {
    auto it = values.find(name);
    if (it != values.end() && !it->second.empty()) body += property_xml(name, it->second);
  }
  return "  <rdf:Description rdf:about=\"\"\n"
         "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
         "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
         "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n" +
         body + "  </rdf:Description>\n";
}

}  // namespace

XmpProperties xmp_read(const std::string& packet) {
  XmpProperties out;
  for (const char* name : kXmpManaged) {
    for (const auto& spelled : spellings(name)) {
      Match m = find_element(packet, spelled);
      if (m.found()) {
        out[name] = element_text(m.value);
        break;
      }
      m = find_attribute(packet, spelled);
      if (m.found()) {
        out[name] = unescape(m.value);
        break;
      }
    }
  }
  return out;
}

std::string xmp_update(const std::string& packet, const XmpProperties& values) {
  size_t end = packet.rfind("</rdf:RDF>");
  if (packet.empty() || end == std::string::npos) {
    // A new packet; the BOM in begin="" marks the encoding (UTF-8), as XMP requires.
    std::string padding;
    for (int i = 0; i < 20; ++i) padding += std::string(99, ' ') + "\n";
    return "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
           "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
           " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n" +
           description_xml(values) +
           " </rdf:RDF>\n"
           "</x:xmpmeta>\n" +
           padding + "<?xpacket end=\"w\"?>";
  }
  std::string head = packet.substr(0, end);
  const std::string tail = packet.substr(end);
  for (const char* name : kXmpManaged) {
    for (const auto& spelled : spellings(name)) {
      for (Match m = find_element(head, spelled); m.found();
           m = find_element(head, spelled, m.begin))
        head.erase(m.begin, m.end - m.begin);
      for (Match m = find_attribute(head, spelled); m.found();
           m = find_attribute(head, spelled, m.begin))
        head.erase(m.begin, m.end - m.begin);
    }
  }
  return head + description_xml(values) + tail;
}

}  // namespace paperd::engines::pdf
