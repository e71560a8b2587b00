#include "engines/ocr/reader_pool.h"

namespace paperd::engines::ocr {

std::unique_ptr<PageReader> ReaderPool::take(const std::filesystem::path& tessdata) {
  {
    std::lock_guard lock(mu_);
    for (auto it = idle_.begin(); it != idle_.end(); ++it)
      if ((*it)->tessdata() == tessdata) {
        auto reader = std::move(*it);
        idle_.erase(it);
        return reader;
      }
  }
  return std::make_unique<PageReader>(tessdata);
}

void ReaderPool::give_back(std::unique_ptr<PageReader> reader) {
  if (!reader) return;
  std::lock_guard lock(mu_);
  if (idle_.size() < max_idle_) idle_.push_back(std::move(reader));
}

}  // namespace paperd::engines::ocr
