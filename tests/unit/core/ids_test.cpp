// Identifiers: job id format and validator, download tokens (format and uniqueness) and
// request ids.
#include "core/ids.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include "core/crypto.h"

namespace paperd::core {
namespace {

const std::regex kJobIdPattern(R"(^poai-job_\d+_\d+\.\d{4}_[0-9a-f]{8}$)");

TEST(JobId, MatchesContractFormat) {
  for (int priority : {0, 100, 550, 999}) {
    std::string id = make_job_id(priority, 1764445660.123456);
    EXPECT_TRUE(std::regex_match(id, kJobIdPattern)) << id;
    EXPECT_TRUE(is_job_id(id)) << id;
    EXPECT_EQ(id.rfind("poai-job_" + std::to_string(priority) + "_1764445660.1235_", 0), 0u) << id;
  }
}

TEST(JobId, KeepsFourDecimalsForWholeSeconds) {
  std::string id = make_job_id(400, 1764445660.0);
  EXPECT_EQ(id.rfind("poai-job_400_1764445660.0000_", 0), 0u) << id;
  EXPECT_TRUE(is_job_id(id)) << id;
}

TEST(JobId, RandomTailDiffers) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(make_job_id(100, 1764445660.5));
  EXPECT_GT(seen.size(), 990u);  // 32 random bits: a collision in 1000 draws is ~1e-4
}

TEST(JobId, ValidatorRejectsVariants) {
  const std::string good = "poai-job_850_1764445660.1234_0a1b2c3d";
  ASSERT_TRUE(is_job_id(good));
  for (const char* bad : {
           "",
           "poai-job_850_1764445660.1234_0a1b2c3",     // 7 hex
           "poai-job_850_1764445660.1234_0a1b2c3d4",   // 9 hex
           "poai-job_850_1764445660.1234_0A1B2C3D",    // upper-case hex
           "poai-job_850_1764445660.1234_0a1b2c3g",    // not hex
           "poai-job_850_1764445660.123_0a1b2c3d",     // 3 decimals
           "poai-job_850_1764445660.12345_0a1b2c3d",   // 5 decimals
           "poai-job_850_1764445660_0a1b2c3d",         // no fraction
           "poai-job__1764445660.1234_0a1b2c3d",       // no priority
           "poai-job_-1_1764445660.1234_0a1b2c3d",     // negative priority
           "poai-job_85x_1764445660.1234_0a1b2c3d",    // priority not a number
           "poai_job_850_1764445660.1234_0a1b2c3d",    // wrong prefix
           "job_850_1764445660.1234_0a1b2c3d",         // no prefix
           " poai-job_850_1764445660.1234_0a1b2c3d",   // leading space
           "poai-job_850_1764445660.1234_0a1b2c3d\n",  // trailing newline
           "poai-job_850_1764445660.1234_0a1b2c3d/x",  // path suffix
       })
    EXPECT_FALSE(is_job_id(bad)) << "'" << bad << "'";
}

TEST(DownloadToken, Is32CrockfordCharacters) {
  for (int i = 0; i < 100; ++i) {
    std::string t = make_download_token();
    ASSERT_EQ(t.size(), 32u) << t;
    for (char c : t) ASSERT_NE(kCrockford32.find(c), std::string_view::npos) << t;
    EXPECT_TRUE(is_download_token(t)) << t;
  }
}

TEST(DownloadToken, UniqueOver10kDraws) {
  std::set<std::string> seen;
  for (int i = 0; i < 10'000; ++i) seen.insert(make_download_token());
  EXPECT_EQ(seen.size(), 10'000u);
}

TEST(DownloadToken, ValidatorRejectsVariants) {
  const std::string good(32, 'A');
  ASSERT_TRUE(is_download_token(good));
  EXPECT_FALSE(is_download_token(std::string(31, 'A')));
  EXPECT_FALSE(is_download_token(std::string(33, 'A')));
  EXPECT_FALSE(is_download_token(""));
  // Crockford leaves out I, L, O, U; lower case is not the canonical form.
  for (char c : {'I', 'L', 'O', 'U', 'a', 'z', '-', '_', ' '}) {
    std::string t = good;
    t[17] = c;
    EXPECT_FALSE(is_download_token(t)) << t;
  }
}

TEST(RequestId, HasPrefixAndSixteenHexDigits) {
  static const std::regex kPattern(R"(^req_[0-9a-f]{16}$)");
  std::string a = make_request_id(), b = make_request_id();
  EXPECT_TRUE(std::regex_match(a, kPattern)) << a;
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace paperd::core
