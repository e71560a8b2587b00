// merge_pdfs: see qpdf_merge.h.
#include "engines/pdf/qpdf_merge.h"

#include "core/error.h"
#include "engines/pdf/qpdf_document.h"
#include "engines/pdf/qpdf_outline.h"
#include "engines/pdf/qpdf_page_copy.h"

namespace paperd::engines::pdf {

namespace {

std::string bookmark_title(const std::string& name) {
  std::filesystem::path p(name);
  std::string ext = p.extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".pdf" ? p.stem().string() : name;
}

}  // namespace

MergeResult merge_pdfs(const std::vector<MergeInput>& inputs, const std::filesystem::path& out,
                       const MergeOptions& options) {
  if (inputs.empty()) throw core::Error::invalid_request("merge needs at least one PDF");
  auto merged = QPDF::create();
  merged->emptyPDF();
  merged->setSuppressWarnings(true);
  // The sources stay open until the merged file is written: qpdf reads their streams then.
  std::vector<QpdfDocument> sources;
  PageCopier copier(*merged);
  std::vector<OutlineNode> outline;
  MergeResult result;
  for (size_t i = 0; i < inputs.size(); ++i) {
    QpdfOpenOptions open;
    open.password = options.password;
    open.display_name = inputs[i].name;
    open.max_pages = options.max_pages;
    sources.push_back(QpdfDocument::open(inputs[i].path, open));
    const QpdfDocument& doc = sources.back();
    result.pages += doc.page_count();
    result.input_pages.push_back(doc.page_count());
    if (result.pages > options.max_pages)
      throw core::Error::input_too_large(
          "the merged document would have " + std::to_string(result.pages) + " pages (after '" +
          doc.name() + "'); the limit is " + std::to_string(options.max_pages));
    copier.reset_map();
    QPDFObjectHandle first;
    try {
      for (const auto& page : doc.pages()) {
        QPDFObjectHandle copy = copier.append(doc.qpdf(), page);
        if (!first.isInitialized()) first = copy;
      }
    } catch (const core::Error&) {
      throw;
    } catch (const std::exception& e) {
      throw core::Error(400, "INVALID_PDF",
                        "'" + doc.name() + "' is not a readable PDF: copying its pages failed (" +
                            e.what() + ")");
    }
    if (options.bookmarks != MergeBookmarks::kNone) {
      auto own = map_outline(read_outline(doc.qpdf()), copier.page_map(), *merged);
      if (options.bookmarks == MergeBookmarks::kKeep) {
        for (auto& n : own) outline.push_back(std::move(n));
      } else {
        OutlineNode file;
        file.title = bookmark_title(doc.name());
        file.target_page = first;
        file.open = false;
        file.children = std::move(own);
        outline.push_back(std::move(file));
      }
    }
    if (options.progress) options.progress(i + 1, inputs.size());
  }
  write_outline(*merged, outline);
  result.bookmarks = count_outline_items(outline);
  QpdfWriteOptions write;
  write.preserve_encryption = false;
  write_pdf(*merged, out, write, "the merged document");
  return result;
}

}  // namespace paperd::engines::pdf
