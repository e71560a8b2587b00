// API tests of the converters against a real `paperd serve`: office files through the warm
// LibreOffice pool (template office_to_pdf and slug paperoffice_dataripper___office2pdf), a web
// page served on loopback through Chromium (cookies, headers, injected CSS/JS, the outbound
// guard with and without PAPERD_OUTBOUND_ALLOW), HTML to PDF, and an EPUB through Calibre.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "../unit/engines/convert/convert_fixtures.h"
#include "core/fs.h"
#include "server.h"

using namespace paperd::testing;
using paperd::Json;
namespace fx = paperd::testing::convert;

namespace {

// The worker's hard RLIMIT_AS (PAPERD_WORKER_MEMORY_MB) leaves Chromium and Calibre no room for
// V8's address-space reservations; until the worker sets only the soft limit, the servers that
// run them go without it (see src/engines/convert/README.md).
const std::map<std::string, std::string> kChromiumEnv = {{"PAPERD_WORKER_MEMORY_MB", "0"}};

std::string path_of(const std::string& url) {
  auto scheme = url.find("://");
  return scheme == std::string::npos ? url : url.substr(url.find('/', scheme + 3));
}

class ConvertersApi : public ::testing::Test {
 protected:
  ConvertersApi() : dir_(std::filesystem::temp_directory_path(), "converters-api-") {}
  std::filesystem::path path(const std::string& name) const { return dir_.path() / name; }
  std::string bytes(const std::string& name) const { return paperd::core::read_file(path(name)); }

  // Posts a job in the instant lane and returns the answer.
  static Json post(PaperdServer& s, const std::string& slug, httplib::MultipartFormDataItems items,
                   int* status = nullptr) {
    items.push_back({"priority", "999", "", ""});
    auto r = s.client(s.system_key())->Post("/latest/job/add/" + slug, items);
    if (!r) return Json{{"error", "no answer"}};
    if (status) *status = r->status;
    return body_json(r);
  }
  // Downloads a result file and returns the text pdftotext finds in it.
  std::string download_text(PaperdServer& s, const std::string& url, const std::string& as) {
    auto d = s.client()->Get(path_of(url));
    if (!d || d->status != 200) return "download failed";
    paperd::core::atomic_write_file(path(as), d->body);
    return fx::pdf_text(path(as));
  }

  paperd::core::TempDir dir_;
};

}  // namespace

TEST_F(ConvertersApi, OfficeFilesThroughTheWarmPool) {
  PaperdServer s({}, 1);
  fx::make_docx(path("memo.docx"), {"Memo to all staff:", "the pool converted this memo."});
  fx::make_xlsx_with_formula(path("budget.xlsx"), "Budget total");
  fx::make_odt(path("minutes.odt"), "Minutes of the converters meeting.");

  int status = 0;
  Json j =
      post(s, "workflow",
           {{"template", "office_to_pdf", "", ""},
            file_part("file_1", "memo.docx", bytes("memo.docx"),
                      "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            file_part("file_2", "budget.xlsx", bytes("budget.xlsx"),
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            file_part("file_3", "minutes.odt", bytes("minutes.odt"),
                      "application/vnd.oasis.opendocument.text")},
           &status);
  ASSERT_EQ(status, 200) << j.dump();
  EXPECT_EQ(j["operation"], "office_to_pdf");
  const Json& res = j["result"];
  ASSERT_EQ(res["files"].size(), 3u) << res.dump();
  EXPECT_EQ(res["documents"][0]["filename"], "memo.pdf");
  EXPECT_EQ(res["documents"][1]["filename"], "budget.pdf");
  EXPECT_EQ(res["documents"][0]["pages"], 1);
  EXPECT_NE(download_text(s, res["files"][0], "memo.pdf").find("the pool converted this memo"),
            std::string::npos);
  EXPECT_NE(download_text(s, res["files"][1], "budget.pdf").find("5555"), std::string::npos)
      << "the formula was recalculated";
  EXPECT_NE(download_text(s, res["files"][2], "minutes.pdf").find("converters meeting"),
            std::string::npos);

  // The DataRipper slug runs the same engine; the instance is warm by now.
  Json dr = post(s, "paperoffice_dataripper___office2pdf",
                 {{"output_filename", "renamed", "", ""},
                  file_part("file", "memo.docx", bytes("memo.docx"), "application/octet-stream")},
                 &status);
  ASSERT_EQ(status, 200) << dr.dump();
  EXPECT_EQ(dr["operation"], "office2pdf");
  EXPECT_EQ(dr["result"]["documents"][0]["filename"], "renamed.pdf");
  EXPECT_LT(dr["result"]["documents"][0]["convert_ms"].get<double>(), 900);

  // A DOCX that is no DOCX: 400 naming it, and the next job still works.
  Json bad = post(s, "workflow",
                  {{"template", "office_to_pdf", "", ""},
                   file_part("file", "contract.docx", "PK\x03\x04 not a zip at all",
                             "application/octet-stream")},
                  &status);
  EXPECT_EQ(status, 400) << bad.dump();
  EXPECT_EQ(bad["code"], "UNSUPPORTED_DOCUMENT");
  EXPECT_NE(bad["message"].get<std::string>().find("contract.docx"), std::string::npos);
  // A format that is no office document is refused before a job exists.
  Json png = post(s, "workflow",
                  {{"template", "office_to_pdf", "", ""},
                   file_part("file", "photo.png", "\x89PNG", "image/png")},
                  &status);
  EXPECT_EQ(status, 400);
  EXPECT_NE(png["message"].get<std::string>().find("photo.png"), std::string::npos);
  Json again = post(s, "paperoffice_dataripper___office2pdf",
                    {file_part("file", "memo.docx", bytes("memo.docx"), "")}, &status);
  EXPECT_EQ(status, 200) << again.dump();
}

TEST_F(ConvertersApi, UrlToPdfWithCookiesHeadersAndInjection) {
  // The page under test, on loopback: it echoes the cookie and header it received.
  httplib::Server site;
  std::atomic<int> image_hits{0};
  site.Get("/report", [](const httplib::Request& req, httplib::Response& res) {
    std::string page =
        "<html><head><title>Loopback Report</title><link rel=stylesheet href='/style.css'>"
        "</head><body><h1>Quarterly numbers</h1><p>cookie=" +
        req.get_header_value("Cookie") + " tenant=" + req.get_header_value("X-Tenant") +
        "</p><img src='/logo.png'></body></html>";
    res.set_content(page, "text/html");
  });
  site.Get("/style.css", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("h1::after { content: ' FROMSTYLESHEET'; }", "text/css");
  });
  site.Get("/logo.png", [&](const httplib::Request&, httplib::Response& res) {
    ++image_hits;
    res.status = 404;
  });
  int port = site.bind_to_any_port("127.0.0.1");
  std::thread serving([&] { site.listen_after_bind(); });
  while (!site.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::string url = "http://127.0.0.1:" + std::to_string(port) + "/report";

  auto env = kChromiumEnv;
  env["PAPERD_OUTBOUND_ALLOW"] = "127.0.0.1";
  PaperdServer s(env, 1);
  int status = 0;
  Json j = post(s, "workflow",
                {{"template", "url_to_pdf", "", ""},
                 {"url", url, "", ""},
                 {"cookies", "session=s3cr3t; theme=dark", "", ""},
                 {"headers", R"({"X-Tenant": "acme"})", "", ""},
                 {"inject_css", "body::before { content: 'INJECTEDCSS '; }", "", ""},
                 {"inject_js", "document.body.append(' INJECTEDJS')", "", ""},
                 {"paper_size", "Letter", "", ""},
                 {"wait_for", "h1", "", ""}},
                &status);
  ASSERT_EQ(status, 200) << j.dump() << s.log();
  const Json& res = j["result"];
  EXPECT_EQ(res["documents"][0]["title"], "Loopback Report");
  EXPECT_EQ(res["documents"][0]["filename"], "127.0.0.1.pdf");
  std::string text = download_text(s, res["files"][0], "page.pdf");
  EXPECT_NE(text.find("Quarterly numbers FROMSTYLESHEET"), std::string::npos) << text;
  EXPECT_NE(text.find("cookie=session=s3cr3t; theme=dark tenant=acme"), std::string::npos) << text;
  EXPECT_NE(text.find("INJECTEDCSS"), std::string::npos);
  EXPECT_NE(text.find("INJECTEDJS"), std::string::npos);
  EXPECT_EQ(image_hits.load(), 1);
  EXPECT_EQ(fx::pdf_info(path("page.pdf"), "Page size").substr(0, 9), "612 x 792");

  // HTML from a field goes the same way; its subresources pass the same guard.
  Json h = post(s, "workflow",
                {{"template", "html_to_pdf", "", ""},
                 {"html", "<h2>Inline HTML works</h2><img src='http://10.9.8.7/x.png'>", "", ""}},
                &status);
  ASSERT_EQ(status, 200) << h.dump();
  EXPECT_NE(download_text(s, h["result"]["files"][0], "inline.pdf").find("Inline HTML works"),
            std::string::npos);
  ASSERT_EQ(h["result"]["blocked_requests"].size(), 1u) << h.dump();
  EXPECT_NE(h["result"]["blocked_requests"][0].get<std::string>().find("10.9.8.7"),
            std::string::npos);

  // Bad page options are refused before Chromium starts.
  Json bad =
      post(s, "workflow",
           {{"template", "url_to_pdf", "", ""}, {"url", url, "", ""}, {"paper_size", "A7", "", ""}},
           &status);
  EXPECT_EQ(status, 400);
  EXPECT_NE(bad["message"].get<std::string>().find("paper_size"), std::string::npos);

  site.stop();
  serving.join();
}

TEST_F(ConvertersApi, UrlToPdfRefusesLoopbackWithoutTheAllowList) {
  PaperdServer s(kChromiumEnv, 1);
  int status = 0;
  Json j = post(s, "workflow",
                {{"template", "url_to_pdf", "", ""}, {"url", "http://127.0.0.1:9/admin", "", ""}},
                &status);
  EXPECT_EQ(status, 400) << j.dump();
  EXPECT_EQ(j["code"], "INVALID_REQUEST");
  EXPECT_NE(j["message"].get<std::string>().find("url"), std::string::npos) << j.dump();
  Json none = post(s, "workflow", {{"template", "url_to_pdf", "", ""}}, &status);
  EXPECT_EQ(status, 400);
  EXPECT_NE(none["message"].get<std::string>().find("'url'"), std::string::npos);
}

TEST_F(ConvertersApi, EbookToPdf) {
  PaperdServer s(kChromiumEnv, 1);
  fx::make_epub(path("tale.epub"), "A Tale", "Once upon a time a server converted a book.");
  int status = 0;
  Json j = post(s, "workflow",
                {{"template", "ebook_to_pdf", "", ""},
                 file_part("file", "tale.epub", bytes("tale.epub"), "application/epub+zip")},
                &status);
  ASSERT_EQ(status, 200) << j.dump();
  EXPECT_EQ(j["result"]["documents"][0]["format"], "epub");
  EXPECT_EQ(j["result"]["documents"][0]["filename"], "tale.pdf");
  EXPECT_NE(download_text(s, j["result"]["files"][0], "tale.pdf").find("a server converted a book"),
            std::string::npos);
  Json bad = post(s, "workflow",
                  {{"template", "ebook_to_pdf", "", ""},
                   file_part("file", "novel.docx", "x", "application/octet-stream")},
                  &status);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(bad["code"], "UNSUPPORTED_DOCUMENT");
}
