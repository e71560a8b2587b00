#include "services/esign/certificate.h"

#include <fmt/format.h>

#include "core/clock.h"
#include "engines/generate/html_page.h"

namespace paperd::services::esign {
namespace {

using engines::generate::html_escape;

std::string when(const store::Row& r, const char* col) {
  return r.is_null(col) ? "-" : core::iso8601(r.i64(col));
}

}  // namespace

std::string certificate_html(const store::Row& request, const std::vector<store::Row>& signers,
                             const Json& audit, const std::string& final_sha256,
                             const std::string& certificate_subject) {
  std::string h =
      "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Completion certificate</title>"
      "<style>body{font-family:sans-serif;font-size:9pt;margin:36pt}h1{font-size:16pt}"
      "h2{font-size:11pt;margin-top:14pt}table{border-collapse:collapse;width:100%}"
      "td,th{border:1px solid #999;padding:3pt;text-align:left;vertical-align:top}"
      ".mono{font-family:monospace;font-size:7pt}</style></head><body>";
  h += "<h1>Completion certificate</h1>";
  h += fmt::format(
      "<table><tr><th>Request</th><td>{}</td></tr><tr><th>Title</th><td>{}</td></tr>"
      "<tr><th>Document</th><td>{}</td></tr><tr><th>Pages</th><td>{}</td></tr>"
      "<tr><th>Signing order</th><td>{}</td></tr><tr><th>Created</th><td>{}</td></tr>"
      "<tr><th>Completed</th><td>{}</td></tr>"
      "<tr><th>SHA-256 before signing</th><td class=\"mono\">{}</td></tr>"
      "<tr><th>SHA-256 after signing</th><td class=\"mono\">{}</td></tr>"
      "<tr><th>Signed with</th><td>{} (PAdES baseline, SHA-256)</td></tr></table>",
      html_escape(request.text("public_id")), html_escape(request.text("title")),
      html_escape(request.text("file_name")), request.i64("page_count"),
      html_escape(request.text("signing_order")), core::iso8601(request.i64("created_at")),
      core::iso8601(core::unix_now()), request.text("original_sha256"), final_sha256,
      html_escape(certificate_subject));
  h += "<h2>Signers</h2><table><tr><th>#</th><th>Signer</th><th>Sent</th><th>Viewed</th>"
       "<th>Signed</th><th>IP</th><th>User agent</th></tr>";
  for (auto& s : signers)
    h += fmt::format(
        "<tr><td>{}</td><td>{}<br/>{}<br/>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
        "<td class=\"mono\">{}</td></tr>",
        s.i64("position"), html_escape(s.text("name")), html_escape(s.text("email")),
        html_escape(s.text("role")), when(s, "sent_at"), when(s, "viewed_at"), when(s, "signed_at"),
        html_escape(s.text("ip")), html_escape(s.text("user_agent")));
  h += "</table><h2>Audit trail</h2><table><tr><th>#</th><th>Time</th><th>Event</th>"
       "<th>By</th><th>IP</th><th>Hash</th></tr>";
  for (auto& e : audit)
    h += fmt::format(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
        "<td class=\"mono\">{}</td></tr>",
        e["seq"].get<int64_t>(), html_escape(e["at"].get<std::string>()),
        html_escape(e["event"].get<std::string>()), html_escape(e["actor"].get<std::string>()),
        html_escape(e["ip"].get<std::string>()), html_escape(e["hash"].get<std::string>()));
  h += "</table><p>Each audit entry's hash covers the entry and the hash before it; the chain "
       "and the signatures can be checked with signature_link/get_document_signatures and "
       "signatures/get.</p></body></html>";
  return h;
}

}  // namespace paperd::services::esign
