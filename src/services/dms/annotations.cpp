#include "services/dms/annotations.h"

#include <cctype>
#include <functional>
#include <map>
#include <vector>

#include "core/clock.h"
#include "core/error.h"

namespace paperd::services::dms {

using core::Error;

namespace {

constexpr size_t kMaxTextChars = 10000;
// Replies nest at most this deep, so a thread stays readable and its JSON stays shallow.
constexpr int kMaxReplyDepth = 10;

// Characters, not bytes: UTF-8 continuation bytes do not count.
size_t char_count(const std::string& s) {
  size_t n = 0;
  for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
  return n;
}

void check_text(const std::string& text, const char* field) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    throw Error::invalid_request(std::string("field '") + field + "' is required");
  if (char_count(text) > kMaxTextChars)
    throw Error::invalid_request(std::string("field '") + field + "' holds more than " +
                                 std::to_string(kMaxTextChars) + " characters");
}

// The caller's own note or comment: 404 when it is not in the caller's account (or deleted, or
// its document is in the trash), 403 when another token wrote it.
struct Owned {
  store::Row row;
  DocumentRow doc;
};

Owned require_annotation(store::Connection& c, const Principal& who, const std::string& table,
                         const std::string& kind, int64_t id, bool own_only) {
  auto row = c.query_one("SELECT a.* FROM " + table +
                             " a JOIN documents d ON d.id = a.document_id "
                             "WHERE a.id = ? AND d.account_id = ? AND a.deleted_at IS NULL",
                         {id, who.account_id});
  std::string upper = kind;
  for (char& ch : upper) ch = static_cast<char>(::toupper(ch));
  if (!row)
    throw Error(404, upper + "_NOT_FOUND",
                "no " + kind + " " + std::to_string(id) + " in this account");
  DocumentRow doc = require_document(c, who, std::to_string(row->i64("document_id")));
  if (own_only && row->i64("author_token") != who.token_id)
    throw Error(403, "NOT_" + upper + "_AUTHOR",
                "only its author (" + row->text("author") + ") may change " + kind + " " +
                    std::to_string(id));
  return {std::move(*row), std::move(doc)};
}

Json note_json(const store::Row& r, const Principal& who) {
  return {{"note_id", r.i64("id")},
          {"documents_id", r.i64("document_id")},
          {"text", r.text("text")},
          {"author", r.text("author")},
          {"own", r.i64("author_token") == who.token_id},
          {"created_at", iso_ms(r.i64("created_at_ms"))},
          {"updated_at", iso_ms(r.i64("updated_at_ms"))}};
}

Json comment_json(const store::Row& r, const Principal& who) {
  auto resolved_at = r.opt_i64("resolved_at_ms");
  auto parent = r.opt_i64("parent_id");
  return {{"comment_id", r.i64("id")},
          {"documents_id", r.i64("document_id")},
          {"parent_id", parent ? Json(*parent) : Json(nullptr)},
          {"text", r.text("text")},
          {"author", r.text("author")},
          {"own", r.i64("author_token") == who.token_id},
          {"resolved", r.i64("resolved") != 0},
          {"resolved_at", resolved_at ? Json(iso_ms(*resolved_at)) : Json(nullptr)},
          {"created_at", iso_ms(r.i64("created_at_ms"))},
          {"updated_at", iso_ms(r.i64("updated_at_ms"))},
          {"replies", Json::array()}};
}

std::optional<store::Row> note_row(store::Connection& c, int64_t id) {
  return c.query_one("SELECT * FROM document_notes WHERE id = ?", {id});
}

}  // namespace

// --- notes

Json Annotations::create_note(const Principal& who, const std::string& ref,
                              const std::string& text) {
  check_text(text, "text");
  auto& c = db_.conn();
  return c.transaction([&] {
    DocumentRow doc = require_document(c, who, ref);
    int64_t now = core::unix_millis();
    c.exec(
        "INSERT INTO document_notes (document_id, author_token, author, text, created_at_ms, "
        "updated_at_ms) VALUES (?, ?, ?, ?, ?, ?)",
        {doc.id, who.token_id, actor_name(who), text, now, now});
    int64_t id = c.last_insert_id();
    record_revision(c, doc.id, who, "note_added", "note", nullptr, text);
    emit_event(c, who.account_id, "document.note_added", doc.workspace_id, doc.id,
               {{"documents_id", doc.id},
                {"pofid", doc.pofid},
                {"note_id", id},
                {"author", actor_name(who)}});
    Json note = note_json(*note_row(c, id), who);
    note["pofid"] = doc.pofid;
    return note;
  });
}

Json Annotations::list_notes(const Principal& who, const std::string& ref) {
  auto& c = db_.conn();
  DocumentRow doc = require_document(c, who, ref);
  Json notes = Json::array();
  for (auto& r : c.query(
           "SELECT * FROM document_notes WHERE document_id = ? AND deleted_at IS NULL ORDER BY id",
           {doc.id}))
    notes.push_back(note_json(r, who));
  return {
      {"pofid", doc.pofid}, {"documents_id", doc.id}, {"total", notes.size()}, {"notes", notes}};
}

Json Annotations::update_note(const Principal& who, int64_t note_id, const std::string& text) {
  check_text(text, "text");
  auto& c = db_.conn();
  return c.transaction([&] {
    auto [row, doc] = require_annotation(c, who, "document_notes", "note", note_id, true);
    c.exec("UPDATE document_notes SET text = ?, updated_at_ms = ? WHERE id = ?",
           {text, core::unix_millis(), note_id});
    record_revision(c, doc.id, who, "note_updated", "note", row.text("text"), text);
    Json note = note_json(*note_row(c, note_id), who);
    note["pofid"] = doc.pofid;
    return note;
  });
}

Json Annotations::delete_note(const Principal& who, int64_t note_id) {
  auto& c = db_.conn();
  return c.transaction([&] {
    auto [row, doc] = require_annotation(c, who, "document_notes", "note", note_id, true);
    c.exec("UPDATE document_notes SET deleted_at = ? WHERE id = ?", {core::unix_now(), note_id});
    record_revision(c, doc.id, who, "note_deleted", "note", row.text("text"), nullptr);
    return Json{{"note_id", note_id}, {"pofid", doc.pofid}, {"deleted", true}};
  });
}

// --- comments

Json Annotations::create_comment(const Principal& who, const std::string& ref,
                                 const std::string& text, std::optional<int64_t> parent_id) {
  check_text(text, "text");
  auto& c = db_.conn();
  return c.transaction([&] {
    DocumentRow doc = require_document(c, who, ref);
    if (parent_id) {
      auto [parent, parent_doc] =
          require_annotation(c, who, "document_comments", "comment", *parent_id, false);
      if (parent_doc.id != doc.id)
        throw Error::invalid_request("field 'parent_id': comment " + std::to_string(*parent_id) +
                                     " belongs to another document");
      int depth = 1;
      for (auto up = parent.opt_i64("parent_id"); up; ++depth)
        up = c.query_one("SELECT parent_id FROM document_comments WHERE id = ?", {*up})
                 ->opt_i64("parent_id");
      if (depth >= kMaxReplyDepth)
        throw Error::invalid_request("field 'parent_id': replies nest at most " +
                                     std::to_string(kMaxReplyDepth) + " levels deep");
    }
    int64_t now = core::unix_millis();
    c.exec(
        "INSERT INTO document_comments (document_id, parent_id, author_token, author, text, "
        "created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
        {doc.id, parent_id ? store::Value(*parent_id) : store::Value(nullptr), who.token_id,
         actor_name(who), text, now, now});
    int64_t id = c.last_insert_id();
    emit_event(c, who.account_id, "document.comment_added", doc.workspace_id, doc.id,
               {{"documents_id", doc.id},
                {"pofid", doc.pofid},
                {"comment_id", id},
                {"parent_id", parent_id ? Json(*parent_id) : Json(nullptr)},
                {"author", actor_name(who)}});
    Json comment =
        comment_json(*c.query_one("SELECT * FROM document_comments WHERE id = ?", {id}), who);
    comment["pofid"] = doc.pofid;
    return comment;
  });
}

Json Annotations::list_comments(const Principal& who, const std::string& ref) {
  auto& c = db_.conn();
  DocumentRow doc = require_document(c, who, ref);
  // Comments by parent (0 = top level), oldest first; replies nest at most kMaxReplyDepth deep.
  std::map<int64_t, std::vector<store::Row>> by_parent;
  size_t total = 0;
  for (auto& r :
       c.query("SELECT * FROM document_comments WHERE document_id = ? AND deleted_at IS NULL "
               "ORDER BY id",
               {doc.id})) {
    int64_t parent = r.opt_i64("parent_id").value_or(0);
    by_parent[parent].push_back(std::move(r));
    ++total;
  }
  std::function<Json(int64_t)> thread = [&](int64_t parent) {
    Json out = Json::array();
    for (auto& r : by_parent[parent]) {
      Json comment = comment_json(r, who);
      comment["replies"] = thread(r.i64("id"));
      out.push_back(std::move(comment));
    }
    return out;
  };
  Json top = thread(0);
  int64_t open = 0;
  for (auto& comment : top) open += !comment["resolved"].get<bool>();
  return {{"pofid", doc.pofid},    {"documents_id", doc.id}, {"total", total},
          {"threads", top.size()}, {"open_threads", open},   {"comments", top}};
}

Json Annotations::update_comment(const Principal& who, int64_t comment_id,
                                 const std::string& text) {
  check_text(text, "text");
  auto& c = db_.conn();
  return c.transaction([&] {
    auto [row, doc] = require_annotation(c, who, "document_comments", "comment", comment_id, true);
    c.exec("UPDATE document_comments SET text = ?, updated_at_ms = ? WHERE id = ?",
           {text, core::unix_millis(), comment_id});
    Json comment = comment_json(
        *c.query_one("SELECT * FROM document_comments WHERE id = ?", {comment_id}), who);
    comment["pofid"] = doc.pofid;
    return comment;
  });
}

Json Annotations::delete_comment(const Principal& who, int64_t comment_id) {
  auto& c = db_.conn();
  return c.transaction([&] {
    auto [row, doc] = require_annotation(c, who, "document_comments", "comment", comment_id, true);
    // The comment and its replies, level by level.
    std::vector<int64_t> ids = {comment_id};
    for (size_t i = 0; i < ids.size(); ++i)
      for (auto& r :
           c.query("SELECT id FROM document_comments WHERE parent_id = ? AND deleted_at IS NULL",
                   {ids[i]}))
        ids.push_back(r.i64("id"));
    int64_t now = core::unix_now();
    for (int64_t id : ids)
      c.exec("UPDATE document_comments SET deleted_at = ? WHERE id = ?", {now, id});
    return Json{{"comment_id", comment_id},
                {"pofid", doc.pofid},
                {"deleted", true},
                {"deleted_count", ids.size()}};
  });
}

Json Annotations::resolve_comment(const Principal& who, int64_t comment_id, bool resolved) {
  auto& c = db_.conn();
  return c.transaction([&] {
    auto [row, doc] = require_annotation(c, who, "document_comments", "comment", comment_id, false);
    c.exec(
        "UPDATE document_comments SET resolved = ?, resolved_at_ms = ?, updated_at_ms = ? "
        "WHERE id = ?",
        {int64_t{resolved}, resolved ? store::Value(core::unix_millis()) : store::Value(nullptr),
         core::unix_millis(), comment_id});
    Json comment = comment_json(
        *c.query_one("SELECT * FROM document_comments WHERE id = ?", {comment_id}), who);
    comment["pofid"] = doc.pofid;
    comment.erase("replies");
    return comment;
  });
}

}  // namespace paperd::services::dms
