// split_pdf: see qpdf_split.h.
#include "engines/pdf/qpdf_split.h"

#include <set>

#include "core/error.h"
#include "engines/pdf/qpdf_outline.h"
#include "engines/pdf/qpdf_page_copy.h"

namespace paperd::engines::pdf {

std::vector<PageRange> fixed_ranges(int page_count, int pages_per_file) {
  if (pages_per_file < 1)
    throw core::Error::invalid_request("field 'pages_per_file' must be at least 1");
  std::vector<PageRange> out;
  for (int first = 1; first <= page_count; first += pages_per_file)
    out.push_back({first, std::min(page_count, first + pages_per_file - 1)});
  return out;
}

std::vector<SplitPart> split_pdf(const QpdfDocument& doc, const std::vector<PageRange>& ranges,
                                 const std::filesystem::path& out_dir, const std::string& base,
                                 const std::function<void(size_t, size_t)>& progress,
                                 const std::function<void(SplitPart&)>& emit) {
  QPDF& src = doc.qpdf();
  std::vector<OutlineNode> outline;
  try {
    strip_shared_resources(src);
    outline = read_outline(src);
  } catch (const std::exception& e) {
    throw core::Error(400, "INVALID_PDF",
                      "'" + doc.name() + "' is not a readable PDF: " + e.what());
  }
  const auto& pages = doc.pages();
  std::vector<SplitPart> parts;
  std::set<std::string> names;
  for (size_t i = 0; i < ranges.size(); ++i) {
    const PageRange& r = ranges[i];
    if (r.first < 1 || r.last > static_cast<int>(pages.size()) || r.first > r.last)
      throw core::Error::invalid_request("page range " + r.label() + " is outside '" + doc.name() +
                                         "' (" + std::to_string(pages.size()) + " pages)");
    std::string name = base + "_" + r.label();
    for (int n = 2; !names.insert(name).second; ++n)
      name = base + "_" + r.label() + "_" + std::to_string(n);
    SplitPart part{r, out_dir / (name + ".pdf"), 0};

    auto out = QPDF::create();
    out->emptyPDF();
    out->setSuppressWarnings(true);
    PageCopier copier(*out);
    try {
      for (int p = r.first; p <= r.last; ++p) copier.append(src, pages[static_cast<size_t>(p - 1)]);
    } catch (const std::exception& e) {
      throw core::Error(400, "INVALID_PDF",
                        "'" + doc.name() + "' is not a readable PDF: copying pages " + r.label() +
                            " failed (" + e.what() + ")");
    }
    auto mapped = map_outline(outline, copier.page_map(), *out);
    write_outline(*out, mapped);
    part.bookmarks = count_outline_items(mapped);
    QpdfWriteOptions write;
    write.preserve_encryption = false;
    const std::string what = "pages " + r.label() + " of '" + doc.name() + "'";
    if (emit) {
      part.data = write_pdf_to_memory(*out, write, what);
      emit(part);
      part.data.clear();
    } else {
      write_pdf(*out, part.file, write, what);
    }
    parts.push_back(std::move(part));
    if (progress) progress(i + 1, ranges.size());
  }
  return parts;
}

}  // namespace paperd::engines::pdf
