// Merging PDFs with qpdf: pages in the order given, form fields and annotations carried over,
// and the inputs' bookmarks kept (qpdf's own `--pages` drops them). The inputs are parsed on two
// threads and freed on another while the output is written; copying and writing run on the
// caller's thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace paperd::engines::pdf {

struct MergeInput {
  std::filesystem::path path;
  std::string name;  // shown in errors and as the input's bookmark title
  // The file's bytes when the caller holds them in memory (a pipeline's InputFile::data); path
  // is then not read.
  std::shared_ptr<const std::string> data;
};

enum class MergeBookmarks {
  kPerFile,  // one top-level bookmark per input (its file name), its own bookmarks below it
  kKeep,     // the inputs' bookmarks side by side at the top level
  kNone,     // no outline
};

struct MergeOptions {
  std::string password;      // tried on every encrypted input
  int64_t max_pages = 5000;  // per input and for the merged result
  MergeBookmarks bookmarks = MergeBookmarks::kPerFile;
  // Called after each input with (inputs done, inputs in all); may throw to cancel.
  std::function<void(size_t, size_t)> progress;
};

struct MergeResult {
  int pages = 0;
  std::vector<int> input_pages;  // per input, in order
  int bookmarks = 0;             // outline items written
};

// Throws core::Error as QpdfDocument::open does, naming the offending input (the first in input
// order when several are bad).
MergeResult merge_pdfs(const std::vector<MergeInput>& inputs, const std::filesystem::path& out,
                       const MergeOptions& options);

}  // namespace paperd::engines::pdf
