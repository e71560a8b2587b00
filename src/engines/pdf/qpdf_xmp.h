// The document-level XMP packet as text: reading the properties that mirror the Info
// dictionary, and rewriting them in an existing packet (everything else in it is kept) or in a
// new one. Pure string work, no PDF objects; qpdf_metadata.cpp moves packets in and out.
#pragma once

#include <map>
#include <string>

namespace paperd::engines::pdf {

// XMP property name (dc:title, dc:creator, dc:description, pdf:Keywords, xmp:CreatorTool,
// pdf:Producer, xmp:CreateDate, xmp:ModifyDate, xmp:MetadataDate) → value (UTF-8; dates ISO
// 8601). dc:creator holds one creator; its rdf:Seq is written with a single item.
using XmpProperties = std::map<std::string, std::string>;

// The properties found in packet (element or attribute form; older xap: prefixes included).
XmpProperties xmp_read(const std::string& packet);

// Returns packet with every property named in kXmpManaged removed and `values` written in a new
// rdf:Description; a complete new packet when `packet` is empty or has no rdf:RDF element.
std::string xmp_update(const std::string& packet, const XmpProperties& values);

// The properties xmp_update manages, in the order it writes them.
extern const char* const kXmpManaged[9];

}  // namespace paperd::engines::pdf
