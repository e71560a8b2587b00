// Template CRUD. Field checks happen before any write, so a bad update changes nothing.
#include "services/dms/templates.h"

#include "core/clock.h"
#include "core/error.h"
#include "core/json_guard.h"
#include "engines/generate/template_renderer.h"
#include "engines/generate/variable_schema.h"

namespace paperd::services::dms {

namespace {

using core::Error;

constexpr size_t kMaxName = 200;
constexpr size_t kMaxDescription = 4000;
constexpr size_t kMaxCss = 256 * 1024;  // what html_to_pdf's inject_css takes

TemplateRow template_from(const store::Row& r) {
  TemplateRow t;
  t.id = r.i64("id");
  t.account_id = r.i64("account_id");
  t.name = r.text("name");
  t.description = r.text("description");
  t.html = r.text("html");
  t.css = r.text("css");
  t.variables = Json::parse(r.text("variables"), nullptr, false);
  if (t.variables.is_discarded()) t.variables = Json::object();
  t.active = r.i64("active") != 0;
  t.created_at = r.i64("created_at");
  t.updated_at = r.i64("updated_at");
  return t;
}

std::string text_field(const Json& fields, const std::string& name, size_t max) {
  const Json& v = fields[name];
  if (!v.is_string()) throw Error::invalid_request("field '" + name + "' must be a string");
  std::string s = v.get<std::string>();
  if (s.size() > max)
    throw Error::invalid_request("field '" + name + "' is longer than " + std::to_string(max) +
                                 " bytes");
  return s;
}

bool given(const Json& fields, const char* name) {
  return fields.contains(name) && !fields[name].is_null();
}

// Reads and checks the fields given into t.
void apply_fields(const Json& fields, TemplateRow& t) {
  if (given(fields, "name")) {
    t.name = text_field(fields, "name", kMaxName);
    if (t.name.empty()) throw Error::invalid_request("field 'name' must not be empty");
  }
  if (given(fields, "description"))
    t.description = text_field(fields, "description", kMaxDescription);
  if (given(fields, "html")) {
    t.html = text_field(fields, "html", std::string::npos);
    if (t.html.empty()) throw Error::invalid_request("field 'html' must not be empty");
    engines::generate::check_template(t.html);
  }
  if (given(fields, "css")) t.css = text_field(fields, "css", kMaxCss);
  if (given(fields, "variables")) {
    t.variables = json_field(fields["variables"], "variables");
    engines::generate::parse_variable_schema(t.variables);  // throws naming the variable
  }
  if (given(fields, "active")) {
    if (!fields["active"].is_boolean())
      throw Error::invalid_request("field 'active' must be true or false");
    t.active = fields["active"].get<bool>();
  }
}

}  // namespace

Json json_field(const Json& value, const std::string& field) {
  if (!value.is_string()) return value;
  const std::string& text = value.get_ref<const std::string&>();
  if (text.empty()) return Json::object();
  Json parsed = core::parse_untrusted_json(text, {}, "field '" + field + "'");
  if (parsed.is_discarded())
    throw Error::invalid_request("field '" + field + "' is not valid JSON");
  return parsed;
}

Json TemplateStore::to_json(const TemplateRow& t, bool with_content) {
  Json j = {{"template_id", t.id},
            {"name", t.name},
            {"description", t.description},
            {"variables", t.variables},
            {"active", t.active},
            {"created_at", core::iso8601(t.created_at)},
            {"updated_at", core::iso8601(t.updated_at)}};
  if (with_content) {
    j["html"] = t.html;
    j["css"] = t.css;
  }
  return j;
}

TemplateRow TemplateStore::require(const http::Principal& who, int64_t id) {
  auto row = db_.conn().query_one(
      "SELECT * FROM document_templates WHERE id = ? AND account_id = ?", {id, who.account_id});
  if (!row)
    throw Error::not_found("no document template " + std::to_string(id) + " in this account");
  return template_from(*row);
}

Json TemplateStore::create(const http::Principal& who, const Json& fields) {
  for (const char* f : {"name", "html"})
    if (!given(fields, f))
      throw Error::invalid_request(std::string("field '") + f + "' is required");
  TemplateRow t;
  apply_fields(fields, t);
  t.account_id = who.account_id;
  t.created_at = t.updated_at = core::unix_now();
  auto& c = db_.conn();
  c.exec(
      "INSERT INTO document_templates (account_id, name, description, html, css, variables, "
      "active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {t.account_id, t.name, t.description, t.html, t.css, t.variables.dump(),
       int64_t{t.active ? 1 : 0}, t.created_at, t.updated_at});
  t.id = c.last_insert_id();
  return {{"status", "success"}, {"template_id", t.id}, {"template", to_json(t)}};
}

Json TemplateStore::get(const http::Principal& who, int64_t id) {
  return {{"status", "success"}, {"template", to_json(require(who, id))}};
}

Json TemplateStore::update(const http::Principal& who, int64_t id, const Json& fields) {
  TemplateRow t = require(who, id);
  apply_fields(fields, t);
  t.updated_at = core::unix_now();
  db_.conn().exec(
      "UPDATE document_templates SET name = ?, description = ?, html = ?, css = ?, variables = ?, "
      "active = ?, updated_at = ? WHERE id = ? AND account_id = ?",
      {t.name, t.description, t.html, t.css, t.variables.dump(), int64_t{t.active ? 1 : 0},
       t.updated_at, t.id, who.account_id});
  return {{"status", "success"}, {"template", to_json(t)}};
}

Json TemplateStore::remove(const http::Principal& who, int64_t id) {
  TemplateRow t = require(who, id);
  t.active = false;
  t.updated_at = core::unix_now();
  db_.conn().exec(
      "UPDATE document_templates SET active = 0, updated_at = ? WHERE id = ? AND account_id = ?",
      {t.updated_at, t.id, who.account_id});
  return {{"status", "success"},
          {"template_id", t.id},
          {"active", false},
          {"message", "template deactivated; template-update with active=true reactivates it"}};
}

Json TemplateStore::list(const http::Principal& who, bool include_inactive) {
  Json templates = Json::array();
  for (const auto& r :
       db_.conn().query(std::string("SELECT * FROM document_templates WHERE account_id = ?") +
                            (include_inactive ? "" : " AND active = 1") + " ORDER BY id",
                        {who.account_id}))
    templates.push_back(to_json(template_from(r), false));
  return {{"status", "success"}, {"count", templates.size()}, {"templates", templates}};
}

}  // namespace paperd::services::dms
