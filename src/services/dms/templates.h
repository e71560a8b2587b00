// Document templates of an account (the document_templates table): HTML with Mustache
// placeholders, optional CSS, and a variable schema (engines/generate/variable_schema.h). Every
// call is scoped to the caller's account: another account's template id is 404. Deleting is soft
// (active = 0); template-update with active=true brings a template back. Thread-safe (each
// thread uses its own connection).
#pragma once

#include <cstdint>
#include <string>

#include "core/json.h"
#include "http/route.h"
#include "store/db.h"

namespace paperd::services::dms {

struct TemplateRow {
  int64_t id = 0;
  int64_t account_id = 0;
  std::string name, description, html, css;
  Json variables = Json::object();  // the schema as saved
  bool active = true;
  int64_t created_at = 0, updated_at = 0;
};

// A JSON-valued field as an object/array: the value itself, or JSON text (form fields) parsed
// under the request limits. 400 INVALID_REQUEST naming the field when the text is not JSON.
Json json_field(const Json& value, const std::string& field);

class TemplateStore {
 public:
  explicit TemplateStore(store::Database& db) : db_(db) {}

  // fields: name and html required; description, css, variables (the schema). 400 naming the
  // field when one is missing or bad (a template that does not parse, a malformed schema).
  Json create(const http::Principal& who, const Json& fields);
  Json get(const http::Principal& who, int64_t id);
  // Changes the fields given (name, description, html, css, variables, active).
  Json update(const http::Principal& who, int64_t id, const Json& fields);
  // Soft delete: active = 0.
  Json remove(const http::Principal& who, int64_t id);
  Json list(const http::Principal& who, bool include_inactive);

  // The template, active or not; 404 NOT_FOUND when the account has none with this id.
  TemplateRow require(const http::Principal& who, int64_t id);

  static Json to_json(const TemplateRow& t, bool with_content = true);

 private:
  store::Database& db_;
};

}  // namespace paperd::services::dms
