// Headless Chromium over the DevTools pipe: uploaded HTML and its stylesheet from the private
// origin, injected CSS and JS, wait_for, page setup, and every other request handed to the
// loader (refusals are listed; a refused main document fails the print with the loader's error).
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

#include "convert_fixtures.h"
#include "core/error.h"
#include "core/fs.h"
#include "engines/convert/chromium_printer.h"

namespace cv = paperd::engines::convert;
namespace fx = paperd::testing::convert;
using paperd::core::Error;
using paperd::core::TempDir;

namespace {

cv::WebLoader refuse_all(std::vector<std::string>* seen = nullptr) {
  auto mu = std::make_shared<std::mutex>();
  return [seen, mu](const cv::WebRequest& r) -> cv::WebResponse {
    if (seen) {
      std::lock_guard lock(*mu);
      seen->push_back(r.url);
    }
    throw Error::invalid_request("url refused by the test loader: " + r.url);
  };
}

}  // namespace

TEST(ChromiumPrinter, PaperSizes) {
  EXPECT_EQ(cv::paper_size_inches("a4")->first, 8.27);
  EXPECT_EQ(cv::paper_size_inches("Letter")->second, 11.0);
  EXPECT_TRUE(cv::paper_size_inches("LEGAL"));
  EXPECT_TRUE(cv::paper_size_inches("A3"));
  EXPECT_FALSE(cv::paper_size_inches("A5"));
}

TEST(ChromiumPrinter, LocalHtmlWithStylesheetInjectionsAndWait) {
  TempDir dir(std::filesystem::temp_directory_path(), "chromium-test-");
  paperd::core::atomic_write_file(
      dir.path() / "page.html",
      "<html><head><title>Quarterly Report</title><link rel=stylesheet href='style.css'></head>"
      "<body><h1>Revenue went up</h1><img src='http://10.20.30.40/track.png'>"
      "<script>setTimeout(() => { const d = document.createElement('div'); d.id = 'late';"
      " d.textContent = 'LATECONTENT'; document.body.appendChild(d); }, 300);</script>"
      "</body></html>");
  paperd::core::atomic_write_file(dir.path() / "style.css",
                                  "h1::after { content: ' STYLESHEETWORD'; }");
  cv::PrintRequest req;
  req.url = std::string(cv::kLocalOrigin) + "index.html";
  req.local_files = {{"index.html", dir.path() / "page.html"},
                     {"style.css", dir.path() / "style.css"}};
  req.inject_css = "body::before { content: 'CSSWORD '; }";
  req.inject_js = "document.body.append(' JSWORD ' + document.cookie)";
  req.cookies = {{"session", "abc123"}};
  req.wait_selector = "#late";
  req.page.landscape = true;
  req.timeout_ms = 60000;
  std::vector<std::string> seen;
  cv::ChromiumOptions options;
  options.work_dir = dir.path() / "work";
  auto result = cv::print_to_pdf(options, req, refuse_all(&seen), dir.path() / "out.pdf");

  std::string text = fx::pdf_text(dir.path() / "out.pdf");
  EXPECT_NE(text.find("Revenue went up"), std::string::npos) << text;
  EXPECT_NE(text.find("STYLESHEETWORD"), std::string::npos) << "companion file served";
  EXPECT_NE(text.find("CSSWORD"), std::string::npos) << "inject_css applied";
  EXPECT_NE(text.find("JSWORD session=abc123"), std::string::npos) << "inject_js and cookies";
  EXPECT_NE(text.find("LATECONTENT"), std::string::npos) << "waited for #late";
  EXPECT_EQ(result.title, "Quarterly Report");
  // A4 landscape: about 842 x 595 points.
  std::string size = fx::pdf_info(dir.path() / "out.pdf", "Page size");
  double width = std::stod(size), height = std::stod(size.substr(size.find('x') + 1));
  EXPECT_NEAR(width, 842, 2) << size;
  EXPECT_NEAR(height, 595, 2) << size;
  // The tracking pixel went to the loader, which refused it.
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0], "http://10.20.30.40/track.png");
  bool listed = false;
  for (auto& b : result.blocked) listed |= b.starts_with("http://10.20.30.40/track.png");
  EXPECT_TRUE(listed);
}

TEST(ChromiumPrinter, RefusedMainDocumentFailsWithTheLoadersError) {
  TempDir dir(std::filesystem::temp_directory_path(), "chromium-test-");
  cv::PrintRequest req;
  req.url = "http://intranet.example/secret";
  req.timeout_ms = 60000;
  cv::ChromiumOptions options;
  options.work_dir = dir.path();
  try {
    cv::print_to_pdf(options, req, refuse_all(), dir.path() / "out.pdf");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), 400);
    EXPECT_NE(std::string(e.what()).find("intranet.example/secret"), std::string::npos) << e.what();
  }
}

TEST(ChromiumPrinter, LoaderServesPagesAndBadScriptIsA400) {
  TempDir dir(std::filesystem::temp_directory_path(), "chromium-test-");
  std::atomic<int> calls{0};
  cv::WebLoader loader = [&calls](const cv::WebRequest& r) {
    ++calls;
    cv::WebResponse res;
    if (r.url == "http://site.example/start") {
      res.redirect_to = "http://site.example/final/page.html";
    } else if (r.url == "http://site.example/final/page.html") {
      res.content_type = "text/html";
      res.body = "<p>Served by the loader</p><img src='pic.png'>";
    } else {
      throw Error::invalid_request("no such resource " + r.url);
    }
    return res;
  };
  cv::PrintRequest req;
  req.url = "http://site.example/start";
  req.inject_js = "throw new Error('boom from the client')";
  req.timeout_ms = 60000;
  cv::ChromiumOptions options;
  options.work_dir = dir.path();
  try {
    cv::print_to_pdf(options, req, loader, dir.path() / "out.pdf");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), 400);
    EXPECT_NE(std::string(e.what()).find("inject_js"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("boom from the client"), std::string::npos);
  }
  // The redirect was followed and the relative image resolved against the final URL.
  EXPECT_GE(calls.load(), 3);
}

// A work dir a few directories deep (a data_dir under a home directory, a CI's TMPDIR): Chromium's
// singleton socket would be past the 107 bytes of a Unix socket path under it, and the browser
// exited at start ("Socket path too long"). It prints, and the short directory it used is gone.
TEST(ChromiumPrinter, DeepWorkDirPrints) {
  TempDir dir(std::filesystem::temp_directory_path(), "chromium-test-");
  const auto deep = dir.path() / "a-data-dir-as-deep-as-a-users-home-directory" / "tmp" /
                    "job-0123456789abcdef0123456789abcdef";
  ASSERT_GT((deep / "chromium-XXXXXX/tmp").string().size(), 61u);
  paperd::core::atomic_write_file(dir.path() / "page.html",
                                  "<html><body><h1>Deeply printed</h1></body></html>");
  cv::PrintRequest req;
  req.url = std::string(cv::kLocalOrigin) + "index.html";
  req.local_files = {{"index.html", dir.path() / "page.html"}};
  req.timeout_ms = 60000;
  cv::ChromiumOptions options;
  options.work_dir = deep;
  // Its own short root, so that other tests printing at the same time do not count.
  TempDir short_root("/tmp", "pct-");
  options.short_tmp_root = short_root.path();
  cv::print_to_pdf(options, req, refuse_all(), dir.path() / "out.pdf");
  EXPECT_NE(fx::pdf_text(dir.path() / "out.pdf").find("Deeply printed"), std::string::npos);
  EXPECT_TRUE(std::filesystem::is_empty(short_root.path()))
      << "the short TMPDIR is removed with the print";
}
