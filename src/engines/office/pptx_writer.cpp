// The .pptx writer: see pptx_writer.h. PresentationML is written by hand: one slide master with
// one blank layout and a minimal theme (all three are required parts), then the slides.
#include "engines/office/pptx_writer.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "engines/office/ooxml_parts.h"
#include "engines/office/page_layout.h"
#include "engines/office/xml_text.h"
#include "engines/office/zip_package.h"

namespace paperd::engines::office {

namespace {

constexpr const char* kNs =
    "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" "
    "xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\"";
constexpr const char* kEmptyTree =
    "<p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>"
    "<p:grpSpPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"0\" cy=\"0\"/><a:chOff x=\"0\" "
    "y=\"0\"/><a:chExt cx=\"0\" cy=\"0\"/></a:xfrm></p:grpSpPr>";
constexpr const char* kPml = "application/vnd.openxmlformats-officedocument.presentationml.";

long emu(double points) {
  return std::lround(points * 12700);
}

std::string theme_xml() {
  auto color = [](const char* name, const char* hex) {
    return std::string("<a:") + name + "><a:srgbClr val=\"" + hex + "\"/></a:" + name + ">";
  };
  std::string fill = "<a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill>";
  std::string line =
      "<a:ln w=\"9525\"><a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill></a:ln>";
  std::string effect = "<a:effectStyle><a:effectLst/></a:effectStyle>";
  return std::string(kXmlHeader) + "<a:theme " + kNs +
         " name=\"paperd\"><a:themeElements><a:clrScheme name=\"paperd\">" +
         "<a:dk1><a:sysClr val=\"windowText\" lastClr=\"000000\"/></a:dk1>"
         "<a:lt1><a:sysClr val=\"window\" lastClr=\"FFFFFF\"/></a:lt1>" +
         color("dk2", "1F497D") + color("lt2", "EEECE1") + color("accent1", "4F81BD") +
         color("accent2", "C0504D") + color("accent3", "9BBB59") + color("accent4", "8064A2") +
         color("accent5", "4BACC6") + color("accent6", "F79646") + color("hlink", "0000FF") +
         color("folHlink", "800080") +
         "</a:clrScheme><a:fontScheme name=\"paperd\">"
         "<a:majorFont><a:latin typeface=\"Liberation Sans\"/><a:ea typeface=\"\"/>"
         "<a:cs typeface=\"\"/></a:majorFont><a:minorFont><a:latin typeface=\"Liberation "
         "Sans\"/><a:ea typeface=\"\"/><a:cs typeface=\"\"/></a:minorFont></a:fontScheme>"
         "<a:fmtScheme name=\"paperd\"><a:fillStyleLst>" +
         fill + fill + fill + "</a:fillStyleLst><a:lnStyleLst>" + line + line + line +
         "</a:lnStyleLst><a:effectStyleLst>" + effect + effect + effect +
         "</a:effectStyleLst><a:bgFillStyleLst>" + fill + fill + fill +
         "</a:bgFillStyleLst></a:fmtScheme></a:themeElements></a:theme>";
}

std::string master_xml() {
  return std::string(kXmlHeader) + "<p:sldMaster " + kNs + "><p:cSld><p:spTree>" + kEmptyTree +
         "</p:spTree></p:cSld><p:clrMap bg1=\"lt1\" tx1=\"dk1\" bg2=\"lt2\" tx2=\"dk2\" "
         "accent1=\"accent1\" accent2=\"accent2\" accent3=\"accent3\" accent4=\"accent4\" "
         "accent5=\"accent5\" accent6=\"accent6\" hlink=\"hlink\" folHlink=\"folHlink\"/>"
         "<p:sldLayoutIdLst><p:sldLayoutId id=\"2147483649\" r:id=\"rId1\"/></p:sldLayoutIdLst>"
         "</p:sldMaster>";
}

std::string layout_xml() {
  return std::string(kXmlHeader) + "<p:sldLayout " + kNs +
         " type=\"blank\" preserve=\"1\"><p:cSld name=\"Blank\"><p:spTree>" + kEmptyTree +
         "</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>";
}

std::string text_box(int id, const Paragraph& p) {
  // A little slack on the right: the viewer's font metrics differ from the PDF's.
  double w = (p.box.x1 - p.box.x0) * 1.1 + 2, h = p.box.y1 - p.box.y0;
  std::string x = "<p:sp><p:nvSpPr><p:cNvPr id=\"" + std::to_string(id) + "\" name=\"Text " +
                  std::to_string(id) +
                  "\"/><p:cNvSpPr txBox=\"1\"/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x=\"" +
                  std::to_string(emu(p.box.x0)) + "\" y=\"" + std::to_string(emu(p.box.y0)) +
                  "\"/><a:ext cx=\"" + std::to_string(emu(w)) + "\" cy=\"" +
                  std::to_string(emu(h)) +
                  "\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom><a:noFill/>"
                  "</p:spPr><p:txBody><a:bodyPr wrap=\"none\" lIns=\"0\" tIns=\"0\" rIns=\"0\" "
                  "bIns=\"0\" rtlCol=\"0\"><a:noAutofit/></a:bodyPr><a:lstStyle/>";
  std::string sz = std::to_string(std::lround(p.font_size * 100));
  for (const auto& line : p.lines)
    x += "<a:p><a:r><a:rPr lang=\"en-US\" sz=\"" + sz + "\" dirty=\"0\"/><a:t>" + xml_escape(line) +
         "</a:t></a:r></a:p>";
  return x + "</p:txBody></p:sp>";
}

std::string slide_xml(const pdf::PageText& page) {
  std::string x = std::string(kXmlHeader) + "<p:sld " + kNs + "><p:cSld><p:spTree>" + kEmptyTree;
  int id = 2;
  // Blocks (not the table-aware layout): a slide keeps each block where the page had it.
  for (const auto& block : page.blocks) {
    Paragraph p;
    for (const auto& line : block.lines) {
      p.lines.push_back(line.text);
      p.line_boxes.push_back(line.box);
    }
    if (p.lines.empty()) continue;
    p.box = block.box;
    std::vector<double> heights;
    for (const auto& b : p.line_boxes) heights.push_back(b.y1 - b.y0);
    std::sort(heights.begin(), heights.end());
    p.font_size = font_size_from_height(heights[heights.size() / 2]);
    x += text_box(id++, p);
  }
  return x + "</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>";
}

}  // namespace

void write_pptx(const std::vector<pdf::PageText>& pages, const std::filesystem::path& out) {
  if (pages.empty()) throw core::Error::invalid_request("no pages to convert");
  // PowerPoint accepts slide sides between 1 and 56 inches.
  long cx = std::clamp(emu(pages.front().width), 914400L, 51206400L);
  long cy = std::clamp(emu(pages.front().height), 914400L, 51206400L);

  std::vector<std::pair<std::string, std::string>> types = {
      {"/ppt/presentation.xml", std::string(kPml) + "presentation.main+xml"},
      {"/ppt/slideMasters/slideMaster1.xml", std::string(kPml) + "slideMaster+xml"},
      {"/ppt/slideLayouts/slideLayout1.xml", std::string(kPml) + "slideLayout+xml"},
      {"/ppt/theme/theme1.xml", "application/vnd.openxmlformats-officedocument.theme+xml"}};
  std::vector<Relationship> pres_rels = {{"rId1", "slideMaster", "slideMasters/slideMaster1.xml"},
                                         {"rId2", "theme", "theme/theme1.xml"}};
  std::string ids;
  for (size_t i = 0; i < pages.size(); ++i) {
    std::string n = std::to_string(i + 1), rid = "rId" + std::to_string(i + 3);
    types.push_back({"/ppt/slides/slide" + n + ".xml", std::string(kPml) + "slide+xml"});
    pres_rels.push_back({rid, "slide", "slides/slide" + n + ".xml"});
    ids += "<p:sldId id=\"" + std::to_string(256 + i) + "\" r:id=\"" + rid + "\"/>";
  }
  std::string presentation =
      std::string(kXmlHeader) + "<p:presentation " + kNs +
      " saveSubsetFonts=\"1\"><p:sldMasterIdLst><p:sldMasterId id=\"2147483648\" "
      "r:id=\"rId1\"/></p:sldMasterIdLst><p:sldIdLst>" +
      ids + "</p:sldIdLst><p:sldSz cx=\"" + std::to_string(cx) + "\" cy=\"" + std::to_string(cy) +
      "\"/><p:notesSz cx=\"6858000\" cy=\"9144000\"/><p:defaultTextStyle/></p:presentation>";

  ZipPackage zip(out);
  zip.add("[Content_Types].xml", content_types_xml(types));
  zip.add("_rels/.rels", relationships_xml({{"rId1", "officeDocument", "ppt/presentation.xml"}}));
  zip.add("ppt/presentation.xml", std::move(presentation));
  zip.add("ppt/_rels/presentation.xml.rels", relationships_xml(pres_rels));
  zip.add("ppt/slideMasters/slideMaster1.xml", master_xml());
  zip.add("ppt/slideMasters/_rels/slideMaster1.xml.rels",
          relationships_xml({{"rId1", "slideLayout", "../slideLayouts/slideLayout1.xml"},
                             {"rId2", "theme", "../theme/theme1.xml"}}));
  zip.add("ppt/slideLayouts/slideLayout1.xml", layout_xml());
  zip.add("ppt/slideLayouts/_rels/slideLayout1.xml.rels",
          relationships_xml({{"rId1", "slideMaster", "../slideMasters/slideMaster1.xml"}}));
  zip.add("ppt/theme/theme1.xml", theme_xml());
  for (size_t i = 0; i < pages.size(); ++i) {
    std::string n = std::to_string(i + 1);
    zip.add("ppt/slides/slide" + n + ".xml", slide_xml(pages[i]));
    zip.add("ppt/slides/_rels/slide" + n + ".xml.rels",
            relationships_xml({{"rId1", "slideLayout", "../slideLayouts/slideLayout1.xml"}}));
  }
  zip.commit();
}

}  // namespace paperd::engines::office
