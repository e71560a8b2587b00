#include "net/ssrf.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>

#include "core/error.h"

namespace paperd::net {

using core::Error;

namespace {

// Every address is handled in its IPv6 form; IPv4 becomes ::ffff:a.b.c.d, so one classifier and one
// CIDR matcher serve both families and a mapped address can never slip past an IPv4 rule.
using Bytes = std::array<uint8_t, 16>;

std::optional<Bytes> parse_ip(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  std::string s(text);
  Bytes b{};
  in_addr v4{};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    b[10] = b[11] = 0xff;
    std::memcpy(b.data() + 12, &v4, 4);
    return b;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    std::memcpy(b.data(), &v6, 16);
    return b;
  }
  return std::nullopt;
}

uint32_t v4_at(const Bytes& b, size_t offset) {
  return (uint32_t{b[offset]} << 24) | (uint32_t{b[offset + 1]} << 16) |
         (uint32_t{b[offset + 2]} << 8) | uint32_t{b[offset + 3]};
}

struct Range4 {
  uint32_t net;
  int len;
  std::string_view kind;
};

// IANA special-purpose IPv4 registry, reduced to what must never be reached from outside. First
// match wins, so the broadcast address comes before 240/4.
constexpr Range4 kNonPublic4[] = {
    {0x00000000, 8, "unspecified"},         // 0.0.0.0/8 "this network"
    {0x0A000000, 8, "private"},             // 10/8
    {0x64400000, 10, "carrier-grade NAT"},  // 100.64/10
    {0x7F000000, 8, "loopback"},            // 127/8
    {0xA9FE0000, 16, "link-local"},         // 169.254/16 (cloud metadata lives here)
    {0xAC100000, 12, "private"},            // 172.16/12
    {0xC0000000, 24, "reserved"},           // 192.0.0/24 IETF protocol assignments
    {0xC0000200, 24, "documentation"},      // 192.0.2/24 TEST-NET-1
    {0xC0586300, 24, "reserved"},           // 192.88.99/24 deprecated 6to4 relay anycast
    {0xC0A80000, 16, "private"},            // 192.168/16
    {0xC6120000, 15, "benchmarking"},       // 198.18/15
    {0xC6336400, 24, "documentation"},      // 198.51.100/24 TEST-NET-2
    {0xCB007100, 24, "documentation"},      // 203.0.113/24 TEST-NET-3
    {0xE0000000, 4, "multicast"},           // 224/4
    {0xFFFFFFFF, 32, "broadcast"},          // 255.255.255.255
    {0xF0000000, 4, "reserved"},            // 240/4
};

std::string_view kind4(uint32_t a) {
  for (const auto& r : kNonPublic4) {
    uint32_t mask = r.len == 0 ? 0 : ~uint32_t{0} << (32 - r.len);
    if ((a & mask) == r.net) return r.kind;
  }
  return {};
}

// The kind of a non-public address ("loopback", "private", ...), or empty for a public one.
std::string_view non_public_kind(const Bytes& b) {
  auto group = [&](int i) { return static_cast<uint16_t>((b[2 * i] << 8) | b[2 * i + 1]); };
  auto zero_until = [&](size_t n) {
    return std::all_of(b.begin(), b.begin() + n, [](uint8_t x) { return x == 0; });
  };

  if (zero_until(16)) return "unspecified";
  if (zero_until(15) && b[15] == 1) return "loopback";
  // IPv4-mapped ::ffff:0:0/96, IPv4-compatible ::/96 and SIIT ::ffff:0:0:0/96 all reach the
  // embedded IPv4 address, so they are what that address is.
  if (zero_until(10) && group(5) == 0xffff) return kind4(v4_at(b, 12));
  if (zero_until(12)) return kind4(v4_at(b, 12));
  if (zero_until(8) && group(4) == 0xffff && group(5) == 0) return kind4(v4_at(b, 12));
  // NAT64 (RFC 6052) translates to the embedded address; the local-use prefix is site-internal.
  if (group(0) == 0x0064 && group(1) == 0xff9b && group(2) == 0 && group(3) == 0 && group(4) == 0 &&
      group(5) == 0) {
    return kind4(v4_at(b, 12));
  }
  if (group(0) == 0x0064 && group(1) == 0xff9b && group(2) == 0x0001) return "private";
  // Teredo carries the server address and the client address (bit-inverted); either can be used
  // to reach an inside host.
  if (group(0) == 0x2001 && group(1) == 0x0000) {
    auto server = kind4(v4_at(b, 4));
    if (!server.empty()) return server;
    return kind4(~v4_at(b, 12));
  }
  if (group(0) == 0x2001 && group(1) == 0x0db8) return "documentation";
  if (group(0) == 0x2001 && group(1) == 0x0002 && group(2) == 0) return "benchmarking";
  if (group(0) == 0x2001 && ((group(1) & 0xfff0) == 0x0010 || (group(1) & 0xfff0) == 0x0020)) {
    return "reserved";  // ORCHID
  }
  if (group(0) == 0x2002) return kind4(v4_at(b, 2));  // 6to4 embeds the IPv4 address
  if (group(0) == 0x3fff && (group(1) & 0xf000) == 0) return "documentation";  // 3fff::/20
  if ((b[0] & 0xfe) == 0xfc) return "unique-local";
  if ((group(0) & 0xffc0) == 0xfe80) return "link-local";
  if ((group(0) & 0xffc0) == 0xfec0) return "site-local";
  if (b[0] == 0xff) return "multicast";
  // Only 2000::/3 is allocated for global unicast; the rest (100::/64 discard, ...) is not public.
  if ((b[0] & 0xe0) != 0x20) return "reserved";
  return {};
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Host names compare without case, brackets or the trailing root dot.
std::string normalise_host(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  return lower(host);
}

struct Cidr {
  Bytes net;
  int len;
};

std::optional<Cidr> parse_cidr(std::string_view entry) {
  auto slash = entry.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::string_view addr = entry.substr(0, slash), bits = entry.substr(slash + 1);
  auto ip = parse_ip(addr);
  if (!ip) return std::nullopt;
  int len = -1;
  auto [end, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), len);
  if (ec != std::errc() || end != bits.data() + bits.size() || bits.empty()) return std::nullopt;
  bool v4 = addr.find(':') == std::string_view::npos;
  if (len < 0 || len > (v4 ? 32 : 128)) return std::nullopt;
  return Cidr{*ip, v4 ? len + 96 : len};
}

bool in_cidr(const Bytes& ip, const Cidr& c) {
  for (int i = 0; i < 16; ++i) {
    int bits = std::clamp(c.len - 8 * i, 0, 8);
    auto mask = static_cast<uint8_t>(bits == 0 ? 0 : 0xff << (8 - bits));
    if ((ip[i] & mask) != (c.net[i] & mask)) return false;
  }
  return true;
}

bool is_host_name(std::string_view s) {
  if (!s.empty() && s.back() == '.') s.remove_suffix(1);
  if (s.empty() || s.size() > 253) return false;
  size_t label = 0;
  for (char c : s) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
    if (++label > 63) return false;
  }
  return label > 0;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

struct CurlUrlFree {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
struct CurlStrFree {
  void operator()(char* s) const { curl_free(s); }
};
using CurlStr = std::unique_ptr<char, CurlStrFree>;

// One part of a parsed URL, or nullopt when the URL has none.
std::optional<std::string> url_part(CURLU* u, CURLUPart part, unsigned flags = 0) {
  char* raw = nullptr;
  if (curl_url_get(u, part, &raw, flags) != CURLUE_OK || raw == nullptr) return std::nullopt;
  CurlStr owned(raw);
  return std::string(owned.get());
}

struct AddrInfoFree {
  void operator()(addrinfo* a) const { freeaddrinfo(a); }
};

std::vector<std::string> resolve(const std::string& host, std::string_view param) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* raw = nullptr;
  int rc = getaddrinfo(host.c_str(), nullptr, &hints, &raw);
  std::unique_ptr<addrinfo, AddrInfoFree> list(raw);
  if (rc != 0) {
    throw Error::invalid_request(std::string(param) + " host '" + host +
                                 "' could not be resolved (" + gai_strerror(rc) + ")");
  }
  std::vector<std::string> out;
  for (const addrinfo* a = list.get(); a != nullptr; a = a->ai_next) {
    std::string ip = numeric_address(a->ai_addr);
    if (!ip.empty() && std::find(out.begin(), out.end(), ip) == out.end()) out.push_back(ip);
  }
  if (out.empty()) {
    throw Error::invalid_request(std::string(param) + " host '" + host +
                                 "' resolves to no IPv4 or IPv6 address");
  }
  return out;
}

}  // namespace

void init_curl() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw Error::internal("curl_global_init failed");
    }
  });
}

std::string numeric_address(const sockaddr* sa) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (sa->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(sa);
    if (inet_ntop(AF_INET, &in->sin_addr, buf, sizeof buf) != nullptr) return buf;
  } else if (sa->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
    if (inet_ntop(AF_INET6, &in6->sin6_addr, buf, sizeof buf) != nullptr) return buf;
  }
  return {};
}

OutboundPolicy OutboundPolicy::parse(std::string_view comma_separated) {
  OutboundPolicy policy;
  std::string_view rest = comma_separated;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    std::string_view entry = trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    if (entry.empty()) continue;
    bool ok = entry.find('/') != std::string_view::npos ? parse_cidr(entry).has_value()
                                                        : parse_ip(entry) || is_host_name(entry);
    if (!ok) {
      throw Error::invalid_request("PAPERD_OUTBOUND_ALLOW entry '" + std::string(entry) +
                                   "' is not a host name, IP address or CIDR range");
    }
    policy.allow.emplace_back(entry);
  }
  return policy;
}

OutboundPolicy OutboundPolicy::trusting_host_of(std::string_view url) {
  size_t start = url.find("://");
  std::string_view host = url.substr(start == std::string_view::npos ? 0 : start + 3);
  host = host.substr(0, host.find_first_of("/?#"));
  if (host.starts_with('['))
    host = host.substr(1, host.find(']') - 1);
  else
    host = host.substr(0, host.find(':'));
  OutboundPolicy policy;
  policy.allow.emplace_back(host);
  return policy;
}

bool OutboundPolicy::allows_host(std::string_view host) const {
  std::string wanted = normalise_host(host);
  if (wanted.empty()) return false;
  return std::any_of(allow.begin(), allow.end(), [&](const std::string& entry) {
    return entry.find('/') == std::string::npos && normalise_host(entry) == wanted;
  });
}

bool OutboundPolicy::allows_address(const std::string& ip) const {
  auto addr = parse_ip(ip);
  if (!addr) return false;
  for (const auto& entry : allow) {
    if (auto cidr = parse_cidr(entry)) {
      if (in_cidr(*addr, *cidr)) return true;
    } else if (auto single = parse_ip(entry)) {
      if (*single == *addr) return true;
    }
  }
  return false;
}

bool is_public_address(const std::string& ip) {
  auto addr = parse_ip(ip);
  return addr && non_public_kind(*addr).empty();
}

CheckedUrl check_url(std::string_view url, const OutboundPolicy& policy, std::string_view param) {
  init_curl();
  const std::string p(param);
  std::unique_ptr<CURLU, CurlUrlFree> u(curl_url());
  if (!u) throw Error::internal("curl_url() failed");
  // Parse with curl's own parser, and fetch the URL it gives back: what is checked is then exactly
  // what curl connects to (no parser differential on "\", "@", numeric hosts like 0x7f000001).
  CURLUcode rc =
      curl_url_set(u.get(), CURLUPART_URL, std::string(url).c_str(), CURLU_NON_SUPPORT_SCHEME);
  if (rc != CURLUE_OK) {
    throw Error::invalid_request(p + " '" + std::string(url) + "' is not a valid URL (" +
                                 curl_url_strerror(rc) + ")");
  }
  CheckedUrl out;
  out.scheme = lower(url_part(u.get(), CURLUPART_SCHEME).value_or(""));
  if (out.scheme != "http" && out.scheme != "https") {
    throw Error::invalid_request(p + " scheme '" + out.scheme +
                                 "' is not allowed; only http and https URLs are fetched");
  }
  if (url_part(u.get(), CURLUPART_USER) || url_part(u.get(), CURLUPART_PASSWORD) ||
      url_part(u.get(), CURLUPART_OPTIONS)) {
    // "https://trusted.example@10.0.0.1/" reads as one host and goes to another.
    throw Error::invalid_request(p + " must not contain a user name or password (user@host); " +
                                 "send credentials in a header");
  }
  if (url_part(u.get(), CURLUPART_ZONEID)) {
    throw Error::invalid_request(p + " must not carry an IPv6 zone id");
  }
  auto host = url_part(u.get(), CURLUPART_HOST, CURLU_PUNYCODE);
  if (!host || host->empty()) throw Error::invalid_request(p + " has no host");
  out.host = normalise_host(*host);
  if (std::any_of(out.host.begin(), out.host.end(),
                  [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
    throw Error::invalid_request(p + " host '" + out.host +
                                 "' is not ASCII; give it in its punycode form (xn--...)");
  }
  auto port = url_part(u.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
  out.port = port ? std::atoi(port->c_str()) : 0;
  if (out.port <= 0 || out.port > 65535) throw Error::invalid_request(p + " has no valid port");
  out.url = url_part(u.get(), CURLUPART_URL).value_or(std::string(url));

  out.addresses = resolve(out.host, p);
  out.address = out.addresses.front();
  // An allow-listed name vouches for whatever it resolves to; otherwise each address must be
  // public or allow-listed itself. One bad answer refuses the URL: curl may try any of them.
  if (policy.allows_host(out.host)) return out;
  for (const auto& ip : out.addresses) {
    if (policy.allows_address(ip)) continue;
    auto addr = parse_ip(ip);
    std::string_view kind = addr ? non_public_kind(*addr) : "unparsable";
    if (kind.empty()) continue;
    std::string article = kind == "unspecified" || kind == "unparsable" ? "an " : "a ";
    throw Error::invalid_request(p + " host '" + out.host + "' resolves to " + ip + ", " + article +
                                 std::string(kind) +
                                 " address; requests to private networks are refused (allow-list "
                                 "it with PAPERD_OUTBOUND_ALLOW)");
  }
  return out;
}

}  // namespace paperd::net
