// The trash: soft deletes (mode=trash, the default) keep a document restorable for the account's
// retention days; mode=instant and the purge remove it for good, rows first (in one transaction)
// and its blobs after the commit. A document on legal hold can be neither.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <map>
#include <set>

#include "core/clock.h"
#include "core/error.h"
#include "services/dms/documents.h"

namespace paperd::services::dms {

using core::Error;

namespace {
constexpr int64_t kDefaultRetentionDays = 30;
constexpr int64_t kDay = 86400;
}  // namespace

int64_t DocumentStore::retention_days(store::Connection& c, int64_t account_id) {
  auto r =
      c.query_one("SELECT retention_days FROM trash_settings WHERE account_id = ?", {account_id});
  return r ? r->i64("retention_days") : kDefaultRetentionDays;
}

void DocumentStore::purge_documents(store::Connection& c, const std::vector<int64_t>& ids,
                                    std::vector<std::string>& blobs) {
  for (int64_t id : ids) {
    std::set<std::string> mine;
    for (auto& r : c.query("SELECT blob_id FROM document_versions WHERE document_id = ?", {id}))
      mine.insert(r.text("blob_id"));
    if (auto r = c.query_one("SELECT blob_id FROM documents WHERE id = ?", {id}))
      mine.insert(r->text("blob_id"));
    blobs.insert(blobs.end(), mine.begin(), mine.end());
    index_->remove_document(c, id);
    for (const char* table :
         {"document_pages", "document_page_words", "document_meta", "document_tags",
          "document_notes", "document_comments", "document_revisions", "document_versions",
          "folder_documents", "edit_sessions", "legal_holds"})
      c.exec(fmt::format("DELETE FROM {} WHERE document_id = ?", table), {id});
    c.exec("DELETE FROM documents WHERE id = ?", {id});
  }
}

Json DocumentStore::remove(const Principal& who, const std::vector<std::string>& refs_in,
                           const std::string& mode_in, const std::vector<int64_t>& folder_ids) {
  std::vector<std::string> refs = refs_in;
  std::string mode = mode_in.empty() ? "trash" : mode_in;
  if (mode != "trash" && mode != "instant")
    throw Error::invalid_request("field 'mode' must be trash or instant");
  if (refs.empty() && folder_ids.empty())
    throw Error::invalid_request("name the document: 'pofid' or 'documents_id' (or 'folder_id')");
  auto& c = db_.conn();
  std::vector<std::string> blobs;
  Json out = c.transaction([&] {
    // A folder goes with its documents; restoring it brings them back.
    std::map<int64_t, int64_t> folder_of;
    for (int64_t f : folder_ids) {
      auto row = c.query_one(
          "SELECT id FROM folders WHERE id = ? AND account_id = ? AND deleted_at IS NULL",
          {f, who.account_id});
      if (!row) throw Error::not_found("no folder " + std::to_string(f) + " in this account");
      for (auto& r :
           c.query("SELECT fd.document_id FROM folder_documents fd JOIN documents d ON "
                   "d.id = fd.document_id WHERE fd.folder_id = ? AND d.deleted_at IS NULL",
                   {f})) {
        refs.push_back(std::to_string(r.i64("document_id")));
        folder_of[r.i64("document_id")] = f;
      }
    }
    // Every document is checked before any is changed: all or nothing.
    std::vector<DocumentRow> docs;
    for (auto& ref : refs) {
      DocumentRow d = require_document(c, who, ref, mode == "instant");
      require_not_held(c, d, mode == "instant" ? "deleted" : "moved to the trash");
      require_editable(c, d, who);
      docs.push_back(d);
    }
    Json done = Json::array();
    int64_t now = core::unix_now();
    int64_t days = retention_days(c, who.account_id);
    for (auto& d : docs) {
      emit_event(
          c, who.account_id, "document.deleted", d.workspace_id, d.id,
          {{"documents_id", d.id}, {"pofid", d.pofid}, {"mode", mode}, {"file_name", d.file_name}});
      if (mode == "instant") {
        purge_documents(c, {d.id}, blobs);
      } else {
        auto f = folder_of.find(d.id);
        c.exec(
            "UPDATE documents SET deleted_at = ?, deleted_by = ?, deleted_folder_id = ? WHERE id = "
            "?",
            {now, who.token_id,
             f == folder_of.end() ? store::Value(nullptr) : store::Value(f->second), d.id});
        record_revision(c, d.id, who, "deleted", "deleted", false, true);
        touch_document(c, d.id);
      }
      done.push_back({{"documents_id", d.id}, {"pofid", d.pofid}});
    }
    for (int64_t f : folder_ids) {
      if (mode == "instant") {
        c.exec("DELETE FROM folder_documents WHERE folder_id = ?", {f});
        c.exec("DELETE FROM folders WHERE id = ?", {f});
      } else {
        c.exec("UPDATE folders SET deleted_at = ? WHERE id = ?", {now, f});
      }
    }
    Json body = {{"status", "success"},
                 {"mode", mode},
                 {"deleted", done},
                 {"deleted_count", done.size()},
                 {"folders_deleted", folder_ids}};
    if (mode == "trash") {
      body["restorable_until"] = core::iso8601(now + days * kDay);
      body["retention_days"] = days;
    }
    return body;
  });
  if (!blobs.empty()) blobs_.remove(blobs);
  return out;
}

Json DocumentStore::trash_list(const Principal& who, std::optional<int64_t> workspace_id,
                               int64_t limit, int64_t offset) {
  auto& c = db_.conn();
  std::string where = "d.account_id = ? AND d.deleted_at IS NOT NULL";
  std::vector<store::Value> p = {who.account_id};
  if (workspace_id) {
    require_workspace(c, who, workspace_id);
    where += " AND d.workspace_id = ?";
    p.push_back(*workspace_id);
  }
  if (who.kind == "gt") {
    where += " AND d.workspace_id IN (SELECT id FROM workspaces WHERE group_name = ?)";
    p.push_back(who.group);
  }
  auto total = c.query_one("SELECT COUNT(*) AS n FROM documents d WHERE " + where, p);
  int64_t days = retention_days(c, who.account_id), now = core::unix_now();
  p.push_back(limit);
  p.push_back(offset);
  Json items = Json::array();
  for (auto& r : c.query(std::string("SELECT ") + kDocumentColumns +
                             ", d.deleted_folder_id FROM documents d WHERE " + where +
                             " ORDER BY d.deleted_at DESC, d.id DESC LIMIT ? OFFSET ?",
                         p)) {
    DocumentRow d = document_from(r);
    int64_t purge_at = *d.deleted_at + days * kDay;
    int64_t remaining = std::max<int64_t>(0, (purge_at - now + kDay - 1) / kDay);
    items.push_back(
        {{"documents_id", d.id},
         {"pofid", d.pofid},
         {"file_name", d.file_name},
         {"workspace_id", d.workspace_id},
         {"size", d.size},
         {"deleted_at", core::iso8601(*d.deleted_at)},
         {"purge_at", core::iso8601(purge_at)},
         {"days_remaining", remaining},
         {"is_restorable", purge_at > now},
         {"folder_id",
          r.opt_i64("deleted_folder_id") ? Json(*r.opt_i64("deleted_folder_id")) : Json(nullptr)}});
  }
  Json folders = Json::array();
  for (auto& r : c.query("SELECT id, name, workspace_id, deleted_at FROM folders WHERE account_id "
                         "= ? AND deleted_at IS NOT NULL ORDER BY deleted_at DESC",
                         {who.account_id}))
    folders.push_back({{"folder_id", r.i64("id")},
                       {"name", r.text("name")},
                       {"workspace_id", r.i64("workspace_id")},
                       {"deleted_at", core::iso8601(r.i64("deleted_at"))}});
  return {{"status", "success"},
          {"items", items},
          {"documents", items},
          {"folders", folders},
          {"total", total ? total->i64("n") : 0},
          {"limit", limit},
          {"offset", offset},
          {"retention_days", days}};
}

Json DocumentStore::restore(const Principal& who, const std::vector<std::string>& refs,
                            const std::vector<int64_t>& folder_ids) {
  if (refs.empty() && folder_ids.empty())
    throw Error::invalid_request("name what to restore: 'pofid'/'pofids' or 'folder_id'");
  auto& c = db_.conn();
  return c.transaction([&] {
    std::vector<DocumentRow> docs;
    for (auto& ref : refs) {
      DocumentRow d = require_document(c, who, ref, true);
      if (!d.deleted())
        throw Error(409, "NOT_IN_TRASH", "document '" + d.pofid + "' is not in the trash");
      docs.push_back(d);
    }
    Json folders = Json::array();
    for (int64_t f : folder_ids) {
      auto row = c.query_one("SELECT id, deleted_at FROM folders WHERE id = ? AND account_id = ?",
                             {f, who.account_id});
      if (!row) throw Error::not_found("no folder " + std::to_string(f) + " in this account");
      if (row->is_null("deleted_at"))
        throw Error(409, "NOT_IN_TRASH", "folder " + std::to_string(f) + " is not in the trash");
      c.exec("UPDATE folders SET deleted_at = NULL, updated_at = ? WHERE id = ?",
             {core::unix_now(), f});
      for (auto& r : c.query("SELECT id FROM documents WHERE deleted_folder_id = ? AND account_id "
                             "= ? AND deleted_at IS NOT NULL",
                             {f, who.account_id}))
        docs.push_back(require_document(c, who, std::to_string(r.i64("id")), true));
      folders.push_back(f);
    }
    Json restored = Json::array();
    for (auto& d : docs) {
      if (!c.query_one("SELECT id FROM workspaces WHERE id = ?", {d.workspace_id}))
        throw Error(409, "WORKSPACE_GONE", "the workspace of '" + d.pofid + "' no longer exists");
      c.exec(
          "UPDATE documents SET deleted_at = NULL, deleted_by = NULL, deleted_folder_id = NULL "
          "WHERE id = ?",
          {d.id});
      record_revision(c, d.id, who, "restored", "deleted", true, false);
      touch_document(c, d.id);
      emit_event(c, who.account_id, "document.restored", d.workspace_id, d.id,
                 {{"documents_id", d.id}, {"pofid", d.pofid}});
      restored.push_back({{"documents_id", d.id}, {"pofid", d.pofid}});
    }
    return Json{{"status", "success"},
                {"restored", restored},
                {"restored_count", restored.size()},
                {"folders_restored", folders}};
  });
}

Json DocumentStore::empty_trash(const Principal& who, std::optional<int64_t> confirm_count) {
  auto& c = db_.conn();
  std::vector<std::string> blobs;
  Json out = c.transaction([&] {
    std::string where = "account_id = ? AND deleted_at IS NOT NULL";
    std::vector<store::Value> p = {who.account_id};
    if (who.kind == "gt") {
      where += " AND workspace_id IN (SELECT id FROM workspaces WHERE group_name = ?)";
      p.push_back(who.group);
    }
    std::vector<int64_t> ids, held;
    for (auto& r : c.query("SELECT id FROM documents WHERE " + where, p)) {
      (on_legal_hold(c, r.i64("id")) ? held : ids).push_back(r.i64("id"));
    }
    int64_t n = static_cast<int64_t>(ids.size());
    if (!confirm_count || *confirm_count != n)
      throw Error(400, "TARGET_CONFIRMATION_REQUIRED",
                  fmt::format("emptying the trash removes {} document(s) for good: repeat that "
                              "number in 'confirm_count'",
                              n));
    purge_documents(c, ids, blobs);
    c.exec(
        "DELETE FROM folder_documents WHERE folder_id IN (SELECT id FROM folders WHERE "
        "account_id = ? AND deleted_at IS NOT NULL)",
        {who.account_id});
    c.exec("DELETE FROM folders WHERE account_id = ? AND deleted_at IS NOT NULL", {who.account_id});
    emit_event(c, who.account_id, "trash.emptied", std::nullopt, std::nullopt,
               {{"purged_count", n}});
    return Json{{"status", "success"}, {"purged_count", n}, {"kept_on_legal_hold", held.size()}};
  });
  blobs_.remove(blobs);
  return out;
}

Json DocumentStore::trash_settings(const Principal& who, std::optional<int64_t> days) {
  auto& c = db_.conn();
  if (days) {
    if (*days < 0 || *days > 3650)
      throw Error::invalid_request(
          "field 'retention_days' must be 0..3650 (0: purged at the next sweep)");
    c.exec(
        "INSERT INTO trash_settings (account_id, retention_days, updated_at) VALUES (?, ?, ?) ON "
        "CONFLICT (account_id) DO UPDATE SET retention_days = excluded.retention_days, "
        "updated_at = excluded.updated_at",
        {who.account_id, *days, core::unix_now()});
  }
  auto n = c.query_one(
      "SELECT COUNT(*) AS n FROM documents WHERE account_id = ? AND deleted_at "
      "IS NOT NULL",
      {who.account_id});
  return {{"status", "success"},
          {"retention_days", retention_days(c, who.account_id)},
          {"auto_purge", true},
          {"items_in_trash", n ? n->i64("n") : 0}};
}

int DocumentStore::purge_expired() {
  auto& c = db_.conn();
  std::vector<std::string> blobs;
  int n = c.transaction([&] {
    int64_t now = core::unix_now();
    std::vector<int64_t> ids;
    for (auto& r :
         c.query("SELECT d.id FROM documents d LEFT JOIN trash_settings s ON s.account_id = "
                 "d.account_id WHERE d.deleted_at IS NOT NULL AND d.deleted_at + COALESCE("
                 "s.retention_days, ?) * ? <= ? AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE "
                 "h.document_id = d.id AND h.released_at IS NULL)",
                 {kDefaultRetentionDays, kDay, now}))
      ids.push_back(r.i64("id"));
    purge_documents(c, ids, blobs);
    return static_cast<int>(ids.size());
  });
  if (!blobs.empty()) blobs_.remove(blobs);
  if (n > 0) spdlog::info("trash: purged {} document(s) past their retention", n);
  return n;
}

}  // namespace paperd::services::dms
