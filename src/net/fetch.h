// Bounded HTTP(S) downloads for everything paperd fetches on a request's behalf (source_url,
// URL→PDF inputs, webhooks, website checks). Every hop passes check_url and the connection is
// pinned to the addresses that were checked. Each call owns its curl handle: safe from any thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "net/ssrf.h"

namespace paperd::net {

struct FetchOptions {
  uint64_t max_bytes = 25ull << 20;  // body limit; more is Error::input_too_large
  int timeout_seconds = 30;          // for the whole chain of hops
  int max_redirects = 5;
  std::string param = "url";         // the request field named in error messages
  std::vector<std::string> headers;  // "Name: value" lines sent with the request
  std::string method = "GET";
  std::string body;  // sent with methods other than GET and HEAD
  // Webhook-style exchange: an answer of any status is a result, not an error (http_status says
  // which; its body is kept like a 2xx body), a redirect beyond max_redirects is returned as that
  // 3xx answer instead of followed, and a body longer than max_bytes is cut there
  // (FetchResult::truncated) instead of refused.
  bool any_status = false;
};

struct FetchResult {
  std::string final_url;     // after redirects
  std::string content_type;  // as the server sent it, e.g. "application/pdf; charset=..."
  std::string filename;      // Content-Disposition, else the last path segment, else "download"
  uint64_t size = 0;
  long http_status = 0;
  bool truncated = false;  // any_status: the body was cut at max_bytes
};

// Downloads url into dest (written beside it and renamed into place, so dest never holds a part
// of a body). Follows up to max_redirects redirects itself, re-checking each hop. Throws
// Error::input_too_large over max_bytes and Error::invalid_request for a refused address, an HTTP
// status >= 400, a timeout or a connection error; dest is then left untouched.
FetchResult fetch_to_file(std::string_view url, const std::filesystem::path& dest,
                          const OutboundPolicy& policy, const FetchOptions& opts = {});

// The same into memory, for webhook answers and small JSON documents; body is only assigned on
// success.
FetchResult fetch_to_string(std::string_view url, std::string& body, const OutboundPolicy& policy,
                            const FetchOptions& opts = {});

}  // namespace paperd::net
