// Workspaces: create, list, update, delete (with confirm_name, never while a document in it is on
// legal hold), access and storage checks. A group token creates workspaces of its own group and
// sees only those.
#include <fmt/format.h>

#include <filesystem>

#include "core/clock.h"
#include "core/error.h"
#include "services/dms/documents.h"

namespace paperd::services::dms {

using core::Error;

namespace {

const std::vector<std::string> kAiDmsModes = {"", "basic", "premium", "ultra"};
const std::vector<std::string> kStatuses = {"active", "archived", "locked"};

std::string checked_name(const Json& v) {
  if (!v.is_string()) throw Error::invalid_request("field 'name' must be a string");
  std::string name = v.get<std::string>();
  auto first = name.find_first_not_of(" \t");
  name = first == std::string::npos ? ""
                                    : name.substr(first, name.find_last_not_of(" \t") - first + 1);
  if (name.empty() || name.size() > 200)
    throw Error::invalid_request("field 'name' must be 1..200 characters");
  return name;
}

std::string one_of(const Json& fields, const char* key, const std::vector<std::string>& allowed,
                   const std::string& fallback) {
  if (!fields.contains(key) || fields[key].is_null()) return fallback;
  std::string v = fields[key].is_string() ? fields[key].get<std::string>() : fields[key].dump();
  if (v == "none" || v == "off" || v == "false") v = "";
  if (std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
    std::string list;
    for (auto& a : allowed) list += (list.empty() ? "" : ", ") + (a.empty() ? "none" : a);
    throw Error::invalid_request(fmt::format("field '{}' must be one of: {}", key, list));
  }
  return v;
}

Json metadata_of(const Json& fields, Json fallback) {
  // The index names the optional metadata blocks (data_contact, ...); all of them are kept.
  Json meta = std::move(fallback);
  if (fields.contains("metadata")) {
    Json m = fields["metadata"];
    if (m.is_string()) m = Json::parse(m.get<std::string>(), nullptr, false);
    if (!m.is_object()) throw Error::invalid_request("field 'metadata' must be a JSON object");
    meta.update(m);
  }
  for (const char* k : {"data_contact", "data_owner", "data_retention", "data_classification"})
    if (fields.contains(k)) meta[k] = fields[k];
  return meta;
}

}  // namespace

Json DocumentStore::workspace_json(store::Connection& c, const WorkspaceRow& ws) {
  auto n = c.query_one(
      "SELECT COUNT(*) AS n, COALESCE(SUM(size), 0) AS bytes FROM documents WHERE workspace_id = ? "
      "AND deleted_at IS NULL",
      {ws.id});
  return {{"id", ws.id},
          {"workspace_id", ws.id},
          {"name", ws.name},
          {"description", ws.description},
          {"type", ws.type},
          {"status", ws.status},
          {"ai_dms_mode", ws.ai_dms_mode.empty() ? Json(nullptr) : Json(ws.ai_dms_mode)},
          {"group", ws.group.empty() ? Json(nullptr) : Json(ws.group)},
          {"metadata", ws.metadata},
          {"document_count", n ? n->i64("n") : 0},
          {"storage_bytes", n ? n->i64("bytes") : 0},
          {"created_at", core::iso8601(ws.created_at)},
          {"updated_at", core::iso8601(ws.updated_at)}};
}

Json DocumentStore::create_workspace(const Principal& who, const Json& f) {
  if (!f.contains("name")) throw Error::invalid_request("field 'name' is required");
  std::string name = checked_name(f["name"]);
  std::string mode = one_of(f, "ai_dms_mode", kAiDmsModes, "");
  std::string type = f.value("type", std::string("standard"));
  if (type.empty() || type.size() > 40)
    throw Error::invalid_request("field 'type' must be 1..40 characters");
  std::string group = who.kind == "gt" ? who.group : f.value("group", std::string());
  auto& c = db_.conn();
  return c.transaction([&] {
    if (c.query_one("SELECT id FROM workspaces WHERE account_id = ? AND name = ?",
                    {who.account_id, name}))
      throw Error(409, "WORKSPACE_EXISTS", "a workspace named '" + name + "' exists already");
    int64_t now = core::unix_now();
    c.exec(
        "INSERT INTO workspaces (account_id, name, description, type, status, ai_dms_mode, "
        "group_name, metadata, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, 'active', "
        "?, ?, ?, ?, ?, ?)",
        {who.account_id, name, f.value("description", std::string()), type, mode, group,
         metadata_of(f, Json::object()).dump(), who.token_id, now, now});
    WorkspaceRow ws = require_workspace(c, who, c.last_insert_id());
    emit_event(c, who.account_id, "workspace.created", ws.id, std::nullopt,
               {{"workspace_id", ws.id}, {"name", ws.name}});
    return Json{{"status", "success"}, {"workspace", workspace_json(c, ws)}};
  });
}

Json DocumentStore::list_workspaces(const Principal& who) {
  auto& c = db_.conn();
  Json list = Json::array();
  for (auto& r :
       c.query("SELECT * FROM workspaces WHERE account_id = ? ORDER BY id", {who.account_id})) {
    WorkspaceRow ws = workspace_from(r);
    if (can_reach(who, ws)) list.push_back(workspace_json(c, ws));
  }
  return {{"status", "success"},
          {"workspaces", list},
          {"total", list.size()},
          {"data", {{"workspaces", list}, {"total", list.size()}}}};
}

Json DocumentStore::update_workspace(const Principal& who, int64_t id, const Json& f) {
  auto& c = db_.conn();
  return c.transaction([&] {
    WorkspaceRow ws = require_workspace(c, who, id);
    std::string name = f.contains("name") ? checked_name(f["name"]) : ws.name;
    if (name != ws.name &&
        c.query_one("SELECT id FROM workspaces WHERE account_id = ? AND name = ?",
                    {who.account_id, name}))
      throw Error(409, "WORKSPACE_EXISTS", "a workspace named '" + name + "' exists already");
    std::string status = one_of(f, "status", kStatuses, ws.status);
    std::string mode =
        f.contains("ai_dms_mode") ? one_of(f, "ai_dms_mode", kAiDmsModes, "") : ws.ai_dms_mode;
    c.exec(
        "UPDATE workspaces SET name = ?, description = ?, status = ?, ai_dms_mode = ?, metadata "
        "= ?, updated_at = ? WHERE id = ?",
        {name, f.value("description", ws.description), status, mode,
         metadata_of(f, ws.metadata).dump(), core::unix_now(), ws.id});
    WorkspaceRow now = require_workspace(c, who, id);
    emit_event(c, who.account_id, "workspace.updated", ws.id, std::nullopt,
               {{"workspace_id", ws.id}, {"name", now.name}});
    return Json{{"status", "success"}, {"workspace", workspace_json(c, now)}};
  });
}

Json DocumentStore::delete_workspace(const Principal& who, int64_t id,
                                     const std::string& confirm_name) {
  auto& c = db_.conn();
  std::vector<std::string> blobs;
  Json out = c.transaction([&] {
    WorkspaceRow ws = require_workspace(c, who, id);
    if (confirm_name != ws.name)
      throw Error(400, "TARGET_CONFIRMATION_REQUIRED",
                  "deleting workspace " + std::to_string(ws.id) +
                      " deletes all its documents: repeat its name in 'confirm_name' ('" + ws.name +
                      "')");
    auto held = c.query_one(
        "SELECT COUNT(*) AS n FROM legal_holds h JOIN documents d ON d.id = h.document_id WHERE "
        "d.workspace_id = ? AND h.released_at IS NULL",
        {ws.id});
    if (held && held->i64("n") > 0)
      throw Error(409, "LEGAL_HOLD_ACTIVE",
                  fmt::format("workspace {} holds {} document(s) on legal hold; release the "
                              "holds before deleting it",
                              ws.id, held->i64("n")));
    std::vector<int64_t> ids;
    for (auto& r : c.query("SELECT id FROM documents WHERE workspace_id = ?", {ws.id}))
      ids.push_back(r.i64("id"));
    purge_documents(c, ids, blobs);
    c.exec(
        "DELETE FROM folder_documents WHERE folder_id IN (SELECT id FROM folders WHERE "
        "workspace_id = ?)",
        {ws.id});
    c.exec("DELETE FROM folders WHERE workspace_id = ?", {ws.id});
    c.exec("DELETE FROM workspaces WHERE id = ?", {ws.id});
    emit_event(c, who.account_id, "workspace.deleted", ws.id, std::nullopt,
               {{"workspace_id", ws.id}, {"name", ws.name}, {"documents_deleted", ids.size()}});
    return Json{{"status", "success"},
                {"workspace_id", ws.id},
                {"deleted", true},
                {"documents_deleted", ids.size()}};
  });
  blobs_.remove(blobs);
  return out;
}

Json DocumentStore::access_check(const Principal& who, std::optional<int64_t> id,
                                 const std::string& name) {
  auto& c = db_.conn();
  try {
    WorkspaceRow ws = require_workspace(c, who, id, name);
    return {{"status", "success"},
            {"has_access", true},
            {"workspace_id", ws.id},
            {"workspace_name", ws.name},
            {"permissions", ws.status == "locked" ? Json::array({"read"})
                                                  : Json::array({"read", "write", "delete"})},
            {"access_via", who.kind == "gt" ? "group:" + who.group : "account"}};
  } catch (const Error& e) {
    if (e.status() != 403) throw;
    return {{"status", "success"}, {"has_access", false}, {"reason", e.what()}, {"code", e.code()}};
  }
}

Json DocumentStore::storage_health(const Principal& who, std::optional<int64_t> id,
                                   const std::string& name) {
  auto& c = db_.conn();
  WorkspaceRow ws = require_workspace(c, who, id, name);
  core::Stopwatch watch;
  std::error_code ec;
  auto space = std::filesystem::space(blobs_.root(), ec);
  // A real round trip through the blob store: write, read back, remove.
  bool writable = true;
  std::string problem;
  try {
    std::string probe = blobs_.put_bytes("paperd storage probe");
    writable = blobs_.get_bytes(probe) == "paperd storage probe";
    blobs_.remove(probe);
  } catch (const std::exception& e) {
    writable = false;
    problem = e.what();
  }
  double ms = watch.elapsed_ms();
  Json out = {
      {"status", "success"},
      {"workspace_id", ws.id},
      {"storage_mode", "local"},
      {"cloud_mode", false},
      {"healthy", writable && !ec},
      {"offline", !writable},
      {"latency_ms", std::round(ms * 100) / 100},
      {"encrypted", true},
      {"auto_locked", ws.status == "locked"},
      {"auto_lock_reason", ws.status == "locked" ? Json("workspace locked") : Json(nullptr)}};
  if (!ec) {
    out["disk_free_bytes"] = space.available;
    out["disk_total_bytes"] = space.capacity;
  }
  if (!problem.empty()) out["problem"] = problem;
  return out;
}

}  // namespace paperd::services::dms
