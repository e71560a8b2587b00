// The .docx writer: see docx_writer.h. WordprocessingML is written by hand (document, styles,
// relationships) and zipped with libzip.
#include "engines/office/docx_writer.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "engines/office/ooxml_parts.h"
#include "engines/office/page_layout.h"
#include "engines/office/xml_text.h"
#include "engines/office/zip_package.h"

namespace paperd::engines::office {

namespace {

constexpr const char* kWordNs =
    "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";

long twips(double points) {
  return std::lround(points * 20);
}

std::string run(const std::string& text, double font_size, bool bold = false) {
  std::string x = "<w:r><w:rPr>";
  if (bold) x += "<w:b/>";
  x += "<w:sz w:val=\"" + std::to_string(std::lround(font_size * 2)) + "\"/></w:rPr>";
  // Kept lines become <w:br/> inside one run, so a block stays one paragraph.
  size_t start = 0;
  while (true) {
    size_t nl = text.find('\n', start);
    std::string part = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    x += "<w:t xml:space=\"preserve\">" + xml_escape(part) + "</w:t>";
    if (nl == std::string::npos) break;
    x += "<w:br/>";
    start = nl + 1;
  }
  return x + "</w:r>";
}

std::string paragraph_xml(const Paragraph& p) {
  return "<w:p><w:pPr><w:spacing w:after=\"120\"/></w:pPr>" + run(p.text(), p.font_size) + "</w:p>";
}

std::string table_xml(const Table& t, double text_width) {
  // Column widths follow the bands' left edges, scaled to the text width.
  std::vector<double> widths;
  for (int c = 0; c < t.columns(); ++c) {
    double right = c + 1 < t.columns() ? t.column_left[c + 1] : t.column_right[c];
    widths.push_back(std::max(1.0, right - t.column_left[c]));
  }
  double total = 0;
  for (double w : widths) total += w;
  double scale = std::min(1.0, text_width / total);
  std::string x =
      "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"0\" w:type=\"auto\"/>"
      "<w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"1\" "
      "w:lastColumn=\"0\" w:noHBand=\"0\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>";
  for (double w : widths) x += "<w:gridCol w:w=\"" + std::to_string(twips(w * scale)) + "\"/>";
  x += "</w:tblGrid>";
  double size = font_size_from_height(
      t.row_boxes.empty() ? 13.0 : t.row_boxes.front().y1 - t.row_boxes.front().y0);
  for (const auto& row : t.cells) {
    x += "<w:tr>";
    for (size_t c = 0; c < row.size(); ++c) {
      x += "<w:tc><w:tcPr><w:tcW w:w=\"" + std::to_string(twips(widths[c] * scale)) +
           "\" w:type=\"dxa\"/></w:tcPr><w:p>";
      if (!row[c].empty()) x += run(row[c], size);
      x += "</w:p></w:tc>";
    }
    x += "</w:tr>";
  }
  // Word needs a paragraph between a table and whatever follows it.
  return x + "</w:tbl><w:p/>";
}

std::string styles_xml() {
  return std::string(kXmlHeader) + "<w:styles " + kWordNs +
         "><w:docDefaults><w:rPrDefault><w:rPr>"
         "<w:rFonts w:ascii=\"Liberation Sans\" w:hAnsi=\"Liberation Sans\" w:cs=\"Liberation "
         "Sans\" w:eastAsia=\"Liberation Sans\"/><w:sz w:val=\"22\"/><w:lang w:val=\"en-US\"/>"
         "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"0\" "
         "w:line=\"240\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>"
         "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name "
         "w:val=\"Normal\"/><w:qFormat/></w:style>"
         "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name "
         "w:val=\"Normal Table\"/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar>"
         "<w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom "
         "w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar>"
         "</w:tblPr></w:style>"
         "<w:style w:type=\"table\" w:styleId=\"TableGrid\"><w:name w:val=\"Table Grid\"/>"
         "<w:basedOn w:val=\"TableNormal\"/><w:tblPr><w:tblBorders>"
         "<w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>"
         "<w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>"
         "<w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>"
         "<w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>"
         "<w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>"
         "<w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>"
         "</w:tblBorders></w:tblPr></w:style></w:styles>";
}

}  // namespace

void write_docx(const std::vector<pdf::PageText>& pages, const std::filesystem::path& out) {
  if (pages.empty()) throw core::Error::invalid_request("no pages to convert");
  const double width = pages.front().width, height = pages.front().height;
  const double margin = std::min(72.0, 0.1 * std::min(width, height));
  const double text_width = width - 2 * margin;

  std::string body;
  for (size_t i = 0; i < pages.size(); ++i) {
    if (i) body += "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>";
    PageLayout layout = layout_page(pages[i]);
    for (const auto& item : layout.items)
      body += item.kind == LayoutItem::Kind::kTable ? table_xml(item.table, text_width)
                                                    : paragraph_xml(item.paragraph);
  }
  std::string m = std::to_string(twips(margin));
  std::string doc = std::string(kXmlHeader) + "<w:document " + kWordNs + "><w:body>" + body +
                    "<w:sectPr><w:pgSz w:w=\"" + std::to_string(twips(width)) + "\" w:h=\"" +
                    std::to_string(twips(height)) + "\"/><w:pgMar w:top=\"" + m + "\" w:right=\"" +
                    m + "\" w:bottom=\"" + m + "\" w:left=\"" + m +
                    "\" w:header=\"0\" w:footer=\"0\" w:gutter=\"0\"/></w:sectPr></w:body>"
                    "</w:document>";

  ZipPackage zip(out);
  zip.add("[Content_Types].xml",
          content_types_xml({{"/word/document.xml",
                              "application/vnd.openxmlformats-officedocument.wordprocessingml."
                              "document.main+xml"},
                             {"/word/styles.xml",
                              "application/vnd.openxmlformats-officedocument.wordprocessingml."
                              "styles+xml"}}));
  zip.add("_rels/.rels", relationships_xml({{"rId1", "officeDocument", "word/document.xml"}}));
  zip.add("word/_rels/document.xml.rels", relationships_xml({{"rId1", "styles", "styles.xml"}}));
  zip.add("word/styles.xml", styles_xml());
  zip.add("word/document.xml", std::move(doc));
  zip.commit();
}

}  // namespace paperd::engines::office
