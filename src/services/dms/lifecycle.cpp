// Lifecycle states, legal holds and tags of a document.
//
// Lifecycle: draft → in_review | archived; in_review → approved | rejected | draft;
// approved → archived | in_review; rejected → draft; archived → draft. Anything else is refused
// with 409 INVALID_TRANSITION naming the transitions allowed from the current state.
#include <fmt/format.h>

#include <map>
#include <regex>

#include "core/clock.h"
#include "core/error.h"
#include "services/dms/documents.h"

namespace paperd::services::dms {

using core::Error;

namespace {

const std::map<std::string, std::vector<std::string>>& transitions() {
  static const std::map<std::string, std::vector<std::string>> kNext = {
      {"draft", {"in_review", "archived"}},
      {"in_review", {"approved", "rejected", "draft"}},
      {"approved", {"archived", "in_review"}},
      {"rejected", {"draft"}},
      {"archived", {"draft"}},
  };
  return kNext;
}

std::vector<std::string> allowed_from(const std::string& state) {
  auto it = transitions().find(state);
  return it == transitions().end() ? std::vector<std::string>{"draft"} : it->second;
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

}  // namespace

Json DocumentStore::lifecycle(const Principal& who, const std::string& ref) {
  auto& c = db_.conn();
  DocumentRow d = require_document(c, who, ref);
  Json history = Json::array();
  for (auto& r : c.query("SELECT old_value, new_value, actor, created_at_ms FROM "
                         "document_revisions WHERE document_id = ? AND action = "
                         "'lifecycle_changed' ORDER BY id",
                         {d.id}))
    history.push_back({{"from", Json::parse(r.text("old_value"), nullptr, false)},
                       {"to", Json::parse(r.text("new_value"), nullptr, false)},
                       {"user", r.text("actor")},
                       {"at", iso_ms(r.i64("created_at_ms"))}});
  Json states = Json::object();
  for (auto& [s, next] : transitions()) states[s] = next;
  return {{"status", "success"},
          {"pofid", d.pofid},
          {"documents_id", d.id},
          {"lifecycle_status", d.lifecycle_status},
          {"allowed_transitions", allowed_from(d.lifecycle_status)},
          {"legal_hold", on_legal_hold(c, d.id)},
          {"history", history},
          {"state_machine", states}};
}

Json DocumentStore::transition(const Principal& who, const std::string& ref, const std::string& to,
                               const std::string& comment) {
  if (to.empty()) throw Error::invalid_request("field 'to_status' (the new state) is required");
  if (!transitions().count(to))
    throw Error::invalid_request("'" + to + "' is not a lifecycle state; states: draft, " +
                                 "in_review, approved, rejected, archived");
  auto& c = db_.conn();
  return c.transaction([&] {
    DocumentRow d = require_document(c, who, ref);
    require_editable(c, d, who);
    auto next = allowed_from(d.lifecycle_status);
    if (std::find(next.begin(), next.end(), to) == next.end())
      throw Error(409, "INVALID_TRANSITION",
                  fmt::format("document '{}' is {}; from there it may go to: {} (not {})", d.pofid,
                              d.lifecycle_status, join(next), to));
    c.exec("UPDATE documents SET lifecycle_status = ? WHERE id = ?", {to, d.id});
    record_revision(c, d.id, who, "lifecycle_changed", "lifecycle_status", d.lifecycle_status, to);
    touch_document(c, d.id);
    emit_event(c, who.account_id, "document.lifecycle_changed", d.workspace_id, d.id,
               {{"documents_id", d.id},
                {"pofid", d.pofid},
                {"from", d.lifecycle_status},
                {"to", to},
                {"comment", comment}});
    return Json{{"status", "success"},    {"pofid", d.pofid},
                {"documents_id", d.id},   {"previous_status", d.lifecycle_status},
                {"lifecycle_status", to}, {"allowed_transitions", allowed_from(to)}};
  });
}

Json DocumentStore::place_hold(const Principal& who, const std::string& ref,
                               const std::string& reason, const std::string& until) {
  if (reason.empty()) throw Error::invalid_request("field 'reason' is required for a legal hold");
  if (!until.empty() && !std::regex_match(until, std::regex(R"(\d{4}-\d{2}-\d{2})")))
    throw Error::invalid_request("field 'until' must be a date YYYY-MM-DD");
  auto& c = db_.conn();
  return c.transaction([&] {
    DocumentRow d = require_document(c, who, ref);
    if (on_legal_hold(c, d.id))
      throw Error(409, "LEGAL_HOLD_EXISTS", "document '" + d.pofid + "' is on legal hold already");
    c.exec(
        "INSERT INTO legal_holds (account_id, document_id, reason, until_date, placed_by, "
        "placed_at) VALUES (?, ?, ?, ?, ?, ?)",
        {who.account_id, d.id, reason, until.empty() ? store::Value(nullptr) : store::Value(until),
         who.token_id, core::unix_now()});
    int64_t id = c.last_insert_id();
    record_revision(
        c, d.id, who, "legal_hold_placed", "legal_hold", false,
        Json{{"reason", reason}, {"until", until.empty() ? Json(nullptr) : Json(until)}});
    emit_event(c, who.account_id, "document.legal_hold_placed", d.workspace_id, d.id,
               {{"documents_id", d.id}, {"pofid", d.pofid}, {"hold_id", id}, {"reason", reason}});
    return Json{{"status", "success"},
                {"hold_id", id},
                {"pofid", d.pofid},
                {"documents_id", d.id},
                {"legal_hold", true},
                {"reason", reason},
                {"until", until.empty() ? Json(nullptr) : Json(until)}};
  });
}

Json DocumentStore::release_hold(const Principal& who, const std::string& ref,
                                 const std::string& confirm, const std::string& reason) {
  auto& c = db_.conn();
  return c.transaction([&] {
    DocumentRow d = require_document(c, who, ref);
    auto hold = c.query_one(
        "SELECT id FROM legal_holds WHERE document_id = ? AND released_at IS NULL", {d.id});
    if (!hold)
      throw Error(404, "LEGAL_HOLD_NOT_FOUND", "document '" + d.pofid + "' is not on legal hold");
    if (confirm != d.pofid && confirm != std::to_string(d.id))
      throw Error(400, "TARGET_CONFIRMATION_REQUIRED",
                  "releasing a legal hold makes the document deletable again: repeat its POFID "
                  "in 'confirm_pofid' ('" +
                      d.pofid + "')");
    c.exec(
        "UPDATE legal_holds SET released_at = ?, released_by = ?, release_reason = ? WHERE id = ?",
        {core::unix_now(), who.token_id, reason, hold->i64("id")});
    record_revision(c, d.id, who, "legal_hold_released", "legal_hold", true, false);
    emit_event(c, who.account_id, "document.legal_hold_released", d.workspace_id, d.id,
               {{"documents_id", d.id}, {"pofid", d.pofid}, {"hold_id", hold->i64("id")}});
    return Json{{"status", "success"},
                {"hold_id", hold->i64("id")},
                {"pofid", d.pofid},
                {"legal_hold", false}};
  });
}

Json DocumentStore::list_holds(const Principal& who, std::optional<int64_t> workspace_id,
                               const std::string& ref) {
  auto& c = db_.conn();
  std::string sql =
      "SELECT h.*, d.pofid, d.file_name, d.workspace_id, w.group_name FROM legal_holds h JOIN "
      "documents d ON d.id = h.document_id JOIN workspaces w ON w.id = d.workspace_id WHERE "
      "h.account_id = ?";
  std::vector<store::Value> p = {who.account_id};
  if (!ref.empty()) {
    sql += " AND d.id = ?";
    p.push_back(require_document(c, who, ref, true).id);
  }
  if (workspace_id) {
    require_workspace(c, who, workspace_id);
    sql += " AND d.workspace_id = ?";
    p.push_back(*workspace_id);
  }
  Json holds = Json::array();
  for (auto& r : c.query(sql + " ORDER BY h.id", p)) {
    if (who.kind == "gt" && r.text("group_name") != who.group) continue;
    holds.push_back(
        {{"hold_id", r.i64("id")},
         {"documents_id", r.i64("document_id")},
         {"pofid", r.text("pofid")},
         {"file_name", r.text("file_name")},
         {"workspace_id", r.i64("workspace_id")},
         {"reason", r.text("reason")},
         {"until", r.is_null("until_date") ? Json(nullptr) : Json(r.text("until_date"))},
         {"placed_at", core::iso8601(r.i64("placed_at"))},
         {"active", r.is_null("released_at")},
         {"released_at",
          r.is_null("released_at") ? Json(nullptr) : Json(core::iso8601(r.i64("released_at")))}});
  }
  return {{"status", "success"}, {"holds", holds}, {"total", holds.size()}};
}

Json DocumentStore::add_tags(const Principal& who, const std::string& ref,
                             const std::vector<std::string>& in) {
  std::vector<std::string> tags;
  for (auto t : in) {
    auto a = t.find_first_not_of(" \t"), b = t.find_last_not_of(" \t");
    t = a == std::string::npos ? "" : t.substr(a, b - a + 1);
    if (t.size() > 100) throw Error::invalid_request("a tag is at most 100 characters");
    if (!t.empty()) tags.push_back(t);
  }
  if (tags.empty()) throw Error::invalid_request("field 'tag' (or 'tags') is required");
  auto& c = db_.conn();
  return c.transaction([&] {
    DocumentRow d = require_document(c, who, ref);
    require_editable(c, d, who);
    Json added = Json::array();
    for (auto& t : tags) {
      if (c.exec("INSERT INTO document_tags (document_id, tag, created_at) VALUES (?, ?, ?) ON "
                 "CONFLICT DO NOTHING",
                 {d.id, t, core::unix_now()}) == 0)
        continue;
      added.push_back(t);
      record_revision(c, d.id, who, "tag_added", "tags", nullptr, t);
      emit_event(c, who.account_id, "document.tag_added", d.workspace_id, d.id,
                 {{"documents_id", d.id}, {"pofid", d.pofid}, {"tag", t}});
    }
    if (!added.empty()) {
      touch_document(c, d.id);
      index_->put_meta(c, d.id, d.file_name, meta_text(c, d));
    }
    Json all = Json::array();
    for (auto& r :
         c.query("SELECT tag FROM document_tags WHERE document_id = ? ORDER BY tag", {d.id}))
      all.push_back(r.text("tag"));
    return Json{{"status", "success"}, {"pofid", d.pofid}, {"added", added}, {"tags", all}};
  });
}

Json DocumentStore::remove_tags(const Principal& who, const std::string& ref,
                                const std::vector<std::string>& tags) {
  if (tags.empty()) throw Error::invalid_request("field 'tag' (or 'tags') is required");
  auto& c = db_.conn();
  return c.transaction([&] {
    DocumentRow d = require_document(c, who, ref);
    require_editable(c, d, who);
    Json removed = Json::array();
    for (auto& t : tags) {
      if (c.exec("DELETE FROM document_tags WHERE document_id = ? AND tag = ?", {d.id, t}) == 0)
        continue;
      removed.push_back(t);
      record_revision(c, d.id, who, "tag_removed", "tags", t, nullptr);
    }
    if (removed.empty())
      throw Error(404, "TAG_NOT_FOUND", "document '" + d.pofid + "' has none of these tags");
    touch_document(c, d.id);
    index_->put_meta(c, d.id, d.file_name, meta_text(c, d));
    emit_event(c, who.account_id, "document.edited", d.workspace_id, d.id,
               {{"documents_id", d.id}, {"pofid", d.pofid}, {"tags_removed", removed}});
    Json all = Json::array();
    for (auto& r :
         c.query("SELECT tag FROM document_tags WHERE document_id = ? ORDER BY tag", {d.id}))
      all.push_back(r.text("tag"));
    return Json{{"status", "success"}, {"pofid", d.pofid}, {"removed", removed}, {"tags", all}};
  });
}

Json DocumentStore::tags(const Principal& who, const std::string& ref) {
  auto& c = db_.conn();
  DocumentRow d = require_document(c, who, ref);
  Json all = Json::array();
  for (auto& r : c.query("SELECT tag, created_at FROM document_tags WHERE document_id = ? ORDER "
                         "BY tag",
                         {d.id}))
    all.push_back({{"tag", r.text("tag")}, {"created_at", core::iso8601(r.i64("created_at"))}});
  return {{"status", "success"}, {"pofid", d.pofid}, {"documents_id", d.id}, {"tags", all}};
}

Json DocumentStore::tag_autocomplete(const Principal& who, const std::string& prefix,
                                     int64_t limit) {
  auto& c = db_.conn();
  std::string like;
  for (char ch : prefix) {
    if (ch == '%' || ch == '_' || ch == '\\') like += '\\';
    like += ch;
  }
  std::string sql =
      "SELECT t.tag, COUNT(*) AS n FROM document_tags t JOIN documents d ON d.id = t.document_id "
      "JOIN workspaces w ON w.id = d.workspace_id WHERE d.account_id = ? AND d.deleted_at IS "
      "NULL AND LOWER(t.tag) LIKE LOWER(?) ESCAPE '\\'";
  std::vector<store::Value> p = {who.account_id, like + "%"};
  if (who.kind == "gt") {
    sql += " AND w.group_name = ?";
    p.push_back(who.group);
  }
  p.push_back(limit);
  Json out = Json::array();
  for (auto& r : c.query(sql + " GROUP BY t.tag ORDER BY n DESC, t.tag LIMIT ?", p))
    out.push_back({{"tag", r.text("tag")}, {"count", r.i64("n")}});
  return {{"status", "success"}, {"query", prefix}, {"tags", out}};
}

}  // namespace paperd::services::dms
