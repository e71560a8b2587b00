// The route table's row type (ARCHITECTURE §3): each endpoint declared once, as data, next to its
// handler. The router, the docs, the MCP tool list and the price lists are all derived from it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/json.h"
#include "http/params.h"

namespace paperd::http {

// visitor: no token needed (a valid one is still used for rate limiting);
// user: any valid token; system: only po_sk_ system keys.
enum class Auth { kVisitor, kUser, kSystem };

// Who is calling. A visitor has account_id 0 and an empty kind.
struct Principal {
  int64_t account_id = 0;
  int64_t token_id = 0;
  std::string kind;   // "sk" | "ut" | "gt" | "pk" | "" (visitor)
  std::string tier;   // tier name for rate limits
  std::string group;  // a group token's (po_gt_) group: it reaches only that group's workspaces
  std::string label;  // the token's label: who did something, in revisions and comments
  bool visitor() const { return kind.empty(); }
};

struct UploadedFile {
  std::string field;  // form field name: file, files, file_1, ...
  std::string filename;
  std::string content_type;
  // Where the bytes are: in `data` (small uploads) or, when path is set, streamed to a file in
  // the request's temp dir.
  std::filesystem::path path;
  std::string data;
  uint64_t size = 0;
};

struct Request {
  std::string method;
  std::string path;  // without the /latest prefix
  std::string request_id;
  std::string client_ip;
  std::string base_url;  // e.g. http://127.0.0.1:8080/latest
  std::multimap<std::string, std::string> headers;
  std::map<std::string, std::string> path_params;
  Params params;
  std::vector<UploadedFile> files;
  Principal principal;
  std::filesystem::path upload_dir;  // where files live; removed after the response
  std::string body;                  // the raw body, only for routes with raw_body

  // Billing: charge() debits the caller now (402 if short). If the handler then fails, the server
  // refunds it, unless the handler called settle_charge() because the charge now belongs to
  // something that outlives the request (a queued job refunds itself on failure).
  std::function<void(int64_t credits, const std::string& ref)> charge;
  int64_t charged = 0;
  bool charge_settled = false;
  void settle_charge() { charge_settled = true; }

  std::string header(const std::string& name) const;
};

// A body streamed in chunks (downloads); next() returns false at the end.
struct BodyStream {
  uint64_t size = 0;
  std::function<bool(std::string& chunk)> next;
};

struct Response {
  int status = 200;
  Json body;                 // JSON answer unless raw or stream is set
  std::string raw;           // raw bytes (with content_type)
  std::string content_type;  // for raw and stream
  std::shared_ptr<BodyStream> stream;
  std::vector<std::pair<std::string, std::string>> headers;
  bool add_processing_time = true;

  static Response json(Json body, int status = 200) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    return r;
  }
};

using Handler = std::function<Response(Request&)>;

inline constexpr int64_t kDynamicPrice = -1;  // the handler calls req.charge() itself

struct Route {
  std::string method;  // GET, POST, PUT, DELETE
  std::string path;    // /job/get/{job_id}; a segment may be "{y}.pbf"
  std::string category;
  std::string title;
  std::string summary;
  Auth auth = Auth::kUser;
  int64_t credits = 0;            // credits per call; 0 = free; kDynamicPrice = handler decides
  bool rate_limited = true;       // false for /health and job polling
  uint64_t body_limit = 1 << 20;  // any body, multipart uploads included
  // A JSON or form body (not multipart, not raw_body) is held in memory and parsed whole: it has
  // the smaller of the two limits, and JSON in it the nesting and value limits of core/json_guard.
  uint64_t json_body_limit = 1 << 20;
  bool raw_body = false;  // the handler parses req.body itself (JSON-RPC); no field merging
  // A body that is not multipart is one file (a PUT upload), streamed to the request's temp dir
  // and handed over as req.files[0] (field "file"), up to body_limit.
  bool body_to_file = false;
  std::vector<Param> params;
  std::string mcp_name;  // empty = not an MCP tool
  bool read_only = true;
  bool destructive = false;
  Handler handler;
};

}  // namespace paperd::http
