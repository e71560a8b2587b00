// One warm LibreOffice: soffice with its own profile, driven over a UNO pipe by the Python driver
// (office_driver.h), in one process group. Starting it does not wait; the first convert() (or
// wait_ready()) does. A conversion past its deadline kills the whole group; the instance is then
// dead and the pool replaces it. Not thread-safe: one conversion at a time, one owner.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <functional>
#include <string>

#include "core/fs.h"
#include "engines/convert/child_process.h"
#include "engines/convert/message_pipe.h"

namespace paperd::engines::convert {

struct OfficeOptions {
  std::filesystem::path work_dir;           // each instance makes its profile and log below it
  std::string python = "/usr/bin/python3";  // the interpreter python3-uno is installed for
  std::string soffice = "soffice";
  int start_timeout_ms = 60000;
  int max_conversions = 200;  // then the instance is recycled (LibreOffice grows over time)
  bool no_network = true;     // run soffice in its own network namespace where possible
};

// Thrown by OfficeInstance::convert when the instance had died before the document reached it:
// not the document's fault, so the caller may retry on a fresh instance.
struct OfficeInstanceLost {};

struct OfficeConversion {
  std::string import_filter;  // the filter LibreOffice chose, e.g. "MS Word 2007 XML"
  double ms = 0;
};

class OfficeInstance {
 public:
  // Spawns the driver (which starts soffice) and returns at once. `id` makes the names unique
  // among this process's instances.
  OfficeInstance(const OfficeOptions& options, int id);
  ~OfficeInstance();
  OfficeInstance(const OfficeInstance&) = delete;
  OfficeInstance& operator=(const OfficeInstance&) = delete;

  // Waits until LibreOffice accepts work; throws Error::unavailable naming the cause if it
  // cannot start.
  void wait_ready();
  // Converts input to a PDF at output. `name` is the client's file name for messages; cancelled
  // is polled while waiting. Throws unsupported_document, conversion_timeout (after killing the
  // instance), conversion_cancelled, conversion_failed or OfficeInstanceLost.
  OfficeConversion convert(const std::filesystem::path& input, const std::filesystem::path& output,
                           const std::string& name, int timeout_ms,
                           const std::function<bool()>& cancelled);

  bool usable() const;  // started or starting, not killed, under max_conversions
  pid_t pid() const { return process_.pid(); }
  void kill();

 private:
  std::string log_tail() const;

  OfficeOptions options_;
  core::TempDir dir_;
  ChildProcess process_;
  MessagePipe pipe_;
  bool ready_ = false;
  bool dead_ = false;
  int conversions_ = 0;
};

}  // namespace paperd::engines::convert
