// Document folders ("staples"): documents of one workspace bundled under a name, in order. A
// document is in at most one folder; dissolving a folder keeps its documents. Trashing a folder
// (trash.cpp) sets folders.deleted_at; such folders are not listed and cannot be changed here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"
#include "services/dms/common.h"
#include "store/db.h"

namespace paperd::services::dms {

struct FolderFields {
  std::optional<std::string> name, description, icon, color;
};

class Folders {
 public:
  explicit Folders(store::Database& db) : db_(db) {}

  // Staples the documents (POFIDs or documents_ids, at least one, all of one workspace) into a
  // new folder. workspace_id, when given, must be theirs.
  Json create(const Principal& who, const FolderFields& fields,
              const std::vector<std::string>& refs, std::optional<int64_t> workspace_id);
  // The folders (not trashed) of the workspace, by id or name, each with its documents.
  Json list(const Principal& who, std::optional<int64_t> workspace_id,
            const std::string& workspace_name);
  Json update(const Principal& who, int64_t folder_id, const FolderFields& fields);
  // Removes the folder; its documents stay where they are.
  Json dissolve(const Principal& who, int64_t folder_id);

 private:
  store::Database& db_;
};

}  // namespace paperd::services::dms
