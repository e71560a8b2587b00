// merge_pdfs: see qpdf_merge.h.
//
// Where the time goes, and so the shape of the code: qpdf parses an input lazily, object by
// object, and copying pages into the one output and writing it must stay on one thread. So:
//  1. every input is read into memory and parsed (its pages, their objects, its outline) on a
//     few threads, each document by one thread;
//  2. the pages are copied in input order, stream data included (immediate copy);
//  3. the inputs, no longer needed, are freed on a thread of their own while the output is
//     written (freeing a hundred parsed documents takes milliseconds).
#include "engines/pdf/qpdf_merge.h"

#include <exception>
#include <optional>
#include <system_error>
#include <thread>

#include "core/error.h"
#include "core/parallel.h"
#include "engines/pdf/qpdf_document.h"
#include "engines/pdf/qpdf_outline.h"
#include "engines/pdf/qpdf_page_copy.h"

namespace paperd::engines::pdf {

namespace {

// Opening is the part of a merge that runs in parallel; with it halved, the copying and the
// writing (one thread) are most of what is left, and the worker pool runs a job per core anyway.
constexpr int kOpenThreads = 2;

std::string bookmark_title(const std::string& name) {
  std::filesystem::path p(name);
  std::string ext = p.extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".pdf" ? p.stem().string() : name;
}

// One input after the parallel part: the document and its outline, or what opening it threw.
struct OpenedInput {
  std::optional<QpdfDocument> doc;
  std::vector<OutlineNode> outline;  // as read from the input, not yet mapped
  std::exception_ptr error;
};

OpenedInput open_input(const MergeInput& input, const MergeOptions& options) {
  OpenedInput opened;
  try {
    QpdfOpenOptions open;
    open.password = options.password;
    open.display_name = input.name;
    open.max_pages = options.max_pages;
    open.read_into_memory = true;
    QpdfDocument doc = input.data ? QpdfDocument::open_bytes(*input.data, open)
                                  : QpdfDocument::open(input.path, open);
    // Copies take their stream data along at once (not lazily, while the output is written),
    // so this document can be freed as soon as its pages are copied.
    doc.qpdf().setImmediateCopyFrom(true);
    preload_page_objects(doc.qpdf());
    if (options.bookmarks != MergeBookmarks::kNone) opened.outline = read_outline(doc.qpdf());
    opened.doc = std::move(doc);
  } catch (...) {
    // Kept, not thrown: the error to report is that of the first bad input in input order,
    // whichever thread fails first.
    opened.error = std::current_exception();
  }
  return opened;
}

// Every input opened, in input order. Each document is used by one thread at a time: the one
// that opens it here, then the caller's. Progress and cancellation come with the copying, which
// starts as soon as this returns (opening is bounded by the upload size limit).
std::vector<OpenedInput> open_inputs(const std::vector<MergeInput>& inputs,
                                     const MergeOptions& options) {
  std::vector<OpenedInput> opened(inputs.size());
  core::parallel_for(inputs.size(), kOpenThreads, [&](int) {
    return [&](size_t i) { opened[i] = open_input(inputs[i], options); };
  });
  return opened;
}

// Copies the pages of one input to the end of the output; its bookmarks go to `outline`.
void append_input(PageCopier& copier, QPDF& merged, const QpdfDocument& doc,
                  const std::vector<OutlineNode>& own, MergeBookmarks bookmarks,
                  std::vector<OutlineNode>& outline) {
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
    throw core::Error(
        400, "INVALID_PDF",
        "'" + doc.name() + "' is not a readable PDF: copying its pages failed (" + e.what() + ")");
  }
  if (bookmarks == MergeBookmarks::kNone) return;
  auto mapped = map_outline(own, copier.page_map(), merged);
  if (bookmarks == MergeBookmarks::kKeep) {
    for (auto& n : mapped) outline.push_back(std::move(n));
    return;
  }
  OutlineNode file;
  file.title = bookmark_title(doc.name());
  file.target_page = first;
  file.open = false;
  file.children = std::move(mapped);
  outline.push_back(std::move(file));
}

// The pages of every input, in order, with the limits and progress of options. Returns the
// outline to write. The copier (which refers to the inputs) is gone when this returns.
std::vector<OutlineNode> copy_inputs(QPDF& merged, std::vector<OpenedInput>& opened,
                                     const MergeOptions& options, MergeResult& result) {
  PageCopier copier(merged);
  std::vector<OutlineNode> outline;
  for (size_t i = 0; i < opened.size(); ++i) {
    if (opened[i].error) std::rethrow_exception(opened[i].error);
    const QpdfDocument& doc = *opened[i].doc;
    result.pages += doc.page_count();
    result.input_pages.push_back(doc.page_count());
    if (result.pages > options.max_pages)
      throw core::Error::input_too_large(
          "the merged document would have " + std::to_string(result.pages) + " pages (after '" +
          doc.name() + "'); the limit is " + std::to_string(options.max_pages));
    append_input(copier, merged, doc, opened[i].outline, options.bookmarks, outline);
    if (options.progress) options.progress(i + 1, opened.size());
  }
  return outline;
}

// Frees the inputs on a thread of their own, joined when the returned thread is destroyed.
// Should no thread start, they are freed right here instead.
std::jthread free_in_background(std::vector<OpenedInput> inputs) {
  try {
    return std::jthread([held = std::move(inputs)]() mutable { held.clear(); });
  } catch (const std::system_error&) {
    return {};
  }
}

}  // namespace

MergeResult merge_pdfs(const std::vector<MergeInput>& inputs, const std::filesystem::path& out,
                       const MergeOptions& options) {
  if (inputs.empty()) throw core::Error::invalid_request("merge needs at least one PDF");
  std::vector<OpenedInput> opened = open_inputs(inputs, options);
  auto merged = QPDF::create();
  merged->emptyPDF();
  merged->setSuppressWarnings(true);
  MergeResult result;
  std::vector<OutlineNode> outline = copy_inputs(*merged, opened, options, result);
  // The output no longer reads from the inputs (the copies carry their stream data).
  std::jthread freeing = free_in_background(std::move(opened));
  write_outline(*merged, outline);
  result.bookmarks = count_outline_items(outline);
  QpdfWriteOptions write;
  write.preserve_encryption = false;
  write_pdf(*merged, out, write, "the merged document");
  return result;
}

}  // namespace paperd::engines::pdf
