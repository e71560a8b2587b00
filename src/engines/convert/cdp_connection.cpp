#include "engines/convert/cdp_connection.h"

#include <algorithm>

namespace paperd::engines::convert {

namespace {

// Short enough that finished fetches are handed back quickly, long enough not to spin.
constexpr auto kSlice = std::chrono::milliseconds(15);

}  // namespace

CdpConnection::CdpConnection(MessagePipe pipe, EventHandler on_event, IdleHandler on_idle)
    : pipe_(std::move(pipe)), on_event_(std::move(on_event)), on_idle_(std::move(on_idle)) {}

int CdpConnection::send(std::string_view method, const Json& params, const std::string& session) {
  int id = ++next_id_;
  Json message = {{"id", id}, {"method", method}, {"params", params}};
  if (!session.empty()) message["sessionId"] = session;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  if (!pipe_.write(message.dump(), deadline)) throw MessagePipe::EndOfStream{};
  return id;
}

std::optional<Json> CdpConnection::step(int id, Deadline deadline) {
  if (on_idle_) on_idle_();
  auto slice = std::min(deadline, std::chrono::steady_clock::now() + kSlice);
  auto text = pipe_.read(slice);
  if (!text) return std::nullopt;
  Json message = Json::parse(*text, nullptr, false);
  if (!message.is_object()) return std::nullopt;
  if (message.contains("id")) {
    if (id > 0 && message["id"] == id) return message;
    return std::nullopt;  // the answer to a command sent with send()
  }
  if (on_event_) on_event_(message);
  return std::nullopt;
}

Json CdpConnection::call(std::string_view method, const Json& params, const std::string& session,
                         Deadline deadline) {
  int id = send(method, params, session);
  for (;;) {
    if (std::chrono::steady_clock::now() >= deadline) throw CdpTimeout{};
    auto answer = step(id, deadline);
    if (!answer) continue;
    if (answer->contains("error")) {
      const Json& e = (*answer)["error"];
      throw CdpError(std::string(method) + ": " + e.value("message", std::string("error")) +
                     (e.contains("data") ? " (" + e["data"].dump() + ")" : ""));
    }
    return answer->value("result", Json::object());
  }
}

bool CdpConnection::pump_until(Deadline deadline, const std::function<bool()>& done) {
  for (;;) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    step(0, deadline);
  }
}

}  // namespace paperd::engines::convert
