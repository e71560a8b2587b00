// Bookmarks (the document outline) carried across page copies: read a source document's outline,
// point it at the pages its pages became in another document, and write it there. qpdf's own
// page copying drops outlines; merge and split use this to keep them.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjGen.hh>
#include <qpdf/QPDFObjectHandle.hh>

namespace paperd::engines::pdf {

struct OutlineNode {
  std::string title;  // UTF-8
  bool open = true;
  // Source side (from read_outline): the page the item points at, and the rest of its
  // destination array (/XYZ left top zoom, /Fit, ...).
  QPDFObjGen source_page;
  bool has_source_page = false;
  std::vector<QPDFObjectHandle> view;  // direct objects
  QPDFObjectHandle
      action;  // a non-GoTo action (/URI, /GoToR, ...), indirect; uninitialized if none
  // Target side (after map_outline): the page in the destination document (uninitialized for
  // an item without one).
  QPDFObjectHandle target_page;
  std::vector<double> color;  // /C, RGB 0..1; empty = default
  int flags = 0;              // /F: 1 italic, 2 bold
  std::vector<OutlineNode> children;
};

// The outline of src (empty when it has none or it is unreadable: bookmarks are never worth
// failing a job for). Named destinations and GoTo actions are resolved.
std::vector<OutlineNode> read_outline(QPDF& src);

// Points nodes read from src at the pages of `out` given by page_map (source page → page in
// out). An item whose page was not copied is dropped and its children take its place; actions
// are copied into out.
std::vector<OutlineNode> map_outline(const std::vector<OutlineNode>& nodes,
                                     const std::map<QPDFObjGen, QPDFObjectHandle>& page_map,
                                     QPDF& out);

// Items in nodes, children included.
int count_outline_items(const std::vector<OutlineNode>& nodes);

// Replaces out's /Outlines with nodes (which must be mapped into out). Does nothing for none.
void write_outline(QPDF& out, const std::vector<OutlineNode>& nodes);

}  // namespace paperd::engines::pdf
