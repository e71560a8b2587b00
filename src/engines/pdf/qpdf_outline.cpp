// Outline reading, remapping and writing: see qpdf_outline.h.
#include "engines/pdf/qpdf_outline.h"

#include <qpdf/QPDFOutlineDocumentHelper.hh>
#include <qpdf/QPDFOutlineObjectHelper.hh>

namespace paperd::engines::pdf {

namespace {

// Hostile files can nest outlines without end; real ones stay far below these.
constexpr int kMaxDepth = 64;
constexpr size_t kMaxItems = 100000;

OutlineNode read_item(QPDFOutlineObjectHelper& item, QPDF& src, int depth, size_t& budget) {
  OutlineNode node;
  node.title = item.getTitle();
  node.open = item.getCount() >= 0;
  QPDFObjectHandle oh = item.getObjectHandle();
  QPDFObjectHandle dest = item.getDest();
  if (dest.isArray() && dest.getArrayNItems() > 0) {
    QPDFObjectHandle page = dest.getArrayItem(0);
    if (page.isPageObject()) {
      node.source_page = page.getObjGen();
      node.has_source_page = true;
    } else if (page.isInteger()) {  // some producers write a page index
      const auto& pages = src.getAllPages();
      long long index = page.getIntValue();
      if (index >= 0 && index < static_cast<long long>(pages.size())) {
        node.source_page = pages[static_cast<size_t>(index)].getObjGen();
        node.has_source_page = true;
      }
    }
    for (int i = 1; i < dest.getArrayNItems(); ++i) {
      // Rebuilt as fresh direct objects: an indirect number from src cannot live in out.
      QPDFObjectHandle v = dest.getArrayItem(i);
      if (v.isInteger())
        node.view.push_back(QPDFObjectHandle::newInteger(v.getIntValue()));
      else if (v.isNumber())
        node.view.push_back(QPDFObjectHandle::newReal(v.getNumericValue(), 4));
      else if (v.isName())
        node.view.push_back(QPDFObjectHandle::newName(v.getName()));
      else
        node.view.push_back(QPDFObjectHandle::newNull());
    }
  }
  QPDFObjectHandle action = oh.getKey("/A");
  if (!node.has_source_page && action.isDictionary()) {
    QPDFObjectHandle type = action.getKey("/S");
    if (type.isName() && (type.getName() == "/URI" || type.getName() == "/GoToR" ||
                          type.getName() == "/Named" || type.getName() == "/Launch"))
      node.action = action.isIndirect() ? action : src.makeIndirectObject(action.shallowCopy());
  }
  QPDFObjectHandle color = oh.getKey("/C");
  if (color.isArray() && color.getArrayNItems() == 3) {
    for (int i = 0; i < 3; ++i) {
      QPDFObjectHandle c = color.getArrayItem(i);
      node.color.push_back(c.isNumber() ? c.getNumericValue() : 0);
    }
  }
  QPDFObjectHandle flags = oh.getKey("/F");
  if (flags.isInteger()) node.flags = static_cast<int>(flags.getIntValue() & 3);
  if (depth < kMaxDepth) {
    for (auto& kid : item.getKids()) {
      if (budget == 0) break;
      --budget;
      node.children.push_back(read_item(kid, src, depth + 1, budget));
    }
  }
  return node;
}

void map_into(const std::vector<OutlineNode>& nodes,
              const std::map<QPDFObjGen, QPDFObjectHandle>& page_map, QPDF& out,
              std::vector<OutlineNode>& dst) {
  for (const auto& n : nodes) {
    std::vector<OutlineNode> children;
    map_into(n.children, page_map, out, children);
    auto it = n.has_source_page ? page_map.find(n.source_page) : page_map.end();
    bool keep = it != page_map.end() || n.action.isInitialized() ||
                (!n.has_source_page && !children.empty());
    if (!keep) {
      for (auto& c : children) dst.push_back(std::move(c));
      continue;
    }
    OutlineNode m;
    m.title = n.title;
    m.open = n.open;
    m.view = n.view;
    m.color = n.color;
    m.flags = n.flags;
    if (it != page_map.end()) m.target_page = it->second;
    if (n.action.isInitialized()) m.action = out.copyForeignObject(n.action);
    m.children = std::move(children);
    dst.push_back(std::move(m));
  }
}

// Items shown when every open ancestor is expanded: what /Count counts.
int visible_items(const std::vector<OutlineNode>& children) {
  int count = 0;
  for (const auto& c : children) count += 1 + (c.open ? visible_items(c.children) : 0);
  return count;
}

void write_children(QPDF& out, QPDFObjectHandle parent, const std::vector<OutlineNode>& children);

QPDFObjectHandle write_item(QPDF& out, const OutlineNode& n, QPDFObjectHandle parent) {
  QPDFObjectHandle item = out.makeIndirectObject(QPDFObjectHandle::newDictionary());
  item.replaceKey("/Title", QPDFObjectHandle::newUnicodeString(n.title));
  item.replaceKey("/Parent", parent);
  if (n.target_page.isInitialized()) {
    std::vector<QPDFObjectHandle> dest{n.target_page};
    if (n.view.empty()) dest.push_back(QPDFObjectHandle::newName("/Fit"));
    for (const auto& v : n.view) dest.push_back(v);
    item.replaceKey("/Dest", QPDFObjectHandle::newArray(dest));
  } else if (n.action.isInitialized()) {
    item.replaceKey("/A", n.action);
  }
  if (n.color.size() == 3) {
    std::vector<QPDFObjectHandle> c;
    for (double v : n.color) c.push_back(QPDFObjectHandle::newReal(v, 3));
    item.replaceKey("/C", QPDFObjectHandle::newArray(c));
  }
  if (n.flags) item.replaceKey("/F", QPDFObjectHandle::newInteger(n.flags));
  if (!n.children.empty()) {
    write_children(out, item, n.children);
    int visible = visible_items(n.children);
    item.replaceKey("/Count", QPDFObjectHandle::newInteger(n.open ? visible : -visible));
  }
  return item;
}

// Writes children under parent, linked /First, /Prev, /Next, /Last.
void write_children(QPDF& out, QPDFObjectHandle parent, const std::vector<OutlineNode>& children) {
  QPDFObjectHandle prev;
  for (const auto& c : children) {
    QPDFObjectHandle kid = write_item(out, c, parent);
    if (!prev.isInitialized()) {
      parent.replaceKey("/First", kid);
    } else {
      prev.replaceKey("/Next", kid);
      kid.replaceKey("/Prev", prev);
    }
    prev = kid;
  }
  parent.replaceKey("/Last", prev);
}

}  // namespace

std::vector<OutlineNode> read_outline(QPDF& src) {
  std::vector<OutlineNode> out;
  try {
    QPDFOutlineDocumentHelper helper(src);
    if (!helper.hasOutlines()) return out;
    size_t budget = kMaxItems;
    for (auto& item : helper.getTopLevelOutlines()) {
      if (budget == 0) break;
      --budget;
      out.push_back(read_item(item, src, 0, budget));
    }
  } catch (const std::exception&) {
    out.clear();  // a broken outline is dropped, the pages still count
  }
  return out;
}

std::vector<OutlineNode> map_outline(const std::vector<OutlineNode>& nodes,
                                     const std::map<QPDFObjGen, QPDFObjectHandle>& page_map,
                                     QPDF& out) {
  std::vector<OutlineNode> dst;
  map_into(nodes, page_map, out, dst);
  return dst;
}

int count_outline_items(const std::vector<OutlineNode>& nodes) {
  int n = 0;
  for (const auto& node : nodes) n += 1 + count_outline_items(node.children);
  return n;
}

void write_outline(QPDF& out, const std::vector<OutlineNode>& nodes) {
  if (nodes.empty()) return;
  QPDFObjectHandle outlines = out.makeIndirectObject(QPDFObjectHandle::newDictionary());
  outlines.replaceKey("/Type", QPDFObjectHandle::newName("/Outlines"));
  write_children(out, outlines, nodes);
  outlines.replaceKey("/Count", QPDFObjectHandle::newInteger(visible_items(nodes)));
  out.getRoot().replaceKey("/Outlines", outlines);
}

}  // namespace paperd::engines::pdf
