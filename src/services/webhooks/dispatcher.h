// The webhook dispatcher inside `paperd serve`, off the request path (ARCHITECTURE §2, "one outbox,
// many readers"). One fan-out thread follows the events outbox with its own cursor and turns each
// event into a persisted delivery per matching subscription, in one transaction with the cursor
// (so a crash neither loses nor doubles a delivery); sender threads claim due deliveries with a
// lease, send them (delivery.h) and record the outcome. A claimed delivery whose sender died
// (kill -9) is taken again when its lease runs out, also after a restart. One subscription holds
// at most half the senders, so a hanging receiver never stalls the others. Stops and joins when
// destroyed.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "net/ssrf.h"
#include "services/webhooks/delivery.h"
#include "services/webhooks/webhooks.h"
#include "store/db.h"

namespace paperd::services::webhooks {

class Dispatcher {
 public:
  Dispatcher(store::Database& db, const Webhooks& webhooks, const net::OutboundPolicy& outbound);
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Turns outbox events after the cursor into deliveries; returns how many events it read.
  // Public for tests and tools; the fan-out thread calls it.
  int fan_out();

 private:
  void fan_out_loop();
  void sender_loop();
  std::optional<Outgoing> claim();
  // When the next pending delivery is due (ms), or nullopt when none waits.
  std::optional<int64_t> next_due();

  store::Database& db_;
  const Webhooks& webhooks_;
  const net::OutboundPolicy& outbound_;
  const Settings settings_;
  std::mutex mu_;
  std::condition_variable cv_;       // wakes the fan-out thread at stop
  std::condition_variable work_cv_;  // wakes senders: new deliveries, or stop
  uint64_t work_generation_ = 0;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace paperd::services::webhooks
