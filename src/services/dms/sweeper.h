// The document store's background work in the server process, off the request path: every
// second it follows the AI-DMS jobs into page text (sync_processing), every ten seconds it purges
// trashed documents past their retention (purge_expired). Stops and joins when destroyed.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "services/dms/documents.h"

namespace paperd::services::dms {

class Sweeper {
 public:
  explicit Sweeper(DocumentStore& store);
  ~Sweeper();
  Sweeper(const Sweeper&) = delete;
  Sweeper& operator=(const Sweeper&) = delete;

 private:
  void run();
  DocumentStore& store_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace paperd::services::dms
