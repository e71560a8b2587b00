#include "services/dms/publishers.h"

#include <vector>

#include "core/clock.h"
#include "core/error.h"

namespace paperd::services::dms {

using core::Error;

namespace {

void check_name(const std::string& name) {
  if (name.find_first_not_of(" \t\r\n") == std::string::npos)
    throw Error::invalid_request("field 'name' is required");
  if (name.size() > 255) throw Error::invalid_request("field 'name' is longer than 255 bytes");
}

// A publisher of the caller's account that has not been merged away.
store::Row require_publisher(store::Connection& c, const Principal& who, int64_t id,
                             const char* field) {
  auto row =
      c.query_one("SELECT * FROM publishers WHERE id = ? AND account_id = ?", {id, who.account_id});
  if (!row)
    throw Error(404, "PUBLISHER_NOT_FOUND",
                "no publisher " + std::to_string(id) + " in this account (field '" + field + "')");
  if (auto into = row->opt_i64("merged_into"))
    throw Error(
        409, "PUBLISHER_MERGED",
        "publisher " + std::to_string(id) + " was merged into publisher " + std::to_string(*into));
  return std::move(*row);
}

// Refuses a name another live publisher of the account has, as its name or an alias.
void require_unused(store::Connection& c, const Principal& who, const std::string& name,
                    int64_t except_id) {
  auto other = c.query_one(
      "SELECT p.id FROM publishers p LEFT JOIN publisher_aliases a ON a.publisher_id = p.id "
      "WHERE p.account_id = ? AND p.merged_into IS NULL AND p.id != ? AND "
      "(LOWER(p.name) = LOWER(?) OR LOWER(a.alias) = LOWER(?)) LIMIT 1",
      {who.account_id, except_id, name, name});
  if (other)
    throw Error(409, "PUBLISHER_EXISTS",
                "publisher " + std::to_string(other->i64("id")) + " is already known as '" + name +
                    "': merge into it instead");
}

void add_alias(store::Connection& c, int64_t publisher_id, const std::string& alias) {
  if (c.query_one("SELECT alias FROM publisher_aliases WHERE publisher_id = ? AND alias = ?",
                  {publisher_id, alias}))
    return;
  c.exec("INSERT INTO publisher_aliases (publisher_id, alias, created_at) VALUES (?, ?, ?)",
         {publisher_id, alias, core::unix_now()});
}

Json publisher_json(store::Connection& c, int64_t id) {
  auto p = c.query_one("SELECT * FROM publishers WHERE id = ?", {id});
  Json aliases = Json::array();
  for (auto& a : c.query(
           "SELECT alias FROM publisher_aliases WHERE publisher_id = ? ORDER BY created_at, alias",
           {id}))
    aliases.push_back(a.text("alias"));
  auto count = c.query_one(
      "SELECT COUNT(*) AS n FROM documents WHERE publisher_id = ? AND deleted_at IS NULL", {id});
  return {{"publisher_id", id},
          {"name", p->text("name")},
          {"aliases", aliases},
          {"document_count", count->i64("n")},
          {"created_at", core::iso8601(p->i64("created_at"))},
          {"updated_at", core::iso8601(p->i64("updated_at"))}};
}

}  // namespace

Json Publishers::create(const Principal& who, const std::string& name) {
  check_name(name);
  auto& c = db_.conn();
  return c.transaction([&] {
    require_unused(c, who, name, 0);
    int64_t now = core::unix_now();
    c.exec("INSERT INTO publishers (account_id, name, created_at, updated_at) VALUES (?, ?, ?, ?)",
           {who.account_id, name, now, now});
    int64_t id = c.last_insert_id();
    emit_event(c, who.account_id, "publisher.created", std::nullopt, std::nullopt,
               {{"publisher_id", id}, {"name", name}});
    return publisher_json(c, id);
  });
}

Json Publishers::list(const Principal& who) {
  auto& c = db_.conn();
  Json out = Json::array();
  for (auto& r : c.query(
           "SELECT id FROM publishers WHERE account_id = ? AND merged_into IS NULL ORDER BY name",
           {who.account_id}))
    out.push_back(publisher_json(c, r.i64("id")));
  return {{"total", out.size()}, {"publishers", out}};
}

Json Publishers::rename(const Principal& who, int64_t publisher_id, const std::string& name) {
  check_name(name);
  auto& c = db_.conn();
  return c.transaction([&] {
    store::Row p = require_publisher(c, who, publisher_id, "publisher_id");
    std::string old_name = p.text("name");
    if (old_name == name) return publisher_json(c, publisher_id);
    require_unused(c, who, name, publisher_id);
    // The old name stays findable as an alias; the new name is no alias of its own.
    add_alias(c, publisher_id, old_name);
    c.exec("DELETE FROM publisher_aliases WHERE publisher_id = ? AND alias = ?",
           {publisher_id, name});
    c.exec("UPDATE publishers SET name = ?, updated_at = ? WHERE id = ?",
           {name, core::unix_now(), publisher_id});
    emit_event(c, who.account_id, "publisher.renamed", std::nullopt, std::nullopt,
               {{"publisher_id", publisher_id}, {"old_name", old_name}, {"name", name}});
    Json j = publisher_json(c, publisher_id);
    j["old_name"] = old_name;
    return j;
  });
}

Json Publishers::merge(const Principal& who, int64_t source_id, int64_t target_id) {
  if (source_id == target_id)
    throw Error::invalid_request(
        "field 'target_publisher_id': a publisher cannot be merged "
        "into itself");
  auto& c = db_.conn();
  return c.transaction([&] {
    store::Row source = require_publisher(c, who, source_id, "source_publisher_id");
    store::Row target = require_publisher(c, who, target_id, "target_publisher_id");
    // Every document of the source now names the target, each with its revision.
    std::vector<int64_t> moved;
    for (auto& r : c.query("SELECT id FROM documents WHERE publisher_id = ? AND account_id = ?",
                           {source_id, who.account_id}))
      moved.push_back(r.i64("id"));
    c.exec("UPDATE documents SET publisher_id = ? WHERE publisher_id = ? AND account_id = ?",
           {target_id, source_id, who.account_id});
    for (int64_t id : moved) {
      record_revision(c, id, who, "edited", "publisher_id", source_id, target_id);
      touch_document(c, id);
    }
    // The source's name and aliases become the target's aliases.
    std::vector<std::string> names = {source.text("name")};
    for (auto& a :
         c.query("SELECT alias FROM publisher_aliases WHERE publisher_id = ?", {source_id}))
      names.push_back(a.text("alias"));
    for (auto& n : names)
      if (n != target.text("name")) add_alias(c, target_id, n);
    c.exec("DELETE FROM publisher_aliases WHERE publisher_id = ?", {source_id});
    int64_t now = core::unix_now();
    c.exec("UPDATE publishers SET merged_into = ?, updated_at = ? WHERE id = ?",
           {target_id, now, source_id});
    c.exec("UPDATE publishers SET updated_at = ? WHERE id = ?", {now, target_id});
    emit_event(c, who.account_id, "publisher.merged", std::nullopt, std::nullopt,
               {{"source_publisher_id", source_id},
                {"target_publisher_id", target_id},
                {"documents_moved", moved.size()}});
    return Json{{"source_publisher_id", source_id},
                {"target_publisher_id", target_id},
                {"documents_moved", moved.size()},
                {"target", publisher_json(c, target_id)}};
  });
}

}  // namespace paperd::services::dms
