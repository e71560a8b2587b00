// What the document-store route files share: the index category, how a request names a document
// (path {pofid} or {document_id}; pofid, documents_id or document_id fields, all accepted
// wherever a document is referenced, CONTRACTS §2.5) and a workspace, and paging fields.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "http/route.h"

namespace paperd::store {
class Connection;
}

namespace paperd::api {

inline const std::string kDmsCategory = "Document AI — DMS";

// The document the request is about; 400 INVALID_REQUEST naming the fields when there is none.
std::string document_ref(const http::Request& req);
// workspace_id as a number (400 naming the field when it is not one), or nullopt.
std::optional<int64_t> workspace_id_of(const http::Request& req);
// The workspace a search or listing is narrowed to: workspace_id, else workspace_name, checked
// like require_workspace (404 when the caller's account has none such, 403 outside a group
// token's group); nullopt when the request names none.
std::optional<int64_t> workspace_scope_of(store::Connection& c, const http::Request& req);

// A list field given as a JSON array of strings or one comma-separated string, each item
// trimmed, empty ones dropped; 400 naming the field for anything else.
std::vector<std::string> string_list(const http::Request& req, const std::string& key);

struct Paging {
  int64_t page = 1, limit = 20, offset = 0;
};
// page (1-based) / limit (1..max_limit) / offset; offset wins over page when both are given.
Paging paging_of(const http::Request& req, int64_t default_limit = 20, int64_t max_limit = 100);

// The parameter rows for the fields above, for route declarations.
http::Param document_ref_param(bool required = true);
http::Param workspace_id_param(bool required = false);
http::Param workspace_name_param();

}  // namespace paperd::api
