// For the DMS unit tests: a migrated store in a temp dir holding account 1 and its workspace 1,
// and documents written as an upload writes them (a documents row and its full-text chunks).
#pragma once

#include <fmt/format.h>

#include <filesystem>
#include <string>

#include "core/fs.h"
#include "services/dms/fulltext.h"
#include "store/db.h"

namespace paperd::services::dms::testing {

struct DmsStore {
  explicit DmsStore(const char* prefix)
      : dir(std::filesystem::temp_directory_path(), prefix), db(dir.path() / "paperd.db") {
    db.migrate();
    auto& c = db.conn();
    c.exec(
        "INSERT INTO accounts (id, name, tier, credits, created_at) VALUES (1, 'a', 'pro', 0, 0)");
    c.exec(
        "INSERT INTO workspaces (id, account_id, name, created_at, updated_at) VALUES (1, 1, 'w', "
        "0, 0)");
  }

  // Document `id` named doc<id>.txt with one page; joins the caller's transaction if any.
  void add_document(FulltextIndex& index, int64_t id, const std::string& page_text) {
    auto& c = db.conn();
    c.exec(
        "INSERT INTO documents (id, account_id, workspace_id, pofid, file_name, mime_type, size, "
        "sha256, blob_id, created_at_ms, updated_at_ms) VALUES (?, 1, 1, ?, ?, 'text/plain', 1, "
        "'', '', 0, 0)",
        {id, fmt::format("P{}", id), fmt::format("doc{}.txt", id)});
    index.put_document(c, id, fmt::format("doc{}.txt", id), "", {{1, page_text}});
  }

  core::TempDir dir;
  store::Database db;
};

}  // namespace paperd::services::dms::testing
