#include "app/access_log.h"

#include <chrono>

namespace paperd::app {

namespace {
constexpr auto kFlushEvery = std::chrono::milliseconds(100);
constexpr size_t kBufferBytes = 64 << 10;
}  // namespace

AccessLog::AccessLog(std::FILE* out) : out_(out) {
  // stdio's buffer does the batching; a full buffer is written by whichever request fills it.
  std::setvbuf(out_, nullptr, _IOFBF, kBufferBytes);
  flusher_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!stopping_) {
      wake_.wait_for(lock, kFlushEvery, [this] { return stopping_; });
      if (dirty_) {
        std::fflush(out_);
        dirty_ = false;
      }
    }
  });
}

AccessLog::~AccessLog() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  flusher_.join();
  std::fflush(out_);
}

void AccessLog::write_line(std::string_view line) {
  std::lock_guard lock(mu_);
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fputc('\n', out_);
  dirty_ = true;
}

}  // namespace paperd::app
