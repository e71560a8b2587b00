// E-signatures from outside: a real `paperd serve` with an SMTP sink. Invitations arrive by mail,
// the signing page and its session answer on the link, signatures are applied in order, pdfsig
// verifies the signed PDF, the certificate lists the signers, and a changed byte, an edited audit
// row, a used or forged link are all caught.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <zlib.h>

#include <chrono>
#include <cstdio>
#include <mutex>
#include <regex>
#include <thread>

#include "../unit/engines/pdf/pdf_text_fixture.h"
#include "../unit/engines/sign/sign_test_util.h"
#include "core/crypto.h"
#include "core/fs.h"
#include "json_api.h"
#include "node_tools.h"
#include "server.h"
#include "smtp_sink.h"

using namespace paperd::testing;
using paperd::Json;
namespace fixtures = paperd::fixtures;

namespace {

struct World {
  SmtpSink smtp;
  PaperdServer server;
  World()
      : server({{"PAPERD_SMTP_HOST", "127.0.0.1"},
                {"PAPERD_SMTP_PORT", std::to_string(smtp.port())},
                {"PAPERD_SMTP_TLS", "none"},
                {"PAPERD_SMTP_FROM", "paperd <sign@paperd.test>"}},
               1) {}
};

World& world() {
  static World w;
  return w;
}

std::unique_ptr<httplib::Client> api() {
  return world().server.client(world().server.system_key());
}

JsonApi& sender() {
  static JsonApi a(world().server, world().server.system_key());
  return a;
}
Json post(const std::string& path, const Json& body, int status = 200) {
  return sender().post(path, body, status);
}
Json get(const std::string& path, int status = 200) {
  return sender().get(path, status);
}

// The signing page's side: no token, only the link.
httplib::Result page_get(const std::string& path) {
  return world().server.client()->Get(path);
}
httplib::Result page_post(const std::string& path, const Json& body) {
  return world().server.client()->Post(path, body.dump(), "application/json");
}

// The /sign/<token> path of the newest invitation mailed to rcpt.
std::string wait_link(const std::string& rcpt, size_t nth = 1) {
  static const std::regex link(R"((/latest/sign/[A-Za-z0-9]{43}))");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(45);
  while (std::chrono::steady_clock::now() < deadline) {
    std::vector<std::string> links;
    for (auto& m : world().smtp.mails_to(rcpt)) {
      std::smatch hit;
      std::string data = std::regex_replace(m.data, std::regex("=\r\n"), "");
      if (std::regex_search(data, hit, link)) links.push_back(hit[1]);
    }
    if (links.size() >= nth) return links[nth - 1];
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return "";
}

// A 120x40 PNG: a dark diagonal stroke on transparent, written with zlib (exact bytes).
std::string stroke_png() {
  const int w = 120, h = 40;
  std::string raw;
  for (int y = 0; y < h; ++y) {
    raw += '\0';
    for (int x = 0; x < w; ++x) {
      bool ink = std::abs(x / 3 - y) < 2;
      raw += std::string(ink ? "\x10\x20\x80\xff" : std::string("\0\0\0\0", 4));
    }
  }
  uLongf len = compressBound(raw.size());
  std::string z(len, '\0');
  compress(reinterpret_cast<Bytef*>(z.data()), &len, reinterpret_cast<const Bytef*>(raw.data()),
           raw.size());
  z.resize(len);
  auto be = [](uint32_t v) {
    return std::string{char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
  };
  auto chunk = [&](const std::string& type, const std::string& data) {
    std::string td = type + data;
    return be(static_cast<uint32_t>(data.size())) + td +
           be(static_cast<uint32_t>(
               crc32(0, reinterpret_cast<const Bytef*>(td.data()), td.size())));
  };
  std::string ihdr = be(w) + be(h) + std::string("\x08\x06\x00\x00\x00", 5);
  return std::string("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", ihdr) + chunk("IDAT", z) +
         chunk("IEND", "");
}

std::string data_url(const std::string& png) {
  return "data:image/png;base64," + paperd::core::base64_encode(png);
}

std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  pclose(p);
  return out;
}

size_t count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

std::string upload_pdf(const std::string& name, const std::string& bytes) {
  // The workspace, made by whichever test comes first (a second create answers 409).
  api()->Post("/latest/documents/workspace-create", Json{{"name", "Contracts"}}.dump(),
              "application/json");
  auto r = api()->Post(
      "/latest/documents/document-put",
      httplib::MultipartFormDataItems{{"workspace_name", "Contracts", "", ""},
                                      file_part("file", name, bytes, "application/pdf")});
  EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "");
  return body_json(r)["results"][0]["pofid"];
}

std::string contract_pdf() {
  return fixtures::make_text_pdf({fixtures::FixturePage::lines({"Service agreement", "Page one"}),
                                  fixtures::FixturePage::lines({"Terms", "Page two"})});
}

}  // namespace

TEST(Esign, TwoSignersInOrderThenPdfsigVerifiesAndTamperingIsCaught) {
  std::string pofid = upload_pdf("agreement.pdf", contract_pdf());
  Json created =
      post("/signatures/create", {{"pofid", pofid},
                                  {"title", "Service agreement 42"},
                                  {"message", "Please sign by Friday."},
                                  {"sender_email", "owner@example.com"},
                                  {"signers",
                                   {{{"name", "Alice Signer"},
                                     {"email", "alice@example.com"},
                                     {"fields",
                                      {{{"type", "signature"},
                                        {"page", 2},
                                        {"x", 0.1},
                                        {"y", 0.7},
                                        {"width", 0.3},
                                        {"height", 0.08}},
                                       {{"type", "date"},
                                        {"page", 2},
                                        {"x", 0.5},
                                        {"y", 0.7},
                                        {"width", 0.2},
                                        {"height", 0.04}},
                                       {{"type", "checkbox"},
                                        {"page", 2},
                                        {"x", 0.75},
                                        {"y", 0.7},
                                        {"width", 0.04},
                                        {"height", 0.03},
                                        {"required", true},
                                        {"label", "I agree"}}}}},
                                    {{"name", "Bob Builder"}, {"email", "bob@example.com"}}}}});
  std::string id = created["signature_id"];
  ASSERT_EQ(id.substr(0, 4), "sig_");
  EXPECT_EQ(created["signers"][0]["status"], "sent");
  EXPECT_EQ(created["signers"][1]["status"], "waiting") << "sequential: Bob waits for Alice";
  EXPECT_FALSE(created["signers"][1].contains("signing_url"));

  std::string alice = wait_link("alice@example.com");
  ASSERT_FALSE(alice.empty()) << "no invitation reached the SMTP sink";
  EXPECT_NE(created["signers"][0]["signing_url"].get<std::string>().find(alice), std::string::npos);
  EXPECT_TRUE(world().smtp.mails_to("bob@example.com").empty());

  // The page, its session (only Alice's fields) and a page image, with no account.
  auto html = page_get(alice);
  ASSERT_TRUE(html);
  EXPECT_EQ(html->status, 200);
  EXPECT_NE(html->body.find("Sign a document"), std::string::npos);
  EXPECT_NE(html->get_header_value("Content-Security-Policy").find("default-src 'none'"),
            std::string::npos);
  Json session = body_json(page_get(alice + "/session"));
  EXPECT_EQ(session["signer"]["email"], "alice@example.com");
  ASSERT_EQ(session["fields"].size(), 3u);
  EXPECT_EQ(session["pages"].size(), 2u);
  auto png = page_get(alice + "/page/2");
  ASSERT_TRUE(png);
  EXPECT_EQ(png->body.substr(0, 4), "\x89PNG");

  // Bad signing input is refused and changes nothing.
  auto r = page_post(alice + "/complete", {{"values", Json::object()}});
  EXPECT_EQ(r->status, 400) << r->body;
  r = page_post(alice + "/complete", {{"signature", {{"image", data_url(stroke_png())}}}});
  EXPECT_EQ(r->status, 400) << "the required checkbox is not checked: " << r->body;
  r = page_post(alice + "/complete", {{"signature", {{"image", "data:image/png;base64,AAAA"}}},
                                      {"values", {{"f3", true}}}});
  EXPECT_EQ(r->status, 400) << "not a PNG: " << r->body;

  r = page_post(alice + "/complete", {{"signature", {{"image", data_url(stroke_png())}}},
                                      {"values", {{"f2", "2026-12-07"}, {"f3", true}}}});
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_FALSE(body_json(r)["request_completed"].get<bool>());
  EXPECT_EQ(page_get(alice + "/session")->status, 410) << "a used link stops working";

  std::string bob = wait_link("bob@example.com");
  ASSERT_FALSE(bob.empty()) << "Bob is invited once Alice has signed";
  r = page_post(bob + "/complete", {{"signature", {{"text", "Bob Builder"}}}});
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_TRUE(body_json(r)["request_completed"].get<bool>());

  Json got = get("/signatures/get?include_audit=true&signature_id=" + id);
  EXPECT_EQ(got["signature_status"], "completed");
  EXPECT_TRUE(got["audit_trail_valid"].get<bool>());
  EXPECT_TRUE(got["signed_document_pofid"].is_string());
  EXPECT_TRUE(got["certificate_pofid"].is_string());
  std::vector<std::string> events;
  for (auto& e : got["audit_trail"]) events.push_back(e["event"]);
  EXPECT_EQ(events, (std::vector<std::string>{"created", "invited", "viewed", "signed", "invited",
                                              "signed", "completed"}));
  bool told = false;
  for (int i = 0; i < 400 && !told; ++i) {
    for (auto& m : world().smtp.mails_to("owner@example.com"))
      told |= m.data.find("Completed: Service agreement 42") != std::string::npos;
    if (!told) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(told) << "the sender is emailed on completion";
  Json status = get("/signature_link/get_signing_status?request_id=" + id);
  EXPECT_EQ(status["signed"], 2);
  EXPECT_TRUE(status["signers"][0]["viewed_at"].is_string());

  // pdfsig: two valid signatures, the last over the whole document.
  paperd::core::TempDir tmp(std::filesystem::temp_directory_path(), "esign-test-");
  auto signed_pdf = api()->Get("/latest/signatures/download?signature_id=" + id);
  ASSERT_EQ(signed_pdf->status, 200);
  paperd::core::atomic_write_file(tmp.path() / "signed.pdf", signed_pdf->body);
  std::string sig = run("pdfsig " + (tmp.path() / "signed.pdf").string());
  EXPECT_EQ(count(sig, "Signature is Valid."), 2u) << sig;
  EXPECT_NE(sig.find("Total document signed"), std::string::npos) << sig;
  EXPECT_NE(sig.find("ETSI.CAdES.detached"), std::string::npos) << sig;
  EXPECT_NE(run("qpdf --check " + (tmp.path() / "signed.pdf").string()).find("No syntax or stream"),
            std::string::npos);
  Json verified = get("/signature_link/get_document_signatures?request_id=" + id);
  EXPECT_EQ(verified["total_signatures"], 2);
  EXPECT_TRUE(verified["all_valid"].get<bool>()) << verified.dump();
  EXPECT_TRUE(verified["signatures"][0]["pades_baseline"].get<bool>());
  EXPECT_TRUE(verified["signatures"][1]["trusted"].get<bool>());

  // The completion certificate lists both signers and the hashes.
  auto cert = api()->Get("/latest/signatures/download?type=certificate&signature_id=" + id);
  ASSERT_EQ(cert->status, 200);
  paperd::core::atomic_write_file(tmp.path() / "cert.pdf", cert->body);
  std::string text = run("pdftotext " + (tmp.path() / "cert.pdf").string() + " -");
  EXPECT_NE(text.find("alice@example.com"), std::string::npos) << text;
  EXPECT_NE(text.find("bob@example.com"), std::string::npos);
  EXPECT_NE(text.find(got["original_sha256"].get<std::string>().substr(0, 32)), std::string::npos);

  // Completed: cancel is refused.
  post("/signatures/cancel", {{"signature_id", id}}, 409);

  // One byte changed inside the first signed range: pdfsig and paperd both say so.
  std::string bytes = signed_pdf->body;
  size_t at = bytes.find("Service agreement");
  ASSERT_NE(at, std::string::npos);
  bytes[at] = 's';
  paperd::core::atomic_write_file(tmp.path() / "changed.pdf", bytes);
  EXPECT_LT(count(run("pdfsig " + (tmp.path() / "changed.pdf").string()), "Signature is Valid."),
            2u);
  std::string changed = upload_pdf("changed.pdf", bytes);
  Json broken = get("/signature_link/get_document_signatures?pofid=" + changed);
  EXPECT_FALSE(broken["all_valid"].get<bool>());
  EXPECT_FALSE(broken["signatures"][0]["digest_valid"].get<bool>()) << broken.dump();

  // An edited audit row (the append-only triggers dropped by hand) breaks the chain there.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((world().server.data_dir() / "data" / "paperd.db").c_str(), &db),
            SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  EXPECT_NE(sqlite3_exec(db, "UPDATE signature_audit SET actor = 'x'", nullptr, nullptr, nullptr),
            SQLITE_OK)
      << "the trail refuses updates";
  ASSERT_EQ(sqlite3_exec(db,
                         "DROP TRIGGER signature_audit_no_update; UPDATE signature_audit SET "
                         "ip = '10.6.6.6' WHERE seq = 3",
                         nullptr, nullptr, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);
  Json after = get("/signatures/get?signature_id=" + id);
  EXPECT_FALSE(after["audit_trail_valid"].get<bool>());
  EXPECT_EQ(after["audit_trail_broken_at"], 3);
}

TEST(Esign, ParallelDeclineCancelResendAndBadInput) {
  // Bad input names the problem.
  post("/signatures/create", {{"pofid", "nope"}, {"signers", {{{"email", "a@example.com"}}}}}, 404);
  post("/signatures/create", {{"signers", {{{"email", "a@example.com"}}}}}, 400);
  auto r = api()->Post(
      "/latest/signatures/create",
      httplib::MultipartFormDataItems{{"signers", R"([{"email":"a@example.com"}])", "", ""},
                                      file_part("file", "notes.txt", "just text", "text/plain")});
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(body_json(r)["code"], "UNSUPPORTED_FORMAT") << r->body;
  auto upload = [](const std::string& signers, const std::string& order) {
    return api()->Post("/latest/signatures/create",
                       httplib::MultipartFormDataItems{
                           {"signers", signers, "", ""},
                           {"signing_order", order, "", ""},
                           file_part("file", "nda.pdf", contract_pdf(), "application/pdf")});
  };
  r = upload(R"([{"email":"not-an-email"}])", "parallel");
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("not-an-email"), std::string::npos);
  r = upload(
      R"([{"email":"c@example.com","fields":[{"type":"signature","page":9,"x":0.1,"y":0.1,"width":0.2,"height":0.1}]}])",
      "parallel");
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("page 9"), std::string::npos) << r->body;
  EXPECT_EQ(page_get("/latest/sign/" + std::string(43, 'A'))->status, 404) << "a forged link";

  // Parallel: both invited at once; one declines and the request closes for the other.
  r = upload(
      R"([{"name":"Carol","email":"carol@example.com"},{"name":"Dan","email":"dan@example.com"}])",
      "parallel");
  ASSERT_EQ(r->status, 200) << r->body;
  std::string id = body_json(r)["signature_id"];
  std::string carol = wait_link("carol@example.com"), dan = wait_link("dan@example.com");
  ASSERT_FALSE(carol.empty());
  ASSERT_FALSE(dan.empty());
  // Resend: a new link for Dan, the old one no longer works.
  Json resent = post("/signature_link/resend_invitation",
                     {{"request_id", id}, {"signer_email", "dan@example.com"}});
  std::string dan2 = wait_link("dan@example.com", 2);
  ASSERT_FALSE(dan2.empty());
  EXPECT_NE(dan2, dan);
  EXPECT_EQ(page_get(dan + "/session")->status, 404);
  EXPECT_EQ(page_get(dan2 + "/session")->status, 200);
  r = page_post(carol + "/decline", {{"reason", "wrong amount"}});
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(page_get(dan2)->status, 410) << "declined: the other link closes";
  Json got = get("/signatures/get?signature_id=" + id);
  EXPECT_EQ(got["signature_status"], "declined");
  EXPECT_EQ(got["signers"][0]["decline_reason"], "wrong amount");
  post("/signatures/cancel", {{"signature_id", id}}, 409);
  get("/signatures/download?signature_id=" + id, 409);

  // Cancel a pending one: its link stops working.
  r = upload(R"([{"name":"Eve","email":"eve@example.com"}])", "sequential");
  ASSERT_EQ(r->status, 200);
  std::string id2 = body_json(r)["signature_id"];
  std::string eve = wait_link("eve@example.com");
  post("/signature_link/cancel_signing_request", {{"request_id", id2}, {"reason", "replaced"}});
  EXPECT_EQ(page_get(eve + "/session")->status, 410);
  Json list = get("/signatures/list?status=cancelled");
  EXPECT_GE(list["total"].get<int>(), 1);
  // Another account sees none of it.
  auto other = world().server.create_token("ut", "someone-else");
  auto o = world().server.client(other)->Get("/latest/signatures/get?signature_id=" + id2);
  EXPECT_EQ(o->status, 404);
}

// The signing page in a real browser (Debian's Chromium through playwright-core), once as a
// phone and once on a desktop: draw a signature with the pointer, fill the fields, finish.
TEST(Esign, ChromiumDrawsFillsAndFinishesOnThePhoneAndDesktopPages) {
  std::string install = ensure_node_tools();
  ASSERT_EQ(install, "") << install;
  for (std::string viewport : {"phone", "desktop"}) {
    std::string email = viewport + "@example.com";
    Json created =
        post("/signatures/create", {{"pofid", upload_pdf(viewport + ".pdf", contract_pdf())},
                                    {"title", "Browser test " + viewport},
                                    {"signers",
                                     {{{"name", "Pat " + viewport},
                                       {"email", email},
                                       {"fields",
                                        {{{"type", "signature"},
                                          {"page", 1},
                                          {"x", 0.1},
                                          {"y", 0.6},
                                          {"width", 0.35},
                                          {"height", 0.08}},
                                         {{"type", "date"},
                                          {"page", 1},
                                          {"x", 0.55},
                                          {"y", 0.6},
                                          {"width", 0.25},
                                          {"height", 0.04}},
                                         {{"type", "text"},
                                          {"page", 1},
                                          {"x", 0.1},
                                          {"y", 0.72},
                                          {"width", 0.4},
                                          {"height", 0.04},
                                          {"label", "Company"}},
                                         {{"type", "checkbox"},
                                          {"page", 1},
                                          {"x", 0.55},
                                          {"y", 0.72},
                                          {"width", 0.05},
                                          {"height", 0.035},
                                          {"required", true}}}}}}}});
    std::string id = created["signature_id"];
    std::string link = wait_link(email);
    ASSERT_FALSE(link.empty());
    std::string out;
    int rc = run_node("sign_page.mjs", {world().server.url(link), viewport}, &out);
    ASSERT_EQ(rc, 0) << out;
    Json result = Json::parse(out.substr(out.rfind('{')), nullptr, false);
    ASSERT_TRUE(result.is_object()) << out;
    EXPECT_FALSE(result.contains("failure")) << out;
    EXPECT_EQ(result["title"], "Browser test " + viewport);
    EXPECT_TRUE(result["finish_disabled_before"].get<bool>()) << "nothing filled yet";
    EXPECT_TRUE(result["signature_shown"].get<bool>());
    EXPECT_EQ(result["date_value"].get<std::string>().size(), 10u) << "today, pre-filled";
    EXPECT_FALSE(result["overflow"].get<bool>())
        << viewport << ": the page is wider than the screen";
    EXPECT_TRUE(result["errors"].empty()) << "console errors or CSP violations: " << out;
    EXPECT_NE(result.value("done", "").find("Signed"), std::string::npos) << out;

    Json got = get("/signatures/get?signature_id=" + id);
    EXPECT_EQ(got["signature_status"], "completed");
    paperd::core::TempDir tmp(std::filesystem::temp_directory_path(), "esign-browser-");
    auto pdf = api()->Get("/latest/signatures/download?signature_id=" + id);
    ASSERT_EQ(pdf->status, 200);
    paperd::core::atomic_write_file(tmp.path() / "signed.pdf", pdf->body);
    EXPECT_EQ(count(run("pdfsig " + (tmp.path() / "signed.pdf").string()), "Signature is Valid."),
              1u);
  }
}

// With a timestamp authority configured (a real RFC 3161 TSA on loopback: OpenSSL's TS_RESP_CTX)
// every signature carries its token; without SMTP the sender still has the link from the answer.
TEST(Esign, TimestampAuthorityStampsEverySignature) {
  paperd::sign_test::TestTsa tsa;
  std::mutex mu;
  httplib::Server tsa_http;
  tsa_http.Post("/tsa", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mu);
    EXPECT_EQ(req.get_header_value("Content-Type"), "application/timestamp-query");
    res.set_content(tsa.respond(req.body), "application/timestamp-reply");
  });
  int port = tsa_http.bind_to_any_port("127.0.0.1");
  std::thread serving([&] { tsa_http.listen_after_bind(); });
  {
    PaperdServer server(
        {{"PAPERD_ESIGN_TSA_URL", "http://127.0.0.1:" + std::to_string(port) + "/tsa"}}, 1);
    auto c = server.client(server.system_key());
    auto r = c->Post("/latest/signatures/create",
                     httplib::MultipartFormDataItems{
                         {"signers", R"([{"name":"Tess","email":"tess@example.com"}])", "", ""},
                         file_part("file", "stamped.pdf", contract_pdf(), "application/pdf")});
    ASSERT_EQ(r->status, 200) << r->body;
    Json created = body_json(r);
    std::string url = created["signers"][0]["signing_url"];
    std::string link = url.substr(url.find("/latest/sign/"));
    auto done = server.client()->Post(
        link + "/complete", Json{{"signature", {{"text", "Tess T."}}}}.dump(), "application/json");
    ASSERT_EQ(done->status, 200) << done->body;
    Json v = body_json(c->Get("/latest/signature_link/get_document_signatures?request_id=" +
                              created["signature_id"].get<std::string>()));
    ASSERT_EQ(v["total_signatures"], 1) << v.dump();
    EXPECT_TRUE(v["signatures"][0]["has_timestamp"].get<bool>()) << v.dump();
    EXPECT_EQ(v["signatures"][0]["timestamp_time"].get<std::string>().size(), 20u) << v.dump();
    EXPECT_TRUE(v["all_valid"].get<bool>());
    EXPECT_GE(tsa.requests(), 1);
  }
  tsa_http.stop();
  serving.join();
}

// Past its expiry a link answers 410 with the reason, and the page says so (never the document).
TEST(Esign, AnExpiredLinkShowsWhyAndNotTheDocument) {
  auto r = api()->Post("/latest/signatures/create",
                       httplib::MultipartFormDataItems{
                           {"signers", R"([{"name":"Late","email":"late@example.com"}])", "", ""},
                           {"expires_in_days", "1", "", ""},
                           file_part("file", "late.pdf", contract_pdf(), "application/pdf")});
  ASSERT_EQ(r->status, 200) << r->body;
  std::string url = body_json(r)["signers"][0]["signing_url"];
  std::string link = url.substr(url.find("/latest/sign/"));
  EXPECT_EQ(page_get(link + "/session")->status, 200);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((world().server.data_dir() / "data" / "paperd.db").c_str(), &db),
            SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  ASSERT_EQ(sqlite3_exec(db,
                         "UPDATE signature_signers SET link_expires_at = 1 WHERE email = "
                         "'late@example.com'",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto s = page_get(link + "/session");
  EXPECT_EQ(s->status, 410);
  EXPECT_EQ(body_json(s)["code"], "SIGNING_LINK_EXPIRED");
  auto page = page_get(link);
  EXPECT_EQ(page->status, 410);
  EXPECT_NE(page->body.find("expired"), std::string::npos);
  EXPECT_EQ(page_get(link + "/page/1")->status, 410);
  EXPECT_EQ(page_post(link + "/complete", {{"signature", {{"text", "Late"}}}})->status, 410);
}
