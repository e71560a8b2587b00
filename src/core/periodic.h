// Background work of the server process off the request path, on one thread: each task runs every
// period (the document store following AI-DMS jobs every second and purging the trash every ten,
// the e-signature expiry and reminders). A failing task is logged and tried again next period.
// Stops and joins when destroyed.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace paperd::core {

struct PeriodicTask {
  std::string name;  // for the log
  int64_t period_ms = 1000;
  std::function<void()> run;
};

class Periodic {
 public:
  explicit Periodic(std::vector<PeriodicTask> tasks);
  ~Periodic();
  Periodic(const Periodic&) = delete;
  Periodic& operator=(const Periodic&) = delete;

 private:
  void loop();
  std::vector<PeriodicTask> tasks_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace paperd::core
