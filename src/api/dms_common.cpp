#include "api/dms_common.h"

#include <algorithm>

#include "core/error.h"
#include "services/dms/common.h"

namespace paperd::api {

std::string document_ref(const http::Request& req) {
  for (const char* k : {"pofid", "document_id", "documents_id"}) {
    if (auto it = req.path_params.find(k); it != req.path_params.end() && !it->second.empty())
      return it->second;
  }
  for (const char* k : {"pofid", "documents_id", "document_id", "id"}) {
    if (!req.params.has(k)) continue;
    const Json& v = req.params.raw()[k];
    if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
    if (v.is_string() && !v.get<std::string>().empty()) return v.get<std::string>();
  }
  throw core::Error::invalid_request("name the document: 'pofid' or 'documents_id'");
}

std::optional<int64_t> workspace_id_of(const http::Request& req) {
  if (!req.params.has("workspace_id")) return std::nullopt;
  const Json& v = req.params.raw()["workspace_id"];
  if (v.is_null() || (v.is_string() && v.get<std::string>().empty())) return std::nullopt;
  auto id = req.params.opt_integer("workspace_id");
  if (!id) throw core::Error::invalid_request("field 'workspace_id' must be an integer");
  return id;
}

std::optional<int64_t> workspace_scope_of(store::Connection& c, const http::Request& req) {
  if (auto id = workspace_id_of(req)) {
    services::dms::require_workspace(c, req.principal, id);
    return id;
  }
  std::string name = req.params.str("workspace_name");
  if (name.empty()) return std::nullopt;
  return services::dms::require_workspace(c, req.principal, std::nullopt, name).id;
}

std::vector<std::string> string_list(const http::Request& req, const std::string& key) {
  std::vector<std::string> out;
  if (!req.params.has(key)) return out;
  const Json& v = req.params.raw()[key];
  auto add = [&](std::string item) {
    size_t a = item.find_first_not_of(" \t");
    if (a == std::string::npos) return;
    out.push_back(item.substr(a, item.find_last_not_of(" \t") - a + 1));
  };
  if (v.is_string()) {
    std::string s = v.get<std::string>();
    for (size_t at = 0; at <= s.size();) {
      size_t comma = s.find(',', at);
      if (comma == std::string::npos) comma = s.size();
      add(s.substr(at, comma - at));
      at = comma + 1;
    }
  } else if (v.is_array()) {
    for (const Json& item : v) {
      if (!item.is_string())
        throw core::Error::invalid_request("field '" + key + "' must be a list of strings");
      add(item.get<std::string>());
    }
  } else if (!v.is_null()) {
    throw core::Error::invalid_request("field '" + key +
                                       "' must be a list of strings or a comma-separated string");
  }
  return out;
}

Paging paging_of(const http::Request& req, int64_t default_limit, int64_t max_limit) {
  Paging p;
  p.limit = req.params.integer("limit", req.params.integer("per_page", default_limit));
  if (p.limit < 1 || p.limit > max_limit)
    throw core::Error::invalid_request("field 'limit' must be 1.." + std::to_string(max_limit));
  p.page = std::max<int64_t>(1, req.params.integer("page", 1));
  p.offset = req.params.has("offset") ? std::max<int64_t>(0, req.params.integer("offset", 0))
                                      : (p.page - 1) * p.limit;
  if (req.params.has("offset")) p.page = p.offset / p.limit + 1;
  return p;
}

http::Param document_ref_param(bool required) {
  // Never required in the schema: documents_id alone names the document as well.
  return {.name = "pofid",
          .description = std::string(required ? "required: " : "") +
                         "the document: its POFID, or its documents_id (also accepted as "
                         "'documents_id')"};
}

http::Param workspace_id_param(bool required) {
  return {.name = "workspace_id",
          .type = http::ParamType::kInteger,
          .required = required,
          .description = "the workspace"};
}

http::Param workspace_name_param() {
  return {.name = "workspace_name",
          .description = "the workspace by name (instead of workspace_id)"};
}

}  // namespace paperd::api
