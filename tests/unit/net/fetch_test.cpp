// fetch_to_file / fetch_to_string against real HTTP servers on loopback ports: bodies, limits,
// statuses, redirects re-checked hop by hop, and refusals that happen before any connection.
#include "net/fetch.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <thread>

#include "core/error.h"
#include "core/fs.h"

namespace paperd::net {
namespace {

using core::Error;
namespace fs = std::filesystem;

// An httplib server on an ephemeral port of `host`, counting the requests it sees.
class TestServer {
 public:
  using Routes = std::function<void(httplib::Server&, int port)>;

  explicit TestServer(const Routes& routes, const std::string& host = "127.0.0.1") : host_(host) {
    server_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response&) {
      std::lock_guard lock(mu_);
      paths_.push_back(req.path);
      return httplib::Server::HandlerResponse::Unhandled;
    });
    port_ = server_.bind_to_any_port(host_);
    if (port_ <= 0) throw std::runtime_error("cannot bind " + host_);
    routes(server_, port_);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // httplib 0.11 has no wait_until_ready.
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!server_.is_running() && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  ~TestServer() {
    server_.stop();
    thread_.join();
  }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  int port() const { return port_; }
  std::string url(const std::string& path) const {
    return "http://" + host_ + ":" + std::to_string(port_) + path;
  }
  std::vector<std::string> paths() {
    std::lock_guard lock(mu_);
    return paths_;
  }

 private:
  std::string host_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<std::string> paths_;
};

const std::string kPdf = "%PDF-1.4\n% a small test body\n%%EOF\n";

void document_routes(httplib::Server& s, int /*port*/) {
  s.Get("/doc", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Content-Disposition", "attachment; filename=\"report 2024.pdf\"");
    res.set_content(kPdf, "application/pdf");
  });
  s.Get("/ext", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Content-Disposition",
                   "attachment; filename=\"fallback.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf");
    res.set_content(kPdf, "application/pdf");
  });
  s.Get("/evil", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Content-Disposition", "attachment; filename=\"../../etc/passwd\"");
    res.set_content("x", "text/plain");
  });
  s.Get("/files/invoice no.1.pdf", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(kPdf, "application/pdf");
  });
  s.Get("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("<html></html>", "text/html");
  });
  s.Get("/big", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(4000, 'x'), "application/octet-stream");
  });
  s.Get("/big-chunked", [](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("application/octet-stream",
                                     [](size_t offset, httplib::DataSink& sink) {
                                       std::string chunk(1000, 'y');
                                       if (offset >= 4000) {
                                         sink.done();
                                         return true;
                                       }
                                       return sink.write(chunk.data(), chunk.size());
                                     });
  });
  s.Get("/missing", [](const httplib::Request&, httplib::Response& res) {
    res.status = 404;
    res.set_content("not here", "text/plain");
  });
  s.Get("/r1", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/r2"); });
  s.Get("/r2",
        [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/doc", 301); });
  s.Get("/loop",
        [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/loop"); });
  s.Get("/slow", [](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    res.set_content("late", "text/plain");
  });
}

// Runs f, expects an Error with `code`, and returns its message.
std::string error_of(const std::function<void()>& f, const std::string& code, int status) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    EXPECT_EQ(e.status(), status) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error was thrown";
  return {};
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

class FetchTest : public ::testing::Test {
 protected:
  TestServer server{document_routes};
  core::TempDir dir{fs::temp_directory_path(), "paperd-fetch-test-"};
  OutboundPolicy loopback = OutboundPolicy::parse("127.0.0.1");
  FetchOptions opts = [] {
    FetchOptions o;
    o.param = "source_url";
    return o;
  }();

  // Nothing but the files a test expects: a refused download leaves no part file behind.
  size_t files_in_dir() const {
    return static_cast<size_t>(std::distance(fs::directory_iterator(dir.path()), {}));
  }
};

TEST_F(FetchTest, SavesBodyWithTypeSizeAndFilename) {
  fs::path dest = dir.path() / "input.bin";
  FetchResult r = fetch_to_file(server.url("/doc"), dest, loopback, opts);
  EXPECT_EQ(core::read_file(dest), kPdf);
  EXPECT_EQ(r.size, kPdf.size());
  EXPECT_EQ(fs::file_size(dest), kPdf.size());
  EXPECT_EQ(r.content_type, "application/pdf");
  EXPECT_EQ(r.filename, "report 2024.pdf");
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.final_url, server.url("/doc"));
  EXPECT_EQ(files_in_dir(), 1u);
  EXPECT_EQ(server.paths(), std::vector<std::string>{"/doc"});
}

TEST_F(FetchTest, FilenameFallbacks) {
  fs::path dest = dir.path() / "f";
  EXPECT_EQ(fetch_to_file(server.url("/ext"), dest, loopback, opts).filename, "résumé.pdf");
  EXPECT_EQ(fetch_to_file(server.url("/evil"), dest, loopback, opts).filename, "passwd");
  EXPECT_EQ(
      fetch_to_file(server.url("/files/invoice%20no.1.pdf?x=1#top"), dest, loopback, opts).filename,
      "invoice no.1.pdf");
  EXPECT_EQ(fetch_to_file(server.url("/"), dest, loopback, opts).filename, "download");
}

TEST_F(FetchTest, BodyOverLimitIsRefusedAndLeavesNoFile) {
  opts.max_bytes = 1500;
  for (const char* path : {"/big", "/big-chunked"}) {  // with and without Content-Length
    fs::path dest = dir.path() / "big.bin";
    std::string msg = error_of([&] { fetch_to_file(server.url(path), dest, loopback, opts); },
                               "INPUT_TOO_LARGE", 413);
    EXPECT_TRUE(contains(msg, "source_url")) << msg;
    EXPECT_TRUE(contains(msg, "1500 bytes")) << msg;
    EXPECT_FALSE(fs::exists(dest)) << path;
    EXPECT_EQ(files_in_dir(), 0u) << path;
  }
  std::string body = "untouched";
  error_of([&] { fetch_to_string(server.url("/big"), body, loopback, opts); }, "INPUT_TOO_LARGE",
           413);
  EXPECT_EQ(body, "untouched");
}

TEST_F(FetchTest, ErrorStatusIsInvalidRequest) {
  fs::path dest = dir.path() / "missing.bin";
  std::string msg = error_of([&] { fetch_to_file(server.url("/missing"), dest, loopback, opts); },
                             "INVALID_REQUEST", 400);
  EXPECT_EQ(msg, "source_url answered HTTP 404");
  EXPECT_FALSE(fs::exists(dest));
  EXPECT_EQ(files_in_dir(), 0u);
}

TEST_F(FetchTest, FollowsARedirectChain) {
  opts.max_redirects = 2;
  fs::path dest = dir.path() / "doc.pdf";
  FetchResult r = fetch_to_file(server.url("/r1"), dest, loopback, opts);
  EXPECT_EQ(r.final_url, server.url("/doc"));
  EXPECT_EQ(r.filename, "report 2024.pdf");
  EXPECT_EQ(core::read_file(dest), kPdf);
  EXPECT_EQ(server.paths(), (std::vector<std::string>{"/r1", "/r2", "/doc"}));
}

TEST_F(FetchTest, RefusesMoreThanMaxRedirects) {
  opts.max_redirects = 1;
  fs::path dest = dir.path() / "doc.pdf";
  std::string msg = error_of([&] { fetch_to_file(server.url("/r1"), dest, loopback, opts); },
                             "INVALID_REQUEST", 400);
  EXPECT_EQ(msg, "source_url redirected more than 1 times");
  EXPECT_EQ(server.paths(), (std::vector<std::string>{"/r1", "/r2"}));  // /doc never asked for
  EXPECT_FALSE(fs::exists(dest));

  opts.max_redirects = 5;
  error_of([&] { fetch_to_file(server.url("/loop"), dest, loopback, opts); }, "INVALID_REQUEST",
           400);
  EXPECT_EQ(server.paths().size(), 2u + 6u);  // the first hop and five redirects
}

TEST_F(FetchTest, WithoutAllowListNothingIsRequested) {
  fs::path dest = dir.path() / "doc.pdf";
  std::string msg =
      error_of([&] { fetch_to_file(server.url("/doc"), dest, {}, opts); }, "INVALID_REQUEST", 400);
  EXPECT_TRUE(contains(msg, "source_url host '127.0.0.1' resolves to 127.0.0.1, a loopback"))
      << msg;
  std::string body;
  error_of(
      [&] {
        fetch_to_string("http://localhost:" + std::to_string(server.port()) + "/doc", body, {},
                        opts);
      },
      "INVALID_REQUEST", 400);
  EXPECT_TRUE(server.paths().empty());
  EXPECT_FALSE(fs::exists(dest));
}

// The second hop goes to a server that is really listening (on 127.0.0.2), so only the re-check
// of that hop can keep the request from reaching it.
TEST_F(FetchTest, RedirectToAnAddressNotAllowedIsRefused) {
  TestServer other([](httplib::Server& s, int) { document_routes(s, 0); }, "127.0.0.2");
  TestServer front([&](httplib::Server& s, int) {
    s.Get("/away", [&](const httplib::Request&, httplib::Response& res) {
      res.set_redirect(other.url("/doc"));
    });
  });
  fs::path dest = dir.path() / "doc.pdf";

  std::string msg = error_of([&] { fetch_to_file(front.url("/away"), dest, loopback, opts); },
                             "INVALID_REQUEST", 400);
  EXPECT_EQ(msg,
            "source_url host '127.0.0.2' resolves to 127.0.0.2, a loopback address; requests to "
            "private networks are refused (allow-list it with PAPERD_OUTBOUND_ALLOW)");
  EXPECT_EQ(front.paths(), std::vector<std::string>{"/away"});
  EXPECT_TRUE(other.paths().empty());

  // Allowing only the name of the first host does not extend to where it redirects.
  auto by_name = OutboundPolicy::parse("localhost");
  std::string via_name = "http://localhost:" + std::to_string(front.port()) + "/away";
  msg = error_of([&] { fetch_to_file(via_name, dest, by_name, opts); }, "INVALID_REQUEST", 400);
  EXPECT_TRUE(contains(msg, "'127.0.0.2' resolves to 127.0.0.2, a loopback address")) << msg;
  EXPECT_EQ(front.paths().size(), 2u);
  EXPECT_TRUE(other.paths().empty());
  EXPECT_FALSE(fs::exists(dest));

  // The control: once the range is allowed, the same chain reaches the second server.
  FetchResult r =
      fetch_to_file(front.url("/away"), dest, OutboundPolicy::parse("127.0.0.0/8"), opts);
  EXPECT_EQ(r.final_url, other.url("/doc"));
  EXPECT_EQ(core::read_file(dest), kPdf);
  EXPECT_EQ(other.paths(), std::vector<std::string>{"/doc"});
}

TEST_F(FetchTest, TimeoutAndConnectionErrorsNameTheHost) {
  opts.timeout_seconds = 1;
  std::string body;
  std::string msg = error_of([&] { fetch_to_string(server.url("/slow"), body, loopback, opts); },
                             "INVALID_REQUEST", 400);
  EXPECT_TRUE(contains(msg, "source_url request to host '127.0.0.1' failed: ")) << msg;
  EXPECT_TRUE(contains(msg, "timed out")) << msg;

  int closed_port = 0;
  {
    TestServer gone([](httplib::Server&, int) {});
    closed_port = gone.port();
  }
  msg = error_of(
      [&] {
        fetch_to_string("http://127.0.0.1:" + std::to_string(closed_port) + "/", body, loopback,
                        opts);
      },
      "INVALID_REQUEST", 400);
  EXPECT_TRUE(contains(msg, "source_url request to host '127.0.0.1' failed: ")) << msg;
  EXPECT_TRUE(contains(msg, "onnect")) << msg;  // curl's "Failed to connect ..."
}

class WebhookTest : public ::testing::Test {
 protected:
  // Echoes what arrived, so the tests see exactly what was sent.
  static void echo_routes(httplib::Server& s, int) {
    auto echo = [](const httplib::Request& req, httplib::Response& res) {
      std::string auth =
          req.has_header("Authorization") ? req.get_header_value("Authorization") : "none";
      res.set_content(req.method + " " + req.path + " body=" + req.body +
                          " event=" + req.get_header_value("X-Paperd-Event") + " auth=" + auth,
                      "text/plain");
    };
    s.Get("/echo", echo);
    s.Post("/echo", echo);
    s.Put("/echo", echo);
    s.Post("/see-other",
           [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/echo", 303); });
    s.Post("/temporary",
           [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/echo", 307); });
  }
  TestServer server{echo_routes};
  OutboundPolicy loopback = OutboundPolicy::parse("127.0.0.1");
};

TEST_F(WebhookTest, PostsBodyAndHeadersAndReadsTheAnswer) {
  FetchOptions o;
  o.method = "POST";
  o.body = R"({"event":"job.done"})";
  o.headers = {"Content-Type: application/json", "X-Paperd-Event: job.done"};
  std::string answer;
  FetchResult r = fetch_to_string(server.url("/echo"), answer, loopback, o);
  EXPECT_EQ(answer, R"(POST /echo body={"event":"job.done"} event=job.done auth=none)");
  EXPECT_EQ(r.size, answer.size());
  EXPECT_EQ(r.content_type, "text/plain");

  o.method = "PUT";
  fetch_to_string(server.url("/echo"), answer, loopback, o);
  EXPECT_EQ(answer, R"(PUT /echo body={"event":"job.done"} event=job.done auth=none)");
}

TEST_F(WebhookTest, RedirectsAfterPostFollowHttpSemantics) {
  FetchOptions o;
  o.method = "POST";
  o.body = "payload";
  std::string answer;
  fetch_to_string(server.url("/see-other"), answer, loopback, o);
  EXPECT_EQ(answer, "GET /echo body= event= auth=none");
  fetch_to_string(server.url("/temporary"), answer, loopback, o);
  EXPECT_EQ(answer, "POST /echo body=payload event= auth=none");
}

TEST_F(WebhookTest, CredentialsStayWithTheirOrigin) {
  TestServer other{echo_routes};
  TestServer front([&](httplib::Server& s, int) {
    s.Get("/same",
          [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/echo"); });
    s.Get("/elsewhere", [&](const httplib::Request&, httplib::Response& res) {
      res.set_redirect(other.url("/echo"));
    });
    echo_routes(s, 0);
  });
  FetchOptions o;
  o.headers = {"Authorization: Bearer secret", "X-Paperd-Event: ping"};
  std::string answer;
  fetch_to_string(front.url("/same"), answer, loopback, o);
  EXPECT_EQ(answer, "GET /echo body= event=ping auth=Bearer secret");
  fetch_to_string(front.url("/elsewhere"), answer, loopback, o);
  EXPECT_EQ(answer, "GET /echo body= event=ping auth=none");
}

TEST_F(WebhookTest, HeaderInjectionIsRefusedBeforeAnyRequest) {
  FetchOptions o;
  o.headers = {"X-A: 1\r\nX-Injected: 2"};
  std::string answer;
  error_of([&] { fetch_to_string(server.url("/echo"), answer, loopback, o); }, "INVALID_REQUEST",
           400);
  o.headers.clear();
  o.method = "GET /x HTTP/1.1\r\n";
  error_of([&] { fetch_to_string(server.url("/echo"), answer, loopback, o); }, "INVALID_REQUEST",
           400);
  EXPECT_TRUE(server.paths().empty());
}

}  // namespace
}  // namespace paperd::net
