// The settings table: precedence, typed values, errors, and the README's table kept in step.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <sstream>

#include "core/config.h"
#include "core/error.h"

using paperd::core::Config;
using paperd::core::Error;

TEST(Config, SetAndGetRoundTripEverySetting) {
  Config c;
  for (const auto& s : paperd::core::settings()) {
    std::string v = c.get(s.key);
    c.set(s.key, v);  // every value it prints, it reads back
    EXPECT_EQ(c.get(s.key), v) << s.key;
  }
  c.set("workers", "7");
  EXPECT_EQ(c.workers, 7);
  c.set("test_pipelines", "yes");
  EXPECT_TRUE(c.test_pipelines);
}

TEST(Config, BadValuesNameTheSetting) {
  Config c;
  try {
    c.set("workers", "many");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), 400);
    EXPECT_NE(std::string(e.what()).find("workers"), std::string::npos);
  }
  EXPECT_THROW(c.set("no_such_setting", "1"), Error);
  EXPECT_THROW(c.set("access_log", "maybe"), Error);
}

TEST(Config, EnvironmentOverridesFile) {
  std::string file = ::testing::TempDir() + "/paperd-config.json";
  std::ofstream(file) << R"({"listen": "0.0.0.0:9000", "workers": 3, "log_level": "warn"})";
  setenv("PAPERD_WORKERS", "5", 1);
  Config c = Config::load(file);
  unsetenv("PAPERD_WORKERS");
  EXPECT_EQ(c.port(), 9000);
  EXPECT_EQ(c.host(), "0.0.0.0");
  EXPECT_EQ(c.workers, 5);
  EXPECT_EQ(c.log_level, "warn");
}

TEST(Config, ReadmeTableListsEverySetting) {
  std::ifstream in(std::string(PAPERD_SOURCE_DIR) + "/README.md");
  std::stringstream ss;
  ss << in.rdbuf();
  for (const auto& s : paperd::core::settings())
    EXPECT_NE(ss.str().find("| " + paperd::core::env_name(s) + " |"), std::string::npos)
        << paperd::core::env_name(s) << " is missing from README.md";
}
