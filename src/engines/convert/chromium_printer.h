// URL or HTML → PDF with headless Chromium, driven over the DevTools protocol (cdp_connection.h).
// Chromium itself never touches the network: it runs in its own network namespace where
// possible and behind a proxy that goes nowhere in any case, and every request the page makes
// is intercepted (Fetch domain) and answered by the caller's WebLoader, which is where the
// outbound guard (SSRF checks, cookies, headers, size limits) lives. Uploaded HTML and its
// companion files are served from a private origin (kLocalOrigin), never from file://.
// One browser per print; each call is independent and thread-safe.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace paperd::engines::convert {

// The origin under which PrintRequest::local_files are served to the page.
inline constexpr std::string_view kLocalOrigin = "http://document.paperd.invalid/";

struct WebRequest {
  std::string url;
  std::string method = "GET";
  std::string body;            // for POST and the like
  std::string resource_type;   // CDP's: Document, Stylesheet, Image, Script, XHR, Fetch, ...
  bool main_document = false;  // the page being printed itself
  int timeout_ms = 30000;      // what is left of the print's time limit
};

struct WebResponse {
  int status = 200;
  std::string content_type;
  std::string body;
  std::string redirect_to;  // answered as a 302 so the page's base URL follows the redirect
};

// Answers one request of the page. Throws core::Error to refuse or fail it: for a subresource
// the request fails (and is listed in PrintResult::blocked); for the main document the print
// fails with that error. Called from several threads at once.
using WebLoader = std::function<WebResponse(const WebRequest&)>;

struct PageSetup {
  double width_in = 8.27, height_in = 11.69;  // A4
  bool landscape = false;
  double margin_mm = 10;
  bool print_background = true;
};

// Paper sizes by name (A4, Letter, Legal, A3; case-insensitive); nullopt for anything else.
std::optional<std::pair<double, double>> paper_size_inches(std::string_view name);

struct PrintRequest {
  std::string url;  // http(s) URL, or kLocalOrigin + a key of local_files
  std::map<std::string, std::filesystem::path> local_files;  // path under kLocalOrigin → file
  std::vector<std::pair<std::string, std::string>> cookies;  // visible to the page's scripts
  std::string inject_css;      // added as a <style> once the page has loaded
  std::string inject_js;       // run once the page has loaded (a returned promise is awaited)
  std::optional<int> wait_ms;  // then wait this long
  std::string wait_selector;   // or until this CSS selector matches
  PageSetup page;
  int timeout_ms = 120000;  // for everything: start, load, waits, printing
};

struct PrintResult {
  std::string title;
  std::vector<std::string> blocked;  // "url: reason" for subresources the loader refused
  int requests = 0;                  // requests the page made
  double ms = 0;
};

struct ChromiumOptions {
  std::string binary = "chromium";
  std::filesystem::path work_dir;  // a per-print profile and log are made below it
  bool no_network = true;          // own network namespace where possible
  // Where Chromium's TMPDIR goes when work_dir/tmp is too long for its singleton socket.
  std::filesystem::path short_tmp_root = "/tmp";
};

// Prints request to out_pdf. Throws core::Error: the loader's error for the main document,
// 400 INVALID_REQUEST for a failing inject_js or a bad wait_for selector, conversion_timeout
// (504), conversion_cancelled (503), conversion_failed (500) when the browser dies.
PrintResult print_to_pdf(const ChromiumOptions& options, const PrintRequest& request,
                         const WebLoader& loader, const std::filesystem::path& out_pdf,
                         const std::function<bool()>& cancelled = {});

}  // namespace paperd::engines::convert
