#include "engines/inspect/document_inspector.h"

#include <zip.h>
#include <algorithm>
#include <filesystem>

#include <fstream>
#include <regex>

#include "core/error.h"
#include "engines/image/tiff_file.h"
#include "engines/inspect/ole_properties.h"
#include "engines/pdf/pdf_document.h"
#include "engines/pdf/qpdf_document.h"
#include "engines/pdf/qpdf_metadata.h"

namespace paperd::engines::inspect {

namespace {

bool blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos;
}

// The text of the XML elements named `tag` (e.g. "w:t"), with XML entities decoded; paragraphs
// ("w:p", "a:p") end a line.
std::string element_text(const std::string& xml, const std::string& tag,
                         const std::string& paragraph) {
  std::string out;
  const std::string open = "<" + tag, close = "</" + tag + ">", para = "</" + paragraph + ">";
  size_t i = 0;
  while (i < xml.size()) {
    size_t o = xml.find(open, i), p = xml.find(para, i);
    if (p != std::string::npos && (o == std::string::npos || p < o)) {
      if (!out.empty() && out.back() != '\n') out += '\n';
      i = p + para.size();
      continue;
    }
    if (o == std::string::npos) break;
    char after = o + open.size() < xml.size() ? xml[o + open.size()] : '\0';
    size_t gt = xml.find('>', o);
    if (gt == std::string::npos) break;
    if ((after != '>' && after != ' ') || xml[gt - 1] == '/') {
      i = gt + 1;
      continue;
    }
    size_t end = xml.find(close, gt);
    if (end == std::string::npos) break;
    std::string raw = xml.substr(gt + 1, end - gt - 1);
    for (size_t k = 0; k < raw.size(); ++k) {
      if (raw[k] != '&') {
        out += raw[k];
        continue;
      }
      size_t semi = raw.find(';', k);
      std::string ent = semi == std::string::npos ? "" : raw.substr(k + 1, semi - k - 1);
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
      else {
        out += '&';
        continue;
      }
      k = semi;
    }
    i = end + close.size();
  }
  return out;
}

std::string first_element(const std::string& xml, const std::string& tag) {
  std::regex re("<" + tag + "(?: [^>]*)?>([^<]*)</" + tag + ">");
  std::smatch m;
  return std::regex_search(xml, m, re) ? m[1].str() : "";
}

class Zip {
 public:
  explicit Zip(const std::filesystem::path& file) {
    int err = 0;
    z_ = zip_open(file.c_str(), ZIP_RDONLY, &err);
    if (!z_) throw core::Error(400, "INVALID_DOCUMENT", "the office file is a damaged ZIP archive");
  }
  ~Zip() { zip_discard(z_); }
  // The part's bytes; "" when absent. Parts past `cap` bytes are refused (a ZIP bomb).
  std::string part(const std::string& name, zip_uint64_t cap = 64u << 20) {
    zip_stat_t st;
    if (zip_stat(z_, name.c_str(), 0, &st) != 0) return "";
    if (st.size > cap)
      throw core::Error::input_too_large("part " + name + " of the office file is over " +
                                         std::to_string(cap >> 20) + " MB unpacked");
    zip_file_t* f = zip_fopen(z_, name.c_str(), 0);
    if (!f) return "";
    std::string out(st.size, '\0');
    zip_int64_t n = zip_fread(f, out.data(), st.size);
    zip_fclose(f);
    out.resize(n < 0 ? 0 : static_cast<size_t>(n));
    return out;
  }
  int count_prefix(const std::string& prefix, const std::string& suffix) {
    int n = 0;
    for (zip_int64_t i = 0; i < zip_get_num_entries(z_, 0); ++i) {
      std::string name = zip_get_name(z_, i, 0) ? zip_get_name(z_, i, 0) : "";
      if (name.starts_with(prefix) && name.ends_with(suffix) &&
          name.find('/', prefix.size()) == std::string::npos)
        ++n;
    }
    return n;
  }

 private:
  zip_t* z_ = nullptr;
};

void add_text(Inspection& out, int page, std::string text, size_t& budget) {
  if (blank(text)) return;
  if (text.size() > budget) text.resize(budget);
  budget -= text.size();
  out.text.push_back({page, std::move(text)});
}

void inspect_pdf(const std::filesystem::path& file, std::string_view name,
                 const InspectLimits& limits, Inspection& out) {
  try {
    auto q = pdf::QpdfDocument::open(
        file, {.display_name = std::string(name), .max_pages = limits.max_pages});
    for (auto& [k, v] : pdf::read_info(q.qpdf())) out.metadata[k] = v;
    auto root = q.qpdf().getRoot();
    if (root.hasKey("/Lang") && root.getKey("/Lang").isString())
      out.metadata["language"] = root.getKey("/Lang").getUTF8Value();
    out.metadata["pdf_version"] = q.qpdf().getPDFVersion();
    out.metadata["encrypted"] = q.qpdf().isEncrypted();
  } catch (const core::Error& e) {
    if (e.code() != "PDF_PASSWORD_REQUIRED") throw;
    out.metadata["encrypted"] = true;
    out.metadata["password_required"] = true;
    out.needs_ocr = false;
    return;  // stored as it is; its pages and text open with the password only
  }
  auto doc = pdf::Document::open(file, "", {.max_pages = limits.max_pages});
  out.pages = doc.page_count();
  size_t budget = limits.max_text_bytes;
  if (out.pages > 0) {
    auto [w, h] = doc.page_size(0);
    out.metadata["page_width_pt"] = w;
    out.metadata["page_height_pt"] = h;
  }
  for (int i = 0; i < out.pages; ++i) {
    std::string text = doc.text(i).plain;
    if (blank(text)) out.needs_ocr = true;
    add_text(out, i + 1, std::move(text), budget);
  }
}

void inspect_office(const std::filesystem::path& file, Inspection& out,
                    const InspectLimits& limits) {
  const std::string& ext = out.type.extension;
  if (ext == "doc" || ext == "xls" || ext == "ppt") {
    // Binary Office: counts and metadata from the property sets; text comes from conversion.
    OleProperties props = read_ole_properties(file);
    out.metadata.update(props.metadata);
    out.pages = ext == "ppt" ? props.slides : ext == "doc" ? props.pages : 1;
    if (out.pages <= 0) out.pages = 1;
    return;
  }
  if (ext != "docx" && ext != "xlsx" && ext != "pptx") return;
  Zip zip(file);
  std::string app = zip.part("docProps/app.xml"), core_xml = zip.part("docProps/core.xml");
  for (auto [tag, key] : {std::pair{"dc:title", "title"},
                          {"dc:creator", "author"},
                          {"dc:subject", "subject"},
                          {"cp:keywords", "keywords"},
                          {"dc:language", "language"},
                          {"dcterms:created", "creation_date"},
                          {"dcterms:modified", "mod_date"}})
    if (std::string v = first_element(core_xml, tag); !v.empty()) out.metadata[key] = v;
  if (std::string v = first_element(app, "Application"); !v.empty()) out.metadata["producer"] = v;
  size_t budget = limits.max_text_bytes;
  if (ext == "docx") {
    std::string pages = first_element(app, "Pages");
    out.pages = pages.empty() ? 1 : std::max(1, std::atoi(pages.c_str()));
    add_text(out, 1, element_text(zip.part("word/document.xml"), "w:t", "w:p"), budget);
  } else if (ext == "pptx") {
    out.pages = zip.count_prefix("ppt/slides/slide", ".xml");
    for (int i = 1; i <= out.pages; ++i)
      add_text(
          out, i,
          element_text(zip.part("ppt/slides/slide" + std::to_string(i) + ".xml"), "a:t", "a:p"),
          budget);
  } else {
    out.pages = std::max(1, zip.count_prefix("xl/worksheets/sheet", ".xml"));
    out.metadata["sheets"] = out.pages;
    add_text(out, 1, element_text(zip.part("xl/sharedStrings.xml"), "t", "si"), budget);
  }
}

void inspect_text(const std::filesystem::path& file, Inspection& out, const InspectLimits& limits) {
  std::ifstream in(file, std::ios::binary);
  // Only as much as the file holds: a buffer of the whole budget is zeroed page by page (32 MB,
  // ~80 ms of page faults in the forked reader child, for each text file).
  std::error_code ec;
  const uintmax_t size = std::filesystem::file_size(file, ec);
  std::string text(ec ? limits.max_text_bytes : std::min<uintmax_t>(size, limits.max_text_bytes),
                   '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.starts_with("\xef\xbb\xbf")) text.erase(0, 3);
  // Form feeds separate pages in plain text (as pdftotext writes them).
  size_t budget = limits.max_text_bytes, start = 0;
  int page = 1;
  for (size_t ff; (ff = text.find('\f', start)) != std::string::npos; start = ff + 1)
    add_text(out, page++, text.substr(start, ff - start), budget);
  add_text(out, page, text.substr(start), budget);
  out.pages = page;
  out.metadata["encoding"] = "utf-8";
  out.metadata["lines"] = static_cast<int64_t>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace

Inspection inspect_file(const std::filesystem::path& file, std::string_view name,
                        const InspectLimits& limits) {
  Inspection out;
  out.type = sniff_file(file, name);
  switch (out.type.kind) {
    case Kind::kPdf:
      inspect_pdf(file, name, limits, out);
      break;
    case Kind::kImage:
      out.needs_ocr = true;
      out.pages = 1;
      if (out.type.extension == "tiff") {
        auto tiff = image::TiffFile::open(file, std::string(name), {.max_pages = limits.max_pages});
        out.pages = tiff.page_count();
        out.metadata["width"] = tiff.page(0).width;
        out.metadata["height"] = tiff.page(0).height;
        if (tiff.page(0).dpi_x > 0) out.metadata["dpi"] = tiff.page(0).dpi_x;
      }
      break;
    case Kind::kOffice:
      inspect_office(file, out, limits);
      break;
    case Kind::kText:
      inspect_text(file, out, limits);
      break;
  }
  if (out.pages > limits.max_pages)
    throw core::Error::input_too_large("'" + std::string(name) + "' has " +
                                       std::to_string(out.pages) + " pages; the limit is " +
                                       std::to_string(limits.max_pages));
  return out;
}

Json to_json(const Inspection& in) {
  Json text = Json::array();
  for (auto& t : in.text) text.push_back({{"page", t.page}, {"text", t.text}});
  return {{"kind", static_cast<int>(in.type.kind)},
          {"mime", in.type.mime},
          {"extension", in.type.extension},
          {"pages", in.pages},
          {"metadata", in.metadata},
          {"needs_ocr", in.needs_ocr},
          {"text", text}};
}

Inspection from_json(const Json& j) {
  Inspection in;
  in.type = {static_cast<Kind>(j.value("kind", 3)), j.value("mime", ""), j.value("extension", "")};
  in.pages = j.value("pages", 0);
  in.metadata = j.value("metadata", Json::object());
  in.needs_ocr = j.value("needs_ocr", false);
  for (auto& t : j.value("text", Json::array()))
    in.text.push_back({t.value("page", 0), t.value("text", "")});
  return in;
}

}  // namespace paperd::engines::inspect
