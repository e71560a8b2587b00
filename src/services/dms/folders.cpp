#include "services/dms/folders.h"

#include "core/clock.h"
#include "core/error.h"

namespace paperd::services::dms {

using core::Error;

namespace {

constexpr size_t kMaxFolderDocuments = 500;

void check_field(const std::optional<std::string>& v, const char* field, size_t max,
                 bool non_empty) {
  if (!v) return;
  if (non_empty && v->find_first_not_of(" \t\r\n") == std::string::npos)
    throw Error::invalid_request(std::string("field '") + field + "' must not be empty");
  if (v->size() > max)
    throw Error::invalid_request(std::string("field '") + field + "' is longer than " +
                                 std::to_string(max) + " bytes");
}

void check_fields(const FolderFields& f) {
  check_field(f.name, "name", 255, true);
  check_field(f.description, "description", 2000, false);
  check_field(f.icon, "icon", 64, false);
  check_field(f.color, "color", 32, false);
}

// A folder of the caller's account that is not in the trash: 404 otherwise; 403 when a group
// token does not reach its workspace.
store::Row require_folder(store::Connection& c, const Principal& who, int64_t id) {
  auto row =
      c.query_one("SELECT * FROM folders WHERE id = ? AND account_id = ? AND deleted_at IS NULL",
                  {id, who.account_id});
  if (!row)
    throw Error(404, "FOLDER_NOT_FOUND", "no folder " + std::to_string(id) + " in this account");
  require_workspace(c, who, row->i64("workspace_id"));
  return std::move(*row);
}

Json folder_json(store::Connection& c, const store::Row& f) {
  Json docs = Json::array();
  for (auto& d : c.query("SELECT d.id, d.pofid, d.file_name, d.mime_type, d.size, fd.position FROM "
                         "folder_documents fd JOIN documents d ON d.id = fd.document_id "
                         "WHERE fd.folder_id = ? AND d.deleted_at IS NULL ORDER BY fd.position",
                         {f.i64("id")}))
    docs.push_back({{"documents_id", d.i64("id")},
                    {"pofid", d.text("pofid")},
                    {"file_name", d.text("file_name")},
                    {"mime_type", d.text("mime_type")},
                    {"size", d.i64("size")},
                    {"position", d.i64("position")}});
  return {{"folder_id", f.i64("id")},
          {"workspace_id", f.i64("workspace_id")},
          {"name", f.text("name")},
          {"description", f.text("description")},
          {"icon", f.text("icon")},
          {"color", f.text("color")},
          {"document_count", docs.size()},
          {"documents", docs},
          {"created_at", core::iso8601(f.i64("created_at"))},
          {"updated_at", core::iso8601(f.i64("updated_at"))}};
}

}  // namespace

Json Folders::create(const Principal& who, const FolderFields& fields,
                     const std::vector<std::string>& refs, std::optional<int64_t> workspace_id) {
  if (!fields.name) throw Error::invalid_request("field 'name' is required");
  check_fields(fields);
  if (refs.empty()) throw Error::invalid_request("field 'pofids' must name at least one document");
  if (refs.size() > kMaxFolderDocuments)
    throw Error::invalid_request("field 'pofids' names more than " +
                                 std::to_string(kMaxFolderDocuments) + " documents");
  auto& c = db_.conn();
  return c.transaction([&] {
    std::vector<DocumentRow> docs;
    for (auto& ref : refs) {
      DocumentRow d = require_document(c, who, ref);
      for (auto& seen : docs)
        if (seen.id == d.id)
          throw Error::invalid_request("field 'pofids' names document '" + ref + "' twice");
      if (!workspace_id) workspace_id = d.workspace_id;
      if (d.workspace_id != *workspace_id)
        throw Error::invalid_request(
            "field 'pofids': the documents of a folder must be in one "
            "workspace; '" +
            ref + "' is in workspace " + std::to_string(d.workspace_id) + ", not " +
            std::to_string(*workspace_id));
      if (auto in =
              c.query_one("SELECT f.id, f.name FROM folder_documents fd JOIN folders f ON f.id = "
                          "fd.folder_id WHERE fd.document_id = ? AND f.deleted_at IS NULL",
                          {d.id}))
        throw Error(409, "ALREADY_IN_FOLDER",
                    "document '" + ref + "' is already in folder " + std::to_string(in->i64("id")) +
                        " ('" + in->text("name") + "'): dissolve that folder first");
      docs.push_back(std::move(d));
    }
    WorkspaceRow ws = require_workspace(c, who, workspace_id);
    int64_t now = core::unix_now();
    c.exec(
        "INSERT INTO folders (account_id, workspace_id, name, description, icon, color, "
        "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {who.account_id, ws.id, *fields.name, fields.description.value_or(""),
         fields.icon.value_or(""), fields.color.value_or(""), who.token_id, now, now});
    int64_t id = c.last_insert_id();
    Json pofids = Json::array();
    for (size_t i = 0; i < docs.size(); ++i) {
      c.exec("INSERT INTO folder_documents (folder_id, document_id, position) VALUES (?, ?, ?)",
             {id, docs[i].id, static_cast<int64_t>(i + 1)});
      pofids.push_back(docs[i].pofid);
    }
    emit_event(c, who.account_id, "folder.created", ws.id, std::nullopt,
               {{"folder_id", id}, {"name", *fields.name}, {"pofids", pofids}});
    return folder_json(c, *c.query_one("SELECT * FROM folders WHERE id = ?", {id}));
  });
}

Json Folders::list(const Principal& who, std::optional<int64_t> workspace_id,
                   const std::string& workspace_name) {
  auto& c = db_.conn();
  WorkspaceRow ws = require_workspace(c, who, workspace_id, workspace_name);
  Json folders = Json::array();
  for (auto& f :
       c.query("SELECT * FROM folders WHERE workspace_id = ? AND account_id = ? AND deleted_at IS "
               "NULL ORDER BY id",
               {ws.id, who.account_id}))
    folders.push_back(folder_json(c, f));
  return {{"workspace_id", ws.id}, {"total", folders.size()}, {"folders", folders}};
}

Json Folders::update(const Principal& who, int64_t folder_id, const FolderFields& fields) {
  if (!fields.name && !fields.description && !fields.icon && !fields.color)
    throw Error::invalid_request("give at least one of 'name', 'description', 'icon', 'color'");
  check_fields(fields);
  auto& c = db_.conn();
  return c.transaction([&] {
    store::Row f = require_folder(c, who, folder_id);
    c.exec(
        "UPDATE folders SET name = ?, description = ?, icon = ?, color = ?, updated_at = ? "
        "WHERE id = ?",
        {fields.name.value_or(f.text("name")), fields.description.value_or(f.text("description")),
         fields.icon.value_or(f.text("icon")), fields.color.value_or(f.text("color")),
         core::unix_now(), folder_id});
    emit_event(c, who.account_id, "folder.updated", f.i64("workspace_id"), std::nullopt,
               {{"folder_id", folder_id}});
    return folder_json(c, *c.query_one("SELECT * FROM folders WHERE id = ?", {folder_id}));
  });
}

Json Folders::dissolve(const Principal& who, int64_t folder_id) {
  auto& c = db_.conn();
  return c.transaction([&] {
    store::Row f = require_folder(c, who, folder_id);
    Json folder = folder_json(c, f);
    c.exec("DELETE FROM folder_documents WHERE folder_id = ?", {folder_id});
    c.exec("DELETE FROM folders WHERE id = ?", {folder_id});
    emit_event(c, who.account_id, "folder.dissolved", f.i64("workspace_id"), std::nullopt,
               {{"folder_id", folder_id}, {"name", f.text("name")}});
    return Json{
        {"folder_id", folder_id}, {"dissolved", true}, {"documents_released", folder["documents"]}};
  });
}

}  // namespace paperd::services::dms
