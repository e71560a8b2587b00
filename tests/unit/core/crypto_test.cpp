// Crypto helpers: random strings stay inside their alphabet and use all of it, constant-time
// comparison, hex round trips and rejection of bad hex, SHA-256 against known vectors.
#include "core/crypto.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "core/error.h"

namespace paperd::core {
namespace {

TEST(RandomBytes, LengthAndVariety) {
  EXPECT_EQ(random_bytes(0), "");
  std::string a = random_bytes(64), b = random_bytes(64);
  EXPECT_EQ(a.size(), 64u);
  EXPECT_NE(a, b);
}

TEST(RandomString, OnlyAlphabetCharacters) {
  for (std::string_view alphabet :
       {kCrockford32, kBase62, std::string_view("ab"), std::string_view("xyz")}) {
    std::string s = random_string(5000, alphabet);
    ASSERT_EQ(s.size(), 5000u);
    std::set<char> used(s.begin(), s.end());
    for (char c : used) EXPECT_NE(alphabet.find(c), std::string_view::npos) << c;
    // 5000 draws over at most 62 symbols: every symbol shows up.
    EXPECT_EQ(used.size(), alphabet.size()) << alphabet;
  }
  EXPECT_EQ(random_string(0, kBase62), "");
  EXPECT_EQ(random_string(7, "q"), "qqqqqqq");
}

TEST(RandomString, RoughlyUniform) {
  // 62 does not divide 256: without rejection sampling the first 8 symbols would be ~25% more
  // frequent than the rest. 124k draws give ~2000 per symbol (sd ~45).
  std::string s = random_string(124'000, kBase62);
  std::map<char, int> counts;
  for (char c : s) ++counts[c];
  int first8 = 0, last8 = 0;
  for (int i = 0; i < 8; ++i) {
    first8 += counts[kBase62[i]];
    last8 += counts[kBase62[kBase62.size() - 1 - i]];
  }
  EXPECT_LT(first8, last8 * 1.1) << first8 << " vs " << last8;
  EXPECT_GT(first8, last8 * 0.9) << first8 << " vs " << last8;
}

TEST(ConstantTimeEqual, ComparesContentAndLength) {
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "Abc"));
  EXPECT_FALSE(constant_time_equal("abc", "ab"));
  EXPECT_FALSE(constant_time_equal("ab", "abc"));
  EXPECT_FALSE(constant_time_equal("", "a"));
  std::string with_nul("a\0b", 3), other_nul("a\0c", 3);
  EXPECT_TRUE(constant_time_equal(with_nul, std::string("a\0b", 3)));
  EXPECT_FALSE(constant_time_equal(with_nul, other_nul));
}

TEST(Hex, RoundTripsEveryByte) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  std::string h = hex(all);
  ASSERT_EQ(h.size(), 512u);
  EXPECT_EQ(h.substr(0, 8), "00010203");
  EXPECT_EQ(h.substr(504), "fcfdfeff");
  for (char c : h) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << c;
  EXPECT_EQ(from_hex(h), all);
  EXPECT_EQ(hex(""), "");
  EXPECT_EQ(from_hex(""), "");
}

TEST(Hex, AcceptsUpperCase) {
  EXPECT_EQ(from_hex("DEADbeef"), std::string("\xde\xad\xbe\xef"));
}

TEST(Hex, RejectsBadInput) {
  for (const char* bad : {"abc", "0", "zz", "0g", "g0", " 00", "00 ", "0x00", "-1"}) {
    try {
      from_hex(bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const Error& e) {
      EXPECT_EQ(e.status(), 400) << bad;
      EXPECT_EQ(e.code(), "INVALID_REQUEST") << bad;
    }
  }
}

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(hex(sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hex(sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256("abc").size(), 32u);
}

}  // namespace
}  // namespace paperd::core
