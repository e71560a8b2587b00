// API tests of the whitepage_scan workflow against a real `paperd serve`: blank pages and codes
// over images and multi-page TIFFs, a PDF split at a separator sheet into PDFs whose page counts
// qpdf confirms, and clear 4xx answers for bad input.
#include <gtest/gtest.h>

#include <fstream>

#include "../unit/engines/scan/scan_fixtures.h"
#include "core/fs.h"
#include "server.h"

using namespace paperd::testing;
using paperd::Json;
namespace fx = paperd::scan_fixtures;

namespace {

PaperdServer& shared() {
  static PaperdServer server;
  return server;
}

std::string path_of(const std::string& url) {
  auto scheme = url.find("://");
  return scheme == std::string::npos ? url : url.substr(url.find('/', scheme + 3));
}

httplib::Result post_scan(httplib::Client& c, httplib::MultipartFormDataItems items) {
  items.push_back({"template", "whitepage_scan", "", ""});
  items.push_back({"priority", "999"});
  return c.Post("/latest/job/add/workflow", items);
}

class ScanApi : public ::testing::Test {
 protected:
  ScanApi() : dir_(std::filesystem::temp_directory_path(), "scan-api-") {}
  std::filesystem::path path(const std::string& name) const { return dir_.path() / name; }
  std::string bytes(const std::string& name) const { return paperd::core::read_file(path(name)); }
  paperd::core::TempDir dir_;
};

}  // namespace

TEST_F(ScanApi, BlankPagesAndCodesOverImages) {
  auto [qx, qy, side] = fx::qr_page(path("qr.png"), "hello-paperd", 1500, 300, 8, "Order 4711");
  fx::noisy_blank_page(path("noise.png"));
  fx::text_page(path("line.png"), "Invoice 2024", 300, 600, 0.15);
  fx::run(paperd::image_fixtures::magick(
      {path("noise.png").string(), path("line.png").string(), "-compress", "Group4"},
      path("two.tif"), paperd::image_fixtures::Pixels::kBilevel));

  auto c = shared().client(shared().system_key());
  auto r = post_scan(*c, {{"detect_codes", "true", "", ""},
                          file_part("file_1", "qr.png", bytes("qr.png"), "image/png"),
                          file_part("file_2", "two.tif", bytes("two.tif"), "image/tiff")});
  ASSERT_TRUE(r);
  Json j = body_json(r);
  ASSERT_EQ(r->status, 200) << j.dump();
  EXPECT_EQ(j["operation"], "whitepage_scan");
  const Json& res = j["result"];
  EXPECT_EQ(res["total_pages"], 3);
  EXPECT_EQ(res["blank_pages"], Json::array({2}));
  ASSERT_EQ(res["pages"].size(), 3u);
  EXPECT_EQ(res["pages"][0]["blank"], false);
  EXPECT_EQ(res["pages"][1]["blank"], true);
  EXPECT_EQ(res["pages"][2]["blank"], false) << res["pages"][2].dump();
  EXPECT_EQ(res["pages"][2]["file"], "two.tif");
  EXPECT_EQ(res["pages"][2]["file_page"], 2);
  EXPECT_GT(res["pages"][2]["ink_coverage"].get<double>(), 0.01);

  ASSERT_EQ(res["codes"].size(), 1u) << res["codes"].dump();
  const Json& code = res["codes"][0];
  EXPECT_EQ(code["page"], 1);
  EXPECT_EQ(code["type"], "QR-Code");
  EXPECT_EQ(code["value"], "hello-paperd");
  int x = code["position"]["x"], y = code["position"]["y"], w = code["position"]["w"];
  EXPECT_NEAR(x, qx, 8);
  EXPECT_NEAR(y, qy, 8);
  EXPECT_NEAR(w, side, 16);
  EXPECT_EQ(res["pages"][0]["codes"].size(), 1u);
  EXPECT_EQ(res["segments"].size(), 1u);
  EXPECT_FALSE(res.contains("files"));
}

TEST_F(ScanApi, SplitPdfAtSeparatorSheet) {
  fx::text_page(path("a1.png"), "Invoice A page 1");
  fx::text_page(path("a2.png"), "Invoice A page 2");
  fx::qr_page(path("sep.png"), "PATCHT", 1000, 1400, 12, "Separator sheet");
  fx::text_page(path("b1.png"), "Letter B");
  fx::pdf_from_images(path("batch.pdf"),
                      {path("a1.png"), path("a2.png"), path("sep.png"), path("b1.png")});

  auto c = shared().client(shared().system_key());
  auto r = post_scan(*c, {{"split", "true", "", ""},
                          file_part("file", "batch.pdf", bytes("batch.pdf"), "application/pdf")});
  ASSERT_TRUE(r);
  Json j = body_json(r);
  ASSERT_EQ(r->status, 200) << j.dump();
  const Json& res = j["result"];
  EXPECT_EQ(res["total_pages"], 4);
  EXPECT_EQ(res["pages"][2]["separator"], true);
  EXPECT_EQ(res["blank_pages"], Json::array());
  ASSERT_EQ(res["segments"].size(), 2u) << res["segments"].dump();
  EXPECT_EQ(res["segments"][0]["page_range"], "1-2");
  EXPECT_EQ(res["segments"][1]["pages"], Json::array({4}));
  ASSERT_EQ(res["files"].size(), 2u);
  int expected[] = {2, 1};
  for (int i = 0; i < 2; ++i) {
    auto d = c->Get(path_of(res["files"][i].get<std::string>()));
    ASSERT_TRUE(d);
    ASSERT_EQ(d->status, 200);
    auto out = path("part" + std::to_string(i) + ".pdf");
    paperd::core::atomic_write_file(out, d->body);
    EXPECT_EQ(fx::qpdf_pages(out), expected[i]);
  }

  // The same PDF with a custom separator value that matches nothing: one segment, no split.
  auto none =
      post_scan(*c, {{"separator_code", "SEP*", "", ""},
                     file_part("file", "batch.pdf", bytes("batch.pdf"), "application/pdf")});
  Json n = body_json(none);
  ASSERT_EQ(none->status, 200) << n.dump();
  EXPECT_EQ(n["result"]["segments"].size(), 1u);
  EXPECT_EQ(n["result"]["segments"][0]["page_range"], "1-4");
  EXPECT_EQ(n["result"]["codes"].size(), 1u);  // read for the separator check, reported anyway
}

TEST_F(ScanApi, BadInputIsAClear4xx) {
  auto c = shared().client(shared().system_key());
  auto text = post_scan(*c, {file_part("file", "notes.txt", "plain text, no page\n")});
  EXPECT_EQ(text->status, 400);
  EXPECT_EQ(body_json(text)["code"], "UNSUPPORTED_FORMAT") << text->body;

  auto bomb =
      post_scan(*c, {file_part("file", "bomb.png", fx::png_bomb(100000, 100000), "image/png")});
  EXPECT_EQ(bomb->status, 413);
  EXPECT_EQ(body_json(bomb)["code"], "INPUT_TOO_LARGE") << bomb->body;

  auto threshold =
      post_scan(*c, {{"threshold", "250", "", ""}, file_part("file", "x.png", "x", "image/png")});
  EXPECT_EQ(threshold->status, 400);
  EXPECT_NE(body_json(threshold)["message"].get<std::string>().find("threshold"),
            std::string::npos);

  auto sep = post_scan(
      *c, {{"separator_code", " , ", "", ""}, file_part("file", "x.png", "x", "image/png")});
  EXPECT_EQ(sep->status, 400);
  EXPECT_NE(body_json(sep)["message"].get<std::string>().find("separator_code"), std::string::npos);
}
