// Runs blank detection and code reading over every page of a list of files, several pages at a
// time: each thread opens its own page sources (a MuPDF document belongs to one thread) and its
// own zbar scanner, and takes the next page from a shared counter. Progress and cancellation are
// polled on the calling thread only.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engines/scan/blank_detector.h"
#include "engines/scan/code_reader.h"
#include "engines/scan/page_source.h"
#include "engines/scan/separator.h"

namespace paperd::engines::scan {

struct ScanInput {
  std::filesystem::path path;
  std::string name;  // for messages (the client's file name)
};

struct ScanSettings {
  SourceLimits limits;
  BlankOptions blank;
  double dpi = 200;                            // PDF render resolution
  std::optional<SeparatorMatcher> separators;  // codes are read when set
  int threads = 1;
};

struct PageReport {
  size_t input = 0;  // index into the inputs
  int index = 0;     // page index inside that input
  int width = 0, height = 0;
  double dpi = 0;
  BlankResult blank;
  std::vector<Code> codes;
  std::vector<bool> code_is_separator;  // parallel to codes
  bool separator = false;
};

class PageScanner {
 public:
  // Opens every input (format, page count and pixel checks; the errors of open_page_source) and
  // refuses more than limits.max_pages pages in all with 413 INPUT_TOO_LARGE.
  PageScanner(std::vector<ScanInput> inputs, ScanSettings settings);
  ~PageScanner();

  int page_count() const { return static_cast<int>(slots_.size()); }
  const PageSource& source(size_t input) const { return *sources_[input]; }

  // Reports in page order. `progress(done, total)` and `cancelled()` are called on this thread;
  // when cancelled() turns true the threads stop and run() returns nothing.
  std::vector<PageReport> run(const std::function<void(int, int)>& progress,
                              const std::function<bool()>& cancelled);

 private:
  struct Slot {
    size_t input;
    int index;
  };
  PageReport analyze(const PageSource& source, const Slot& slot, CodeReader& reader) const;

  std::vector<ScanInput> inputs_;
  ScanSettings settings_;
  std::vector<std::unique_ptr<PageSource>> sources_;
  std::vector<Slot> slots_;
};

}  // namespace paperd::engines::scan
