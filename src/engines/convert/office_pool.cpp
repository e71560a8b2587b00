#include "engines/convert/office_pool.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <set>
#include <thread>

#include "engines/convert/convert_errors.h"

namespace paperd::engines::convert {

namespace {

std::string lower_extension(const std::string& name) {
  std::string ext = std::filesystem::path(name).extension().string();
  if (!ext.empty()) ext.erase(0, 1);
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

}  // namespace

bool import_filter_fits(const std::string& name, const std::string& import_filter) {
  static const std::set<std::string> kTextExtensions = {"",    "txt", "text", "csv",
                                                        "tsv", "tab", "log"};
  // "Text", "Text (encoded)", "Text - txt - csv (StarCalc)": LibreOffice's last resort.
  if (!import_filter.starts_with("Text")) return true;
  return kTextExtensions.contains(lower_extension(name));
}

OfficePool::OfficePool(OfficeOptions options, int size)
    : options_(std::move(options)), size_(std::max(1, size)) {
  instances_.resize(static_cast<size_t>(size_));
}

OfficePool::~OfficePool() {
  instances_.clear();  // kills every instance before their folder goes
  dir_.reset();
}

std::vector<pid_t> OfficePool::instance_pids() const {
  std::lock_guard lock(mu_);
  std::vector<pid_t> pids;
  for (auto& i : instances_)
    if (i && i->pid() > 0) pids.push_back(i->pid());
  return pids;
}

OfficeInstance& OfficePool::instance(size_t slot) {
  auto& current = instances_[slot];
  if (!current || !current->usable()) {
    current.reset();
    OfficeOptions o = options_;
    o.work_dir = dir_->path();
    current = std::make_unique<OfficeInstance>(o, ++started_);
  }
  return *current;
}

void OfficePool::convert_one(size_t slot, const OfficeFile& file, int timeout_ms,
                             const std::function<bool()>& cancelled, OfficeConversion& result) {
  try {
    result = instances_[slot]->convert(file.input, file.output, file.name, timeout_ms, cancelled);
  } catch (const OfficeInstanceLost&) {
    // LibreOffice had died while idle (killed, out of memory): once more on a fresh instance.
    try {
      result = instance(slot).convert(file.input, file.output, file.name, timeout_ms, cancelled);
    } catch (const OfficeInstanceLost&) {
      throw conversion_failed(
          "LibreOffice", "the office process ended before '" + file.name + "' reached it, twice");
    }
  }
  if (!import_filter_fits(file.name, result.import_filter)) {
    std::string ext = lower_extension(file.name);
    for (auto& c : ext) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    throw unsupported_document(file.name, "it is not a valid " + ext +
                                              " file (LibreOffice could only read it as plain "
                                              "text; is it corrupt or of another type?)");
  }
  std::error_code ec;
  if (std::filesystem::file_size(file.output, ec) == 0 || ec)
    throw conversion_failed("LibreOffice", "no PDF was written for '" + file.name + "'");
}

std::vector<OfficeConversion> OfficePool::convert(const std::vector<OfficeFile>& files,
                                                  int timeout_ms,
                                                  const std::function<bool()>& cancelled) {
  std::lock_guard lock(mu_);
  std::vector<OfficeConversion> results(files.size());
  if (files.empty()) return results;
  if (!dir_) {
    std::filesystem::create_directories(options_.work_dir);
    dir_.emplace(options_.work_dir, "office-" + std::to_string(::getpid()) + "-");
  }
  size_t used = std::min(instances_.size(), files.size());
  // Start (or replace) every instance this batch needs first, so they come up side by side.
  for (size_t slot = 0; slot < used; ++slot) instance(slot);

  std::vector<std::exception_ptr> errors(files.size());
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  auto work = [&](size_t slot) {
    for (;;) {
      size_t i = next++;
      if (i >= files.size() || failed) return;
      try {
        convert_one(slot, files[i], timeout_ms, cancelled, results[i]);
      } catch (...) {
        errors[i] = std::current_exception();
        failed = true;
        return;  // this slot's instance may be dead; the others finish their files
      }
    }
  };
  if (used == 1) {
    work(0);
  } else {
    std::vector<std::thread> threads;
    for (size_t slot = 0; slot < used; ++slot) threads.emplace_back(work, slot);
    for (auto& t : threads) t.join();
  }
  // A killed or used-up instance is replaced now, so the next job finds it warm.
  for (size_t slot = 0; slot < used; ++slot) {
    try {
      instance(slot);
    } catch (...) {
      // Only a warm-up: the next job that needs this slot starts it again and answers with the
      // error if it still fails. This job's own results and errors are what count here.
    }
  }
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
  return results;
}

}  // namespace paperd::engines::convert
