// The HTTP server: cpp-httplib underneath, paperd's request pipeline on top (ARCHITECTURE §3):
// request id -> route -> auth -> rate limit -> body (streamed uploads, limits) -> parameters ->
// credits -> handler -> envelope -> access log and metrics. It knows nothing of documents: auth,
// limits and billing come in as hooks from the composition root.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "http/invoke.h"
#include "http/metrics.h"
#include "http/rate_limiter.h"
#include "http/route.h"
#include "http/router.h"

namespace httplib {
class Server;
struct Request;
struct Response;
class ContentReader;
}  // namespace httplib

namespace paperd::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 = ephemeral
  int threads = 32;
  uint64_t max_body = 512ull << 20;  // hard cap; routes set lower limits
  std::filesystem::path upload_root;
  std::string public_url;  // overrides the Host-derived base URL when set
};

class Server {
 public:
  Server(const Router& router, ServerHooks hooks, ServerOptions options, Metrics& metrics);
  ~Server();
  // Binds the listening socket; returns the port (useful with port 0).
  int bind();
  // Serves until stop(); in-flight requests finish before it returns.
  void listen();
  void stop();
  bool running() const;

 private:
  void handle(const httplib::Request& in, httplib::Response& out,
              const httplib::ContentReader* reader);
  Response dispatch(Request& req, const httplib::Request& in, const httplib::ContentReader* reader,
                    std::string& route_label, RateDecision& rate);

  const Router& router_;
  ServerHooks hooks_;
  ServerOptions options_;
  Metrics& metrics_;
  std::unique_ptr<httplib::Server> server_;
};

// The error envelope {status:"error", code, message}.
Json error_body(const std::string& code, const std::string& message);

}  // namespace paperd::http
