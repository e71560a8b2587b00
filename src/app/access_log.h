// The JSON access log of `paperd serve`: one line per request on stdout, written through a 64 KB
// buffer that a background thread flushes every 100 ms (and at exit), so a request pays for
// a memcpy under a lock, not a write(2) of its own. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string_view>
#include <thread>

namespace paperd::app {

class AccessLog {
 public:
  explicit AccessLog(std::FILE* out);
  ~AccessLog();  // flushes what is buffered
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  void write_line(std::string_view line);  // appends '\n'

 private:
  std::FILE* out_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool dirty_ = false;
  std::thread flusher_;
};

}  // namespace paperd::app
