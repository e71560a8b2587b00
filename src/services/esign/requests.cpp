// The sender's side of signing requests: create (validate the document, signers and fields,
// render the pages once for the signing page, invite), read, list, remind, resend, cancel,
// download and the signatures of any PDF.
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/error.h"
#include "core/fs.h"
#include "services/dms/common.h"
#include "services/dms/documents.h"
#include "services/esign/audit_trail.h"
#include "services/esign/signature_service.h"
#include "services/webhooks/events.h"

namespace paperd::services::esign {

using core::Error;

namespace {

constexpr size_t kMaxSigners = 20;
constexpr size_t kMaxFieldsPerSigner = 50;
const std::set<std::string> kFieldTypes = {"signature", "initials", "date", "text", "checkbox"};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string file_prefix(const std::filesystem::path& p, size_t n) {
  std::ifstream in(p, std::ios::binary);
  std::string s(n, '\0');
  in.read(s.data(), static_cast<std::streamsize>(n));
  s.resize(static_cast<size_t>(in.gcount()));
  return s;
}

Error request_not_found(const std::string& id) {
  return {404, "SIGNATURE_REQUEST_NOT_FOUND", "no signature request '" + id + "'"};
}

// A field given as JSON text (form bodies) or as JSON.
Json json_field(const Json& p, const char* key) {
  if (!p.contains(key) || p[key].is_null()) return nullptr;
  Json v = p[key];
  if (v.is_string()) {
    Json parsed = Json::parse(v.get<std::string>(), nullptr, false);
    if (parsed.is_discarded())
      throw Error::invalid_request(std::string("field '") + key + "' is not valid JSON");
    return parsed;
  }
  return v;
}

std::string str(const Json& j, const char* key, const std::string& def = "") {
  if (!j.is_object() || !j.contains(key) || j[key].is_null()) return def;
  return j[key].is_string() ? j[key].get<std::string>() : j[key].dump();
}

double number(const Json& f, const char* key, const std::string& where) {
  if (!f.contains(key)) throw Error::invalid_request(where + "." + key + " is required");
  const Json& v = f[key];
  double d = v.is_number() ? v.get<double>() : std::strtod(str(f, key).c_str(), nullptr);
  if (!(d >= 0 && d <= 1))
    throw Error::invalid_request(where + "." + key +
                                 " must be a fraction of the page between 0 and 1 (top-left "
                                 "origin), not " +
                                 v.dump());
  return d;
}

bool valid_email(const std::string& e) {
  static const std::regex re(R"(^[^@\s<>",;]+@[^@\s<>",;]+\.[^@\s<>",;]+$)");
  return e.size() <= 254 && std::regex_match(e, re);
}

// The signer's fields, checked against the document's pages, with ids f<n> over the request.
Json check_fields(const Json& fields, int page_count, const std::string& where, int& next_id) {
  if (fields.is_null()) return Json::array();
  if (!fields.is_array()) throw Error::invalid_request(where + ".fields must be an array");
  if (fields.size() > kMaxFieldsPerSigner)
    throw Error::invalid_request(
        fmt::format("{}.fields: at most {} fields per signer", where, kMaxFieldsPerSigner));
  Json out = Json::array();
  for (size_t i = 0; i < fields.size(); ++i) {
    const Json& f = fields[i];
    std::string at = fmt::format("{}.fields[{}]", where, i);
    if (!f.is_object()) throw Error::invalid_request(at + " must be an object");
    std::string type = str(f, "type", "signature");
    if (!kFieldTypes.count(type))
      throw Error::invalid_request(at + ".type '" + type +
                                   "' is unknown (signature, initials, date, text, checkbox)");
    int page = f.contains("page") ? std::atoi(str(f, "page").c_str()) : 1;
    if (page < 1 || page > page_count)
      throw Error::invalid_request(
          fmt::format("{}.page {} is not a page of the document (1..{})", at, page, page_count));
    Json field = {{"id", fmt::format("f{}", next_id++)},
                  {"type", type},
                  {"page", page},
                  {"x", number(f, "x", at)},
                  {"y", number(f, "y", at)},
                  {"width", number(f, "width", at)},
                  {"height", number(f, "height", at)},
                  {"required", f.value("required", type != "checkbox")},
                  {"label", str(f, "label", type)}};
    if (field["width"].get<double>() <= 0 || field["height"].get<double>() <= 0)
      throw Error::invalid_request(at + ": width and height must be above 0");
    if (field["x"].get<double>() + field["width"].get<double>() > 1.0001 ||
        field["y"].get<double>() + field["height"].get<double>() > 1.0001)
      throw Error::invalid_request(at + " reaches past the edge of the page");
    out.push_back(field);
  }
  return out;
}

// A signer without a signature field signs in a box of their own at the foot of the last page.
Json default_signature_field(int position, int page_count, int& next_id) {
  double y = std::max(0.05, 0.86 - 0.08 * ((position - 1) / 2));
  double x = (position - 1) % 2 ? 0.55 : 0.08;
  return {{"id", fmt::format("f{}", next_id++)},
          {"type", "signature"},
          {"page", page_count},
          {"x", x},
          {"y", y},
          {"width", 0.35},
          {"height", 0.07},
          {"required", true},
          {"label", "signature"}};
}

int64_t parse_expiry(const Json& p, int64_t now) {
  std::string at = str(p, "expires_at", str(p, "expiry_date"));
  if (!at.empty()) {
    int64_t t = core::parse_iso8601(at);
    if (t <= 0) throw Error::invalid_request("field 'expires_at' is not a date (" + at + ")");
    if (at.size() == 10) t += 86399;  // a date alone: to the end of that day
    if (t <= now) throw Error::invalid_request("field 'expires_at' is in the past (" + at + ")");
    return t;
  }
  std::string days = str(p, "expires_in_days", "30");
  int64_t d = std::atoll(days.c_str());
  if (d < 1 || d > 365)
    throw Error::invalid_request("field 'expires_in_days' must be 1..365, not " + days);
  return now + d * 86400;
}

}  // namespace

std::optional<store::Row> SignatureService::request_row(store::Connection& c, const Principal& who,
                                                        const std::string& id) {
  return c.query_one("SELECT * FROM signature_requests WHERE public_id = ? AND account_id = ?",
                     {id, who.account_id});
}

store::Row SignatureService::require_request(store::Connection& c, const Principal& who,
                                             const std::string& id) {
  if (id.empty()) throw Error::invalid_request("field 'signature_id' (or request_id) is required");
  auto r = request_row(c, who, id);
  if (!r) throw request_not_found(id);
  return *r;
}

Json SignatureService::create(const Principal& who, const Json& p,
                              const std::optional<SourceFile>& file, const std::string& link_base) {
  auto& c = db_.conn();
  const int64_t now = core::unix_now();
  // The document: a stored one, or the uploaded file.
  std::string ref = str(p, "pofid", str(p, "documents_id", str(p, "document_id")));
  if (ref.empty() && !file)
    throw Error::invalid_request("a document is required: pofid or document_id, or a file upload");
  std::optional<dms::DocumentRow> doc;
  core::TempDir dir(config_.tmp_dir(), "esign-create-");
  std::filesystem::path pdf = dir.path() / "source.pdf";
  std::string file_name;
  if (!ref.empty()) {
    doc = dms::require_document(c, who, ref);
    core::atomic_write_file(pdf, blobs_.get_bytes(doc->blob_id));
    file_name = doc->file_name;
  } else {
    if (file->path.empty())
      core::atomic_write_file(pdf, file->data);
    else
      std::filesystem::copy_file(file->path, pdf);
    file_name = file->filename.empty() ? "document.pdf" : file->filename;
  }
  if (file_prefix(pdf, 5) != "%PDF-")
    throw Error(400, "UNSUPPORTED_FORMAT",
                "only PDF documents can be sent for signature; convert '" + file_name +
                    "' to PDF first (e.g. office_to_pdf)");

  // Signers: the signers array, or one signer_email / signer_name.
  Json signers = json_field(p, "signers");
  if (signers.is_null() && p.contains("signer_email"))
    signers = Json::array({{{"email", str(p, "signer_email")},
                            {"name", str(p, "signer_name")},
                            {"fields", json_field(p, "fields")}}});
  if (!signers.is_array() || signers.empty())
    throw Error::invalid_request("field 'signers' must be a non-empty array of {name, email}");
  if (signers.size() > kMaxSigners)
    throw Error::invalid_request(fmt::format("at most {} signers per request", kMaxSigners));
  std::string order = str(p, "signing_order", "sequential");
  if (order != "sequential" && order != "parallel")
    throw Error::invalid_request("field 'signing_order' must be sequential or parallel");
  int64_t expires_at = parse_expiry(p, now);
  Json reminders = json_field(p, "reminder_days");
  if (reminders.is_number()) reminders = Json::array({reminders});
  if (reminders.is_null()) reminders = Json::array();
  if (!reminders.is_array())
    throw Error::invalid_request("field 'reminder_days' must be a number or a list of days");
  for (auto& d : reminders)
    if (!d.is_number_integer() || d.get<int>() < 1 || d.get<int>() > 365)
      throw Error::invalid_request("field 'reminder_days' holds days 1..365, not " + d.dump());

  // The pages, rendered once: the signing page shows them, and a broken PDF is refused here.
  Json rendered = runner_.run(
      {{"op", "render"}, {"file", pdf.string()}, {"out_dir", dir.path().string()}, {"dpi", 96}});
  Json pages = Json::array();
  for (auto& pg : rendered["pages"])
    pages.push_back({{"page", pg["page"]},
                     {"width", pg["width"]},
                     {"height", pg["height"]},
                     {"width_pt", pg["width_pt"]},
                     {"height_pt", pg["height_pt"]},
                     {"blob", blobs_.put_file(pg["file"].get<std::string>())}});
  const int page_count = static_cast<int>(pages.size());

  // Ordered signers with their checked fields.
  struct NewSigner {
    int position;
    std::string name, email, role;
    Json fields;
  };
  std::vector<NewSigner> list;
  std::set<std::string> emails;
  int next_field = 1;
  for (size_t i = 0; i < signers.size(); ++i) {
    const Json& s = signers[i];
    std::string where = fmt::format("signers[{}]", i);
    if (!s.is_object()) throw Error::invalid_request(where + " must be an object");
    std::string email = str(s, "email");
    if (!valid_email(email))
      throw Error::invalid_request(where + ".email '" + email + "' is not an email address");
    if (!emails.insert(lower(email)).second)
      throw Error::invalid_request(where + ".email " + email + " is already a signer");
    std::string name = str(s, "name", email.substr(0, email.find('@')));
    if (name.size() > 200) throw Error::invalid_request(where + ".name is over 200 characters");
    int position =
        s.contains("order") ? std::atoi(str(s, "order").c_str()) : static_cast<int>(i) + 1;
    list.push_back({position, name, email, str(s, "role", "signer"),
                    check_fields(json_field(s, "fields"), page_count, where, next_field)});
  }
  std::stable_sort(list.begin(), list.end(),
                   [](auto& a, auto& b) { return a.position < b.position; });
  for (size_t i = 0; i < list.size(); ++i) {
    list[i].position = static_cast<int>(i) + 1;
    bool has_signature = false;
    for (auto& f : list[i].fields) has_signature |= f["type"] == "signature";
    if (!has_signature)
      list[i].fields.push_back(default_signature_field(list[i].position, page_count, next_field));
  }

  std::string sender = str(p, "sender_email", str(p, "notify_email"));
  if (!sender.empty() && !valid_email(sender))
    throw Error::invalid_request("field 'sender_email' '" + sender + "' is not an email address");
  std::string title = str(p, "title", str(p, "subject", file_name));
  std::string message = str(p, "message");
  if (title.size() > 300 || message.size() > 5000)
    throw Error::invalid_request("field 'title' (300) or 'message' (5000) is too long");
  std::optional<int64_t> workspace = doc ? std::optional<int64_t>(doc->workspace_id) : std::nullopt;
  if (p.contains("workspace_id") && !str(p, "workspace_id").empty())
    workspace = dms::require_workspace(c, who, std::atoll(str(p, "workspace_id").c_str())).id;

  std::string original_blob = blobs_.put_file(pdf);
  std::string sha = core::hex(core::sha256(core::read_file(pdf)));
  std::string public_id = "sig_" + core::random_string(24, core::kBase62);
  Json links = Json::array();
  c.transaction([&] {
    c.exec(
        "INSERT INTO signature_requests (public_id, account_id, workspace_id, source_document_id, "
        "title, message, sender_email, file_name, signing_order, status, original_blob_id, "
        "current_blob_id, original_sha256, page_count, pages, reminder_days, expires_at, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, "
        "?, ?, ?)",
        {public_id, who.account_id, workspace ? store::Value(*workspace) : store::Value(nullptr),
         doc ? store::Value(doc->id) : store::Value(nullptr), title, message, sender, file_name,
         order, original_blob, original_blob, sha, int64_t{page_count}, pages.dump(),
         reminders.dump(), expires_at, now, now});
    int64_t request_id = c.last_insert_id();
    for (auto& s : list)
      c.exec(
          "INSERT INTO signature_signers (request_id, position, name, email, role, status, "
          "fields) VALUES (?, ?, ?, ?, ?, 'waiting', ?)",
          {request_id, int64_t{s.position}, s.name, s.email, s.role, s.fields.dump()});
    append_audit(c, request_id,
                 {"created",
                  dms::actor_name(who),
                  "",
                  "",
                  {{"title", title},
                   {"document_sha256", sha},
                   {"signers", static_cast<int>(list.size())},
                   {"signing_order", order}}});
    auto request = *c.query_one("SELECT * FROM signature_requests WHERE id = ?", {request_id});
    webhooks::publish(c, who.account_id, "signature.created",
                      {{"signature_id", public_id}, {"title", title}}, workspace);
    for (auto& s : c.query("SELECT * FROM signature_signers WHERE request_id = ? ORDER BY position",
                           {request_id})) {
      if (order == "sequential" && s.i64("position") != 1) continue;
      std::string url = invite(c, request, s, link_base, "invited");
      links.push_back({{"email", s.text("email")}, {"signing_url", url}});
    }
  });
  auto request = *request_row(c, who, public_id);
  Json out = request_json(c, request, false);
  // The links go to the sender once, here (and with resend_invitation), for delivery by hand or
  // embedding; reading the request later never shows them.
  for (auto& s : out["signers"])
    for (auto& l : links)
      if (l["email"] == s["email"]) s["signing_url"] = l["signing_url"];
  out["status"] = "success";
  out["message"] = "signature request created and sent";
  return out;
}

Json SignatureService::signer_json(const store::Row& s, bool with_fields) {
  auto at = [&](const char* col) -> Json {
    return s.is_null(col) ? Json(nullptr) : Json(core::iso8601(s.i64(col)));
  };
  Json j = {{"signer_id", s.i64("id")},
            {"name", s.text("name")},
            {"email", s.text("email")},
            {"role", s.text("role")},
            {"order", s.i64("position")},
            {"status", s.text("status")},
            {"sent_at", at("sent_at")},
            {"viewed_at", at("viewed_at")},
            {"signed_at", at("signed_at")},
            {"declined_at", at("declined_at")},
            {"decline_reason", s.text("decline_reason")},
            {"reminders_sent", s.i64("reminders_sent")}};
  if (with_fields) j["fields"] = Json::parse(s.text("fields"));
  return j;
}

Json SignatureService::request_json(store::Connection& c, const store::Row& r, bool with_audit) {
  auto at = [&](const char* col) -> Json {
    return r.is_null(col) ? Json(nullptr) : Json(core::iso8601(r.i64(col)));
  };
  Json signers = Json::array();
  for (auto& s : c.query("SELECT * FROM signature_signers WHERE request_id = ? ORDER BY position",
                         {r.i64("id")}))
    signers.push_back(signer_json(s, true));
  auto pofid_of = [&](const char* col) -> Json {
    if (r.is_null(col)) return nullptr;
    auto d = c.query_one("SELECT pofid FROM documents WHERE id = ?", {r.i64(col)});
    return d ? Json(d->text("pofid")) : Json(nullptr);
  };
  Json j = {{"signature_id", r.text("public_id")},
            {"request_id", r.text("public_id")},
            {"title", r.text("title")},
            {"message", r.text("message")},
            {"sender_email", r.text("sender_email")},
            {"file_name", r.text("file_name")},
            {"signature_status", r.text("status")},
            {"signing_order", r.text("signing_order")},
            {"total_pages", r.i64("page_count")},
            {"document_pofid", pofid_of("source_document_id")},
            {"signed_document_pofid", pofid_of("signed_document_id")},
            {"certificate_pofid", pofid_of("certificate_document_id")},
            {"original_sha256", r.text("original_sha256")},
            {"final_sha256", r.text("final_sha256")},
            {"reminder_days", Json::parse(r.text("reminder_days"))},
            {"created_at", at("created_at")},
            {"expires_at", at("expires_at")},
            {"completed_at", at("completed_at")},
            {"cancelled_at", at("cancelled_at")},
            {"signers", signers}};
  AuditCheck check = verify_audit(c, r.i64("id"));
  j["audit_trail_valid"] = check.valid;
  if (!check.valid) j["audit_trail_broken_at"] = check.broken_at;
  if (with_audit) j["audit_trail"] = audit_json(c, r.i64("id"));
  return j;
}

Json SignatureService::get(const Principal& who, const std::string& id, bool with_audit) {
  auto& c = db_.conn();
  Json out = request_json(c, require_request(c, who, id), with_audit);
  out["status"] = "success";
  return out;
}

Json SignatureService::list(const Principal& who, const std::string& status, int64_t limit,
                            int64_t offset) {
  static const std::set<std::string> kStates = {"pending", "completed", "declined", "cancelled",
                                                "expired"};
  if (!status.empty() && !kStates.count(status))
    throw Error::invalid_request(
        "field 'status' must be one of pending, completed, declined, "
        "cancelled, expired");
  auto& c = db_.conn();
  std::string where = "account_id = ?" + std::string(status.empty() ? "" : " AND status = ?");
  std::vector<store::Value> args = {who.account_id};
  if (!status.empty()) args.push_back(status);
  int64_t total =
      c.query_one("SELECT COUNT(*) AS n FROM signature_requests WHERE " + where, args)->i64("n");
  args.push_back(limit);
  args.push_back(offset);
  Json items = Json::array();
  for (auto& r : c.query(
           "SELECT * FROM signature_requests WHERE " + where + " ORDER BY id DESC LIMIT ? OFFSET ?",
           args))
    items.push_back(request_json(c, r, false));
  return {{"status", "success"},
          {"total", total},
          {"limit", limit},
          {"offset", offset},
          {"signatures", items}};
}

Json SignatureService::signing_status(const Principal& who, const std::string& id) {
  auto& c = db_.conn();
  auto r = require_request(c, who, id);
  Json signers = Json::array();
  int signed_count = 0;
  for (auto& s : c.query("SELECT * FROM signature_signers WHERE request_id = ? ORDER BY position",
                         {r.i64("id")})) {
    signers.push_back(signer_json(s, false));
    signed_count += s.text("status") == "signed";
  }
  return {{"status", "success"},
          {"request_id", r.text("public_id")},
          {"signature_status", r.text("status")},
          {"signed", signed_count},
          {"total_signers", signers.size()},
          {"signers", signers}};
}

namespace {

// The signers a remind/resend call names: by id or email, or every invited one.
std::vector<store::Row> invited_signers(store::Connection& c, int64_t request_id,
                                        const std::string& which) {
  std::vector<store::Row> out;
  for (auto& s : c.query("SELECT * FROM signature_signers WHERE request_id = ? ORDER BY position",
                         {request_id})) {
    bool named = which.empty() || which == std::to_string(s.i64("id")) ||
                 lower(which) == lower(s.text("email"));
    if (!named) continue;
    if (s.text("status") != "sent" && s.text("status") != "viewed") {
      if (!which.empty())
        throw Error(
            409, "SIGNER_NOT_PENDING",
            "signer " + s.text("email") + " is " + s.text("status") +
                (s.text("status") == "waiting" ? " (not invited yet: signing is sequential)" : ""));
      continue;
    }
    out.push_back(s);
  }
  if (out.empty() && !which.empty())
    throw Error::not_found("no signer '" + which + "' in this request");
  return out;
}

void require_pending(const store::Row& r, const std::string& action) {
  if (r.text("status") != "pending")
    throw Error(409, "SIGNATURE_REQUEST_CLOSED",
                "cannot " + action + ": the signature request is " + r.text("status"));
}

}  // namespace

Json SignatureService::remind(const Principal& who, const std::string& id,
                              const std::string& signer, const std::string& link_base) {
  auto& c = db_.conn();
  auto r = require_request(c, who, id);
  require_pending(r, "remind");
  Json reminded = Json::array();
  c.transaction([&] {
    for (auto& s : invited_signers(c, r.i64("id"), signer)) {
      std::string link = sealer_ ? sealer_->open(s.text("link_sealed"), "esign:link") : "";
      email(r, s.text("email"), "Reminder: please sign \"" + r.text("title") + "\"",
            "This is a reminder that \"" + r.text("title") +
                "\" is waiting for your signature.\n\n" +
                "Open the document and sign: " + link_base + "/sign/" + link + "\n");
      c.exec(
          "UPDATE signature_signers SET last_reminded_at = ?, reminders_sent = reminders_sent + 1 "
          "WHERE id = ?",
          {core::unix_now(), s.i64("id")});
      append_audit(c, r.i64("id"),
                   {"reminded", dms::actor_name(who), "", "", {{"signer", s.text("email")}}});
      reminded.push_back(s.text("email"));
    }
  });
  return {{"status", "success"},
          {"request_id", id},
          {"reminded", reminded},
          {"count", reminded.size()}};
}

Json SignatureService::resend(const Principal& who, const std::string& id,
                              const std::string& signer, const std::string& link_base) {
  if (signer.empty())
    throw Error::invalid_request("field 'signer_email' (or signer_id) is required");
  auto& c = db_.conn();
  auto r = require_request(c, who, id);
  require_pending(r, "resend an invitation");
  Json out;
  c.transaction([&] {
    auto s = invited_signers(c, r.i64("id"), signer).front();
    std::string url = invite(c, r, s, link_base, "invitation_resent");
    out = {{"status", "success"},
           {"request_id", id},
           {"signer",
            signer_json(*c.query_one("SELECT * FROM signature_signers WHERE id = ?", {s.i64("id")}),
                        false)}};
    out["signer"]["signing_url"] = url;
    out["message"] = "a new link was sent; the previous link no longer works";
  });
  return out;
}

Json SignatureService::cancel(const Principal& who, const std::string& id,
                              const std::string& reason) {
  auto& c = db_.conn();
  std::lock_guard lock(request_mutex(require_request(c, who, id).i64("id")));
  auto r = require_request(c, who, id);
  if (r.text("status") == "completed")
    throw Error(409, "SIGNATURE_REQUEST_COMPLETED",
                "the signature request is completed; a signed document cannot be cancelled");
  require_pending(r, "cancel");
  std::vector<std::string> notify;
  c.transaction([&] {
    c.exec(
        "UPDATE signature_requests SET status = 'cancelled', cancelled_at = ?, cancel_reason = ?, "
        "updated_at = ? WHERE id = ?",
        {core::unix_now(), reason, core::unix_now(), r.i64("id")});
    for (auto& s :
         c.query("SELECT email FROM signature_signers WHERE request_id = ? AND status IN ('sent', "
                 "'viewed')",
                 {r.i64("id")}))
      notify.push_back(s.text("email"));
    append_audit(c, r.i64("id"), {"cancelled", dms::actor_name(who), "", "", {{"reason", reason}}});
    webhooks::publish(
        c, who.account_id, "signature.cancelled", {{"signature_id", id}, {"reason", reason}},
        r.is_null("workspace_id") ? std::nullopt : std::optional<int64_t>(r.i64("workspace_id")));
  });
  for (auto& e : notify)
    email(r, e, "Cancelled: \"" + r.text("title") + "\"",
          "The signature request for \"" + r.text("title") + "\" was cancelled by the sender." +
              (reason.empty() ? "" : "\nReason: " + reason) + "\n");
  Json out = get(who, id, false);
  out["message"] = "signature request cancelled; its links no longer work";
  return out;
}

BlobDownload SignatureService::download(const Principal& who, const std::string& id,
                                        const std::string& kind, bool partial) {
  auto& c = db_.conn();
  auto r = require_request(c, who, id);
  std::string stem = r.text("file_name");
  if (stem.size() > 4 && lower(stem.substr(stem.size() - 4)) == ".pdf")
    stem.resize(stem.size() - 4);
  if (kind == "original") return {r.text("original_blob_id"), r.text("file_name")};
  if (kind == "certificate") {
    if (r.text("certificate_blob_id").empty())
      throw Error(409, "SIGNATURE_NOT_COMPLETED",
                  "the completion certificate exists once every signer has signed (the request "
                  "is " +
                      r.text("status") + ")");
    return {r.text("certificate_blob_id"), stem + " - completion certificate.pdf"};
  }
  if (kind != "signed" && !kind.empty())
    throw Error::invalid_request("field 'type' must be signed, certificate or original");
  if (r.text("status") != "completed" && !partial)
    throw Error(409, "SIGNATURE_NOT_COMPLETED",
                "the signature request is " + r.text("status") +
                    "; the signed document is ready once every signer has signed (partial=true "
                    "gives the PDF as signed so far)");
  return {r.text("current_blob_id"), stem + " - signed.pdf"};
}

Json SignatureService::document_signatures(const Principal& who, const std::string& ref,
                                           const std::string& id) {
  auto& c = db_.conn();
  core::TempDir dir(config_.tmp_dir(), "esign-verify-");
  auto file = dir.path() / "document.pdf";
  Json about;
  if (!ref.empty()) {
    auto doc = dms::require_document(c, who, ref);
    core::atomic_write_file(file, blobs_.get_bytes(doc.blob_id));
    about = {{"pofid", doc.pofid}, {"file_name", doc.file_name}};
  } else if (!id.empty()) {
    auto r = require_request(c, who, id);
    core::atomic_write_file(file, blobs_.get_bytes(r.text("current_blob_id")));
    about = {{"request_id", id}, {"file_name", r.text("file_name")}};
  } else {
    throw Error::invalid_request("a document is required: pofid or document_id (or request_id)");
  }
  if (file_prefix(file, 5) != "%PDF-")
    throw Error(400, "UNSUPPORTED_FORMAT", "only PDF documents carry signatures");
  Json verified = runner_.run({{"op", "verify"},
                               {"file", file.string()},
                               {"trusted", Json::array({core::hex(key().certificate_der())})}});
  bool all_valid = true;
  for (auto& s : verified["signatures"])
    all_valid = all_valid && s.value("valid", false) && !s.value("modified_after_signing", false);
  size_t n = verified["signatures"].size();
  return {{"status", "success"},
          {"document", about},
          {"total_signatures", n},
          {"all_valid", n > 0 && all_valid},
          {"signatures", verified["signatures"]}};
}

}  // namespace paperd::services::esign
