#include "net/fetch.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>
#include <functional>
#include <memory>
#include <utility>

#include "core/error.h"
#include "core/fs.h"

namespace paperd::net {

using core::Error;
namespace fs = std::filesystem;

namespace {

struct CurlFree {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistFree {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using CurlPtr = std::unique_ptr<CURL, CurlFree>;
using SlistPtr = std::unique_ptr<curl_slist, SlistFree>;

// Receives the body of the final (2xx) answer, chunk by chunk; may throw.
using Sink = std::function<void(std::string_view)>;

// What the request of the current hop looks like; redirects may turn it into a GET.
struct Request {
  std::string method;
  std::string body;
  std::vector<std::string> headers;
};

// State shared between one hop's curl callbacks and the code driving it. Exceptions must not
// unwind through curl's C frames, so callbacks only record what happened here.
struct HopState {
  CURL* curl = nullptr;
  const CheckedUrl* checked = nullptr;
  const Sink* sink = nullptr;
  uint64_t max_bytes = 0;
  uint64_t received = 0;
  bool any_status = false;         // keep the body of every answer; cut it at max_bytes
  bool follows_redirects = false;  // a redirect's body is then not the answer's
  bool too_large = false;
  bool truncated = false;
  bool skipped_body = false;    // a redirect's or an error's body: not wanted, transfer stopped
  std::string refused_address;  // an address curl tried that check_url had not checked
  std::exception_ptr sink_error;
};

struct HopResult {
  long status = 0;
  std::string location;  // absolute redirect target, when the answer had one
  std::string content_type;
  std::string disposition;
  uint64_t size = 0;
  bool truncated = false;
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto& hop = *static_cast<HopState*>(user);
  size_t len = size * n;
  long status = 0;
  curl_easy_getinfo(hop.curl, CURLINFO_RESPONSE_CODE, &status);
  bool redirect = status >= 300 && status < 400 && hop.follows_redirects;
  if ((!hop.any_status || redirect) && (status < 200 || status >= 300)) {
    hop.skipped_body = true;
    return len == 0 ? 1 : 0;  // any count other than len stops the transfer
  }
  if (hop.received + len > hop.max_bytes) {
    if (!hop.any_status) {
      hop.too_large = true;
      return len == 0 ? 1 : 0;
    }
    // Keep what fits, then stop reading: a webhook receiver's answer is only logged.
    size_t fits = static_cast<size_t>(hop.max_bytes - hop.received);
    try {
      (*hop.sink)(std::string_view(data, fits));
    } catch (...) {
      hop.sink_error = std::current_exception();
    }
    hop.received += fits;
    hop.truncated = true;
    return len == 0 ? 1 : 0;
  }
  try {
    (*hop.sink)(std::string_view(data, len));
  } catch (...) {
    hop.sink_error = std::current_exception();
    return len == 0 ? 1 : 0;
  }
  hop.received += len;
  return len;
}

// The last line of defence against DNS rebinding: whatever curl resolved or was told, it may only
// connect to an address check_url has checked for this hop.
curl_socket_t on_open_socket(void* user, curlsocktype purpose, curl_sockaddr* addr) {
  auto& hop = *static_cast<HopState*>(user);
  if (purpose != CURLSOCKTYPE_IPCXN) return CURL_SOCKET_BAD;
  std::string ip = numeric_address(&addr->addr);
  const auto& ok = hop.checked->addresses;
  if (ip.empty() || std::find(ok.begin(), ok.end(), ip) == ok.end()) {
    hop.refused_address = ip.empty() ? "an unknown address" : ip;
    return CURL_SOCKET_BAD;
  }
  return ::socket(addr->family, addr->socktype | SOCK_CLOEXEC, addr->protocol);
}

bool is_ip_literal(const std::string& host) {
  in_addr v4{};
  return host.find(':') != std::string::npos || inet_pton(AF_INET, host.c_str(), &v4) == 1;
}

// "host:port:addr1,[v6addr]" so curl connects to the checked addresses instead of resolving again.
std::string resolve_entry(const CheckedUrl& c) {
  std::string entry = c.host + ":" + std::to_string(c.port) + ":";
  for (size_t i = 0; i < c.addresses.size(); ++i) {
    if (i > 0) entry += ",";
    const auto& a = c.addresses[i];
    entry += a.find(':') != std::string::npos ? "[" + a + "]" : a;
  }
  return entry;
}

SlistPtr append(SlistPtr list, const std::string& line) {
  curl_slist* grown = curl_slist_append(list.get(), line.c_str());
  if (grown == nullptr) throw Error::internal("curl_slist_append failed");
  (void)list.release();  // now owned through `grown`, which heads the same list
  return SlistPtr(grown);
}

template <typename T>
void set(CURL* curl, CURLoption option, T value) {
  if (curl_easy_setopt(curl, option, value) != CURLE_OK) {
    throw Error::internal("curl_easy_setopt(" + std::to_string(option) + ") failed");
  }
}

std::string format_limit(uint64_t bytes) {
  if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes >= 1024 && bytes % 1024 == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " bytes";
}

HopResult run_hop(const CheckedUrl& checked, const Request& req, const Sink& sink,
                  const FetchOptions& opts, std::chrono::milliseconds remaining,
                  bool may_redirect) {
  CurlPtr curl(curl_easy_init());
  if (!curl) throw Error::internal("curl_easy_init failed");
  CURL* c = curl.get();
  HopState state;
  state.curl = c;
  state.checked = &checked;
  state.sink = &sink;
  state.max_bytes = opts.max_bytes;
  state.any_status = opts.any_status;
  state.follows_redirects = may_redirect;
  char errbuf[CURL_ERROR_SIZE] = {};

  set(c, CURLOPT_URL, checked.url.c_str());
  set(c, CURLOPT_PROTOCOLS_STR, "http,https");
  set(c, CURLOPT_FOLLOWLOCATION, 0L);  // each hop is checked here, not followed blindly
  set(c, CURLOPT_PROXY, "");           // a proxy from the environment would bypass the pinning
  set(c, CURLOPT_NOSIGNAL, 1L);
  set(c, CURLOPT_ERRORBUFFER, errbuf);
  set(c, CURLOPT_USERAGENT, "paperd");
  set(c, CURLOPT_TIMEOUT_MS, static_cast<long>(remaining.count()));
  set(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min<int64_t>(remaining.count(), 10000)));
  if (!opts.any_status) set(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(opts.max_bytes));
  set(c, CURLOPT_WRITEFUNCTION, on_body);
  set(c, CURLOPT_WRITEDATA, &state);
  set(c, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
  set(c, CURLOPT_OPENSOCKETDATA, &state);

  SlistPtr resolve;
  if (!is_ip_literal(checked.host)) {
    resolve = append(std::move(resolve), resolve_entry(checked));
    set(c, CURLOPT_RESOLVE, resolve.get());
  }

  SlistPtr headers;
  for (const auto& h : req.headers) headers = append(std::move(headers), h);
  if (req.method == "HEAD") {
    set(c, CURLOPT_NOBODY, 1L);
  } else if (req.method != "GET") {
    // 100-continue would cost a round trip (or a one-second wait) for every webhook.
    headers = append(std::move(headers), "Expect:");
    set(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    set(c, CURLOPT_POSTFIELDS, req.body.data());
    if (req.method != "POST") set(c, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  }
  if (headers) set(c, CURLOPT_HTTPHEADER, headers.get());

  CURLcode rc = curl_easy_perform(c);
  if (state.sink_error) std::rethrow_exception(state.sink_error);
  if (state.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
    throw Error::input_too_large(opts.param + " answered with more than the limit of " +
                                 format_limit(opts.max_bytes));
  }
  if (!state.refused_address.empty()) {
    throw Error::invalid_request(opts.param + " host '" + checked.host +
                                 "' led to a connection to " + state.refused_address +
                                 ", which is not an address that was checked; refused");
  }
  if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && (state.skipped_body || state.truncated))) {
    std::string why = errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc);
    throw Error::invalid_request(opts.param + " request to host '" + checked.host +
                                 "' failed: " + why);
  }

  HopResult out;
  out.size = state.received;
  out.truncated = state.truncated;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out.status);
  char* text = nullptr;
  if (curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &text) == CURLE_OK && text) out.location = text;
  text = nullptr;
  if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &text) == CURLE_OK && text) {
    out.content_type = text;
  }
  curl_header* h = nullptr;
  if (curl_easy_header(c, "Content-Disposition", 0, CURLH_HEADER, -1, &h) == CURLHE_OK && h) {
    out.disposition = h->value;
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

// A server-chosen name must not become a path: keep its last component, without control
// characters, and refuse the names that mean a directory.
std::string safe_filename(std::string_view name) {
  auto slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name = name.substr(slash + 1);
  std::string out;
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u != 0x7f) out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  while (!out.empty() && out.front() == ' ') out.erase(out.begin());
  if (out == "." || out == "..") return {};
  if (out.size() > 255) out.resize(255);
  return out;
}

// filename*= (RFC 6266/5987, charset'language'percent-encoded) wins over filename=.
std::string filename_from_disposition(std::string_view cd) {
  std::string plain, extended;
  size_t i = 0;
  while (i < cd.size()) {
    size_t semi = cd.find(';', i);
    if (semi == std::string_view::npos) break;
    i = semi + 1;
    while (i < cd.size() && (cd[i] == ' ' || cd[i] == '\t')) ++i;
    size_t eq = cd.find('=', i);
    if (eq == std::string_view::npos) break;
    std::string key(cd.substr(i, eq - i));
    while (!key.empty() && key.back() == ' ') key.pop_back();
    for (auto& ch : key) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    i = eq + 1;
    while (i < cd.size() && cd[i] == ' ') ++i;
    std::string value;
    if (i < cd.size() && cd[i] == '"') {
      for (++i; i < cd.size() && cd[i] != '"'; ++i) {
        if (cd[i] == '\\' && i + 1 < cd.size()) ++i;
        value += cd[i];
      }
      if (i < cd.size()) ++i;  // closing quote
    } else {
      size_t end = cd.find(';', i);
      value = std::string(cd.substr(i, end == std::string_view::npos ? cd.npos : end - i));
      while (!value.empty() && value.back() == ' ') value.pop_back();
    }
    if (key == "filename") {
      plain = value;
    } else if (key == "filename*") {
      auto quote = value.find('\'');
      auto second = quote == std::string::npos ? quote : value.find('\'', quote + 1);
      if (second != std::string::npos) extended = percent_decode(value.substr(second + 1));
    }
  }
  if (auto name = safe_filename(extended); !name.empty()) return name;
  return safe_filename(plain);
}

// The URL is curl's normalised form (scheme://authority/path?query#fragment), so plain splitting
// finds the path.
std::string filename_from_url(std::string_view url) {
  auto authority = url.find("://");
  if (authority == std::string_view::npos) return {};
  std::string_view path = url.substr(authority + 3);
  path = path.substr(std::min(path.find('/'), path.size()));
  path = path.substr(0, path.find_first_of("?#"));
  auto slash = path.find_last_of('/');
  return safe_filename(percent_decode(slash == path.npos ? path : path.substr(slash + 1)));
}

bool is_redirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

void validate(const FetchOptions& opts) {
  if (opts.method.empty() || !std::all_of(opts.method.begin(), opts.method.end(),
                                          [](char c) { return c >= 'A' && c <= 'Z'; })) {
    throw Error::invalid_request(opts.param + " method '" + opts.method + "' is not valid");
  }
  for (const auto& h : opts.headers) {
    // A CR or LF would let a value smuggle further headers or a second request.
    if (h.find_first_of("\r\n") != std::string::npos || h.find(':') == std::string::npos) {
      throw Error::invalid_request(opts.param + " header '" + h + "' is not a single Name: value");
    }
  }
}

// Credentials meant for the first origin are not handed to wherever it redirects.
void drop_credentials(std::vector<std::string>& headers) {
  std::erase_if(headers, [](const std::string& h) {
    std::string name = h.substr(0, h.find(':'));
    for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return name == "authorization" || name == "proxy-authorization" || name == "cookie";
  });
}

FetchResult fetch(std::string_view url, const OutboundPolicy& policy, const FetchOptions& opts,
                  const Sink& sink) {
  init_curl();
  validate(opts);
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::seconds(opts.timeout_seconds);
  Request req{opts.method, opts.method == "GET" || opts.method == "HEAD" ? "" : opts.body,
              opts.headers};
  std::string current(url);
  std::string first_origin;
  for (int redirects = 0;; ++redirects) {
    CheckedUrl checked = check_url(current, policy, opts.param);
    std::string origin = checked.scheme + "://" + checked.host + ":" + std::to_string(checked.port);
    if (first_origin.empty()) first_origin = origin;
    if (origin != first_origin) drop_credentials(req.headers);

    auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (remaining.count() <= 0) {
      throw Error::invalid_request(opts.param + " request to host '" + checked.host +
                                   "' failed: no answer within " +
                                   std::to_string(opts.timeout_seconds) + " s");
    }
    HopResult hop = run_hop(checked, req, sink, opts, remaining, redirects < opts.max_redirects);

    bool follow = is_redirect(hop.status) && !hop.location.empty();
    if (follow && opts.any_status && redirects >= opts.max_redirects) follow = false;
    if (follow) {
      if (redirects >= opts.max_redirects) {
        throw Error::invalid_request(opts.param + " redirected more than " +
                                     std::to_string(opts.max_redirects) + " times");
      }
      // What browsers do: 303 always, and 301/302 after a POST, continue as a GET.
      if (req.method != "HEAD" &&
          (hop.status == 303 || (req.method == "POST" && hop.status <= 302))) {
        req.method = "GET";
        req.body.clear();
      }
      current = hop.location;
      continue;
    }
    if (!opts.any_status && (hop.status >= 300 || hop.status < 200)) {
      throw Error::invalid_request(opts.param + " answered HTTP " + std::to_string(hop.status));
    }
    FetchResult result;
    result.final_url = checked.url;
    result.content_type = hop.content_type;
    result.http_status = hop.status;
    result.size = hop.size;
    result.truncated = hop.truncated;
    result.filename = filename_from_disposition(hop.disposition);
    if (result.filename.empty()) result.filename = filename_from_url(checked.url);
    if (result.filename.empty()) result.filename = "download";
    return result;
  }
}

// The partly written download, removed unless it was renamed into place.
class PartFile {
 public:
  explicit PartFile(fs::path path) : path_(std::move(path)) {}
  ~PartFile() {
    if (path_.empty()) return;
    std::error_code ec;
    fs::remove(path_, ec);
  }
  PartFile(const PartFile&) = delete;
  PartFile& operator=(const PartFile&) = delete;
  void committed() { path_.clear(); }

 private:
  fs::path path_;
};

void write_all(int fd, std::string_view data, const fs::path& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error::internal("cannot write " + path.string() + ": " + std::strerror(errno));
    data.remove_prefix(static_cast<size_t>(n));
  }
}

}  // namespace

FetchResult fetch_to_file(std::string_view url, const fs::path& dest, const OutboundPolicy& policy,
                          const FetchOptions& opts) {
  std::string part = dest.string() + ".part-XXXXXX";
  core::UniqueFd fd(::mkostemp(part.data(), O_CLOEXEC));
  if (!fd) throw Error::internal("cannot create " + part + ": " + std::strerror(errno));
  PartFile guard(part);
  Sink sink = [&](std::string_view chunk) { write_all(fd.get(), chunk, part); };
  FetchResult result = fetch(url, policy, opts, sink);
  if (::fsync(fd.get()) != 0) {
    throw Error::internal("fsync failed on " + part + ": " + std::strerror(errno));
  }
  fd.reset();
  if (::rename(part.c_str(), dest.c_str()) != 0) {
    throw Error::internal("cannot rename to " + dest.string() + ": " + std::strerror(errno));
  }
  guard.committed();
  core::fsync_path(dest.parent_path().empty() ? fs::path(".") : dest.parent_path());
  return result;
}

FetchResult fetch_to_string(std::string_view url, std::string& body, const OutboundPolicy& policy,
                            const FetchOptions& opts) {
  std::string buffer;
  Sink sink = [&](std::string_view chunk) { buffer.append(chunk); };
  FetchResult result = fetch(url, policy, opts, sink);
  body = std::move(buffer);
  return result;
}

}  // namespace paperd::net
