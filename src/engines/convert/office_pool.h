// The pool of warm LibreOffice instances of one worker process (office → PDF). Instances start
// on first use and stay up between jobs, so a conversion costs the document's own load and
// export time, not LibreOffice's ~1 s start. Several files of one job are spread over the
// instances in parallel. An instance that times out or crashes is killed with its process group
// and replaced at once (the replacement starts in the background). Thread-safe: one conversion
// batch at a time.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/fs.h"
#include "engines/convert/office_instance.h"

namespace paperd::engines::convert {

struct OfficeFile {
  std::filesystem::path input;
  std::filesystem::path output;  // the PDF to write
  std::string name;              // the client's file name, for messages and type checks
};

class OfficePool {
 public:
  // options.work_dir is the parent (the worker's temp area); the pool makes its own folder below
  // it when the first instance starts and removes it when destroyed.
  OfficePool(OfficeOptions options, int size);
  ~OfficePool();
  OfficePool(const OfficePool&) = delete;
  OfficePool& operator=(const OfficePool&) = delete;

  // Converts every file; returns the results in the same order. Throws the error of the first
  // failing file (in input order): unsupported_document (400), conversion_timeout (504),
  // conversion_cancelled (503), conversion_failed (500), Error::unavailable (503).
  std::vector<OfficeConversion> convert(const std::vector<OfficeFile>& files, int timeout_ms,
                                        const std::function<bool()>& cancelled = {});

  // Process-group ids of the live instances (for tests and diagnostics).
  std::vector<pid_t> instance_pids() const;
  int size() const { return size_; }

 private:
  // Starts or replaces the slot's instance. Slots are touched by one thread each.
  OfficeInstance& instance(size_t slot);
  void convert_one(size_t slot, const OfficeFile& file, int timeout_ms,
                   const std::function<bool()>& cancelled, OfficeConversion& result);

  OfficeOptions options_;
  int size_;
  mutable std::mutex mu_;
  std::optional<core::TempDir> dir_;
  std::vector<std::unique_ptr<OfficeInstance>> instances_;
  std::atomic<int> started_{0};  // instances started so far, for unique names
};

// True when LibreOffice's chosen import filter fits the file's extension; false for a file with
// an office extension that LibreOffice could only read as plain text (a corrupt or fake file).
bool import_filter_fits(const std::string& name, const std::string& import_filter);

}  // namespace paperd::engines::convert
