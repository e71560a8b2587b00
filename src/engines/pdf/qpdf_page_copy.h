// Copying pages from one qpdf document into another the way `qpdf --pages` does: the page, then
// its annotations and form fields made private to the copy. Shared by merge and split.
#pragma once

#include <map>
#include <memory>

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFAcroFormDocumentHelper.hh>
#include <qpdf/QPDFObjGen.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>

namespace paperd::engines::pdf {

class PageCopier {
 public:
  explicit PageCopier(QPDF& out) : out_(out), pages_(out), forms_(out) {}
  PageCopier(const PageCopier&) = delete;
  PageCopier& operator=(const PageCopier&) = delete;

  // Appends `page` of `src` to out; returns the new page. Records the pair in page_map().
  QPDFObjectHandle append(QPDF& src, QPDFObjectHandle page);
  // Source page → its copy in out, for remapping bookmarks.
  const std::map<QPDFObjGen, QPDFObjectHandle>& page_map() const { return page_map_; }
  // Starts a new source document (page_map() is cleared).
  void reset_map() { page_map_.clear(); }

 private:
  QPDF& out_;
  QPDFPageDocumentHelper pages_;
  QPDFAcroFormDocumentHelper forms_;
  // One form helper per source (it caches the field tree).
  std::map<unsigned long long, std::unique_ptr<QPDFAcroFormDocumentHelper>> source_forms_;
  std::map<QPDFObjGen, QPDFObjectHandle> page_map_;
};

// Parses every object that copying src's pages will read (the pages, their content streams'
// dictionaries, resources, annotations; not the page tree), with inherited attributes pushed down
// to the pages first as the copy does. qpdf parses objects lazily, on first access; this lets a
// merge do that part on several threads, one document each, while the copying itself stays on
// one thread. Never throws: what fails here fails again, with its usual message, when copied.
void preload_page_objects(QPDF& src);

// When pages share resource dictionaries, each copied page would drag every other page's fonts
// and images along; qpdf's --split-pages strips unreferenced resources in that case, so do we.
void strip_shared_resources(QPDF& src);

}  // namespace paperd::engines::pdf
