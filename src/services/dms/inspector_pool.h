// A few long-lived `paperd inspect --serve` processes the uploads share, so a file costs a fork in
// an already loaded process instead of starting the 90-library binary (about 70 ms each). Each
// request still runs in its own forked child under its limits (app/inspect_cmd.cpp); a reader
// that stops answering is killed with its process group and replaced on the next request.
#pragma once

#include <sys/types.h>

#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/json.h"

namespace paperd::services::dms {

class InspectorPool {
 public:
  // exe: the paperd binary; size: readers at most (requests beyond wait for one).
  InspectorPool(std::filesystem::path exe, size_t size);
  ~InspectorPool();
  InspectorPool(const InspectorPool&) = delete;
  InspectorPool& operator=(const InspectorPool&) = delete;

  // The reader's answer line as JSON (an inspection or {"error":…}); throws Error 400
  // INVALID_DOCUMENT when the reader itself died or did not answer in time.
  Json inspect(const std::filesystem::path& file, const std::string& name, int timeout_ms);
  // The words of those pages of a PDF with their boxes ({"pages": [...]} or {"error":…}).
  Json words(const std::filesystem::path& file, const std::string& name,
             const std::vector<int>& pages, int timeout_ms);

 private:
  struct Reader;
  std::unique_ptr<Reader> take();
  void give_back(std::unique_ptr<Reader> reader);
  std::unique_ptr<Reader> start() const;
  // Sends one request line to a reader and returns its answer line.
  Json ask(Json request, const std::string& name, int timeout_ms);

  std::filesystem::path exe_;
  size_t size_;
  std::mutex mutex_;
  std::condition_variable idle_cv_;
  std::vector<std::unique_ptr<Reader>> idle_;
  size_t running_ = 0;  // readers that exist, idle or busy
};

}  // namespace paperd::services::dms
