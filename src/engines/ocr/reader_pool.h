// Keeps PageReaders (their loaded Tesseract models) between jobs of one worker process, so a job
// does not pay ~0.2 s per thread and language to load models again. Owned by the pipeline; empty
// until the first job, so processes that never read a page load nothing. Thread-safe.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "engines/ocr/page_reader.h"

namespace paperd::engines::ocr {

class ReaderPool {
 public:
  explicit ReaderPool(size_t max_idle = 4) : max_idle_(max_idle) {}
  // An idle reader for tessdata, or a new one.
  std::unique_ptr<PageReader> take(const std::filesystem::path& tessdata);
  // Returns a reader after a job that went well (a reader that saw an error is dropped).
  void give_back(std::unique_ptr<PageReader> reader);
  size_t idle() {
    std::lock_guard lock(mu_);
    return idle_.size();
  }

 private:
  std::mutex mu_;
  std::vector<std::unique_ptr<PageReader>> idle_;
  size_t max_idle_;
};

}  // namespace paperd::engines::ocr
