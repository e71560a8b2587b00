// API tests of GET /documents/ocr-search-hits against a real `paperd serve`: hits of a query in
// one document with their page and rectangle. A two-page PDF of known text (Helvetica 12 pt at
// known baselines, pdf_text_fixture.h): an inflected form, a phrase, a compound part and the page
// filter, each at the rectangle the layout predicts; a text file answers its hits without
// rectangles; bad input is refused; and in an AI-DMS workspace an OCR'd image's hit lies around
// the rendered word.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "../unit/engines/ocr/ocr_fixtures.h"
#include "../unit/engines/pdf/pdf_text_fixture.h"
#include "core/fs.h"
#include "json_api.h"
#include "server.h"

using namespace paperd::testing;
using paperd::Json;
namespace fixtures = paperd::fixtures;

namespace {

PaperdServer& shared() {
  static PaperdServer server;
  return server;
}

class Api : public JsonApi {
 public:
  explicit Api(const std::string& token) : JsonApi(shared(), token) {}
  Json put(int64_t ws, const std::string& name, const std::string& bytes) {
    return upload(ws, name, bytes);
  }
  Json hits(const std::string& pofid, const std::string& query, int status = 200,
            std::optional<int> page = std::nullopt) {
    httplib::Params q = {{"pofid", pofid}, {"query", query}};
    if (page) q.emplace("page", std::to_string(*page));
    return get("/documents/ocr-search-hits", q, status);
  }
};

int64_t workspace(Api& api, const std::string& name, const std::string& ai_dms_mode = "") {
  Json body = {{"name", name}};
  if (!ai_dms_mode.empty()) body["ai_dms_mode"] = ai_dms_mode;
  return api.post("/documents/workspace-create", body)["workspace"]["id"];
}

// Helvetica advance widths (1/1000 em) of the characters the fixture lines use.
double helvetica_width(const std::string& s, double size = 12) {
  double w = 0;
  for (char c : s) {
    switch (c) {
      case ' ':
      case 'I':
      case 't':
      case ':':
      case '.':
        w += 278;
        break;
      case 'i':
      case 'l':
        w += 222;
        break;
      case 'r':
      case '-':
        w += 333;
        break;
      case 'c':
      case 'z':
      case 'k':
      case 'v':
      case 's':
      case 'y':
        w += 500;
        break;
      case 'f':
        w += 278;
        break;
      case 'm':
        w += 833;
        break;
      case 'w':
      case 'D':
      case 'R':
      case 'N':
        w += 722;
        break;
      case 'B':
      case 'K':
      case 'V':
        w += 667;
        break;
      default:  // a e g h n o u b d and digits
        w += 556;
    }
  }
  return w * size / 1000;
}

// The fixture's lines: x = 72 pt, baselines 72, 88, 104, ... from the top, 12 pt.
double baseline(int line) {
  return 72 + 16 * line;
}

// The hit's rectangle holds the line's text band: it starts above the baseline by most of the
// font size and ends a little below it.
void expect_on_line(const Json& hit, int line, double x, double width) {
  double y = hit["y"], h = hit["height"];
  EXPECT_LT(y, baseline(line) - 6) << hit.dump();
  EXPECT_GT(y, baseline(line) - 13) << hit.dump();
  EXPECT_GT(y + h, baseline(line)) << hit.dump();
  EXPECT_LT(y + h, baseline(line) + 5) << hit.dump();
  EXPECT_NEAR(hit["x"].get<double>(), x, 3) << hit.dump();
  EXPECT_NEAR(hit["width"].get<double>(), width, 4) << hit.dump();
  EXPECT_NEAR(hit["x_rel"].get<double>(), hit["x"].get<double>() / 612, 1e-3) << hit.dump();
  EXPECT_NEAR(hit["y_rel"].get<double>(), y / 792, 1e-3) << hit.dump();
  EXPECT_NEAR(hit["w_rel"].get<double>(), hit["width"].get<double>() / 612, 1e-3);
  EXPECT_NEAR(hit["h_rel"].get<double>(), h / 792, 1e-3);
}

std::string two_page_pdf() {
  return fixtures::make_text_pdf(
      {fixtures::FixturePage::lines(
           {"Rechnung Nr. 4711", "Betrag: 120 EUR", "Die zweite Rechnung folgt"}),
       fixtures::FixturePage::lines(
           {"Bezug: Ihr Kfz-Versicherungsvertrag", "vom 1. Mai 2025", "Rechnungen anbei"})});
}

TEST(DmsSearchHits, PdfHitsHaveTheRectanglesOfTheirWords) {
  Api a(shared().create_token("ut", "dms-hits", "enterprise"));
  int64_t ws = workspace(a, "Post");
  std::string pofid = a.put(ws, "kunde-4711.pdf", two_page_pdf())["pofid"];

  // An inflected form finds "Rechnung" twice on page 1 and "Rechnungen" on page 2.
  Json r = a.hits(pofid, "Rechnungen");
  EXPECT_EQ(r["status"], "success");
  EXPECT_EQ(r["pofid"], pofid);
  EXPECT_EQ(r["query"], "Rechnungen");
  ASSERT_EQ(r["total_hits"], 3) << r.dump();
  ASSERT_EQ(r["pages"].size(), 2u) << r.dump();
  const Json& p1 = r["pages"][0];
  EXPECT_EQ(p1["page"], 1);
  EXPECT_EQ(p1["unit"], "pt");
  EXPECT_NEAR(p1["width"].get<double>(), 612, 0.01);
  EXPECT_NEAR(p1["height"].get<double>(), 792, 0.01);
  ASSERT_EQ(p1["hits"].size(), 2u) << p1.dump();
  EXPECT_EQ(p1["hits"][0]["text"], "Rechnung");
  expect_on_line(p1["hits"][0], 0, 72, helvetica_width("Rechnung"));
  EXPECT_EQ(p1["hits"][1]["text"], "Rechnung");
  expect_on_line(p1["hits"][1], 2, 72 + helvetica_width("Die zweite "),
                 helvetica_width("Rechnung"));
  EXPECT_FALSE(p1["hits"][0].contains("confidence"));  // a text layer has none
  EXPECT_FALSE(p1.contains("rectangles_unavailable"));
  const Json& p2 = r["pages"][1];
  EXPECT_EQ(p2["page"], 2);
  ASSERT_EQ(p2["hits"].size(), 1u);
  EXPECT_EQ(p2["hits"][0]["text"], "Rechnungen");
  expect_on_line(p2["hits"][0], 2, 72, helvetica_width("Rechnungen"));

  // A phrase is one box over its consecutive words; the words in another order are no hit.
  r = a.hits(pofid, "\"Rechnung Nr\"");
  ASSERT_EQ(r["total_hits"], 1) << r.dump();
  EXPECT_EQ(r["pages"][0]["hits"][0]["text"], "Rechnung Nr.");
  expect_on_line(r["pages"][0]["hits"][0], 0, 72, helvetica_width("Rechnung Nr."));
  EXPECT_EQ(a.hits(pofid, "\"Nr Rechnung\"")["total_hits"], 0);

  // A part of a German compound hits the compound's box.
  for (const char* part : {"Vertrag", "Versicherung", "versicherungsvertrag"}) {
    r = a.hits(pofid, part);
    ASSERT_EQ(r["total_hits"], 1) << part << ": " << r.dump();
    EXPECT_EQ(r["pages"][0]["page"], 2);
    const Json& hit = r["pages"][0]["hits"][0];
    EXPECT_EQ(hit["text"], "Kfz-Versicherungsvertrag");
    expect_on_line(hit, 0, 72 + helvetica_width("Bezug: Ihr "),
                   helvetica_width("Kfz-Versicherungsvertrag"));
  }

  // Several words: hits of each; the page filter keeps one page.
  r = a.hits(pofid, "Betrag Mai");
  EXPECT_EQ(r["total_hits"], 2) << r.dump();
  r = a.hits(pofid, "Rechnungen", 200, 2);
  ASSERT_EQ(r["pages"].size(), 1u) << r.dump();
  EXPECT_EQ(r["pages"][0]["page"], 2);
  EXPECT_EQ(r["total_hits"], 1);
  EXPECT_EQ(a.hits(pofid, "nirgends")["total_hits"], 0);
  EXPECT_EQ(a.hits(pofid, "nirgends")["pages"].size(), 0u);
}

TEST(DmsSearchHits, TextWithoutGeometryAndBadInput) {
  Api a(shared().create_token("ut", "dms-hits-text", "enterprise"));
  int64_t ws = workspace(a, "Notes");
  Json up = a.put(ws, "fr.txt", "La facture du mois de mai\nUne autre facture\n");
  std::string pofid = up["pofid"];
  Json r = a.hits(pofid, "factures");
  EXPECT_EQ(r["total_hits"], 2) << r.dump();
  ASSERT_EQ(r["pages"].size(), 1u);
  EXPECT_EQ(r["pages"][0]["page"], 1);
  EXPECT_EQ(r["pages"][0]["hit_count"], 2);
  EXPECT_EQ(r["pages"][0]["rectangles_unavailable"], true);
  EXPECT_TRUE(r["pages"][0]["hits"].empty());
  EXPECT_EQ(r["rectangles_unavailable"], true);
  // documents_id names it too.
  EXPECT_EQ(a.get("/documents/ocr-search-hits",
                  {{"documents_id", std::to_string(up["documents_id"].get<int64_t>())},
                   {"query", "facture"}})["total_hits"],
            2);

  Json bad = a.get("/documents/ocr-search-hits", {{"pofid", pofid}}, 400);
  EXPECT_NE(bad.dump().find("query"), std::string::npos) << bad.dump();
  a.hits(pofid, std::string(501, 'a'), 400);
  a.hits(pofid, "facture", 400, 0);
  a.hits(pofid, "facture", 400, 2);
  Json missing = a.hits("0000.POD1.AI1.MT1.pdf", "facture", 404);
  EXPECT_EQ(missing["code"], "DOCUMENT_NOT_FOUND") << missing.dump();
  Api stranger(shared().create_token("ut", "dms-hits-stranger", "enterprise"));
  EXPECT_EQ(stranger.hits(pofid, "facture", 404)["code"], "DOCUMENT_NOT_FOUND");
  Api group(shared().create_token("gt", "dms-hits-text"));
  EXPECT_EQ(group.hits(pofid, "facture", 403)["code"], "WORKSPACE_ACCESS_DENIED");
}

TEST(DmsSearchHits, OcrPagesOfAnAiDmsWorkspaceHaveRectangles) {
  Api a(shared().create_token("ut", "dms-hits-ocr", "enterprise"));
  int64_t ws = workspace(a, "Scans", "basic");
  paperd::core::TempDir dir(std::filesystem::temp_directory_path(), "dms-hits-ocr-");
  auto png = dir.path() / "scan.png";
  // 2300 x 900 px at 300 dpi = 552 x 216 pt; 12 pt text, baseline at (100, 150) px = (24, 36) pt.
  paperd::ocr_fixtures::text_page(png, {"Quarterly shipment of blue widgets"});
  std::ifstream in(png, std::ios::binary);
  std::string pofid =
      a.put(ws, "scan.png", std::string((std::istreambuf_iterator<char>(in)), {}))["pofid"];
  Json doc;
  for (int i = 0; i < 120; ++i) {
    doc = a.get("/documents/document-get/" + pofid)["data"];
    if (doc["ai_dms"]["status"] == "completed" || doc["ai_dms"]["status"] == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  ASSERT_EQ(doc["ai_dms"]["status"], "completed") << doc.dump() << shared().log();

  Json r = a.hits(pofid, "shipments widgets");
  ASSERT_EQ(r["total_hits"], 2) << r.dump();
  ASSERT_EQ(r["pages"].size(), 1u);
  const Json& page = r["pages"][0];
  EXPECT_EQ(page["unit"], "pt");
  EXPECT_NEAR(page["width"].get<double>(), 552, 1);
  EXPECT_NEAR(page["height"].get<double>(), 216, 1);
  ASSERT_EQ(page["hits"].size(), 2u);
  const Json& ship = page["hits"][0];
  const Json& widgets = page["hits"][1];
  EXPECT_EQ(ship["text"], "shipment");
  EXPECT_EQ(widgets["text"], "widgets");
  for (const Json* h : {&ship, &widgets}) {
    double y = (*h)["y"], hh = (*h)["height"];
    EXPECT_GT(y, 36 - 14) << h->dump();  // the text band around the baseline, generously
    EXPECT_LT(y, 36) << h->dump();
    EXPECT_GT(y + hh, 33) << h->dump();
    EXPECT_LT(y + hh, 36 + 8) << h->dump();
    EXPECT_GT((*h)["width"].get<double>(), 20) << h->dump();
    EXPECT_TRUE((*h)["confidence"].is_number()) << h->dump();
    EXPECT_GT((*h)["x_rel"].get<double>(), 0);
    EXPECT_LT((*h)["x_rel"].get<double>() + (*h)["w_rel"].get<double>(), 1);
  }
  // "shipment" starts after "Quarterly " (57 pt of DejaVu Sans 12 pt past x = 24 pt).
  EXPECT_NEAR(ship["x"].get<double>(), 24 + 57, 10) << ship.dump();
  EXPECT_GT(widgets["x"].get<double>(), ship["x"].get<double>() + ship["width"].get<double>());
}

}  // namespace
