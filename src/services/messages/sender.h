// The message center's background sender in the server process: sends due deliveries (new ones,
// retries, deferrals whose quiet hours ended) off the request path. Woken at once by a send or a
// preference change, otherwise it looks once a second. On start, deliveries a killed process
// left half-sent are due again (at-least-once). Stops and joins when destroyed.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "services/messages/message_center.h"

namespace paperd::services::messages {

class Sender {
 public:
  explicit Sender(MessageCenter& center);
  ~Sender();
  Sender(const Sender&) = delete;
  Sender& operator=(const Sender&) = delete;

 private:
  void run();
  MessageCenter& center_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace paperd::services::messages
