// Parallel page rendering: see mupdf_page_renderer.h. Workers pull page numbers from a shared
// counter, so a slow page does not hold back the others.
#include "engines/pdf/mupdf_page_renderer.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

namespace paperd::engines::pdf {

namespace {

struct Shared {
  const RenderRequest& req;
  std::vector<RenderedPage> results;
  std::atomic<size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::condition_variable cv;
  size_t done = 0;
  std::exception_ptr error;
};

void work(Shared& s, std::optional<Document> doc) {
  try {
    if (!doc) doc.emplace(Document::open(s.req.pdf, s.req.password, s.req.limits));
    const std::string ext(image_extension(s.req.format));
    for (size_t i; !s.stop && (i = s.next.fetch_add(1)) < s.req.pages.size();) {
      int index = s.req.pages[i];
      Raster r = doc->render(index, s.req.dpi, s.req.gray);
      auto file = s.req.out_dir / (s.req.base + "_p" + std::to_string(index + 1) + "." + ext);
      write_raster(r, s.req.format, s.req.quality, file);
      s.results[i] = {index + 1, r.width, r.height, r.dpi, file};
      std::lock_guard lock(s.mu);
      ++s.done;
      s.cv.notify_all();
    }
  } catch (...) {
    std::lock_guard lock(s.mu);
    if (!s.error) s.error = std::current_exception();
    s.stop = true;
    s.cv.notify_all();
  }
}

}  // namespace

std::vector<RenderedPage> render_pages(const RenderRequest& req,
                                       const std::function<bool(size_t, size_t)>& progress) {
  // Opened here first so a bad file fails before any thread starts; the first worker reuses it.
  Document first = Document::open(req.pdf, req.password, req.limits);
  Shared s{req, std::vector<RenderedPage>(req.pages.size())};
  const size_t total = req.pages.size();
  int threads = std::clamp(req.threads, 1, static_cast<int>(std::max<size_t>(total, 1)));
  std::vector<std::thread> pool;
  pool.emplace_back(work, std::ref(s), std::optional<Document>(std::move(first)));
  for (int t = 1; t < threads; ++t) pool.emplace_back(work, std::ref(s), std::nullopt);

  std::exception_ptr caller_error;
  {
    std::unique_lock lock(s.mu);
    while (s.done < total && !s.error) {
      s.cv.wait_for(lock, std::chrono::milliseconds(250));
      if (!progress) continue;
      size_t done = s.done;
      lock.unlock();
      bool go = true;
      try {
        go = progress(done, total);
      } catch (...) {
        caller_error = std::current_exception();
        go = false;
      }
      lock.lock();
      if (!go) {
        s.stop = true;
        break;
      }
    }
  }
  s.stop = s.stop || caller_error != nullptr;
  for (auto& t : pool) t.join();
  if (caller_error) std::rethrow_exception(caller_error);
  if (s.error) std::rethrow_exception(s.error);
  if (s.done < total) s.results.resize(0);  // stopped by the caller
  if (progress) progress(s.done, total);
  return s.results;
}

}  // namespace paperd::engines::pdf
