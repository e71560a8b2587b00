// Delimited messages over a pair of pipes to a child process: newline-separated JSON lines for
// the LibreOffice driver, NUL-separated CDP messages for Chromium. Reads wait with a deadline so
// a hung child never hangs the worker. Not thread-safe; one owner.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/fs.h"

namespace paperd::engines::convert {

using Deadline = std::chrono::steady_clock::time_point;

class MessagePipe {
 public:
  MessagePipe() = default;
  // from_child: the read end of the child's output; to_child: the write end of its input.
  MessagePipe(core::UniqueFd from_child, core::UniqueFd to_child, char delimiter);

  // Writes message + delimiter. Returns false when the child closed its end or the deadline
  // passed before everything was written.
  bool write(std::string_view message, Deadline deadline);
  // The next message without its delimiter; nullopt when the deadline passes first. Throws
  // EndOfStream when the child closed its output (it exited or crashed).
  std::optional<std::string> read(Deadline deadline);
  // Drops the write end, which the child sees as end of input.
  void close_input() { to_child_.reset(); }
  // Messages larger than this end the stream (a misbehaving child cannot exhaust memory).
  void set_max_message(size_t bytes) { max_message_ = bytes; }

  struct EndOfStream {};

 private:
  core::UniqueFd from_child_, to_child_;
  char delimiter_ = '\n';
  std::string buffer_;
  size_t scanned_ = 0;  // bytes of buffer_ already searched for the delimiter
  size_t max_message_ = 256u << 20;
};

}  // namespace paperd::engines::convert
