// Test fixtures for the converters, made from known text so the PDF's text is ground truth:
// minimal DOCX, ODT and EPUB packages zipped by hand with libzip, an XLSX with a formula from
// libxlsxwriter (cached result 0, so only a recalculation shows the right value), and
// pdftotext / pdfinfo readers. Shared by the unit tests and tests/api/converters_test.cpp.
#pragma once

#include <xlsxwriter.h>
#include <zip.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/subprocess.h"

namespace paperd::testing::convert {

using Entries = std::vector<std::pair<std::string, std::string>>;

// Writes a zip; the first entry is stored uncompressed (what EPUB and ODF need for "mimetype").
inline void write_zip(const std::filesystem::path& path, const Entries& entries) {
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  if (!z) throw std::runtime_error("zip_open failed");
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& [name, data] = entries[i];
    zip_source_t* src = zip_source_buffer(z, data.data(), data.size(), 0);
    zip_int64_t idx = zip_file_add(z, name.c_str(), src, ZIP_FL_ENC_UTF_8);
    if (idx < 0) throw std::runtime_error("zip_file_add failed");
    if (i == 0) zip_set_file_compression(z, static_cast<zip_uint64_t>(idx), ZIP_CM_STORE, 0);
  }
  if (zip_close(z) != 0) throw std::runtime_error("zip_close failed");
}

inline std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else
      out += c;
  }
  return out;
}

inline void make_docx(const std::filesystem::path& path, const std::vector<std::string>& paras) {
  std::string body;
  for (const auto& p : paras) body += "<w:p><w:r><w:t>" + xml_escape(p) + "</w:t></w:r></w:p>";
  write_zip(path, {{"[Content_Types].xml",
                    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>)"},
                   {"_rels/.rels",
                    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>)"},
                   {"word/document.xml",
                    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>)" +
                        body + "</w:body></w:document>"}});
}

inline void make_odt(const std::filesystem::path& path, const std::string& text) {
  write_zip(path, {{"mimetype", "application/vnd.oasis.opendocument.text"},
                   {"META-INF/manifest.xml",
                    R"(<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>)"},
                   {"content.xml",
                    R"(<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:text><text:p>)" +
                        xml_escape(text) +
                        "</text:p></office:text></office:body></office:document-content>"}});
}

// A1 = 1234, A2 = 4321, A3 = A1+A2 (stored with a cached result of 0), A4 = label.
inline void make_xlsx_with_formula(const std::filesystem::path& path, const std::string& label) {
  lxw_workbook* wb = workbook_new(path.c_str());
  lxw_worksheet* ws = workbook_add_worksheet(wb, nullptr);
  worksheet_write_number(ws, 0, 0, 1234, nullptr);
  worksheet_write_number(ws, 1, 0, 4321, nullptr);
  worksheet_write_formula(ws, 2, 0, "=A1+A2", nullptr);
  worksheet_write_string(ws, 3, 0, label.c_str(), nullptr);
  if (workbook_close(wb) != LXW_NO_ERROR) throw std::runtime_error("workbook_close failed");
}

// A1 = WEBSERVICE(url): a spreadsheet that would fetch a URL when recalculated.
inline void make_xlsx_fetching(const std::filesystem::path& path, const std::string& url) {
  lxw_workbook* wb = workbook_new(path.c_str());
  lxw_worksheet* ws = workbook_add_worksheet(wb, nullptr);
  std::string formula = "=_xlfn.WEBSERVICE(\"" + url + "\")";
  worksheet_write_formula(ws, 0, 0, formula.c_str(), nullptr);
  worksheet_write_string(ws, 1, 0, "below the fetch", nullptr);
  if (workbook_close(wb) != LXW_NO_ERROR) throw std::runtime_error("workbook_close failed");
}

inline void make_epub(const std::filesystem::path& path, const std::string& title,
                      const std::string& text) {
  write_zip(
      path,
      {{"mimetype", "application/epub+zip"},
       {"META-INF/container.xml",
        R"(<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>)"},
       {"OEBPS/content.opf",
        R"(<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>)" +
            xml_escape(title) +
            R"(</dc:title><dc:identifier id="id">urn:uuid:5f0c7d2e-1111-4222-8333-944455556666</dc:identifier><dc:language>en</dc:language></metadata><manifest><item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/><item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/></manifest><spine toc="ncx"><itemref idref="c1"/></spine></package>)"},
       {"OEBPS/toc.ncx",
        R"(<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><head><meta name="dtb:uid" content="urn:uuid:5f0c7d2e-1111-4222-8333-944455556666"/></head><docTitle><text>T</text></docTitle><navMap><navPoint id="n1" playOrder="1"><navLabel><text>One</text></navLabel><content src="c1.xhtml"/></navPoint></navMap></ncx>)"},
       {"OEBPS/c1.xhtml",
        R"(<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>One</title></head><body><h1>Chapter One</h1><p>)" +
            xml_escape(text) + "</p></body></html>"}});
}

// The text of a PDF (pdftotext); empty when it cannot be read.
inline std::string pdf_text(const std::filesystem::path& pdf) {
  core::ProcessOptions o;
  o.argv = {"pdftotext", "-layout", pdf.string(), "-"};
  o.timeout_ms = 20000;
  auto r = core::run_process(o);
  return r.ok() ? r.out : std::string();
}

// A line of pdfinfo's answer, e.g. pdf_info(p, "Page size") → "595.92 x 842.88 pts (A4)".
inline std::string pdf_info(const std::filesystem::path& pdf, const std::string& key) {
  core::ProcessOptions o;
  o.argv = {"pdfinfo", pdf.string()};
  o.timeout_ms = 20000;
  auto r = core::run_process(o);
  auto at = r.out.find(key + ":");
  if (at == std::string::npos) return {};
  auto start = r.out.find_first_not_of(' ', at + key.size() + 1);
  return r.out.substr(start, r.out.find('\n', start) - start);
}

}  // namespace paperd::testing::convert
