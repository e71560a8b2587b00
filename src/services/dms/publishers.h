// Publishers (the senders of documents, documents.publisher_id) of an account, with the other
// names they are known by (publisher_aliases). Renaming keeps the old name as an alias; merging
// moves the source's documents and names to the target and marks the source merged_into it.
#pragma once

#include <cstdint>
#include <string>

#include "core/json.h"
#include "services/dms/common.h"
#include "store/db.h"

namespace paperd::services::dms {

class Publishers {
 public:
  explicit Publishers(store::Database& db) : db_(db) {}

  Json create(const Principal& who, const std::string& name);
  // The account's publishers (merged ones left out), with aliases and document counts.
  Json list(const Principal& who);
  Json rename(const Principal& who, int64_t publisher_id, const std::string& name);
  Json merge(const Principal& who, int64_t source_id, int64_t target_id);

 private:
  store::Database& db_;
};

}  // namespace paperd::services::dms
