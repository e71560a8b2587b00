// The server as `make run` starts it: no --data-dir and no PAPERD_DATA_DIR, so the data folder is
// the default relative ./data of the working directory. Every engine that runs in a child process
// with its own working directory (LibreOffice, Chromium, Tesseract in the worker) must still find
// its files: the relative path is resolved once, at start-up.
#include <gtest/gtest.h>

#include "../unit/engines/convert/convert_fixtures.h"
#include "../unit/engines/ocr/ocr_fixtures.h"
#include "core/fs.h"
#include "server.h"

using namespace paperd::testing;
using paperd::Json;
namespace cfx = paperd::testing::convert;
namespace ofx = paperd::ocr_fixtures;

namespace {

std::string path_of(const std::string& url) {
  auto scheme = url.find("://");
  return scheme == std::string::npos ? url : url.substr(url.find('/', scheme + 3));
}

Json post(PaperdServer& s, const std::string& slug, httplib::MultipartFormDataItems items,
          int& status) {
  items.push_back({"priority", "999", "", ""});
  auto r = s.client(s.system_key())->Post("/latest/job/add/" + slug, items);
  if (!r) return Json{{"error", "no answer"}};
  status = r->status;
  return body_json(r);
}

}  // namespace

TEST(DefaultSetup, RelativeDataDirRunsOfficeChromiumAndOcrJobs) {
  paperd::core::TempDir dir(std::filesystem::temp_directory_path(), "default-setup-");
  // Chromium needs the worker without a hard address-space limit (see converters_test.cpp).
  PaperdServer s({{"PAPERD_WORKER_MEMORY_MB", "0"}}, 1, PaperdServer::DataDir::kDefault);
  // The harness's folder is the server's working directory; ./data is inside it.
  EXPECT_TRUE(std::filesystem::exists(s.data_dir() / "data" / "master.key")) << s.log();
  EXPECT_NE(s.log().find("data in " + (s.data_dir() / "data").string()), std::string::npos)
      << "the log names the absolute data folder: " << s.log();

  auto pdf_text = [&](const std::string& url, const std::string& as) {
    auto d = s.client()->Get(path_of(url));
    if (!d || d->status != 200) return std::string("download failed");
    paperd::core::atomic_write_file(dir.path() / as, d->body);
    return cfx::pdf_text(dir.path() / as);
  };

  int status = 0;
  cfx::make_docx(dir.path() / "memo.docx", {"Memo from the default set-up."});
  Json office =
      post(s, "workflow",
           {{"template", "office_to_pdf", "", ""},
            file_part("file", "memo.docx", paperd::core::read_file(dir.path() / "memo.docx"),
                      "application/octet-stream")},
           status);
  ASSERT_EQ(status, 200) << office.dump() << s.log();
  EXPECT_NE(pdf_text(office["result"]["files"][0], "memo.pdf").find("default set-up"),
            std::string::npos);

  Json html = post(
      s, "workflow",
      {{"template", "html_to_pdf", "", ""}, {"html", "<h1>Chromium under ./data</h1>", "", ""}},
      status);
  ASSERT_EQ(status, 200) << html.dump() << s.log();
  EXPECT_NE(pdf_text(html["result"]["files"][0], "html.pdf").find("Chromium under ./data"),
            std::string::npos);

  ofx::text_page(dir.path() / "page.png", {"Optical reading from the default data folder."});
  Json ocr =
      post(s, "paperoffice_aiocr___generate",
           {file_part("file_1", "page.png", ofx::read_all(dir.path() / "page.png"), "image/png")},
           status);
  ASSERT_EQ(status, 200) << ocr.dump() << s.log();
  std::string text = ocr["result"]["output"]["pages"]["00001"]["ocr_text"];
  EXPECT_LT(ofx::cer("Optical reading from the default data folder.", text), 0.05) << text;
}
