#include "engines/convert/chromium_printer.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <deque>
#include <fstream>
#include <future>
#include <sstream>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/json.h"
#include "engines/convert/cdp_connection.h"
#include "engines/convert/child_process.h"
#include "engines/convert/child_sandbox.h"
#include "engines/convert/convert_errors.h"

namespace paperd::engines::convert {

namespace {

constexpr const char* kTool = "Chromium";
constexpr size_t kMaxParallelLoads = 6;
constexpr size_t kMaxBlockedListed = 50;
constexpr int kReadChunk = 1 << 20;

struct Cancelled {};

std::string percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string content_type_for(const std::filesystem::path& file) {
  static const std::map<std::string, std::string> kTypes = {{".html", "text/html; charset=utf-8"},
                                                            {".htm", "text/html; charset=utf-8"},
                                                            {".xhtml", "application/xhtml+xml"},
                                                            {".css", "text/css; charset=utf-8"},
                                                            {".js", "text/javascript"},
                                                            {".mjs", "text/javascript"},
                                                            {".json", "application/json"},
                                                            {".svg", "image/svg+xml"},
                                                            {".png", "image/png"},
                                                            {".jpg", "image/jpeg"},
                                                            {".jpeg", "image/jpeg"},
                                                            {".gif", "image/gif"},
                                                            {".webp", "image/webp"},
                                                            {".ico", "image/x-icon"},
                                                            {".woff", "font/woff"},
                                                            {".woff2", "font/woff2"},
                                                            {".ttf", "font/ttf"},
                                                            {".otf", "font/otf"},
                                                            {".txt", "text/plain; charset=utf-8"}};
  std::string ext = file.extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto it = kTypes.find(ext);
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

std::string last_log_line(const std::filesystem::path& log) {
  std::ifstream in(log);
  std::string line, last, fatal;
  while (std::getline(in, line)) {
    // dbus noise and the wrapper script's shell warning are never the cause.
    if (line.empty() || line.find("dbus") != std::string::npos ||
        line.find("unexpected operator") != std::string::npos)
      continue;
    // A FATAL line is the cause; what follows it is the crash handler starting.
    if (line.find(":FATAL:") != std::string::npos) fatal = line;
    last = line;
  }
  return (fatal.empty() ? last : fatal).substr(0, 300);
}

// Chromium puts its singleton socket at $TMPDIR/org.chromium.Chromium.XXXXXX/SingletonSocket and
// exits ("Socket path too long") when that is over the 107 bytes a Unix socket path may have,
// which a data_dir or TMPDIR a few directories deep reaches. Its TMPDIR is then a short private
// directory of its own under short_tmp_root (/tmp).
constexpr size_t kMaxChromiumTmpDir = 107 - sizeof("/org.chromium.Chromium.XXXXXX/SingletonSocket");

std::optional<core::TempDir> short_tmp_dir(const std::filesystem::path& tmp,
                                           const std::filesystem::path& root) {
  if (tmp.string().size() <= kMaxChromiumTmpDir) return std::nullopt;
  return std::optional<core::TempDir>(std::in_place, root, "paperd-chromium-");
}

// One browser, one page, one print.
class PrintSession {
 public:
  PrintSession(const ChromiumOptions& options, const PrintRequest& request, const WebLoader& loader,
               const std::function<bool()>& cancelled)
      : options_(options),
        request_(request),
        loader_(loader),
        cancelled_(cancelled),
        dir_(options.work_dir, "chromium-"),
        short_tmp_(short_tmp_dir(dir_.path() / "tmp", options.short_tmp_root)),
        deadline_(std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(request.timeout_ms)) {}

  ~PrintSession() {
    // Loads still running hold references into this object: wait for them (each is bounded by
    // the deadline it was given) before the members go.
    for (auto& p : running_) p.result.wait();
  }

  PrintResult run(const std::filesystem::path& out_pdf) {
    core::Stopwatch watch;
    start_browser();
    open_page();
    navigate();
    after_load();
    result_.title = evaluate("document.title").value("value", "");
    print(out_pdf);
    cdp_->send("Browser.close", Json::object());
    browser_.wait(1000);
    result_.ms = watch.elapsed_ms();
    return result_;
  }

  std::string log_tail() const { return last_log_line(dir_.path() / "chromium.log"); }

 private:
  void start_browser() {
    const auto& dir = dir_.path();
    for (auto sub : {"profile", "home", "tmp"}) std::filesystem::create_directories(dir / sub);
    std::vector<std::string> argv =
        sandbox_prefix({.no_network = options_.no_network, .chromium_address_space = true});
    for (std::string a :
         {options_.binary, std::string("--headless"), std::string("--no-sandbox"),
          // No --no-pdf-header-footer: with --remote-debugging-pipe it crashes the renderer
          // (Chromium 156); printToPDF's displayHeaderFooter=false does the same job.
          std::string("--disable-gpu"), std::string("--disable-background-networking"),
          std::string("--disable-component-update"), std::string("--disable-sync"),
          std::string("--disable-default-apps"), std::string("--disable-extensions"),
          std::string("--disable-breakpad"), std::string("--no-first-run"),
          std::string("--no-default-browser-check"), std::string("--disable-quic"),
          std::string("--disable-dev-shm-usage"), std::string("--mute-audio"),
          std::string("--hide-scrollbars"),
          // Belt and braces: requests the Fetch interception does not see (WebSocket,
          // WebRTC) go to a proxy that is not there, never to the network.
          std::string("--proxy-server=http://127.0.0.1:9"),
          std::string("--proxy-bypass-list=<-loopback>"),
          std::string("--force-webrtc-ip-handling-policy=disable_non_proxied_udp"),
          std::string("--remote-debugging-pipe"), "--user-data-dir=" + (dir / "profile").string(),
          std::string("about:blank")})
      argv.push_back(std::move(a));

    Pipe commands = make_pipe();
    Pipe answers = make_pipe();
    ChildOptions co;
    co.argv = std::move(argv);
    co.env = {{"HOME", (dir / "home").string()},
              {"XDG_CONFIG_HOME", (dir / "home").string()},
              {"XDG_CACHE_HOME", (dir / "home").string()},
              {"TMPDIR", (short_tmp_ ? short_tmp_->path() : dir / "tmp").string()}};
    co.cwd = dir;
    co.fds = {{commands.read.get(), 3}, {answers.write.get(), 4}};
    co.log = dir / "chromium.log";
    browser_ = ChildProcess(co);
    MessagePipe pipe(std::move(answers.read), std::move(commands.write), '\0');
    pipe.set_max_message(64u << 20);
    cdp_.emplace(
        std::move(pipe), [this](const Json& e) { on_event(e); }, [this] { on_idle(); });
  }

  void open_page() {
    Json target = cdp_->call("Target.createTarget", {{"url", "about:blank"}}, "", deadline_);
    target_id_ = target.value("targetId", "");
    Json attached = cdp_->call("Target.attachToTarget",
                               {{"targetId", target_id_}, {"flatten", true}}, "", deadline_);
    session_ = attached.value("sessionId", "");
    cdp_->call("Page.enable", Json::object(), session_, deadline_);
    cdp_->call("Fetch.enable", {{"patterns", Json::array({{{"urlPattern", "*"}}})}}, session_,
               deadline_);
    if (!request_.cookies.empty()) {
      Json cookies = Json::array();
      for (const auto& [name, value] : request_.cookies)
        cookies.push_back({{"name", name}, {"value", value}, {"url", request_.url}});
      cdp_->call("Network.setCookies", {{"cookies", cookies}}, session_, deadline_);
    }
  }

  void navigate() {
    loaded_ = false;
    Json nav = cdp_->call("Page.navigate", {{"url", request_.url}}, session_, deadline_);
    if (nav.contains("errorText") && !nav["errorText"].get<std::string>().empty()) {
      if (main_error_) throw *main_error_;
      throw core::Error::invalid_request("url '" + request_.url + "' could not be loaded (" +
                                         nav["errorText"].get<std::string>() + ")");
    }
    if (!cdp_->pump_until(deadline_, [&] { return loaded_ || crashed_ || main_error_; }))
      throw CdpTimeout{};
    if (main_error_) throw *main_error_;
    if (crashed_) throw conversion_failed(kTool, "the page's renderer crashed while loading");
  }

  void after_load() {
    if (!request_.inject_css.empty()) {
      Json css = request_.inject_css;
      evaluate("(() => { const s = document.createElement('style'); s.textContent = " + css.dump() +
               "; (document.head || document.documentElement).appendChild(s); })()");
    }
    if (!request_.inject_js.empty()) evaluate(request_.inject_js, "inject_js");
    if (request_.wait_ms) {
      auto until = std::min(deadline_, std::chrono::steady_clock::now() +
                                           std::chrono::milliseconds(*request_.wait_ms));
      cdp_->pump_until(until, [] { return false; });
    }
    if (!request_.wait_selector.empty()) {
      Json selector = request_.wait_selector;
      std::string probe = "document.querySelector(" + selector.dump() + ") !== null";
      for (;;) {
        if (evaluate(probe, "wait_for").value("value", false)) break;
        auto next = std::chrono::steady_clock::now() + std::chrono::milliseconds(100);
        if (next >= deadline_)
          throw conversion_timeout(kTool,
                                   "waiting for wait_for selector '" + request_.wait_selector + "'",
                                   (request_.timeout_ms + 999) / 1000);
        cdp_->pump_until(next, [] { return false; });
      }
    }
    if (crashed_) throw conversion_failed(kTool, "the page's renderer crashed");
  }

  // Runs an expression in the page; a thrown exception becomes a 400 naming `field`.
  Json evaluate(const std::string& expression, const std::string& field = "") {
    Json r = cdp_->call("Runtime.evaluate",
                        {{"expression", expression},
                         {"awaitPromise", true},
                         {"returnByValue", true},
                         {"userGesture", true}},
                        session_, deadline_);
    if (r.contains("exceptionDetails")) {
      const Json& d = r["exceptionDetails"];
      std::string what = d.value("text", "exception");
      if (d.contains("exception") && d["exception"].contains("description"))
        what = d["exception"].value("description", what);
      what = what.substr(0, what.find('\n'));
      if (field == "wait_for")
        throw core::Error::invalid_request("field 'wait_for' is not a valid CSS selector (" + what +
                                           ")");
      throw core::Error::invalid_request("field '" + (field.empty() ? "inject_js" : field) +
                                         "' threw in the page: " + what.substr(0, 300));
    }
    return r.value("result", Json::object());
  }

  void print(const std::filesystem::path& out_pdf) {
    const PageSetup& p = request_.page;
    double margin = p.margin_mm / 25.4;
    Json params = {{"landscape", p.landscape},
                   {"printBackground", p.print_background},
                   {"paperWidth", p.width_in},
                   {"paperHeight", p.height_in},
                   {"marginTop", margin},
                   {"marginBottom", margin},
                   {"marginLeft", margin},
                   {"marginRight", margin},
                   {"displayHeaderFooter", false},
                   {"preferCSSPageSize", false},
                   {"transferMode", "ReturnAsStream"}};
    Json printed = cdp_->call("Page.printToPDF", params, session_, deadline_);
    std::string handle = printed.value("stream", "");
    std::ofstream out(out_pdf, std::ios::binary | std::ios::trunc);
    for (;;) {
      Json chunk =
          cdp_->call("IO.read", {{"handle", handle}, {"size", kReadChunk}}, session_, deadline_);
      std::string data = chunk.value("data", "");
      if (chunk.value("base64Encoded", false)) {
        auto decoded = core::base64_decode(data);
        if (!decoded) throw conversion_failed(kTool, "the browser sent malformed base64");
        data = std::move(*decoded);
      }
      out.write(data.data(), static_cast<std::streamsize>(data.size()));
      if (chunk.value("eof", false)) break;
    }
    cdp_->send("IO.close", {{"handle", handle}}, session_);
    out.close();
    if (!out) throw core::Error::internal("cannot write " + out_pdf.string());
  }

  void on_event(const Json& e) {
    std::string method = e.value("method", "");
    if (method == "Fetch.requestPaused") {
      on_request_paused(e["params"]);
    } else if (method == "Page.loadEventFired") {
      loaded_ = true;
    } else if (method == "Inspector.targetCrashed" || method == "Target.targetCrashed" ||
               method == "Target.detachedFromTarget") {
      crashed_ = true;
    }
  }

  void on_request_paused(const Json& params) {
    ++result_.requests;
    WebRequest req;
    std::string id = params.value("requestId", "");
    const Json& r = params["request"];
    req.url = r.value("url", "");
    req.method = r.value("method", "GET");
    req.body = r.value("postData", "");
    req.resource_type = params.value("resourceType", "");
    req.main_document =
        req.resource_type == "Document" && params.value("frameId", "") == target_id_;
    if (req.url.starts_with(kLocalOrigin)) {
      serve_local(id, req);
    } else if (!req.url.starts_with("http://") && !req.url.starts_with("https://")) {
      refuse(id, req, "only http and https are loaded");
    } else {
      queued_.emplace_back(id, std::move(req));
    }
    start_queued();
  }

  void serve_local(const std::string& id, const WebRequest& req) {
    std::string path = req.url.substr(kLocalOrigin.size());
    path = percent_decode(path.substr(0, path.find_first_of("?#")));
    auto it = request_.local_files.find(path);
    if (it == request_.local_files.end()) {
      refuse(id, req, "not among the uploaded files");
      return;
    }
    WebResponse res;
    res.content_type = content_type_for(it->first);
    res.body = core::read_file(it->second);
    answer(id, res);
  }

  void start_queued() {
    while (!queued_.empty() && running_.size() < kMaxParallelLoads) {
      Running run{std::move(queued_.front().first), std::move(queued_.front().second), {}};
      queued_.pop_front();
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline_ - std::chrono::steady_clock::now());
      run.request.timeout_ms = static_cast<int>(std::max<int64_t>(left.count(), 1));
      run.result = std::async(std::launch::async,
                              [loader = loader_, req = run.request] { return loader(req); });
      running_.push_back(std::move(run));
    }
  }

  void on_idle() {
    if (cancelled_ && cancelled_()) throw Cancelled{};
    for (auto it = running_.begin(); it != running_.end();) {
      if (it->result.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
        ++it;
        continue;
      }
      Running done = std::move(*it);
      it = running_.erase(it);
      try {
        answer(done.id, done.result.get());
      } catch (const core::Error& e) {
        if (done.request.main_document && !main_error_) main_error_ = e;
        refuse(done.id, done.request, e.what());
      } catch (const std::exception& e) {
        refuse(done.id, done.request, e.what());
      }
    }
    start_queued();
  }

  void answer(const std::string& id, const WebResponse& res) {
    Json headers = Json::array();
    int status = res.status;
    if (!res.redirect_to.empty()) {
      status = 302;
      headers.push_back({{"name", "Location"}, {"value", res.redirect_to}});
    } else if (!res.content_type.empty()) {
      headers.push_back({{"name", "Content-Type"}, {"value", res.content_type}});
    }
    Json params = {{"requestId", id}, {"responseCode", status}, {"responseHeaders", headers}};
    if (res.redirect_to.empty()) params["body"] = core::base64_encode(res.body);
    cdp_->send("Fetch.fulfillRequest", params, session_);
  }

  void refuse(const std::string& id, const WebRequest& req, const std::string& why) {
    // The browser's own favicon probe is not the page's doing; leave it out of the report.
    bool favicon = req.url.ends_with("/favicon.ico");
    if (!req.main_document && !favicon && result_.blocked.size() < kMaxBlockedListed)
      result_.blocked.push_back(req.url.substr(0, 300) + ": " + why);
    cdp_->send("Fetch.failRequest", {{"requestId", id}, {"errorReason", "AccessDenied"}}, session_);
  }

  struct Running {
    std::string id;
    WebRequest request;
    std::future<WebResponse> result;
  };

  const ChromiumOptions& options_;
  const PrintRequest& request_;
  const WebLoader& loader_;
  const std::function<bool()>& cancelled_;
  core::TempDir dir_;
  std::optional<core::TempDir> short_tmp_;  // Chromium's TMPDIR when dir_/tmp is too long
  Deadline deadline_;
  ChildProcess browser_;
  std::optional<CdpConnection> cdp_;
  std::string target_id_, session_;
  bool loaded_ = false, crashed_ = false;
  std::optional<core::Error> main_error_;
  std::deque<std::pair<std::string, WebRequest>> queued_;
  std::vector<Running> running_;
  PrintResult result_;
};

}  // namespace

std::optional<std::pair<double, double>> paper_size_inches(std::string_view name) {
  std::string n(name);
  for (auto& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (n == "a4") return std::pair{8.27, 11.69};
  if (n == "letter") return std::pair{8.5, 11.0};
  if (n == "legal") return std::pair{8.5, 14.0};
  if (n == "a3") return std::pair{11.69, 16.54};
  return std::nullopt;
}

PrintResult print_to_pdf(const ChromiumOptions& options, const PrintRequest& request,
                         const WebLoader& loader, const std::filesystem::path& out_pdf,
                         const std::function<bool()>& cancelled) {
  std::filesystem::create_directories(options.work_dir);
  PrintSession session(options, request, loader, cancelled);
  std::string what = "printing '" + request.url + "'";
  int seconds = (request.timeout_ms + 999) / 1000;
  try {
    return session.run(out_pdf);
  } catch (const CdpTimeout&) {
    throw conversion_timeout(kTool, what, seconds);
  } catch (const Cancelled&) {
    throw conversion_cancelled(kTool);
  } catch (const MessagePipe::EndOfStream&) {
    std::string why = session.log_tail();
    throw conversion_failed(kTool, "the browser exited while " + what +
                                       (why.empty() ? std::string() : " (" + why + ")"));
  } catch (const CdpError& e) {
    throw conversion_failed(kTool, e.what());
  }
}

}  // namespace paperd::engines::convert
