// The signer's side: the link (a 256-bit secret; only its SHA-256 is looked up, the secret itself
// is kept sealed so reminders can repeat it), the signing session, the page images, signing
// (stamps + PAdES in a child process, one signer of a request at a time), declining, the
// completion (signed PDF + certificate stored as documents) and the sweep.
#include <fmt/format.h>

#include <algorithm>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/error.h"
#include "core/fs.h"
#include "services/dms/common.h"
#include "services/dms/documents.h"
#include "services/esign/audit_trail.h"
#include "services/esign/certificate.h"
#include "services/esign/signature_service.h"
#include "services/messages/message_center.h"
#include "services/webhooks/events.h"

namespace paperd::services::esign {

using core::Error;

namespace {

constexpr const char* kLinkContext = "esign:link";
constexpr size_t kMaxImageBytes = 2 << 20;

std::string link_hash(const std::string& token) {
  return core::hex(core::sha256(token));
}

std::optional<int64_t> workspace_of(const store::Row& r) {
  return r.is_null("workspace_id") ? std::nullopt : std::optional<int64_t>(r.i64("workspace_id"));
}

// "data:image/png;base64,...." or bare base64 → PNG bytes, refused when they are not a PNG.
std::string png_from(const Json& v, const std::string& field) {
  std::string s = v.is_string() ? v.get<std::string>() : "";
  if (auto comma = s.find(','); s.starts_with("data:") && comma != std::string::npos)
    s = s.substr(comma + 1);
  if (s.size() > kMaxImageBytes * 4 / 3 + 4)
    throw Error::input_too_large(field + ": the image is over 2 MB", 400);
  std::string png = core::base64_decode(s).value_or("");
  if (!png.starts_with("\x89PNG\r\n\x1a\n"))
    throw Error::invalid_request(field + " must be a PNG image (a data: URL or base64)");
  return png;
}

}  // namespace

SignatureService::SignatureService(store::Database& db, store::BlobStore& blobs,
                                   const core::Config& config,
                                   std::shared_ptr<dms::DocumentStore> documents,
                                   std::shared_ptr<messages::MessageCenter> messages,
                                   const store::ValueSealer* sealer, std::filesystem::path binary)
    : db_(db),
      blobs_(blobs),
      config_(config),
      documents_(std::move(documents)),
      messages_(std::move(messages)),
      sealer_(sealer),
      runner_(std::move(binary), config) {}

const SigningKey& SignatureService::key() {
  std::lock_guard lock(key_mu_);
  if (!key_) key_ = std::make_unique<SigningKey>(config_, sealer_);
  return *key_;
}

std::mutex& SignatureService::request_mutex(int64_t request_id) {
  return request_mu_[static_cast<size_t>(request_id) % request_mu_.size()];
}

std::filesystem::path SignatureService::fetch_blob(const std::string& blob_id,
                                                   const std::filesystem::path& dir,
                                                   const std::string& name) {
  auto path = dir / name;
  core::atomic_write_file(path, blobs_.get_bytes(blob_id), 0600);
  return path;
}

void SignatureService::email(const store::Row& request, const std::string& to,
                             const std::string& subject, const std::string& body) {
  if (!messages_) return;
  Principal account;
  account.account_id = request.i64("account_id");
  account.kind = "sk";
  account.label = "e-signatures";
  // The recipient is a signer, not a user of the account: the account's quiet hours are not
  // theirs, so invitations go out at once (urgent skips only the quiet hours).
  messages_->send(account, {{"category", "signatures"},
                            {"channels", Json::array({"email"})},
                            {"email", to},
                            {"priority", "urgent"},
                            {"title", subject.substr(0, 200)},
                            {"body", body},
                            {"data", {{"signature_id", request.text("public_id")}}}});
}

std::string SignatureService::invite(store::Connection& c, const store::Row& request,
                                     const store::Row& signer, const std::string& link_base,
                                     const std::string& event) {
  if (!sealer_) throw Error::unavailable("e-signatures need the master key's sealer");
  std::string token = core::random_string(43, core::kBase62);  // 256 bits
  int64_t now = core::unix_now();
  int64_t expires =
      std::min(request.i64("expires_at"), now + int64_t{config_.esign_link_days} * 86400);
  c.exec(
      "UPDATE signature_signers SET link_hash = ?, link_sealed = ?, link_expires_at = ?, "
      "status = CASE WHEN status = 'waiting' THEN 'sent' ELSE status END, sent_at = ? "
      "WHERE id = ?",
      {link_hash(token), sealer_->seal(token, kLinkContext), expires, now, signer.i64("id")});
  std::string url = link_base + "/sign/" + token;
  append_audit(c, request.i64("id"),
               {event,
                "paperd",
                "",
                "",
                {{"signer", signer.text("email")}, {"link_expires_at", core::iso8601(expires)}}});
  webhooks::publish(c, request.i64("account_id"), "signature.sent",
                    {{"signature_id", request.text("public_id")},
                     {"signer_email", signer.text("email")},
                     {"signer_name", signer.text("name")}},
                    workspace_of(request));
  std::string message = request.text("message");
  email(request, signer.text("email"), "Please sign: " + request.text("title"),
        "Hello " + signer.text("name") + ",\n\nyou are asked to sign \"" + request.text("title") +
            "\"." + (message.empty() ? "" : "\n\n" + message) +
            "\n\nOpen the document and sign: " + url + "\n\nThe link works until " +
            core::iso8601(expires) + ". Do not forward it: anyone with it can sign as you.\n");
  return url;
}

store::Row SignatureService::signer_by_token(store::Connection& c, const std::string& token) {
  static const Error kUnknown(404, "SIGNING_LINK_INVALID",
                              "this signing link is not valid (mistyped, or replaced by a newer "
                              "invitation)");
  if (token.size() != 43) throw kUnknown;
  auto s = c.query_one("SELECT * FROM signature_signers WHERE link_hash = ?", {link_hash(token)});
  if (!s) throw kUnknown;
  auto r = *c.query_one("SELECT * FROM signature_requests WHERE id = ?", {s->i64("request_id")});
  std::string state = r.text("status");
  if (state != "pending")
    throw Error(410, "SIGNING_LINK_CLOSED", "this signature request is " + state);
  if (s->text("status") == "signed")
    throw Error(410, "SIGNING_LINK_USED", "you have already signed this document");
  if (s->text("status") == "declined")
    throw Error(410, "SIGNING_LINK_USED", "you have declined to sign this document");
  if (s->i64("link_expires_at") <= core::unix_now() || r.i64("expires_at") <= core::unix_now())
    throw Error(410, "SIGNING_LINK_EXPIRED",
                "this signing link has expired; ask the sender for "
                "a new one");
  return *s;
}

Json SignatureService::session(const std::string& token, const ClientInfo& client) {
  auto& c = db_.conn();
  auto s = signer_by_token(c, token);
  auto r = *c.query_one("SELECT * FROM signature_requests WHERE id = ?", {s.i64("request_id")});
  if (s.is_null("viewed_at")) {
    c.transaction([&] {
      c.exec("UPDATE signature_signers SET viewed_at = ?, status = 'viewed' WHERE id = ?",
             {core::unix_now(), s.i64("id")});
      append_audit(c, r.i64("id"),
                   {"viewed", s.text("email"), client.ip, client.user_agent, Json::object()});
      webhooks::publish(c, r.i64("account_id"), "signature.viewed",
                        {{"signature_id", r.text("public_id")}, {"signer_email", s.text("email")}},
                        workspace_of(r));
    });
  }
  Json pages = Json::array();
  for (auto& p : Json::parse(r.text("pages")))
    pages.push_back({{"page", p["page"]},
                     {"width", p["width"]},
                     {"height", p["height"]},
                     {"width_pt", p["width_pt"]},
                     {"height_pt", p["height_pt"]}});
  // Only this signer's own fields: the others' are not theirs to see.
  return {
      {"status", "success"},
      {"title", r.text("title")},
      {"message", r.text("message")},
      {"file_name", r.text("file_name")},
      {"expires_at", core::iso8601(std::min(r.i64("expires_at"), s.i64("link_expires_at")))},
      {"signer", {{"name", s.text("name")}, {"email", s.text("email")}, {"role", s.text("role")}}},
      {"today", core::iso8601(core::unix_now()).substr(0, 10)},
      {"pages", pages},
      {"fields", Json::parse(s.text("fields"))}};
}

BlobDownload SignatureService::page_image(const std::string& token, int page) {
  auto& c = db_.conn();
  auto s = signer_by_token(c, token);
  auto r = *c.query_one("SELECT pages FROM signature_requests WHERE id = ?", {s.i64("request_id")});
  for (auto& p : Json::parse(r.text("pages")))
    if (p["page"] == page) return {p["blob"].get<std::string>(), fmt::format("page-{}.png", page)};
  throw Error::not_found(fmt::format("no page {} in this document", page));
}

Json SignatureService::complete(const std::string& token, const Json& body,
                                const ClientInfo& client, const std::string& link_base) {
  auto& c = db_.conn();
  int64_t request_id = signer_by_token(c, token).i64("request_id");
  std::lock_guard lock(request_mutex(request_id));
  auto s = signer_by_token(c, token);  // again, now that no one else signs this request
  auto r = *c.query_one("SELECT * FROM signature_requests WHERE id = ?", {request_id});

  // The signature (drawn, uploaded or typed) and the values of the signer's fields.
  Json sig = body.value("signature", Json::object());
  if (sig.is_string()) sig = {{"image", sig}};
  std::string typed = sig.value("text", "");
  std::string sig_png = sig.contains("image") ? png_from(sig["image"], "signature.image") : "";
  if (sig_png.empty() && typed.empty())
    throw Error::invalid_request(
        "a signature is required: signature.image (drawn or uploaded, "
        "PNG) or signature.text (typed)");
  if (typed.size() > 100) throw Error::invalid_request("signature.text is over 100 characters");
  Json ini = body.value("initials", Json::object());
  std::string ini_text = ini.is_object() ? ini.value("text", "") : "";
  std::string ini_png =
      ini.is_object() && ini.contains("image") ? png_from(ini["image"], "initials.image") : "";
  Json values = body.value("values", Json::object());
  if (!values.is_object()) throw Error::invalid_request("field 'values' must be an object");

  core::TempDir dir(config_.tmp_dir(), "esign-sign-");
  Json stamps = Json::array(), widget = nullptr, filled = Json::object();
  int images = 0;
  auto image_file = [&](const std::string& png) {
    auto f = dir.path() / fmt::format("image-{}.png", images++);
    core::atomic_write_file(f, png);
    return f.string();
  };
  for (auto& f : Json::parse(s.text("fields"))) {
    std::string id = f["id"], type = f["type"];
    Json stamp = {{"page", f["page"]},
                  {"x", f["x"]},
                  {"y", f["y"]},
                  {"width", f["width"]},
                  {"height", f["height"]}};
    if (type == "signature" || type == "initials") {
      const std::string& png = type == "signature" ? sig_png : ini_png;
      std::string text = type == "signature" ? typed : ini_text;
      if (png.empty() && text.empty()) {
        if (type == "initials" && f.value("required", true))
          throw Error::invalid_request("field " + id +
                                       " (initials) is required: initials.image or initials.text");
        if (type == "initials") continue;
      }
      if (!png.empty())
        stamp["kind"] = "image", stamp["png_file"] = image_file(png);
      else
        stamp["kind"] = "text", stamp["text"] = text;
      filled[id] = png.empty() ? Json(text) : Json("(image)");
      if (type == "signature" && widget.is_null())
        widget = stamp;
      else
        stamps.push_back(stamp);
      continue;
    }
    Json v = values.contains(id) ? values[id] : Json(nullptr);
    if (type == "checkbox") {
      bool checked = v.is_boolean() ? v.get<bool>() : v.is_string() && (v == "true" || v == "on");
      if (!checked && f.value("required", false))
        throw Error::invalid_request("field " + id + " (" + f.value("label", "checkbox") +
                                     ") must be checked");
      stamp["kind"] = "checkbox", stamp["checked"] = checked;
      filled[id] = checked;
    } else {
      std::string text = v.is_string() ? v.get<std::string>() : v.is_null() ? "" : v.dump();
      if (type == "date" && text.empty()) text = core::iso8601(core::unix_now()).substr(0, 10);
      if (text.empty() && f.value("required", true))
        throw Error::invalid_request("field " + id + " (" + f.value("label", type) +
                                     ") is required");
      if (text.size() > 500)
        throw Error::invalid_request("field " + id + " is over 500 characters");
      if (text.empty()) continue;
      stamp["kind"] = "text", stamp["text"] = text;
      filled[id] = text;
    }
    stamps.push_back(stamp);
  }

  // Sign the PDF as it stands, in a child process.
  auto in = fetch_blob(r.text("current_blob_id"), dir.path(), "in.pdf");
  auto out = dir.path() / "out.pdf";
  auto identity = dir.path() / "identity.p12";
  std::string password = key().write_copy(identity);
  int64_t now = core::unix_now();
  Json request = {{"field_name", fmt::format("Signature{}", s.i64("position"))},
                  {"signer_name", s.text("name")},
                  {"signer_email", s.text("email")},
                  {"reason", "Signed by " + s.text("name") + " <" + s.text("email") + ">"},
                  {"location", client.ip},
                  {"signing_time", now},
                  {"stamps", stamps},
                  {"widget", widget}};
  Json signed_info = runner_.run({{"op", "sign"},
                                  {"in", in.string()},
                                  {"out", out.string()},
                                  {"identity", identity.string()},
                                  {"password", password},
                                  {"tsa_url", config_.esign_tsa_url},
                                  {"request", request}});
  std::string blob = blobs_.put_file(out);
  bool done = false;
  c.transaction([&] {
    c.exec(
        "UPDATE signature_signers SET status = 'signed', signed_at = ?, ip = ?, user_agent = ?, "
        "field_values = ? WHERE id = ?",
        {now, client.ip, client.user_agent.substr(0, 500), filled.dump(), s.i64("id")});
    c.exec("UPDATE signature_requests SET current_blob_id = ?, updated_at = ? WHERE id = ?",
           {blob, now, request_id});
    append_audit(c, request_id,
                 {"signed",
                  s.text("email"),
                  client.ip,
                  client.user_agent,
                  {{"sha256_before", signed_info["sha256_before"]},
                   {"sha256_after", signed_info["sha256_after"]},
                   {"signature_bytes", signed_info["cms_bytes"]},
                   {"signature_method", sig_png.empty() ? "typed" : "image"},
                   {"timestamped", !config_.esign_tsa_url.empty()}}});
    webhooks::publish(c, r.i64("account_id"), "signature.signed",
                      {{"signature_id", r.text("public_id")},
                       {"signer_email", s.text("email")},
                       {"signer_name", s.text("name")}},
                      workspace_of(r));
    auto waiting = c.query(
        "SELECT * FROM signature_signers WHERE request_id = ? AND status != 'signed' ORDER BY "
        "position",
        {request_id});
    if (waiting.empty()) {
      done = true;
    } else if (r.text("signing_order") == "sequential" &&
               waiting.front().text("status") == "waiting") {
      invite(c, r, waiting.front(), link_base, "invited");
    }
  });
  if (done) finish(c, request_id);
  return {{"status", "success"},
          {"signer_status", "signed"},
          {"request_completed", done},
          {"message", done ? "signed; every signer has signed and the document is complete"
                           : "signed; thank you"}};
}

Json SignatureService::decline(const std::string& token, const std::string& reason,
                               const ClientInfo& client) {
  auto& c = db_.conn();
  int64_t request_id = signer_by_token(c, token).i64("request_id");
  std::lock_guard lock(request_mutex(request_id));
  auto s = signer_by_token(c, token);
  auto r = *c.query_one("SELECT * FROM signature_requests WHERE id = ?", {request_id});
  if (reason.size() > 2000) throw Error::invalid_request("field 'reason' is over 2000 characters");
  c.transaction([&] {
    int64_t now = core::unix_now();
    c.exec(
        "UPDATE signature_signers SET status = 'declined', declined_at = ?, decline_reason = ?, "
        "ip = ?, user_agent = ? WHERE id = ?",
        {now, reason, client.ip, client.user_agent.substr(0, 500), s.i64("id")});
    // One signer declining ends the request for everyone.
    c.exec("UPDATE signature_requests SET status = 'declined', updated_at = ? WHERE id = ?",
           {now, request_id});
    append_audit(c, request_id,
                 {"declined", s.text("email"), client.ip, client.user_agent, {{"reason", reason}}});
    webhooks::publish(c, r.i64("account_id"), "signature.declined",
                      {{"signature_id", r.text("public_id")},
                       {"signer_email", s.text("email")},
                       {"reason", reason}},
                      workspace_of(r));
  });
  return {{"status", "success"},
          {"signer_status", "declined"},
          {"message", "you declined to sign; the sender has been told"}};
}

void SignatureService::finish(store::Connection& c, int64_t request_id) {
  auto r = *c.query_one("SELECT * FROM signature_requests WHERE id = ?", {request_id});
  auto signers = c.query("SELECT * FROM signature_signers WHERE request_id = ? ORDER BY position",
                         {request_id});
  core::TempDir dir(config_.tmp_dir(), "esign-finish-");
  auto final_pdf = fetch_blob(r.text("current_blob_id"), dir.path(), "signed.pdf");
  std::string final_sha = core::hex(core::sha256(core::read_file(final_pdf)));
  auto cert_pdf = dir.path() / "certificate.pdf";
  runner_.run({{"op", "certificate"},
               {"html", certificate_html(r, signers, audit_json(c, request_id), final_sha,
                                         key().identity().subject())},
               {"out", cert_pdf.string()}});
  std::string cert_blob = blobs_.put_file(cert_pdf);

  // Both go into the document store, in the request's workspace (or "Signed documents").
  std::optional<int64_t> signed_doc, cert_doc;
  if (documents_) {
    Principal system;
    system.account_id = r.i64("account_id");
    system.kind = "sk";
    system.label = "e-signatures";
    dms::WorkspaceRow ws;
    if (!r.is_null("workspace_id")) {
      ws = dms::require_workspace(c, system, r.i64("workspace_id"));
    } else {
      try {
        ws = dms::require_workspace(c, system, std::nullopt, "Signed documents");
      } catch (const Error&) {
        documents_->create_workspace(system, {{"name", "Signed documents"}});
        ws = dms::require_workspace(c, system, std::nullopt, "Signed documents");
      }
    }
    std::string stem = r.text("file_name");
    if (stem.size() > 4 && stem.substr(stem.size() - 4) == ".pdf") stem.resize(stem.size() - 4);
    auto outcomes = documents_->upload(
        system, ws,
        {{stem + " - signed.pdf", final_pdf, std::filesystem::file_size(final_pdf)},
         {stem + " - completion certificate.pdf", cert_pdf, std::filesystem::file_size(cert_pdf)}},
        {.tags = {"e-signature"}, .description = "signature request " + r.text("public_id")});
    auto id_of = [&](const dms::UploadOutcome& o) -> std::optional<int64_t> {
      if (!o.ok) return std::nullopt;
      auto d =
          c.query_one("SELECT id FROM documents WHERE pofid = ?", {o.result.value("pofid", "")});
      return d ? std::optional<int64_t>(d->i64("id")) : std::nullopt;
    };
    signed_doc = id_of(outcomes[0]);
    cert_doc = id_of(outcomes[1]);
  }
  c.transaction([&] {
    int64_t now = core::unix_now();
    c.exec(
        "UPDATE signature_requests SET status = 'completed', completed_at = ?, updated_at = ?, "
        "final_sha256 = ?, certificate_blob_id = ?, signed_document_id = ?, "
        "certificate_document_id = ? WHERE id = ?",
        {now, now, final_sha, cert_blob,
         signed_doc ? store::Value(*signed_doc) : store::Value(nullptr),
         cert_doc ? store::Value(*cert_doc) : store::Value(nullptr), request_id});
    append_audit(c, request_id,
                 {"completed",
                  "paperd",
                  "",
                  "",
                  {{"document_sha256_before", r.text("original_sha256")},
                   {"document_sha256_after", final_sha}}});
    webhooks::publish(c, r.i64("account_id"), "signature.completed",
                      {{"signature_id", r.text("public_id")},
                       {"title", r.text("title")},
                       {"final_sha256", final_sha}},
                      workspace_of(r));
  });
  if (!r.text("sender_email").empty())
    email(r, r.text("sender_email"), "Completed: " + r.text("title"),
          "Every signer has signed \"" + r.text("title") + "\" (request " + r.text("public_id") +
              "). The signed PDF and its completion certificate are in the document store; the "
              "signed document's SHA-256 is " +
              final_sha + ".\n");
  for (auto& s : signers)
    email(r, s.text("email"), "Completed: " + r.text("title"),
          "Every signer has signed \"" + r.text("title") + "\". The signed document's SHA-256 is " +
              final_sha + ".\n");
  if (messages_) {
    Principal account;
    account.account_id = r.i64("account_id");
    account.kind = "sk";
    messages_->send(account, {{"category", "signatures"},
                              {"channels", Json::array({"in_app"})},
                              {"title", ("Signed: " + r.text("title")).substr(0, 200)},
                              {"body",
                               "Every signer has signed; the signed PDF and its "
                               "completion certificate are in the document store."},
                              {"data", {{"signature_id", r.text("public_id")}}}});
  }
}

int SignatureService::sweep(const std::string& link_base) {
  auto& c = db_.conn();
  int changed = 0;
  int64_t now = core::unix_now();
  for (auto& r :
       c.query("SELECT * FROM signature_requests WHERE status = 'pending' AND expires_at <= ?",
               {now})) {
    c.transaction([&] {
      c.exec(
          "UPDATE signature_requests SET status = 'expired', updated_at = ? WHERE id = ? AND "
          "status = 'pending'",
          {now, r.i64("id")});
      append_audit(c, r.i64("id"), {"expired", "paperd", "", "", Json::object()});
      webhooks::publish(c, r.i64("account_id"), "signature.expired",
                        {{"signature_id", r.text("public_id")}}, workspace_of(r));
    });
    ++changed;
  }
  // Automatic reminders: reminder_days of the request (days after the invitation), else every
  // esign_reminder_days.
  for (auto& r : c.query("SELECT * FROM signature_requests WHERE status = 'pending'")) {
    Json days = Json::parse(r.text("reminder_days"));
    for (auto& s :
         c.query("SELECT * FROM signature_signers WHERE request_id = ? AND status IN ('sent', "
                 "'viewed') AND link_sealed != ''",
                 {r.i64("id")})) {
      int64_t sent = s.i64("sent_at"), n = s.i64("reminders_sent");
      int64_t due = 0;
      if (days.is_array() && static_cast<size_t>(n) < days.size())
        due = sent + days[static_cast<size_t>(n)].get<int64_t>() * 86400;
      else if (days.empty() && config_.esign_reminder_days > 0)
        due = sent + (n + 1) * int64_t{config_.esign_reminder_days} * 86400;
      if (due == 0 || due > now) continue;
      Principal owner;
      owner.account_id = r.i64("account_id");
      owner.kind = "sk";
      owner.label = "automatic reminder";
      remind(owner, r.text("public_id"), std::to_string(s.i64("id")), link_base);
      ++changed;
    }
  }
  return changed;
}

}  // namespace paperd::services::esign
