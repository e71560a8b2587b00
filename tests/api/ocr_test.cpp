// AI-OCR through the API against a real `paperd serve`: the result shape of each mode on images
// and PDFs (pages "00001", summary with "***Page i of N***"), the mode inferred from `model`,
// language choice, the searchable PDF download whose text pdftotext recovers, form fields, and
// the refusals (unknown language, foreign file, decompression bomb, encrypted PDF).
#include <gtest/gtest.h>

#include <zlib.h>

#include <map>
#include <regex>
#include <set>

#include "../unit/engines/ocr/ocr_fixtures.h"
#include "../unit/engines/pdf/pdf_text_fixture.h"
#include "core/fs.h"
#include "server.h"

using namespace paperd::testing;
using paperd::Json;
namespace fx = paperd::ocr_fixtures;

namespace {

PaperdServer& server() {
  static PaperdServer s;
  return s;
}

struct Fixtures {
  paperd::core::TempDir dir{std::filesystem::temp_directory_path(), "ocr-api-"};
  std::filesystem::path path(const std::string& n) const { return dir.path() / n; }
  std::string bytes(const std::string& n) const { return fx::read_all(path(n)); }
};

Fixtures& fixtures() {
  static Fixtures f = [] {
    Fixtures f;
    fx::text_page(f.path("page.png"), fx::kParagraph);
    fx::table_page(f.path("table.png"));
    fx::form_page(f.path("form.png"));
    fx::text_page(f.path("de.png"), fx::kGerman, {.width = 2000});
    fx::text_page(f.path("p2.png"), {"Second page of the scanned letter."});
    fx::images_to_pdf({f.path("page.png"), f.path("p2.png")}, f.path("scan.pdf"));
    paperd::core::atomic_write_file(
        f.path("digital.pdf"),
        paperd::fixtures::make_text_pdf({paperd::fixtures::FixturePage::lines(
            {"Born digital invoice number 4711", "Amount due: 99.50 EUR"})}));
    fx::run({"qpdf", "--encrypt", "user", "owner", "256", "--", f.path("digital.pdf").string(),
             f.path("locked.pdf").string()});
    return f;
  }();
  return f;
}

// Posts an OCR job in the instant lane and returns the response.
httplib::Result post_ocr(httplib::Client& c, httplib::MultipartFormDataItems items) {
  items.push_back({"priority", "999", "", ""});
  return c.Post("/latest/job/add/paperoffice_aiocr___generate", items);
}

Json page1(const Json& body) {
  return body["result"]["output"]["pages"]["00001"];
}

}  // namespace

TEST(AiOcr, TextModeOnAnImage) {
  auto c = server().client(server().system_key());
  auto r =
      post_ocr(*c, {file_part("file_1", "page.png", fixtures().bytes("page.png"), "image/png")});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body << server().log();
  Json j = body_json(r);
  EXPECT_EQ(j["operation"], "aiocr");
  EXPECT_EQ(j["pipeline"], "paperoffice_aiocr___generate");
  Json out = j["result"]["output"];
  EXPECT_EQ(out["ocr_mode"], "text");
  Json p = page1(j);
  EXPECT_LT(fx::cer(fx::joined(fx::kParagraph), p["ocr_text"]), 0.02) << p["ocr_text"];
  EXPECT_EQ(p["line_count"], 4);
  EXPECT_GT(p["char_count"].get<int>(), 200);
  EXPECT_GT(p["confidence_avg"].get<double>(), 0.85);
  EXPECT_LE(p["confidence_avg"].get<double>(), 1.0);
  EXPECT_EQ(p["language"]["primary"], "en");
  EXPECT_EQ(p["language"]["code"], "eng");
  EXPECT_EQ(p["original_image_width"], 2300);
  EXPECT_EQ(p["original_image_height"], 900);
  EXPECT_EQ(p["rotation_applied"], 0);
  EXPECT_EQ(p["skew_angle"], 0);
  EXPECT_EQ(p["source"], "ocr");
  EXPECT_TRUE(p["processing_time"].is_number());
  EXPECT_FALSE(p.contains("bounding_boxes"));
  Json s = out["summary"];
  EXPECT_EQ(s["total_pages"], 1);
  EXPECT_EQ(s["total_lines"], 4);
  EXPECT_EQ(s["processing_engine"], "tesseract 5.3.0");
  EXPECT_EQ(
      s["poaiocr_extracted_fulltext"].get<std::string>().rfind("***Page 1 of 1***\n\nThe ", 0), 0u);
  EXPECT_TRUE(
      std::regex_match(j["result"]["duration_ms"].get<std::string>(), std::regex(R"(\d+\.\d\d)")));
}

TEST(AiOcr, GridBoxesAndModelInference) {
  auto c = server().client(server().system_key());
  // premium -> grid
  auto r = post_ocr(*c, {{"model", "premium", "", ""},
                         file_part("file", "page.png", fixtures().bytes("page.png"), "image/png")});
  ASSERT_EQ(r->status, 200) << r->body;
  Json j = body_json(r);
  EXPECT_EQ(j["result"]["output"]["ocr_mode"], "grid");
  Json boxes = page1(j)["bounding_boxes"];
  ASSERT_TRUE(boxes.is_array());
  int words = 0, lines = 0, blocks = 0;
  for (size_t i = 0; i < boxes.size(); ++i) {
    const Json& b = boxes[i];
    EXPECT_EQ(b["id"], static_cast<int>(i));
    std::string type = b["type"];
    words += type == "word", lines += type == "line", blocks += type == "block";
    EXPECT_GE(b["x"].get<int>(), 0);
    EXPECT_LE(b["x"].get<int>() + b["w"].get<int>(), 2300);
    EXPECT_LE(b["y"].get<int>() + b["h"].get<int>(), 900);
  }
  EXPECT_EQ(lines, 4);
  EXPECT_GE(blocks, 1);
  EXPECT_GE(words, 35);
  // The first word, "The", sits at the text's origin (x 100, baseline 150 at 12 pt).
  const Json* first = nullptr;
  for (const auto& b : boxes)
    if (b["type"] == "word") {
      first = &b;
      break;
    }
  ASSERT_TRUE(first);
  EXPECT_EQ((*first)["text"], "The");
  EXPECT_NEAR((*first)["x"].get<int>(), 102, 6);
  EXPECT_NEAR((*first)["y"].get<int>() + (*first)["h"].get<int>(), 150, 6);
}

TEST(AiOcr, CompleteModeTablesAndLayout) {
  auto c = server().client(server().system_key());
  auto r =
      post_ocr(*c, {{"ocr_mode", "complete", "", ""},
                    file_part("file_1", "table.png", fixtures().bytes("table.png"), "image/png")});
  ASSERT_EQ(r->status, 200) << r->body;
  Json p = page1(body_json(r));
  ASSERT_EQ(p["tables"].size(), 1u) << p.dump();
  Json t = p["tables"][0];
  Json expected = fx::kTable;
  EXPECT_EQ(t["rows"], expected);
  EXPECT_EQ(t["cells"].size(), 12u);
  EXPECT_EQ(t["cells"][4]["text"], "12");
  EXPECT_EQ(t["cells"][4]["row"], 1);
  EXPECT_EQ(t["cells"][4]["col"], 1);
  EXPECT_NEAR(t["bounding_box"]["w"].get<int>(), 1400, 8);
  std::set<std::string> types;
  for (const auto& l : p["layout"]) types.insert(l["type"]);
  EXPECT_TRUE(types.count("table"));
  EXPECT_TRUE(types.count("paragraph"));
  EXPECT_TRUE(p["bounding_boxes"].is_array());
}

TEST(AiOcr, ScannedPdfToSearchablePdf) {
  auto c = server().client(server().system_key());
  auto r = post_ocr(
      *c, {{"output_searchable_pdf", "true", "", ""},
           file_part("file_1", "scan.pdf", fixtures().bytes("scan.pdf"), "application/pdf")});
  ASSERT_EQ(r->status, 200) << r->body;
  Json out = body_json(r)["result"]["output"];
  EXPECT_EQ(out["summary"]["total_pages"], 2);
  std::string full = out["summary"]["poaiocr_extracted_fulltext"];
  EXPECT_NE(full.find("***Page 1 of 2***"), std::string::npos);
  EXPECT_NE(full.find("***Page 2 of 2***\n\nSecond page"), std::string::npos) << full;
  EXPECT_EQ(out["pages"]["00002"]["source"], "ocr");
  std::string url = out["searchable_pdf_url"];
  std::string token = out["download_token"];
  ASSERT_FALSE(token.empty());
  EXPECT_TRUE(url.ends_with("/job/download/" + token)) << url;
  auto path = url.substr(url.find("/job/download/"));
  auto d = c->Get(path);
  ASSERT_EQ(d->status, 200);
  EXPECT_EQ(d->body.rfind("%PDF-", 0), 0u);
  auto pdf = fixtures().path("searchable.pdf");
  paperd::core::atomic_write_file(pdf, d->body);
  auto text = fx::run({"pdftotext", pdf.string(), "-"});
  EXPECT_LT(fx::cer(fx::joined(fx::kParagraph) + "\nSecond page of the scanned letter.", text.out),
            0.03)
      << text.out;
}

TEST(AiOcr, BornDigitalPdfSkipsRecognition) {
  auto c = server().client(server().system_key());
  auto r = post_ocr(
      *c, {{"ocr_mode", "grid", "", ""},
           file_part("file", "digital.pdf", fixtures().bytes("digital.pdf"), "application/pdf")});
  ASSERT_EQ(r->status, 200) << r->body;
  Json p = page1(body_json(r));
  EXPECT_EQ(p["source"], "text_layer");
  EXPECT_EQ(p["ocr_text"], "Born digital invoice number 4711\nAmount due: 99.50 EUR");
  EXPECT_EQ(p["confidence_avg"], 1.0);
  EXPECT_EQ(p["original_image_width"], 2550);
  // With the password the encrypted copy reads the same; without it the job is refused.
  auto locked = post_ocr(
      *c, {file_part("file", "locked.pdf", fixtures().bytes("locked.pdf"), "application/pdf")});
  EXPECT_EQ(locked->status, 400) << locked->body;
  EXPECT_EQ(body_json(locked)["code"], "PDF_PASSWORD_REQUIRED");
  auto opened = post_ocr(
      *c, {{"password", "user", "", ""},
           file_part("file", "locked.pdf", fixtures().bytes("locked.pdf"), "application/pdf")});
  ASSERT_EQ(opened->status, 200) << opened->body;
  EXPECT_EQ(page1(body_json(opened))["source"], "text_layer");
}

TEST(AiOcr, LanguagesAreDetectedOrChosen) {
  auto c = server().client(server().system_key());
  auto r = post_ocr(*c, {file_part("file", "de.png", fixtures().bytes("de.png"), "image/png")});
  ASSERT_EQ(r->status, 200) << r->body;
  Json p = page1(body_json(r));
  EXPECT_EQ(p["language"]["primary"], "de");
  EXPECT_EQ(p["language"]["code"], "deu");
  EXPECT_NE(p["ocr_text"].get<std::string>().find("überprüfen"), std::string::npos);

  auto by_locale =
      post_ocr(*c, {{"locale", "de_DE", "", ""},
                    file_part("file", "de.png", fixtures().bytes("de.png"), "image/png")});
  ASSERT_EQ(by_locale->status, 200);
  EXPECT_EQ(page1(body_json(by_locale))["ocr_language"], "deu");

  auto missing =
      post_ocr(*c, {{"language", "jpn", "", ""},
                    file_part("file", "de.png", fixtures().bytes("de.png"), "image/png")});
  EXPECT_EQ(missing->status, 400);
  Json e = body_json(missing);
  EXPECT_EQ(e["code"], "INVALID_REQUEST");
  EXPECT_NE(e["message"].get<std::string>().find("installed: deu, eng"), std::string::npos)
      << e.dump();
}

TEST(AiOcr, FormFieldsForFormCollections) {
  auto c = server().client(server().system_key());
  auto r = post_ocr(*c, {{"idp_collection", "handwritten_customer_form", "", ""},
                         file_part("file", "form.png", fixtures().bytes("form.png"), "image/png")});
  ASSERT_EQ(r->status, 200) << r->body;
  Json out = body_json(r)["result"]["output"];
  EXPECT_EQ(out["idp_collection"], "handwritten_customer_form");
  std::map<std::string, std::string> values;
  for (const auto& f : out["fields"]) {
    values[f["type"].get<std::string>() + ":" + f["key"].get<std::string>()] = f["value"];
    EXPECT_EQ(f["page"], 1);
    EXPECT_GE(f["confidence"].get<double>(), 0.0);
    EXPECT_LE(f["confidence"].get<double>(), 1.0);
  }
  EXPECT_EQ(values["text:Name"], "John Smith");
  EXPECT_EQ(values["text:Date"], "2024-05-01");
  EXPECT_EQ(values["checkbox:Married"], "checked");
  EXPECT_EQ(values["checkbox:Single"], "unchecked");
  EXPECT_EQ(values["signature:Signature"], "present");
  EXPECT_EQ(values["signature:Unterschrift"], "absent");

  auto bad =
      post_ocr(*c, {{"idp_collection", "invoice", "", ""},
                    file_part("file", "form.png", fixtures().bytes("form.png"), "image/png")});
  EXPECT_EQ(bad->status, 400);
}

TEST(AiOcr, BadInputsAreRefused) {
  auto c = server().client(server().system_key());
  auto text = post_ocr(*c, {file_part("file", "notes.txt", "plain text, not a page\n")});
  EXPECT_EQ(text->status, 400);
  EXPECT_EQ(body_json(text)["code"], "UNSUPPORTED_FORMAT");
  // Refused before a job exists, on the async lane too (the API looks at the upload's bytes).
  auto async_text = c->Post(
      "/latest/job/add/paperoffice_aiocr___generate",
      httplib::MultipartFormDataItems{file_part("file", "notes.txt", "plain text, not a page\n"),
                                      {"client_wait", "false", "", ""}});
  EXPECT_EQ(async_text->status, 400) << async_text->body;
  EXPECT_EQ(body_json(async_text)["code"], "UNSUPPORTED_FORMAT");
  EXPECT_FALSE(body_json(async_text).contains("job_id"));

  // A PNG header promising 40000 x 40000 pixels: refused before decoding.
  std::string png = fx::read_all(fixtures().path("page.png"));
  std::string bomb = png.substr(0, 33) + std::string("\0\0\0\0IEND\xae\x42\x60\x82", 12);
  auto be32 = [](uint32_t v) {
    return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                       static_cast<char>(v >> 8), static_cast<char>(v)};
  };
  bomb.replace(16, 8, be32(40000) + be32(40000));
  uint32_t crc = crc32(0, reinterpret_cast<const Bytef*>(bomb.data() + 12), 17);
  bomb.replace(29, 4, be32(crc));
  auto big = post_ocr(*c, {file_part("file", "bomb.png", bomb, "image/png")});
  EXPECT_EQ(big->status, 413) << big->body;
  EXPECT_EQ(body_json(big)["code"], "INPUT_TOO_LARGE");

  std::string cut = png.substr(0, png.size() / 2);
  auto corrupt = post_ocr(*c, {file_part("file", "cut.png", cut, "image/png")});
  EXPECT_EQ(corrupt->status, 400) << corrupt->body;
  EXPECT_EQ(body_json(corrupt)["code"], "INVALID_IMAGE");

  auto mode = post_ocr(
      *c, {{"ocr_mode", "fancy", "", ""}, file_part("file", "page.png", png, "image/png")});
  EXPECT_EQ(mode->status, 400);
  EXPECT_NE(body_json(mode)["message"].get<std::string>().find("ocr_mode"), std::string::npos);
}

TEST(AiOcr, AsyncLaneReportsProgressAndResult) {
  auto c = server().client(server().system_key());
  httplib::MultipartFormDataItems items = {
      file_part("file", "scan.pdf", fixtures().bytes("scan.pdf"), "application/pdf")};
  auto r = c->Post("/latest/job/add/paperoffice_aiocr___generate", items);
  ASSERT_EQ(r->status, 202) << r->body;  // OCR defaults to the no_sla lane
  Json queued = body_json(r);
  EXPECT_EQ(queued["processing_lane"], "no_sla");
  Json done = wait_job(*c, queued["job_id"], 60000);
  ASSERT_EQ(done["job_status"], "completed") << done.dump();
  EXPECT_EQ(done["progress"], 100);
  EXPECT_EQ(done["result"]["output"]["summary"]["total_pages"], 2);
}

// "Get json", "Get OCR details", "Get OCR plain text": a finished OCR job read again by job_id in
// each format, without a new job and without credits (the account is empty after the OCR job).
TEST(AiOcr, StoredResultsAreReadBackByJobId) {
  auto c = server().client(server().create_token("ut", "ocr-read-back", "pro", 5));
  httplib::MultipartFormDataItems job = {
      {"ocr_mode", "grid", "", ""},
      file_part("file", "scan.pdf", fixtures().bytes("scan.pdf"), "application/pdf")};
  auto queued = c->Post("/latest/job/add/paperoffice_aiocr___generate", job);
  ASSERT_EQ(queued->status, 202) << queued->body;
  std::string id = body_json(queued)["job_id"];
  ASSERT_EQ(wait_job(*c, id, 120000)["job_status"], "completed");
  auto read = [&](httplib::MultipartFormDataItems items) {
    items.push_back({"job_id", id, "", ""});
    return c->Post("/latest/job/add/paperoffice_aiocr___generate", items);
  };

  auto json = read({});
  ASSERT_EQ(json->status, 200) << json->body;
  Json j = body_json(json);
  EXPECT_EQ(j["job_id"], id);
  EXPECT_EQ(j["job_status"], "completed");
  Json out = j["result"]["output"];
  EXPECT_EQ(out["format"], "json");
  EXPECT_EQ(out["ocr_mode"], "grid");
  ASSERT_EQ(out["pages"].size(), 2u);
  EXPECT_LT(fx::cer(fx::joined(fx::kParagraph), out["pages"]["00001"]["ocr_text"]), 0.02);
  EXPECT_FALSE(out["pages"]["00001"].contains("bounding_boxes"));
  EXPECT_EQ(out["summary"]["total_pages"], 2);
  EXPECT_EQ(j["job_result"], j["result"]);

  auto boxes = read({{"include_bounding_boxes", "true", "", ""}});
  EXPECT_TRUE(body_json(boxes)["result"]["output"]["pages"]["00001"]["bounding_boxes"].is_array());

  auto text = read({{"format", "text", "", ""}});
  ASSERT_EQ(text->status, 200) << text->body;
  EXPECT_EQ(text->get_header_value("Content-Type").rfind("text/plain", 0), 0u);
  EXPECT_EQ(text->body.rfind("***Page 1 of 2***\n\nThe ", 0), 0u) << text->body;
  EXPECT_NE(text->body.find("***Page 2 of 2***\n\nSecond page of the scanned letter."),
            std::string::npos)
      << text->body;

  auto page2 = read({{"format", "text_only", "", ""}, {"page", "2", "", ""}});
  ASSERT_EQ(page2->status, 200) << page2->body;
  Json p2 = body_json(page2)["result"]["output"];
  ASSERT_EQ(p2["pages"].size(), 1u);
  EXPECT_LT(fx::cer("Second page of the scanned letter.", p2["pages"]["00002"]), 0.05);
  EXPECT_EQ(p2["summary"]["returned_pages"], 1);

  // structured: blocks > lines > words, the words' boxes inside their line's box.
  auto details = read({{"format", "structured", "", ""}, {"page", "1", "", ""}});
  ASSERT_EQ(details->status, 200) << details->body;
  Json page = body_json(details)["result"]["output"]["pages"]["00001"];
  EXPECT_TRUE(page["bounding_boxes_available"].get<bool>());
  int lines = 0, words = 0;
  for (const auto& block : page["blocks"])
    for (const auto& line : block["lines"]) {
      ++lines;
      for (const auto& w : line["words"]) {
        ++words;
        EXPECT_GE(w["x"].get<int>(), line["x"].get<int>() - 2);
        EXPECT_LE(w["x"].get<int>() + w["w"].get<int>(),
                  line["x"].get<int>() + line["w"].get<int>() + 2);
      }
    }
  EXPECT_EQ(lines, 4);
  EXPECT_GE(words, 35);

  // The same read as an MCP tool (one code path): a read-only tool with the text inline.
  Json call = {{"jsonrpc", "2.0"},
               {"id", 1},
               {"method", "tools/call"},
               {"params", {{"name", "po_ocr_text_get"}, {"arguments", {{"job_id", id}}}}}};
  auto mcp = c->Post("/mcp-full", call.dump(), "application/json");
  ASSERT_EQ(mcp->status, 200) << mcp->body;
  Json tool = body_json(mcp)["result"];
  EXPECT_EQ(tool["isError"], false) << tool.dump();
  EXPECT_EQ(tool["structuredContent"]["text"], text->body);

  auto full = read({{"format", "full", "", ""}});
  EXPECT_TRUE(body_json(full)["result"]["output"]["pages"]["00002"].contains("bounding_boxes"));

  // Refusals: no such page, unknown or foreign job, a job of another pipeline, file and job_id.
  auto missing = read({{"page", "7", "", ""}});
  EXPECT_EQ(missing->status, 404);
  EXPECT_NE(body_json(missing)["message"].get<std::string>().find("pages: 1, 2"),
            std::string::npos);
  auto other = server().client(server().create_token("ut", "ocr-read-back-other", "pro", 100));
  auto foreign =
      other->Post("/latest/job/add/paperoffice_aiocr___generate", form({{"job_id", id}}));
  EXPECT_EQ(foreign->status, 404) << foreign->body;
  httplib::MultipartFormDataItems echo_job = {{"priority", "999", "", ""},
                                              file_part("file", "a.txt", "hello")};
  auto echo = other->Post("/latest/job/add/spinetest___echo", echo_job);
  ASSERT_EQ(echo->status, 200) << echo->body;
  auto wrong = other->Post("/latest/job/add/paperoffice_aiocr___generate",
                           form({{"job_id", body_json(echo)["job_id"].get<std::string>()}}));
  EXPECT_EQ(wrong->status, 400);
  EXPECT_NE(body_json(wrong)["message"].get<std::string>().find("spinetest___echo"),
            std::string::npos);
  auto both = read({file_part("file", "page.png", fixtures().bytes("page.png"), "image/png")});
  EXPECT_EQ(both->status, 400);
  auto bad_format = read({{"format", "xml", "", ""}});
  EXPECT_EQ(bad_format->status, 400);
  EXPECT_NE(body_json(bad_format)["message"].get<std::string>().find("format"), std::string::npos);
}

// Workers start with OMP_THREAD_LIMIT set (libgomp reads it only at load; Tesseract's OpenMP
// threads would fight the page threads for the cores).
TEST(AiOcr, WorkersStartWithOpenMpCapped) {
  auto pids = server().worker_pids();
  ASSERT_FALSE(pids.empty());
  for (pid_t pid : pids) {
    std::string env = fx::read_all("/proc/" + std::to_string(pid) + "/environ");
    EXPECT_NE(env.find(std::string("OMP_THREAD_LIMIT=") +
                       (std::getenv("OMP_THREAD_LIMIT") ? std::getenv("OMP_THREAD_LIMIT") : "1")),
              std::string::npos);
  }
}

// Reading back a job that is still queued or running answers 409 and says how to wait for it.
TEST(AiOcr, ReadBackOfAnUnfinishedJobIs409) {
  auto c = server().client(server().system_key());
  httplib::MultipartFormDataItems job = {
      {"ocr_mode", "complete", "", ""},
      file_part("file", "scan.pdf", fixtures().bytes("scan.pdf"), "application/pdf")};
  auto queued = c->Post("/latest/job/add/paperoffice_aiocr___generate", job);
  ASSERT_EQ(queued->status, 202) << queued->body;
  std::string id = body_json(queued)["job_id"];
  auto early = c->Post("/latest/job/add/paperoffice_aiocr___generate", form({{"job_id", id}}));
  EXPECT_EQ(early->status, 409) << early->body;
  EXPECT_EQ(body_json(early)["code"], "JOB_NOT_COMPLETED");
  EXPECT_NE(body_json(early)["message"].get<std::string>().find("/job/get/" + id),
            std::string::npos);
  ASSERT_EQ(wait_job(*c, id, 120000)["job_status"], "completed");
  EXPECT_EQ(c->Post("/latest/job/add/paperoffice_aiocr___generate", form({{"job_id", id}}))->status,
            200);
}
