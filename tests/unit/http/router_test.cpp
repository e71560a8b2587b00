// Router: literal segments beat {params}, suffix segments ("{y}.pbf"), 405 data for a path that
// exists under another method, duplicate detection, slash normalization and unknown paths.
#include "http/router.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/error.h"

namespace paperd::http {
namespace {

Route make_route(std::string method, std::string path) {
  Route r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.title = r.method + " " + r.path;
  return r;
}

std::string path_of(const Match& m) {
  return m.route ? m.route->method + " " + m.route->path : std::string("<none>");
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    // Declared param-first so a literal winning cannot be an accident of declaration order.
    router_.add(make_route("GET", "/document_intelligence/entities/{document_id}"));
    router_.add(make_route("GET", "/document_intelligence/entities/search"));
    router_.add(make_route("GET", "/maptiles/tiles/get/{z}/{x}/{y}.pbf"));
    router_.add(make_route("GET", "/health"));
    router_.add(make_route("GET", "/job/get/{job_id}"));
    router_.add(make_route("DELETE", "/job/get/{job_id}"));
    router_.add(make_route("POST", "/job/cancel/{job_id}"));
    router_.add(make_route("GET", "/a/{x}/c"));
    router_.add(make_route("GET", "/a/b/{y}"));
  }
  Router router_;
};

TEST_F(RouterTest, LiteralSegmentBeatsParameter) {
  Match m = router_.match("GET", "/document_intelligence/entities/search");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->path, "/document_intelligence/entities/search");
  EXPECT_TRUE(m.path_params.empty());
  EXPECT_TRUE(m.allowed_methods.empty());
}

TEST_F(RouterTest, ParameterSegmentCapturesValue) {
  Match m = router_.match("GET", "/document_intelligence/entities/abc");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->path, "/document_intelligence/entities/{document_id}");
  ASSERT_EQ(m.path_params.size(), 1u);
  EXPECT_EQ(m.path_params.at("document_id"), "abc");
}

TEST_F(RouterTest, EarlierLiteralSegmentWinsOverLaterOne) {
  // /a/b/c fits both /a/{x}/c and /a/b/{y}; the leftmost literal decides.
  Match m = router_.match("GET", "/a/b/c");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->path, "/a/b/{y}");
  EXPECT_EQ(m.path_params.at("y"), "c");
  Match other = router_.match("GET", "/a/z/c");
  ASSERT_NE(other.route, nullptr);
  EXPECT_EQ(other.route->path, "/a/{x}/c");
  EXPECT_EQ(other.path_params.at("x"), "z");
}

TEST_F(RouterTest, SuffixSegmentGivesAllParameters) {
  Match m = router_.match("GET", "/maptiles/tiles/get/14/8716/5683.pbf");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->path, "/maptiles/tiles/get/{z}/{x}/{y}.pbf");
  EXPECT_EQ(m.path_params.at("z"), "14");
  EXPECT_EQ(m.path_params.at("x"), "8716");
  EXPECT_EQ(m.path_params.at("y"), "5683");
  EXPECT_EQ(m.path_params.size(), 3u);
}

TEST_F(RouterTest, SuffixSegmentRequiresTheSuffix) {
  EXPECT_EQ(router_.match("GET", "/maptiles/tiles/get/14/8716/5683").route, nullptr);
  EXPECT_EQ(router_.match("GET", "/maptiles/tiles/get/14/8716/5683.png").route, nullptr);
  EXPECT_EQ(router_.match("GET", "/maptiles/tiles/get/14/8716/5683.pbfx").route, nullptr);
  // The parameter in front of the suffix may not be empty.
  EXPECT_EQ(router_.match("GET", "/maptiles/tiles/get/14/8716/.pbf").route, nullptr);
}

TEST_F(RouterTest, WrongMethodReportsAllowedMethods) {
  Match m = router_.match("POST", "/job/get/abc");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(sorted(m.allowed_methods), (std::vector<std::string>{"DELETE", "GET"}));

  Match literal = router_.match("POST", "/health");
  EXPECT_EQ(literal.route, nullptr);
  EXPECT_EQ(literal.allowed_methods, (std::vector<std::string>{"GET"}));

  Match cancel = router_.match("GET", "/job/cancel/abc");
  EXPECT_EQ(cancel.route, nullptr);
  EXPECT_EQ(cancel.allowed_methods, (std::vector<std::string>{"POST"}));
}

TEST_F(RouterTest, MatchingMethodLeavesAllowedMethodsEmpty) {
  Match m = router_.match("DELETE", "/job/get/abc");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->method, "DELETE");
  EXPECT_EQ(m.path_params.at("job_id"), "abc");
  EXPECT_TRUE(m.allowed_methods.empty());
}

TEST_F(RouterTest, UnknownPathHasNoRouteAndNoAllowedMethods) {
  for (const char* p : {"/nope", "/document_intelligence/entities", "/document_intelligence",
                        "/document_intelligence/entities/abc/extra", "/", ""}) {
    Match m = router_.match("GET", p);
    EXPECT_EQ(m.route, nullptr) << p << " -> " << path_of(m);
    EXPECT_TRUE(m.allowed_methods.empty()) << p;
    EXPECT_TRUE(m.path_params.empty()) << p;
  }
}

TEST_F(RouterTest, TrailingAndDoubleSlashesNormalize) {
  for (const char* p : {"/health/", "//health", "/health//", "health"}) {
    Match m = router_.match("GET", p);
    ASSERT_NE(m.route, nullptr) << p;
    EXPECT_EQ(m.route->path, "/health") << p;
  }
  for (const char* p :
       {"/document_intelligence//entities/search/", "//document_intelligence/entities//search"}) {
    Match m = router_.match("GET", p);
    ASSERT_NE(m.route, nullptr) << p;
    EXPECT_EQ(m.route->path, "/document_intelligence/entities/search") << p;
  }
  Match m = router_.match("GET", "/job//get/xyz/");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->path, "/job/get/{job_id}");
  EXPECT_EQ(m.path_params.at("job_id"), "xyz");
}

TEST_F(RouterTest, MethodIsCaseSensitive) {
  // The server upper-cases nothing for us: "get" is not a declared method.
  Match m = router_.match("get", "/health");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allowed_methods, (std::vector<std::string>{"GET"}));
}

TEST(RouterAdd, DuplicateMethodAndPathThrows) {
  Router r;
  r.add(make_route("GET", "/job/get/{job_id}"));
  try {
    r.add(make_route("GET", "/job/get/{job_id}"));
    FAIL() << "duplicate route accepted";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.status(), 500);
    EXPECT_EQ(e.code(), "INTERNAL_ERROR");
    EXPECT_NE(std::string(e.what()).find("GET /job/get/{job_id}"), std::string::npos) << e.what();
  }
  EXPECT_EQ(r.routes().size(), 1u);
  // Same path under another method is not a duplicate.
  EXPECT_NO_THROW(r.add(make_route("DELETE", "/job/get/{job_id}")));
  EXPECT_EQ(r.routes().size(), 2u);
}

TEST(RouterAdd, UnclosedBraceThrows) {
  Router r;
  EXPECT_THROW(r.add(make_route("GET", "/job/get/{job_id")), core::Error);
  EXPECT_TRUE(r.routes().empty());
}

TEST(RouterAdd, DuplicateAfterSlashNormalizationThrows) {
  Router r;
  r.add(make_route("GET", "/health"));
  EXPECT_THROW(r.add(make_route("GET", "/health/")), core::Error);
  EXPECT_THROW(r.add(make_route("GET", "//health")), core::Error);
}

TEST(RouterAdd, SameShapeWithOtherParameterNameThrows) {
  Router r;
  r.add(make_route("GET", "/job/get/{job_id}"));
  EXPECT_THROW(r.add(make_route("GET", "/job/get/{id}")), core::Error);
}

}  // namespace
}  // namespace paperd::http
