// PageCopier: see qpdf_page_copy.h.
#include "engines/pdf/qpdf_page_copy.h"

#include <set>
#include <vector>

#include <qpdf/QPDFPageObjectHelper.hh>

namespace paperd::engines::pdf {

QPDFObjectHandle PageCopier::append(QPDF& src, QPDFObjectHandle page) {
  auto& helper = source_forms_[src.getUniqueId()];
  if (!helper) helper = std::make_unique<QPDFAcroFormDocumentHelper>(src);
  pages_.addPage(QPDFPageObjectHelper(page), false);
  QPDFObjectHandle copy = out_.getAllPages().back();
  if (helper->hasAcroForm()) forms_.fixCopiedAnnotations(copy, page, *helper);
  page_map_[page.getObjGen()] = copy;
  return copy;
}

void preload_page_objects(QPDF& src) {
  try {
    src.pushInheritedAttributesToPage();
    // An explicit stack: hostile files nest arrays and dictionaries deeper than a call stack.
    std::vector<QPDFObjectHandle> todo(src.getAllPages().begin(), src.getAllPages().end());
    std::set<QPDFObjGen> seen;
    while (!todo.empty()) {
      QPDFObjectHandle o = std::move(todo.back());
      todo.pop_back();
      if (o.isIndirect() && !seen.insert(o.getObjGen()).second) continue;
      if (o.isPagesObject()) continue;  // a page's /Parent: the page tree is not copied
      if (o.isStream()) o = o.getDict();
      if (o.isDictionary()) {
        for (auto& [key, value] : o.ditems()) todo.push_back(value);
      } else if (o.isArray()) {
        for (auto& item : o.aitems()) todo.push_back(item);
      }
    }
  } catch (const std::exception&) {
    // Only a warm-up: the copy reads the same objects and reports what is wrong with them.
  }
}

void strip_shared_resources(QPDF& src) {
  std::set<QPDFObjGen> seen;
  bool shared = false;
  for (QPDFObjectHandle page : src.getAllPages()) {
    QPDFObjectHandle res = page.getKey("/Resources");
    if (!res.isDictionary()) continue;
    std::vector<QPDFObjectHandle> dicts{res, res.getKey("/XObject"), res.getKey("/Font")};
    for (auto& d : dicts)
      if (d.isIndirect() && !seen.insert(d.getObjGen()).second) shared = true;
    if (shared) break;
  }
  if (shared) QPDFPageDocumentHelper(src).removeUnreferencedResources();
}

}  // namespace paperd::engines::pdf
