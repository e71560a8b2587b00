// `paperd esign`: the e-signature work on a document, in a child process of the server
// (services/esign/esign_runner), under the memory and CPU limits the request names, so a hostile
// PDF can only take this process down. Reads one JSON request on stdin and prints one JSON answer
// line, or {"error":{status, code, message}}:
//   {"op":"sign", "in", "out", "identity", "password", "request":{...}, "tsa_url"?}
//   {"op":"verify", "file", "trusted":[hex DER]}
//   {"op":"render", "file", "out_dir", "dpi", "max_pages", "max_megapixels"}
//   {"op":"certificate", "html", "out"}
#include <sys/resource.h>

#include <iostream>
#include <iterator>

#include "app/commands.h"
#include "core/crypto.h"
#include "core/error.h"
#include "core/fs.h"
#include "engines/generate/html_to_pdf.h"
#include "engines/pdf/mupdf_page_renderer.h"
#include "engines/pdf/pdf_document.h"
#include "engines/sign/pades_signer.h"
#include "engines/sign/signature_verifier.h"
#include "engines/sign/signing_identity.h"
#include "net/fetch.h"

namespace paperd::app {
namespace {

namespace sign = engines::sign;
using core::Error;

void apply_limits(const Json& req) {
  int64_t mb = req.value("memory_mb", int64_t{2048});
  if (mb > 0) {
    rlimit mem{static_cast<rlim_t>(mb) << 20, static_cast<rlim_t>(mb) << 20};
    setrlimit(RLIMIT_AS, &mem);
  }
  rlim_t cpu = static_cast<rlim_t>(req.value("cpu_seconds", int64_t{60}));
  rlimit lim{cpu, cpu + 5};
  setrlimit(RLIMIT_CPU, &lim);
}

sign::Stamp stamp_from(const Json& j) {
  sign::Stamp s;
  std::string kind = j.value("kind", "text");
  s.kind = kind == "image"      ? sign::Stamp::Kind::kImage
           : kind == "checkbox" ? sign::Stamp::Kind::kCheckbox
                                : sign::Stamp::Kind::kText;
  s.page = j.value("page", 1);
  s.x = j.value("x", 0.0);
  s.y = j.value("y", 0.0);
  s.width = j.value("width", 0.0);
  s.height = j.value("height", 0.0);
  if (j.contains("png_file")) s.png = core::read_file(j.at("png_file").get<std::string>());
  s.text = j.value("text", "");
  s.checked = j.value("checked", false);
  return s;
}

// An RFC 3161 exchange with the operator's timestamp authority (trusted: it is allow-listed).
std::function<std::string(const std::string&)> tsa_client(const std::string& url) {
  return [url](const std::string& request_der) {
    net::OutboundPolicy policy = net::OutboundPolicy::trusting_host_of(url);
    std::string body;
    net::FetchOptions opts;
    opts.method = "POST";
    opts.body = request_der;
    opts.headers = {"Content-Type: application/timestamp-query"};
    opts.max_bytes = 1 << 20;
    opts.timeout_seconds = 20;
    opts.param = "esign_tsa_url";
    net::fetch_to_string(url, body, policy, opts);
    return body;
  };
}

Json run_sign(const Json& req) {
  auto identity = sign::SigningIdentity::from_pkcs12(
      core::read_file(req.at("identity").get<std::string>()), req.value("password", ""));
  const Json& r = req.at("request");
  sign::SignRequest s;
  s.field_name = r.value("field_name", "Signature1");
  s.signer_name = r.value("signer_name", "");
  s.signer_email = r.value("signer_email", "");
  s.reason = r.value("reason", "");
  s.location = r.value("location", "");
  s.signing_time = r.value("signing_time", int64_t{0});
  for (auto& st : r.value("stamps", Json::array())) s.stamps.push_back(stamp_from(st));
  if (r.contains("widget") && r["widget"].is_object()) s.widget = stamp_from(r["widget"]);
  if (std::string tsa = req.value("tsa_url", ""); !tsa.empty())
    s.timestamp_authority = tsa_client(tsa);
  auto result = sign::sign_pdf(req.at("in").get<std::string>(), req.at("out").get<std::string>(),
                               identity, s);
  return {{"bytes_added", result.bytes_added},
          {"cms_bytes", result.cms_bytes},
          {"sha256_before", result.sha256_before},
          {"sha256_after", result.sha256_after}};
}

Json signature_json(const sign::SignatureInfo& s) {
  return {
      {"field_name", s.field_name},
      {"signer_name", s.signer_name},
      {"signer_email", s.signer_email},
      {"reason", s.reason},
      {"location", s.location},
      {"sub_filter", s.sub_filter},
      {"signing_time", s.signing_time},
      {"subject", s.subject},
      {"issuer", s.issuer},
      {"certificate_sha256", s.certificate_sha256},
      {"self_signed", s.self_signed},
      {"trusted", s.trusted},
      {"digest_valid", s.digest_valid},
      {"signature_valid", s.signature_valid},
      {"valid", s.digest_valid && s.signature_valid},
      {"pades_baseline", s.has_ess_signing_certificate_v2 && s.sub_filter == "ETSI.CAdES.detached"},
      {"covers_whole_document", s.covers_whole_document},
      {"modified_after_signing", s.modified_after},
      {"modification", s.modification},
      {"has_timestamp", s.has_timestamp},
      {"timestamp_time", s.timestamp_time},
      {"revision", s.revision}};
}

Json run_verify(const Json& req) {
  std::vector<std::string> trusted;
  for (auto& t : req.value("trusted", Json::array()))
    trusted.push_back(core::from_hex(t.get<std::string>()));
  Json out = Json::array();
  for (auto& s : sign::verify_pdf(req.at("file").get<std::string>(), trusted))
    out.push_back(signature_json(s));
  return {{"signatures", out}};
}

Json run_render(const Json& req) {
  engines::pdf::RenderRequest r;
  r.pdf = req.at("file").get<std::string>();
  r.dpi = req.value("dpi", 96.0);
  r.limits.max_pages = req.value("max_pages", int64_t{5000});
  r.limits.max_megapixels = req.value("max_megapixels", int64_t{200});
  r.out_dir = req.at("out_dir").get<std::string>();
  r.base = "page";
  int pages = engines::pdf::Document::open(r.pdf, "", r.limits).page_count();
  for (int i = 0; i < pages; ++i) r.pages.push_back(i);
  r.threads = 2;
  Json out = Json::array();
  for (auto& p : engines::pdf::render_pages(r))
    out.push_back({{"page", p.page},
                   {"width", p.width},
                   {"height", p.height},
                   {"width_pt", p.width * 72.0 / p.dpi},
                   {"height_pt", p.height * 72.0 / p.dpi},
                   {"file", p.file.string()}});
  return {{"pages", out}};
}

Json run(const Json& req) {
  std::string op = req.value("op", "");
  if (op == "sign") return run_sign(req);
  if (op == "verify") return run_verify(req);
  if (op == "render") return run_render(req);
  if (op == "certificate") {
    engines::generate::html_to_pdf(req.at("html").get<std::string>(),
                                   req.at("out").get<std::string>());
    return Json::object();
  }
  throw Error::invalid_request("esign: unknown op '" + op + "'");
}

}  // namespace

int esign(core::Config&) {
  Json out;
  try {
    std::string input((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    Json req = Json::parse(input);
    apply_limits(req);
    out = run(req);
  } catch (const Error& e) {
    out = {{"error", {{"status", e.status()}, {"code", e.code()}, {"message", e.what()}}}};
  } catch (const std::exception& e) {
    out = {{"error", {{"status", 400}, {"code", "INVALID_PDF"}, {"message", e.what()}}}};
  }
  std::cout << out.dump(-1, ' ', false, Json::error_handler_t::replace) << "\n";
  return 0;
}

}  // namespace paperd::app
