// The Chrome DevTools Protocol over --remote-debugging-pipe: JSON messages separated by NUL on
// the browser's fds 3 (commands in) and 4 (answers and events out). No WebSocket and no port,
// so nothing else on the machine can drive the browser. call() waits for its answer while
// handing every event to the event handler and calling the idle handler between reads, so
// intercepted requests keep being served while a command is in flight. Not thread-safe.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/json.h"
#include "engines/convert/message_pipe.h"

namespace paperd::engines::convert {

// The browser answered a command with an error.
struct CdpError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// A command or wait passed its deadline.
struct CdpTimeout {};

class CdpConnection {
 public:
  using EventHandler = std::function<void(const Json& event)>;
  using IdleHandler = std::function<void()>;

  CdpConnection(MessagePipe pipe, EventHandler on_event, IdleHandler on_idle);

  // Sends without waiting; returns the command id (its answer is dropped when it comes).
  int send(std::string_view method, const Json& params, const std::string& session = "");
  // Sends and waits for the answer's "result". Throws CdpError, CdpTimeout, or
  // MessagePipe::EndOfStream when the browser is gone.
  Json call(std::string_view method, const Json& params, const std::string& session,
            Deadline deadline);
  // Serves events until done() is true (returns true) or the deadline passes (returns false).
  bool pump_until(Deadline deadline, const std::function<bool()>& done);

 private:
  // Reads and dispatches at most one message, waiting a short slice; returns it if it is the
  // answer to `id`.
  std::optional<Json> step(int id, Deadline deadline);

  MessagePipe pipe_;
  EventHandler on_event_;
  IdleHandler on_idle_;
  int next_id_ = 0;
};

}  // namespace paperd::engines::convert
