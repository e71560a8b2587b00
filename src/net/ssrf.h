// The outbound-request guard of ARCHITECTURE §6: which addresses paperd may connect to on behalf
// of a request (source_url, URL→PDF, webhooks, website checks), and the check of a URL that pins
// the resolved addresses a later connection must use. Stateless; safe from any thread.
#pragma once

#include <sys/socket.h>

#include <string>
#include <string_view>
#include <vector>

namespace paperd::net {

// The operator's exceptions to the private-network refusal (PAPERD_OUTBOUND_ALLOW).
struct OutboundPolicy {
  // Host names ("example.internal", matched case-insensitively), IPs, or CIDRs ("10.0.0.0/8").
  std::vector<std::string> allow;

  // Parses a comma-separated list; a bad entry throws Error::invalid_request naming it.
  static OutboundPolicy parse(std::string_view comma_separated);
  // A policy that allows only the host of url: for an endpoint the operator configured (a
  // timestamp authority, an embeddings API), which is trusted even on a private network.
  static OutboundPolicy trusting_host_of(std::string_view url);
  // True when host is allow-listed by name: every address it resolves to is then accepted.
  bool allows_host(std::string_view host) const;
  // True when ip (textual IPv4 or IPv6) is listed or inside a listed CIDR. An IPv4-mapped IPv6
  // address matches the IPv4 entries too.
  bool allows_address(const std::string& ip) const;
};

// False for loopback, private (RFC 1918), CGNAT, link-local, unspecified, multicast, broadcast,
// reserved, benchmarking, documentation, unique-local and site-local addresses, for IPv6 forms that
// embed such an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo), and for text that is not an
// IP address.
bool is_public_address(const std::string& ip);

// A URL that passed check_url, with what the connection has to use.
struct CheckedUrl {
  std::string url;     // as curl parsed and normalised it; fetch with exactly this
  std::string scheme;  // "http" or "https"
  std::string host;    // without brackets for IPv6
  int port = 0;
  std::string address;                 // the first resolved IP; all of `addresses` were checked
  std::vector<std::string> addresses;  // every resolved IP: the only ones a connection may use
};

// Parses url (http or https only, no userinfo), resolves its host and checks every resolved
// address: a non-public one that the policy does not allow throws Error::invalid_request naming
// `param` (the request field, e.g. "source_url"), the host, the address and its kind.
CheckedUrl check_url(std::string_view url, const OutboundPolicy& policy,
                     std::string_view param = "url");

// The textual form of a socket address as check_url records it in CheckedUrl::addresses, so that
// the address a connection is about to use can be compared with the checked ones.
std::string numeric_address(const sockaddr* sa);

// libcurl's process-wide initialisation, done once (std::call_once). Everything in this folder
// that touches curl calls it first, so callers never have to.
void init_curl();

}  // namespace paperd::net
