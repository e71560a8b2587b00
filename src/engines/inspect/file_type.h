// What a stored document is, told from its bytes and never from its name (CONTRACTS §2.4): the
// formats the DMS accepts (PDF, Word, Excel, PowerPoint in both their OOXML and OLE forms, text,
// CSV and the common raster images), with the MIME type and extension the document then carries.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace paperd::engines::inspect {

enum class Kind { kPdf, kImage, kOffice, kText };

struct FileType {
  Kind kind = Kind::kText;
  std::string mime;       // application/pdf, image/png, ...
  std::string extension;  // pdf, png, docx, ... (lower case, no dot)
};

// Sniffs the file's first bytes (and, for ZIP and OLE containers, the names of their parts).
// `name` is the client's file name: it only picks between forms the bytes cannot tell apart
// (txt or csv; doc, xls or ppt inside an OLE container whose streams say nothing). Throws 400
// UNSUPPORTED_FORMAT naming the file and the accepted formats otherwise.
FileType sniff_file(const std::filesystem::path& file, std::string_view name);

// The formats sniff_file() accepts, for messages and docs.
std::string_view accepted_formats();

}  // namespace paperd::engines::inspect
