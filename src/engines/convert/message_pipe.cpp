#include "engines/convert/message_pipe.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace paperd::engines::convert {

namespace {

int ms_until(Deadline deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                  deadline - std::chrono::steady_clock::now())
                  .count();
  return static_cast<int>(std::clamp<int64_t>(left, 0, 60000));
}

}  // namespace

MessagePipe::MessagePipe(core::UniqueFd from_child, core::UniqueFd to_child, char delimiter)
    : from_child_(std::move(from_child)), to_child_(std::move(to_child)), delimiter_(delimiter) {
  fcntl(from_child_.get(), F_SETFL, fcntl(from_child_.get(), F_GETFL) | O_NONBLOCK);
  fcntl(to_child_.get(), F_SETFL, fcntl(to_child_.get(), F_GETFL) | O_NONBLOCK);
}

bool MessagePipe::write(std::string_view message, Deadline deadline) {
  if (!to_child_) return false;
  std::string data(message);
  data.push_back(delimiter_);
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(to_child_.get(), data.data() + off, data.size() - off);
    if (n > 0) {
      off += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN) return false;  // EPIPE: the child is gone
    if (std::chrono::steady_clock::now() >= deadline) return false;
    pollfd p{to_child_.get(), POLLOUT, 0};
    ::poll(&p, 1, std::max(1, ms_until(deadline)));
  }
  return true;
}

std::optional<std::string> MessagePipe::read(Deadline deadline) {
  for (;;) {
    auto pos = buffer_.find(delimiter_, scanned_);
    if (pos != std::string::npos) {
      std::string message = buffer_.substr(0, pos);
      buffer_.erase(0, pos + 1);
      scanned_ = 0;
      return message;
    }
    scanned_ = buffer_.size();
    if (buffer_.size() > max_message_) throw EndOfStream{};
    char chunk[65536];
    ssize_t n = ::read(from_child_.get(), chunk, sizeof chunk);
    if (n > 0) {
      buffer_.append(chunk, static_cast<size_t>(n));
      continue;
    }
    if (n == 0) throw EndOfStream{};
    if (errno == EINTR) continue;
    if (errno != EAGAIN) throw EndOfStream{};
    int wait_ms = ms_until(deadline);
    if (wait_ms <= 0) return std::nullopt;
    pollfd p{from_child_.get(), POLLIN, 0};
    ::poll(&p, 1, wait_ms);
  }
}

}  // namespace paperd::engines::convert
