#include "engines/scan/page_scanner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

#include "core/error.h"

namespace paperd::engines::scan {

PageScanner::PageScanner(std::vector<ScanInput> inputs, ScanSettings settings)
    : inputs_(std::move(inputs)), settings_(std::move(settings)) {
  for (size_t i = 0; i < inputs_.size(); ++i) {
    sources_.push_back(open_page_source(inputs_[i].path, settings_.limits, inputs_[i].name));
    for (int p = 0; p < sources_.back()->page_count(); ++p) slots_.push_back({i, p});
    if (static_cast<int64_t>(slots_.size()) > settings_.limits.max_pages)
      throw core::Error::input_too_large("the inputs have more than " +
                                         std::to_string(settings_.limits.max_pages) +
                                         " pages together (the limit)");
  }
}

PageScanner::~PageScanner() = default;

PageReport PageScanner::analyze(const PageSource& source, const Slot& slot,
                                CodeReader& reader) const {
  GrayImage image = source.page(slot.index, settings_.dpi);
  PageReport r;
  r.input = slot.input;
  r.index = slot.index;
  r.width = image.width;
  r.height = image.height;
  r.dpi = image.dpi;
  r.blank = detect_blank(image, settings_.blank);
  if (settings_.separators) {
    r.codes = reader.read(image);
    for (const auto& c : r.codes) {
      bool sep = settings_.separators->matches(c.value);
      r.code_is_separator.push_back(sep);
      r.separator = r.separator || sep;
    }
  }
  return r;
}

std::vector<PageReport> PageScanner::run(const std::function<void(int, int)>& progress,
                                         const std::function<bool()>& cancelled) {
  const int total = page_count();
  std::vector<PageReport> reports(slots_.size());
  std::atomic<int> next{0};
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::condition_variable cv;
  int done = 0;
  std::exception_ptr error;

  auto work = [&](bool own_sources) {
    try {
      // The first thread uses the sources opened by the constructor; the others open their own.
      std::vector<std::unique_ptr<PageSource>> mine;
      if (own_sources)
        for (const auto& in : inputs_)
          mine.push_back(open_page_source(in.path, settings_.limits, in.name));
      CodeReader reader;
      for (int i; !stop && (i = next++) < total;) {
        const Slot& slot = slots_[static_cast<size_t>(i)];
        const PageSource& src = own_sources ? *mine[slot.input] : *sources_[slot.input];
        reports[static_cast<size_t>(i)] = analyze(src, slot, reader);
        std::lock_guard lock(mu);
        ++done;
        cv.notify_one();
      }
    } catch (...) {
      std::lock_guard lock(mu);
      if (!error) error = std::current_exception();
      stop = true;
      cv.notify_one();
    }
  };

  int threads = std::clamp(settings_.threads, 1, std::max(1, total));
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(work, t > 0);
  {
    std::unique_lock lock(mu);
    int reported = -1;
    while (done < total && !stop) {
      cv.wait_for(lock, std::chrono::milliseconds(200));
      if (done != reported) {
        reported = done;
        lock.unlock();
        progress(reported, total);
        lock.lock();
      }
      if (cancelled()) stop = true;
    }
  }
  stop = true;
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
  if (done < total) return {};  // cancelled
  return reports;
}

}  // namespace paperd::engines::scan
