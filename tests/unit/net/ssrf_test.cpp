// The outbound guard: address classification, the allow-list, and check_url's refusals. Only
// loopback names and literals are resolved, so the tests need no network.
#include "net/ssrf.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "core/error.h"

namespace paperd::net {
namespace {

using core::Error;

// Runs f, expects Error::invalid_request, and returns its message.
std::string refusal(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "INVALID_REQUEST") << e.what();
    EXPECT_EQ(e.status(), 400);
    return e.what();
  }
  ADD_FAILURE() << "no error was thrown";
  return {};
}

TEST(IsPublicAddress, RefusesEveryNonPublicKind) {
  for (const char* ip : {
           "127.0.0.1",
           "127.255.255.254",
           "10.1.2.3",
           "172.16.0.1",
           "172.31.255.255",
           "192.168.1.1",
           "169.254.169.254",
           "100.64.0.1",
           "100.127.255.255",
           "0.0.0.0",
           "0.1.2.3",
           "255.255.255.255",
           "224.0.0.1",
           "239.255.255.250",
           "240.0.0.1",
           "192.0.2.1",
           "198.51.100.7",
           "203.0.113.9",
           "198.18.0.1",
           "192.0.0.8",
           "::1",
           "::",
           "fe80::1",
           "febf::1",
           "fc00::1",
           "fd12:3456::1",
           "fec0::1",
           "ff02::1",
           "::ffff:127.0.0.1",
           "::ffff:10.0.0.1",
           "::127.0.0.1",
           "::ffff:0:7f00:1",
           "64:ff9b::7f00:1",
           "64:ff9b::a9fe:a9fe",  // NAT64 of 169.254.169.254
           "64:ff9b:1::1",
           "2002:7f00:1::",
           "2002:c0a8:101::1",  // 6to4 of 192.168.1.1
           "2001:0:7f00:1::",
           "2001:0:808:808::80ff:fffe",  // Teredo: server / client 127.0.0.1
           "2001:db8::1",
           "3fff::1",
           "100::1",
           "2001:2::1",
       }) {
    EXPECT_FALSE(is_public_address(ip)) << ip;
  }
}

TEST(IsPublicAddress, AcceptsPublicAddresses) {
  for (const char* ip : {"8.8.8.8", "1.1.1.1", "172.32.0.1", "172.15.255.255", "100.128.0.1",
                         "192.169.0.1", "223.255.255.255", "::ffff:8.8.8.8", "64:ff9b::808:808",
                         "2002:808:808::1", "2606:4700::1111", "2a00:1450:4001::200e"}) {
    EXPECT_TRUE(is_public_address(ip)) << ip;
  }
}

TEST(IsPublicAddress, TextThatIsNoAddressIsNotPublic) {
  EXPECT_FALSE(is_public_address(""));
  EXPECT_FALSE(is_public_address("localhost"));
  EXPECT_FALSE(is_public_address("2130706433"));  // only canonical forms are addresses here
  EXPECT_FALSE(is_public_address("8.8.8.8.8"));
}

TEST(OutboundPolicy, ParsesNamesAddressesAndRanges) {
  auto p = OutboundPolicy::parse(" 10.0.0.0/8, db.internal ,::1/128,,192.168.5.5, fd00::/8 ");
  EXPECT_EQ(p.allow, (std::vector<std::string>{"10.0.0.0/8", "db.internal", "::1/128",
                                               "192.168.5.5", "fd00::/8"}));
  EXPECT_TRUE(p.allows_address("10.200.1.1"));
  EXPECT_TRUE(p.allows_address("::ffff:10.200.1.1"));  // mapped form matches the IPv4 range
  EXPECT_FALSE(p.allows_address("11.0.0.1"));
  EXPECT_TRUE(p.allows_address("::1"));
  EXPECT_FALSE(p.allows_address("::2"));
  EXPECT_TRUE(p.allows_address("192.168.5.5"));
  EXPECT_FALSE(p.allows_address("192.168.5.6"));
  EXPECT_TRUE(p.allows_address("fd12::1"));
  EXPECT_FALSE(p.allows_address("fe80::1"));
  EXPECT_TRUE(p.allows_host("db.internal"));
  EXPECT_TRUE(p.allows_host("DB.Internal."));
  EXPECT_FALSE(p.allows_host("other.internal"));
  EXPECT_FALSE(p.allows_host("internal"));
  EXPECT_TRUE(OutboundPolicy::parse("").allow.empty());
}

TEST(OutboundPolicy, BadEntryIsNamed) {
  for (const char* bad : {"10.0.0.0/33", "::/129", "10.0.0.0/x", "not a host", "*.example.com",
                          "300.1.1.1/8", "a..b"}) {
    std::string msg = refusal([&] { OutboundPolicy::parse(std::string("ok.example,") + bad); });
    EXPECT_NE(msg.find(std::string("'") + bad + "'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("PAPERD_OUTBOUND_ALLOW"), std::string::npos) << msg;
  }
}

TEST(CheckUrl, RefusesLoopbackInEveryDisguise) {
  OutboundPolicy none;
  for (const char* url :
       {"http://127.0.0.1/", "http://localhost/", "http://2130706433/", "http://0x7f000001/",
        "http://127.1/", "http://0177.0.0.1/", "http://[::1]:8080/", "http://[::ffff:127.0.0.1]/",
        "HTTP://LOCALHOST./x", "https://127.0.0.1:8443/a?b#c"}) {
    std::string msg = refusal([&] { check_url(url, none, "source_url"); });
    EXPECT_EQ(msg.rfind("source_url host '", 0), 0u) << url << ": " << msg;
    EXPECT_NE(msg.find("a loopback address"), std::string::npos) << url << ": " << msg;
    EXPECT_NE(msg.find("PAPERD_OUTBOUND_ALLOW"), std::string::npos) << url << ": " << msg;
  }
}

TEST(CheckUrl, MessageNamesHostAddressAndKind) {
  std::string msg = refusal([] { check_url("http://169.254.169.254/latest/meta-data/", {}); });
  EXPECT_EQ(msg,
            "url host '169.254.169.254' resolves to 169.254.169.254, a link-local address; "
            "requests to private networks are refused (allow-list it with "
            "PAPERD_OUTBOUND_ALLOW)");
  msg = refusal([] { check_url("http://0.0.0.0:9/", {}, "webhook_url"); });
  EXPECT_NE(msg.find("webhook_url host '0.0.0.0' resolves to 0.0.0.0, an unspecified address"),
            std::string::npos)
      << msg;
}

TEST(CheckUrl, RefusesOtherSchemesAndUserinfo) {
  OutboundPolicy all = OutboundPolicy::parse("0.0.0.0/0,::/0");  // only the URL itself is at fault
  std::string msg = refusal([&] { check_url("ftp://x", all, "source_url"); });
  EXPECT_NE(msg.find("source_url scheme 'ftp'"), std::string::npos) << msg;
  msg = refusal([&] { check_url("file:///etc/passwd", all, "source_url"); });
  EXPECT_NE(msg.find("source_url scheme 'file'"), std::string::npos) << msg;
  msg = refusal([&] { check_url("gopher://127.0.0.1:70/", all, "source_url"); });
  EXPECT_NE(msg.find("scheme 'gopher'"), std::string::npos) << msg;
  msg = refusal([&] { check_url("http://user@127.0.0.1/", all, "source_url"); });
  EXPECT_NE(msg.find("source_url must not contain a user name"), std::string::npos) << msg;
  msg = refusal([&] { check_url("http://a:b@127.0.0.1/", all, "source_url"); });
  EXPECT_NE(msg.find("source_url must not contain a user name"), std::string::npos) << msg;
  msg = refusal([&] { check_url("http://public.example\\@127.0.0.1/", all, "source_url"); });
  EXPECT_NE(msg.find("source_url must not contain a user name"), std::string::npos) << msg;
  msg = refusal([&] { check_url("example.com/x", all, "source_url"); });
  EXPECT_NE(msg.find("source_url 'example.com/x' is not a valid URL"), std::string::npos) << msg;
  msg = refusal([&] { check_url("http://no-such-host.invalid/", all, "source_url"); });
  EXPECT_NE(msg.find("source_url host 'no-such-host.invalid' could not be resolved"),
            std::string::npos)
      << msg;
}

TEST(CheckUrl, AcceptsAllowListedLoopback) {
  for (const char* allow : {"127.0.0.1", "127.0.0.0/8", "::ffff:127.0.0.1"}) {
    auto policy = OutboundPolicy::parse(allow);
    CheckedUrl c = check_url("http://127.0.0.1:8080/a/b.pdf?x=1", policy, "source_url");
    EXPECT_EQ(c.scheme, "http") << allow;
    EXPECT_EQ(c.host, "127.0.0.1") << allow;
    EXPECT_EQ(c.port, 8080) << allow;
    EXPECT_EQ(c.address, "127.0.0.1") << allow;
    EXPECT_EQ(c.addresses, std::vector<std::string>{"127.0.0.1"}) << allow;
    EXPECT_EQ(c.url, "http://127.0.0.1:8080/a/b.pdf?x=1") << allow;
  }
  auto by_ip = OutboundPolicy::parse("127.0.0.1");
  EXPECT_EQ(check_url("http://2130706433/", by_ip).url, "http://127.0.0.1/");
  EXPECT_EQ(check_url("https://127.0.0.1/", by_ip).port, 443);
  // Allowing one loopback address does not allow its neighbours.
  refusal([&] { check_url("http://127.0.0.2/", by_ip); });
}

TEST(CheckUrl, HostNameAllowListCoversItsAddresses) {
  auto policy = OutboundPolicy::parse("localhost");
  CheckedUrl c = check_url("http://LocalHost:81/", policy);
  EXPECT_EQ(c.host, "localhost");
  EXPECT_FALSE(c.addresses.empty());
  for (const auto& a : c.addresses) EXPECT_FALSE(is_public_address(a)) << a;
  // The name does not allow the address by itself.
  refusal([&] { check_url("http://127.0.0.1/", policy); });
}

}  // namespace
}  // namespace paperd::net
