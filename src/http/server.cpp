#include "http/server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <optional>

#include "core/clock.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/ids.h"
#include "core/json_guard.h"

namespace paperd::http {

using core::Error;

Json error_body(const std::string& code, const std::string& message) {
  return Json{{"status", "error"}, {"code", code}, {"message", message}};
}

std::string Request::header(const std::string& name) const {
  for (const auto& [k, v] : headers)
    if (strcasecmp(k.c_str(), name.c_str()) == 0) return v;
  return {};
}

namespace {

// Strips the /latest (or legacy /V5) prefix; every route is also served at the root.
std::string route_path(const std::string& path) {
  for (std::string_view prefix : {"/latest", "/V5"}) {
    if (path == prefix) return "/";
    if (path.starts_with(prefix) && path.size() > prefix.size() && path[prefix.size()] == '/')
      return path.substr(prefix.size());
  }
  return path;
}

std::string bearer_token(const httplib::Request& in) {
  std::string h = in.get_header_value("Authorization");
  if (h.size() > 7 && strncasecmp(h.c_str(), "Bearer ", 7) == 0) {
    std::string t = h.substr(7);
    while (!t.empty() && t.back() == ' ') t.pop_back();
    return t;
  }
  return h.empty() ? std::string() : std::string("\x01invalid-scheme");
}

void add_rate_headers(Response& res, const RateDecision& d) {
  if (d.unlimited) return;
  auto s = [](int64_t v) { return std::to_string(v); };
  res.headers.insert(res.headers.end(), {{"RateLimit-Limit", s(d.limit)},
                                         {"RateLimit-Remaining", s(d.remaining)},
                                         {"RateLimit-Reset", s(d.reset_seconds)},
                                         {"RateLimit-Policy", d.policy},
                                         {"X-RateLimit-Limit", s(d.limit)},
                                         {"X-RateLimit-Remaining", s(d.remaining)},
                                         {"X-RateLimit-Reset", s(d.reset_epoch)}});
}

// How much of a refused body is read and dropped (see drain_body).
constexpr uint64_t kDrainBytes = 16ull << 20;

// Reads a non-multipart body into memory, enforcing the route limit while it arrives; a JSON
// body is checked by `guard` as it arrives, so a hostile one is refused at the byte that crosses
// a limit, before it is all read or parsed.
std::string read_body(const httplib::ContentReader& reader, uint64_t limit,
                      core::JsonShapeGuard* guard) {
  std::string body;
  bool too_large = false;
  std::optional<Error> refused;
  uint64_t dropped = 0;
  bool ok = reader([&](const char* data, size_t len) {
    if (refused) {  // read and drop the rest (see drain_body), up to a point
      dropped += len;
      return dropped <= kDrainBytes;
    }
    if (body.size() + len > limit) {
      too_large = true;
      return false;
    }
    if (guard) {
      try {
        guard->feed({data, len});
      } catch (const Error& e) {
        refused = e;
        std::string().swap(body);
        return true;
      }
    }
    body.append(data, len);
    return true;
  });
  if (refused) throw *refused;
  if (too_large)
    throw Error::input_too_large("request body exceeds this endpoint's limit of " +
                                 std::to_string(limit) + " bytes");
  if (!ok) throw Error::invalid_request("the request body could not be read");
  return body;
}

bool is_json_type(const std::string& ctype) {
  return ctype.empty() || ctype.find("json") != std::string::npos ||
         ctype.starts_with("text/plain");
}

// Reads and drops a body the server refuses, so a client still sending it gets to read the
// error instead of a reset connection (closing a socket with unread data sends RST). Bodies far
// over the limit are not worth the bandwidth: the connection is cut after max bytes.
void drain_body(const httplib::ContentReader& reader, bool multipart, uint64_t max) {
  uint64_t seen = 0;
  auto drop = [&](const char*, size_t len) {
    seen += len;
    return seen <= max;
  };
  if (multipart)
    reader([](const httplib::MultipartFormData&) { return true; }, drop);
  else
    reader(drop);
}

// Uploaded files a request may keep in memory, together, before they go to its temp dir: most
// requests then write no temp file at all.
constexpr uint64_t kUploadMemoryBytes = 16ull << 20;

// body has passed a JsonShapeGuard while it was read.
void merge_json_body(Request& req, const std::string& body) {
  if (body.empty()) return;
  Json j = Json::parse(body, nullptr, false);
  if (j.is_discarded())
    throw Error::invalid_request("malformed JSON body: it does not parse as JSON");
  if (!j.is_object())
    throw Error::invalid_request("the JSON body must be an object of named fields");
  for (auto& [k, v] : j.items()) req.params.set(k, v);
}

}  // namespace

Server::Server(const Router& router, ServerHooks hooks, ServerOptions options, Metrics& metrics)
    : router_(router),
      hooks_(std::move(hooks)),
      options_(std::move(options)),
      metrics_(metrics),
      server_(std::make_unique<httplib::Server>()) {
  int threads = options_.threads;
  server_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server_->set_payload_max_length(options_.max_body);
  server_->set_keep_alive_max_count(10000);
  server_->set_tcp_nodelay(true);
  server_->set_read_timeout(60, 0);
  server_->set_write_timeout(60, 0);
  auto plain = [this](const httplib::Request& in, httplib::Response& out) {
    handle(in, out, nullptr);
  };
  auto with_body = [this](const httplib::Request& in, httplib::Response& out,
                          const httplib::ContentReader& reader) { handle(in, out, &reader); };
  server_->Get(".*", plain);
  server_->Options(".*", plain);
  server_->Post(".*", with_body);
  server_->Put(".*", with_body);
  server_->Patch(".*", with_body);
  server_->Delete(".*", with_body);
}

Server::~Server() = default;

int Server::bind() {
  if (options_.port == 0) {
    int port = server_->bind_to_any_port(options_.host);
    if (port < 0) throw Error::internal("cannot bind " + options_.host);
    options_.port = port;
    return port;
  }
  if (!server_->bind_to_port(options_.host, options_.port))
    throw Error::internal("cannot listen on " + options_.host + ":" +
                          std::to_string(options_.port) + " (address in use?)");
  return options_.port;
}

void Server::listen() {
  server_->listen_after_bind();
}
void Server::stop() {
  server_->stop();
}
bool Server::running() const {
  return server_->is_running();
}

void Server::handle(const httplib::Request& in, httplib::Response& out,
                    const httplib::ContentReader* reader) {
  core::Stopwatch watch;
  Request req;
  req.request_id = core::make_request_id();
  req.method = in.method;
  req.path = route_path(in.path);
  req.client_ip = in.remote_addr;
  req.headers.insert(in.headers.begin(), in.headers.end());
  std::string host = in.get_header_value("Host");
  req.base_url =
      !options_.public_url.empty()
          ? options_.public_url
          : "http://" +
                (host.empty() ? options_.host + ":" + std::to_string(options_.port) : host) +
                "/latest";

  std::string route_label = "unmatched";
  Response res;
  RateDecision rate;
  rate.unlimited = true;
  try {
    res = dispatch(req, in, reader, route_label, rate);
  } catch (const Error& e) {
    res = Response::json(error_body(e.code(), e.what()), e.status());
    if (e.status() == 413 || e.status() == 400) res.headers.push_back({"Connection", "close"});
  } catch (const std::exception& e) {
    spdlog::error("request {} {} {} failed: {}", req.request_id, req.method, req.path, e.what());
    res = Response::json(
        error_body("INTERNAL_ERROR", "internal error; quote request id " + req.request_id), 500);
  }
  if (!req.upload_dir.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(req.upload_dir, ec);
  }

  add_rate_headers(res, rate);
  double ms = watch.elapsed_ms();
  // A streamed body is what Range requests apply to (httplib cuts the ranges from it): 206 then,
  // or 416 without a body when no range starts inside it.
  if (res.stream && res.status == 200 && !in.ranges.empty()) {
    const auto size = static_cast<ssize_t>(res.stream->size);
    bool satisfiable = false;
    for (const auto& [first, last] : in.ranges)
      satisfiable = satisfiable || (first >= 0 ? first < size : last > 0 && size > 0);
    res.status = satisfiable ? 206 : 416;
    if (!satisfiable) {
      res.stream = nullptr;
      res.headers.push_back({"Content-Range", "bytes */" + std::to_string(size)});
    }
  }
  out.status = res.status;
  // Straight into httplib's map: set_header's own CR/LF scan costs more than the insert.
  for (auto& [k, v] : res.headers)
    if (k.find_first_of("\r\n") == std::string::npos &&
        v.find_first_of("\r\n") == std::string::npos)
      out.headers.emplace(std::move(k), std::move(v));
  out.headers.emplace("X-Request-Id", req.request_id);
  if (res.status == 416) {
    // No body: httplib would cut any body by the unsatisfiable range.
  } else if (res.stream) {
    // httplib asks for (offset, length) pieces: the whole body in order, or the ranges of a Range
    // request (206). The stream only goes forward, so the cursor keeps its current chunk and
    // skips (reading and verifying) up to a range's start; a range before what was sent ends the
    // body short.
    struct Cursor {
      std::shared_ptr<BodyStream> stream;
      std::string chunk;
      uint64_t chunk_start = 0;  // body offset of chunk[0]
    };
    auto cursor = std::make_shared<Cursor>(Cursor{res.stream, {}, 0});
    std::string request_id = req.request_id;
    // The status line is sent by now: a stream that fails (a blob that does not verify) can only
    // cut the connection short, which the client sees as a short body. An exception must not
    // escape into httplib's thread, where it would end the process.
    out.set_content_provider(
        res.stream->size, res.content_type,
        [cursor, request_id](size_t offset, size_t length, httplib::DataSink& sink) {
          Cursor& c = *cursor;
          if (offset < c.chunk_start) return false;
          try {
            while (offset >= c.chunk_start + c.chunk.size()) {
              c.chunk_start += c.chunk.size();
              if (!c.stream->next(c.chunk)) return false;
            }
          } catch (const std::exception& e) {
            spdlog::error("request {}: body stream failed: {}", request_id, e.what());
            return false;
          }
          const size_t from = offset - c.chunk_start;
          return sink.write(c.chunk.data() + from, std::min(length, c.chunk.size() - from));
        });
  } else if (!res.content_type.empty()) {
    out.set_content(res.raw, res.content_type);
  } else {
    if (res.body.is_object()) {
      if (req.charged > 0) res.body["_billing"] = {{"job", {{"credits_billed", req.charged}}}};
      if (res.add_processing_time && !res.body.contains("processing_time"))
        res.body["processing_time"] = core::format_ms(ms);
    }
    out.set_content(res.body.dump(-1, ' ', false, Json::error_handler_t::replace),
                    "application/json");
  }
  metrics_.observe(req.method, route_label, res.status, ms / 1000.0);
  if (hooks_.access_log) {
    // Formatted directly (a JSON object built from an initializer list costs more than the rest
    // of a /health request); the strings a client chooses go through the JSON serializer.
    auto quoted = [](const std::string& v) {
      return Json(v).dump(-1, ' ', false, Json::error_handler_t::replace);
    };
    hooks_.access_log(fmt::format(
        R"({{"ts":"{}","request_id":"{}","method":{},"path":{},"route":{},"status":{},"ms":{},)"
        R"("ip":{},"account_id":{},"credits":{}}})",
        core::iso8601(core::unix_now()), req.request_id, quoted(req.method), quoted(in.path),
        quoted(route_label), res.status, std::round(ms * 100) / 100, quoted(req.client_ip),
        req.principal.account_id, req.charged));
  }
}

Response Server::dispatch(Request& req, const httplib::Request& in,
                          const httplib::ContentReader* reader, std::string& route_label,
                          RateDecision& rate) {
  Match m = router_.match(req.method, req.path);
  if (!m.route) {
    if (!m.allowed_methods.empty()) {
      std::string allow;
      for (auto& a : m.allowed_methods) allow += (allow.empty() ? "" : ", ") + a;
      Response r =
          Response::json(error_body("METHOD_NOT_ALLOWED", req.method + " is not allowed on " +
                                                              req.path + "; use " + allow),
                         405);
      r.headers.push_back({"Allow", allow});
      return r;
    }
    throw Error::not_found("no endpoint " + req.method + " " + req.path);
  }
  const Route& route = *m.route;
  route_label = route.path;
  req.path_params = std::move(m.path_params);

  // Auth. Visitor routes accept no token (or ignore a bad one); others need a valid one.
  std::string token = bearer_token(in);
  if (!token.empty()) {
    try {
      req.principal = hooks_.authenticate(token);
    } catch (const Error&) {
      if (route.auth != Auth::kVisitor) throw;
    }
  } else if (route.auth != Auth::kVisitor) {
    throw Error::auth_required(
        "Authentication required. Please provide a valid Bearer token in the Authorization "
        "header.");
  }
  if (route.auth == Auth::kSystem && req.principal.kind != "sk")
    throw Error::forbidden("this endpoint needs a system key (po_sk_)");

  // Rate limits, reported on every answer from here on.
  rate = hooks_.rate_limit(req.principal, req.client_ip, route.rate_limited);
  if (!rate.allowed && route.rate_limited) {
    Response r =
        Response::json(error_body("RATE_LIMIT_EXCEEDED",
                                  "rate limit exceeded (" + rate.policy + "); retry after " +
                                      std::to_string(rate.retry_after) + " s"),
                       429);
    r.headers.push_back({"Retry-After", std::to_string(rate.retry_after)});
    return r;
  }
  {
    // Body: size limit first, then multipart (streamed to files), JSON or form fields.
    std::string length = in.get_header_value("Content-Length");
    uint64_t declared = length.empty() ? 0 : std::strtoull(length.c_str(), nullptr, 10);
    const bool whole_in_memory =
        !route.raw_body && !route.body_to_file && !in.is_multipart_form_data();
    const uint64_t limit =
        whole_in_memory ? std::min(route.body_limit, route.json_body_limit) : route.body_limit;
    if (declared > limit) {
      if (reader && declared <= limit + kDrainBytes)
        drain_body(*reader, in.is_multipart_form_data(), declared);
      throw Error::input_too_large(
          "request body of " + std::to_string(declared) +
          " bytes exceeds this endpoint's limit of " + std::to_string(limit) + " bytes" +
          (whole_in_memory && limit < route.body_limit
               ? " for JSON and form bodies (files go as multipart/form-data, up to " +
                     std::to_string(route.body_limit) + " bytes)"
               : ""));
    }
    for (auto& [k, v] : in.params) req.params.set(k, v);
    // No Content-Length and not chunked means no body (e.g. `curl -X POST url`); reading would
    // wait for the connection to close.
    if (!in.has_header("Content-Length") &&
        in.get_header_value("Transfer-Encoding").find("chunked") == std::string::npos)
      reader = nullptr;
    std::string ctype = in.get_header_value("Content-Type");
    core::JsonShapeGuard guard;
    core::JsonShapeGuard* json_guard =
        is_json_type(ctype) && !in.is_multipart_form_data() ? &guard : nullptr;
    if (reader && route.body_to_file && !in.is_multipart_form_data()) {
      // The whole body is one file (a PUT upload): streamed to the request's temp dir.
      req.upload_dir = core::TempDir(options_.upload_root, "up-" + req.request_id + "-").release();
      UploadedFile f;
      f.field = "file";
      f.content_type = ctype.empty() ? "application/octet-stream" : ctype;
      f.path = req.upload_dir / "body";
      std::ofstream file(f.path, std::ios::binary);
      bool too_large = false;
      bool ok = (*reader)([&](const char* data, size_t len) {
        if (f.size + len > limit) {
          too_large = true;
          return false;
        }
        file.write(data, static_cast<std::streamsize>(len));
        f.size += len;
        return static_cast<bool>(file);
      });
      file.close();
      if (too_large)
        throw Error::input_too_large("request body exceeds this endpoint's limit of " +
                                     std::to_string(limit) + " bytes");
      if (!ok || !file) throw Error::invalid_request("the request body could not be read whole");
      req.files.push_back(std::move(f));
    } else if (reader && route.raw_body) {
      req.body = read_body(*reader, limit, json_guard);
    } else if (reader) {
      if (in.is_multipart_form_data()) {
        uint64_t total = 0, in_memory = 0;
        bool too_large = false, write_failed = false;
        // httplib hands the body over in 4 KB pieces; a 1 MB stream buffer, set before the first
        // file is opened, turns them into few large writes (the default 8 KB one made 10,000
        // writev calls of a 58 MB upload).
        std::vector<char> file_buffer;
        std::ofstream file;
        std::string field_value;
        std::string field_name;
        bool is_file = false;
        int parts = 0;
        auto flush_field = [&] {
          if (!field_name.empty() && !is_file) req.params.set(field_name, field_value);
          if (file.is_open()) file.close();
          field_name.clear();
          field_value.clear();
        };
        bool ok = (*reader)(
            [&](const httplib::MultipartFormData& part) {
              flush_field();
              ++parts;
              field_name = part.name.empty() ? "file" : part.name;
              is_file = !part.filename.empty();
              if (is_file) {
                UploadedFile f;
                f.field = field_name;
                f.filename = part.filename;
                f.content_type =
                    part.content_type.empty() ? "application/octet-stream" : part.content_type;
                req.files.push_back(std::move(f));
              }
              return true;
            },
            [&](const char* data, size_t len) {
              total += len;
              if (total > route.body_limit) {
                too_large = true;
                return false;
              }
              if (!is_file) {
                field_value.append(data, len);
                return true;
              }
              UploadedFile& f = req.files.back();
              f.size += len;
              // Small uploads stay in memory; once the request's exceed the budget, the file
              // being received goes to disk (with what it had so far), and so do later ones.
              if (!file.is_open() && in_memory + len <= kUploadMemoryBytes) {
                f.data.append(data, len);
                in_memory += len;
                return true;
              }
              if (!file.is_open()) {
                if (req.upload_dir.empty())
                  req.upload_dir =
                      core::TempDir(options_.upload_root, "up-" + req.request_id + "-").release();
                f.path = req.upload_dir / std::to_string(req.files.size() - 1);
                if (file_buffer.empty()) {
                  file_buffer.resize(1 << 20);
                  file.rdbuf()->pubsetbuf(file_buffer.data(),
                                          static_cast<std::streamsize>(file_buffer.size()));
                }
                file.open(f.path, std::ios::binary);
                file.write(f.data.data(), static_cast<std::streamsize>(f.data.size()));
                in_memory = kUploadMemoryBytes;  // the budget is spent: no more in memory
                std::string().swap(f.data);
              }
              file.write(data, static_cast<std::streamsize>(len));
              write_failed = !file;  // a full disk: answered below, not stored short
              return !write_failed;
            });
        flush_field();
        if (too_large)
          throw Error::input_too_large("upload exceeds this endpoint's limit of " +
                                       std::to_string(route.body_limit) + " bytes");
        if (write_failed)
          throw Error::internal("cannot keep the upload '" + req.files.back().filename +
                                "' in the request's temp dir (" + options_.upload_root.string() +
                                "): the write failed, is the disk full?");
        // httplib rejects a body of only the closing boundary, which clients send for an empty
        // form; with no part seen there is nothing lost in treating it as empty.
        if (!ok && parts > 0)
          throw Error::invalid_request("the multipart body is malformed or incomplete");
      } else {
        std::string body = read_body(*reader, limit, json_guard);
        if (ctype.starts_with("application/x-www-form-urlencoded")) {
          httplib::Params form;
          httplib::detail::parse_query_text(body, form);
          for (auto& [k, v] : form) req.params.set(k, v);
        } else if (!body.empty() && is_json_type(ctype)) {
          merge_json_body(req, body);
        } else if (!body.empty()) {
          throw Error::invalid_request("unsupported Content-Type '" + ctype +
                                       "'; send multipart/form-data, "
                                       "application/x-www-form-urlencoded or application/json");
        }
      }
    }
    for (auto& [k, v] : req.path_params) req.params.set(k, v);
    return invoke_route(route, req, hooks_);
  }
}

}  // namespace paperd::http
