#include "engines/inspect/file_type.h"

#include <zip.h>

#include <algorithm>
#include <fstream>
#include <memory>

#include "core/error.h"

namespace paperd::engines::inspect {

namespace {

std::string lower_extension(std::string_view name) {
  auto dot = name.rfind('.');
  if (dot == std::string_view::npos) return "";
  std::string ext(name.substr(dot + 1));
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return ext;
}

std::string read_head(const std::filesystem::path& file, size_t n) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw core::Error::internal("cannot read upload " + file.string());
  std::string head(n, '\0');
  in.read(head.data(), static_cast<std::streamsize>(n));
  head.resize(static_cast<size_t>(in.gcount()));
  return head;
}

core::Error unsupported(std::string_view name, const std::string& why) {
  return core::Error(400, "UNSUPPORTED_FORMAT",
                     "'" + std::string(name) + "' " + why +
                         "; accepted formats: " + std::string(accepted_formats()));
}

// The OOXML package a ZIP is, by the part every such package must have.
FileType sniff_zip(const std::filesystem::path& file, std::string_view name) {
  int err = 0;
  std::unique_ptr<zip_t, decltype(&zip_discard)> z(zip_open(file.c_str(), ZIP_RDONLY, &err),
                                                   &zip_discard);
  if (!z) throw unsupported(name, "is a damaged ZIP archive");
  auto has = [&](const char* part) { return zip_name_locate(z.get(), part, 0) >= 0; };
  if (has("word/document.xml"))
    return {Kind::kOffice,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"};
  if (has("xl/workbook.xml"))
    return {Kind::kOffice, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx"};
  if (has("ppt/presentation.xml"))
    return {Kind::kOffice,
            "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"};
  throw unsupported(name, "is a ZIP archive but not a Word, Excel or PowerPoint file");
}

// An OLE compound file names its streams in UTF-16LE in its directory sectors.
FileType sniff_ole(const std::filesystem::path& file, std::string_view name) {
  std::string bytes = read_head(file, 8u << 20);
  auto has = [&](std::string_view ascii) {
    std::string wide;
    for (char c : ascii) {
      wide += c;
      wide += '\0';
    }
    return bytes.find(wide) != std::string::npos;
  };
  if (has("WordDocument")) return {Kind::kOffice, "application/msword", "doc"};
  if (has("Workbook") || has("Book")) return {Kind::kOffice, "application/vnd.ms-excel", "xls"};
  if (has("PowerPoint Document")) return {Kind::kOffice, "application/vnd.ms-powerpoint", "ppt"};
  std::string ext = lower_extension(name);
  if (ext == "doc") return {Kind::kOffice, "application/msword", "doc"};
  if (ext == "xls") return {Kind::kOffice, "application/vnd.ms-excel", "xls"};
  if (ext == "ppt") return {Kind::kOffice, "application/vnd.ms-powerpoint", "ppt"};
  throw unsupported(name, "is an OLE compound file but not a Word, Excel or PowerPoint file");
}

bool valid_utf8(std::string_view s, bool allow_cut_end) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0) return false;
    if (i + n > s.size()) return allow_cut_end;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    i += n;
  }
  return true;
}

}  // namespace

std::string_view accepted_formats() {
  return "PDF, DOCX, DOC, XLSX, XLS, PPTX, PPT, TXT, CSV, PNG, JPG, TIFF, BMP, GIF, WEBP";
}

FileType sniff_file(const std::filesystem::path& file, std::string_view name) {
  std::string head = read_head(file, 64 * 1024);
  auto starts = [&](std::string_view magic) { return std::string_view(head).starts_with(magic); };
  // A PDF header may follow up to 1 KB of junk (ISO 32000-1 §7.5.2 readers accept it).
  if (head.substr(0, 1024).find("%PDF-") != std::string::npos)
    return {Kind::kPdf, "application/pdf", "pdf"};
  if (starts("\x89PNG\r\n\x1a\n")) return {Kind::kImage, "image/png", "png"};
  if (starts("\xff\xd8\xff")) return {Kind::kImage, "image/jpeg", "jpg"};
  if (starts("II*\0") || starts("MM\0*")) return {Kind::kImage, "image/tiff", "tiff"};
  if (starts("GIF87a") || starts("GIF89a")) return {Kind::kImage, "image/gif", "gif"};
  if (starts("BM") && head.size() > 26) return {Kind::kImage, "image/bmp", "bmp"};
  if (starts("RIFF") && head.size() >= 12 && head.compare(8, 4, "WEBP") == 0)
    return {Kind::kImage, "image/webp", "webp"};
  if (starts("PK\x03\x04")) return sniff_zip(file, name);
  if (starts("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")) return sniff_ole(file, name);
  if (head.empty()) throw unsupported(name, "is empty");
  std::string_view text = head;
  if (text.starts_with("\xef\xbb\xbf")) text.remove_prefix(3);
  if (text.find('\0') == std::string_view::npos && valid_utf8(text, head.size() == 64 * 1024)) {
    if (lower_extension(name) == "csv") return {Kind::kText, "text/csv", "csv"};
    return {Kind::kText, "text/plain", "txt"};
  }
  throw unsupported(name, "is not a format the document store accepts (its bytes match none)");
}

}  // namespace paperd::engines::inspect
