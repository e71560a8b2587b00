// Uploads and the reads and edits of one document. An upload is looked into by a child process,
// streamed into the blob store (encrypted, hashed on the way), and only then, in one
// transaction, becomes a document with its version, tags, revision, index rows and event: a
// failure at any point leaves no row and no blob (the batch is dropped).
#include <fmt/format.h>
#include <openssl/evp.h>

#include <fstream>
#include <optional>
#include <set>
#include <thread>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/error.h"
#include "core/parallel.h"
#include "services/dms/documents.h"
#include "services/dms/inspector_client.h"
#include "services/dms/meta_fields.h"

namespace paperd::services::dms {

using core::Error;

std::string make_pofid(const std::string& sha256_hex, int64_t account_id, int64_t epoch_ms,
                       const std::string& extension) {
  return fmt::format("{}.POD1.AI{}.MT{:013d}.{}", sha256_hex, account_id, epoch_ms, extension);
}

DocumentStore::DocumentStore(store::Database& db, store::BlobStore& blobs,
                             const core::Config& config)
    : db_(db),
      blobs_(blobs),
      config_(config),
      index_(with_semantic_marks(make_fulltext_index(db.dialect()))),
      semantic_(std::make_unique<SemanticIndex>(db, *index_, config)),
      entities_(std::make_unique<EntityIndex>(db, *index_, config)) {}

namespace {

struct Sha256 {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  Sha256() { EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr); }
  ~Sha256() { EVP_MD_CTX_free(ctx); }
  void update(std::string_view d) { EVP_DigestUpdate(ctx, d.data(), d.size()); }
  std::string hex() {
    unsigned char md[32];
    unsigned int n = 0;
    EVP_DigestFinal_ex(ctx, md, &n);
    return core::hex(std::string_view(reinterpret_cast<char*>(md), n));
  }
};

// Streams the file into a blob of the batch; returns (blob id, sha256 hex).
std::pair<std::string, std::string> store_file(store::BlobBatch& batch,
                                               const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error::internal("cannot read upload " + path.string());
  store::BlobWriter w = batch.writer();
  Sha256 sha;
  std::string buf(1 << 20, '\0');
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    std::string_view piece(buf.data(), static_cast<size_t>(in.gcount()));
    if (piece.empty()) break;
    sha.update(piece);
    w.write(piece);
  }
  return {w.commit(), sha.hex()};
}

std::string extension_of(const std::string& name) {
  auto dot = name.rfind('.');
  return dot == std::string::npos || dot == 0 ? "" : name.substr(dot + 1);
}

// The client's name, made safe to show and store: path parts dropped, control characters out,
// the extension the bytes have (so "scan" uploaded as a PDF is "scan.pdf").
std::string stored_name(std::string name, const std::string& ext) {
  if (auto slash = name.find_last_of("/\\"); slash != std::string::npos) name.erase(0, slash + 1);
  std::erase_if(name, [](unsigned char c) { return c < 0x20 || c == 0x7f; });
  if (name.empty() || name == "." || name == "..") name = "document";
  std::string have = extension_of(name);
  std::string lower = have;
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  bool same =
      lower == ext || (ext == "jpg" && lower == "jpeg") || (ext == "tiff" && lower == "tif");
  if (!same) name += "." + ext;
  if (name.size() > 255) name = name.substr(0, 250 - ext.size()) + "." + ext;
  return name;
}

std::vector<IndexedPage> pages_of(const engines::inspect::Inspection& in) {
  std::vector<IndexedPage> out;
  for (auto& t : in.text) out.push_back({t.page, t.text});
  return out;
}

std::string tag_clean(std::string t) {
  auto a = t.find_first_not_of(" \t"), b = t.find_last_not_of(" \t");
  t = a == std::string::npos ? "" : t.substr(a, b - a + 1);
  if (t.size() > 100)
    throw Error::invalid_request("tag '" + t.substr(0, 40) + "…' is over 100 characters");
  return t;
}

}  // namespace

std::string DocumentStore::meta_text(store::Connection& c, const DocumentRow& doc) {
  std::string text = doc.description;
  for (auto& r : c.query("SELECT tag FROM document_tags WHERE document_id = ?", {doc.id}))
    text += "\n" + r.text("tag");
  for (auto& r : c.query("SELECT value FROM document_meta WHERE document_id = ?", {doc.id})) {
    Json v = Json::parse(r.text("value"), nullptr, false);
    text += "\n" + (v.is_string() ? v.get<std::string>() : v.dump());
  }
  if (doc.publisher_id)
    if (auto p = c.query_one("SELECT name FROM publishers WHERE id = ?", {*doc.publisher_id}))
      text += "\n" + p->text("name");
  return text;
}

std::vector<UploadOutcome> DocumentStore::upload(const Principal& who, const WorkspaceRow& ws,
                                                 const std::vector<UploadFile>& files,
                                                 const UploadOptions& opt) {
  if (files.empty())
    throw Error::invalid_request("upload the document as multipart field 'file' (or files[])");
  if (ws.status == "locked")
    throw Error(423, "WORKSPACE_LOCKED", "workspace " + std::to_string(ws.id) + " is locked");
  if (!opt.version_of.empty() && files.size() != 1)
    throw Error::invalid_request("'version_of_pofid' takes exactly one file");
  const uint64_t limit = static_cast<uint64_t>(config_.max_upload_mb) << 20;
  std::vector<std::string> tags;
  for (auto& t : opt.tags)
    if (std::string c = tag_clean(t); !c.empty()) tags.push_back(c);

  struct Prepared {
    size_t index;
    engines::inspect::Inspection inspection;
    std::string blob, sha;
  };
  std::vector<UploadOutcome> out(files.size());
  auto refuse = [&](size_t i, const Error& e) {
    out[i] = {{{"status", "error"},
               {"filename", files[i].filename},
               {"code", e.code()},
               {"message", e.what()}},
              false,
              e.status()};
  };
  // The files of one request are read side by side (the inspector pool has a reader per core);
  // each keeps its own answer, so one bad file refuses only itself.
  std::vector<std::optional<engines::inspect::Inspection>> inspected(files.size());
  std::vector<std::optional<Error>> failed(files.size());
  core::parallel_for(files.size(), static_cast<int>(std::thread::hardware_concurrency()),
                     [&](int) -> core::ItemFn {
                       return [&](size_t i) {
                         const UploadFile& f = files[i];
                         try {
                           if (f.size > limit)
                             throw Error::input_too_large(
                                 fmt::format("'{}' is {} bytes; the limit per file is {} MB",
                                             f.filename, f.size, config_.max_upload_mb));
                           inspected[i] = inspect_upload(f.path, f.filename);
                         } catch (const Error& e) {
                           failed[i] = e;
                         }
                       };
                     });
  std::vector<Prepared> ready;
  store::BlobBatch batch(blobs_);
  for (size_t i = 0; i < files.size(); ++i) {
    if (failed[i]) {
      refuse(i, *failed[i]);
      continue;
    }
    try {
      auto [blob, sha] = store_file(batch, files[i].path);
      ready.push_back({i, std::move(*inspected[i]), blob, sha});
    } catch (const Error& e) {
      refuse(i, e);
    }
  }
  if (ready.empty()) return out;
  batch.sync();
  std::vector<std::string> blob_ids;
  for (auto& p : ready) blob_ids.push_back(p.blob);

  auto& c = db_.conn();
  try {
    c.transaction([&] {
      for (auto& p : ready) {
        const UploadFile& f = files[p.index];
        const auto& in = p.inspection;
        int64_t now = core::unix_millis();
        std::string ext = in.type.extension;
        std::string pofid = make_pofid(p.sha, who.account_id, now, ext);
        while (
            c.query_one("SELECT 1 AS x FROM documents WHERE pofid = ? UNION SELECT 1 FROM "
                        "document_versions WHERE pofid = ?",
                        {pofid, pofid}))
          pofid = make_pofid(p.sha, who.account_id, ++now, ext);
        std::string name = stored_name(f.filename, ext);
        DocumentRow doc;
        bool new_version = !opt.version_of.empty();
        if (new_version) {
          doc = require_document(c, who, opt.version_of);
          if (doc.workspace_id != ws.id)
            throw Error::invalid_request("document '" + opt.version_of + "' is in workspace " +
                                         std::to_string(doc.workspace_id) + ", not " +
                                         std::to_string(ws.id));
          require_not_held(c, doc, "overwritten with a new version");
          require_editable(c, doc, who);
          c.exec(
              "UPDATE documents SET pofid = ?, file_name = ?, mime_type = ?, size = ?, sha256 = "
              "?, total_pages = ?, version = version + 1, blob_id = ?, file_metadata = ?, "
              "text_source = ?, ai_dms_status = '', ai_dms_job_id = '' WHERE id = ?",
              {pofid, name, in.type.mime, static_cast<int64_t>(f.size), p.sha, int64_t{in.pages},
               p.blob, in.metadata.dump(), in.text.empty() ? "" : "text_layer", doc.id});
          touch_document(c, doc.id);
          record_revision(c, doc.id, who, "version_created", "version", doc.version,
                          doc.version + 1);
        } else {
          c.exec(
              "INSERT INTO documents (account_id, workspace_id, pofid, file_name, mime_type, "
              "size, sha256, total_pages, version, blob_id, description, file_metadata, "
              "ai_dms_mode, text_source, created_by, created_at_ms, updated_at_ms) VALUES (?, ?, "
              "?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)",
              {who.account_id, ws.id, pofid, name, in.type.mime, static_cast<int64_t>(f.size),
               p.sha, int64_t{in.pages}, p.blob, opt.description, in.metadata.dump(),
               ws.ai_dms_mode, in.text.empty() ? "" : "text_layer", who.token_id, now, now});
          doc.id = c.last_insert_id();
          record_revision(c, doc.id, who, "uploaded", "", nullptr,
                          Json{{"file_name", name}, {"size", f.size}, {"sha256", p.sha}});
        }
        doc = require_document(c, who, std::to_string(doc.id));
        c.exec(
            "INSERT INTO document_versions (document_id, version, pofid, file_name, mime_type, "
            "size, sha256, total_pages, blob_id, created_by, created_at_ms) VALUES (?, ?, ?, ?, "
            "?, ?, ?, ?, ?, ?, ?)",
            {doc.id, doc.version, pofid, name, in.type.mime, static_cast<int64_t>(f.size), p.sha,
             int64_t{in.pages}, p.blob, who.token_id, now});
        for (auto& t : tags)
          c.exec(
              "INSERT INTO document_tags (document_id, tag, created_at) VALUES (?, ?, ?) ON "
              "CONFLICT DO NOTHING",
              {doc.id, t, core::unix_now()});
        c.exec("DELETE FROM document_pages WHERE document_id = ?", {doc.id});
        c.exec("DELETE FROM document_page_words WHERE document_id = ?", {doc.id});
        for (auto& t : in.text)
          c.exec(
              "INSERT INTO document_pages (document_id, page, text, confidence, source) VALUES "
              "(?, ?, ?, NULL, 'text_layer')",
              {doc.id, int64_t{t.page}, t.text});
        index_->put_document(c, doc.id, doc.file_name, meta_text(c, doc), pages_of(in));

        Json ai = nullptr;
        if (!ws.ai_dms_mode.empty()) {
          std::string status = "completed";
          if (in.needs_ocr && opt.queue_processing) {
            std::string job = opt.queue_processing(c, doc);
            status = "queued";
            c.exec("UPDATE documents SET ai_dms_status = 'queued', ai_dms_job_id = ? WHERE id = ?",
                   {job, doc.id});
            ai = {{"mode", ws.ai_dms_mode}, {"status", status}, {"job_id", job}};
          } else {
            c.exec("UPDATE documents SET ai_dms_status = 'completed' WHERE id = ?", {doc.id});
            ai = {{"mode", ws.ai_dms_mode}, {"status", status}, {"text_source", "text_layer"}};
          }
        }
        Json event = {{"documents_id", doc.id},    {"pofid", pofid}, {"file_name", name},
                      {"workspace_id", ws.id},     {"size", f.size}, {"version", doc.version},
                      {"mime_type", in.type.mime}, {"sha256", p.sha}};
        emit_event(c, who.account_id,
                   new_version ? "document.version_created" : "document.uploaded", ws.id, doc.id,
                   event);
        Json result = {{"status", "success"},
                       {"filename", name},
                       {"documents_id", doc.id},
                       {"pofid", pofid},
                       {"workspace_id", ws.id},
                       {"size", f.size},
                       {"total_pages", in.pages},
                       {"version", doc.version},
                       {"mime_type", in.type.mime},
                       {"sha256", p.sha},
                       {"ai_dms", ai}};
        if (!tags.empty()) result["tags"] = tags;
        out[p.index] = {result, true, 200};
      }
    });
  } catch (...) {
    blobs_.remove(blob_ids);
    throw;
  }
  return out;
}

Json DocumentStore::document_json(store::Connection& c, const DocumentRow& d, bool with_meta) {
  auto ws = c.query_one("SELECT name FROM workspaces WHERE id = ?", {d.workspace_id});
  Json tags = Json::array();
  for (auto& r :
       c.query("SELECT tag FROM document_tags WHERE document_id = ? ORDER BY tag", {d.id}))
    tags.push_back(r.text("tag"));
  Json j = {
      {"documents_id", d.id},
      {"id", d.id},
      {"pofid", d.pofid},
      {"file_name", d.file_name},
      {"filename", d.file_name},
      {"mime_type", d.mime_type},
      {"size", d.size},
      {"total_pages", d.total_pages},
      {"version", d.version},
      {"revision", d.revision},
      {"workspace_id", d.workspace_id},
      {"workspace_name", ws ? ws->text("name") : ""},
      {"description", d.description},
      {"tags", tags},
      {"created_at", iso_ms(d.created_at_ms)},
      {"updated_at", iso_ms(d.updated_at_ms)},
      {"sha256", d.sha256},
      {"lifecycle_status", d.lifecycle_status},
      {"legal_hold", on_legal_hold(c, d.id)},
      {"deleted", d.deleted()},
      {"publisher_id", d.publisher_id ? Json(*d.publisher_id) : Json(nullptr)},
      {"ai_dms", d.ai_dms_mode.empty() && d.ai_dms_status.empty()
                     ? Json(nullptr)
                     : Json{{"mode", d.ai_dms_mode.empty() ? Json(nullptr) : Json(d.ai_dms_mode)},
                            {"status", d.ai_dms_status}}},
      {"text_available", !d.text_source.empty()},
      {"text_source", d.text_source.empty() ? Json(nullptr) : Json(d.text_source)}};
  if (!d.ai_dms_job_id.empty()) j["ai_dms"]["job_id"] = d.ai_dms_job_id;
  if (with_meta) {
    Json meta = Json::object();
    for (auto& r : c.query("SELECT field, value, type FROM document_meta WHERE document_id = ? "
                           "ORDER BY field",
                           {d.id}))
      meta[r.text("field")] = {{"value", Json::parse(r.text("value"), nullptr, false)},
                               {"type", r.text("type")}};
    j["meta_fields"] = meta;
  }
  return j;
}

Json DocumentStore::get(const Principal& who, const std::string& ref) {
  auto& c = db_.conn();
  DocumentRow d = require_document(c, who, ref);
  if (d.ai_dms_status == "queued" || d.ai_dms_status == "processing") {
    sync_processing(d.id);
    d = require_document(c, who, ref);
  }
  return {{"status", "success"}, {"data", document_json(c, d)}};
}

DocumentRow DocumentStore::for_download(const Principal& who, const std::string& ref,
                                        std::optional<int64_t> version) {
  auto& c = db_.conn();
  DocumentRow d = require_document(c, who, ref);
  std::string asked_pofid;
  if (!version) {  // an earlier version's POFID downloads that version
    auto v = c.query_one("SELECT version FROM document_versions WHERE pofid = ?", {ref});
    if (v && v->i64("version") != d.version) version = v->i64("version");
  }
  if (version && *version != d.version) {
    auto v = c.query_one(
        "SELECT blob_id, file_name, mime_type, size FROM document_versions WHERE document_id = ? "
        "AND version = ?",
        {d.id, *version});
    if (!v)
      throw Error(404, "VERSION_NOT_FOUND",
                  fmt::format("document '{}' has no version {} (versions 1..{})", d.pofid, *version,
                              d.version));
    d.blob_id = v->text("blob_id");
    d.file_name = v->text("file_name");
    d.mime_type = v->text("mime_type");
    d.size = v->i64("size");
  }
  return d;
}

Json DocumentStore::edit(const Principal& who, const std::string& ref, const Json& fields,
                         std::optional<int64_t> expected) {
  if (!fields.is_object() || fields.empty())
    throw Error::invalid_request(
        "give the meta fields to set, by alias (e.g. date, sender, amount, currency, iban) or "
        "as _field / custom_field");
  // Check every field before changing any.
  struct Change {
    std::string key;
    MetaField f;
    Json value;  // null = remove
  };
  std::vector<Change> changes;
  std::optional<std::string> description;
  std::optional<std::optional<int64_t>> publisher;
  std::vector<std::string> unknown;
  for (auto& [key, v] : fields.items()) {
    if (key == "description") {
      if (!v.is_string()) throw Error::invalid_request("field 'description' must be text");
      description = v.get<std::string>();
      continue;
    }
    if (key == "publisher_id") {
      if (v.is_null() || v == "")
        publisher = std::optional<int64_t>();
      else if (v.is_number_integer())
        publisher = v.get<int64_t>();
      else
        throw Error::invalid_request("field 'publisher_id' must be an integer");
      continue;
    }
    auto f = meta_field_for(key);
    if (!f) {
      unknown.push_back(key);
      continue;
    }
    bool remove = v.is_null() || (v.is_string() && v.get<std::string>().empty());
    changes.push_back({key, *f, remove ? Json(nullptr) : normalize_meta_value(key, *f, v)});
  }
  if (!unknown.empty()) {
    std::string list, aliases;
    for (auto& u : unknown) list += (list.empty() ? "'" : ", '") + u + "'";
    const Json catalog = meta_field_catalog();
    for (auto& [a, f] : catalog.items()) aliases += (aliases.empty() ? "" : ", ") + a;
    throw Error::invalid_request("unknown meta field(s) " + list + "; known aliases: " + aliases +
                                 "; custom fields are named _name or custom_name");
  }
  auto& c = db_.conn();
  return c.transaction([&] {
    DocumentRow d = require_document(c, who, ref);
    check_revision(d, expected);
    require_editable(c, d, who);
    Json changed = Json::array();
    for (auto& ch : changes) {
      auto old = c.query_one("SELECT value FROM document_meta WHERE document_id = ? AND field = ?",
                             {d.id, ch.f.field});
      Json old_value = old ? Json::parse(old->text("value"), nullptr, false) : Json(nullptr);
      if (old_value == ch.value) continue;
      if (ch.value.is_null())
        c.exec("DELETE FROM document_meta WHERE document_id = ? AND field = ?", {d.id, ch.f.field});
      else
        c.exec(
            "INSERT INTO document_meta (document_id, field, value, type, updated_at_ms) VALUES "
            "(?, ?, ?, ?, ?) ON CONFLICT (document_id, field) DO UPDATE SET value = "
            "excluded.value, type = excluded.type, updated_at_ms = excluded.updated_at_ms",
            {d.id, ch.f.field, ch.value.dump(), ch.f.type, core::unix_millis()});
      record_revision(c, d.id, who, "edited", ch.f.field, old_value, ch.value);
      changed.push_back({{"field", ch.f.field},
                         {"alias", ch.key},
                         {"old_value", old_value},
                         {"new_value", ch.value}});
    }
    if (description && *description != d.description) {
      c.exec("UPDATE documents SET description = ? WHERE id = ?", {*description, d.id});
      record_revision(c, d.id, who, "edited", "description", d.description, *description);
      changed.push_back(
          {{"field", "description"}, {"old_value", d.description}, {"new_value", *description}});
    }
    if (publisher && *publisher != d.publisher_id) {
      if (*publisher && !c.query_one("SELECT id FROM publishers WHERE id = ? AND account_id = ?",
                                     {**publisher, who.account_id}))
        throw Error(404, "NOT_FOUND", "no publisher " + std::to_string(**publisher));
      c.exec("UPDATE documents SET publisher_id = ? WHERE id = ?",
             {*publisher ? store::Value(**publisher) : store::Value(nullptr), d.id});
      Json o = d.publisher_id ? Json(*d.publisher_id) : Json(nullptr);
      Json n = *publisher ? Json(**publisher) : Json(nullptr);
      record_revision(c, d.id, who, "edited", "publisher_id", o, n);
      changed.push_back({{"field", "publisher_id"}, {"old_value", o}, {"new_value", n}});
    }
    if (!changed.empty()) {
      touch_document(c, d.id);
      d = require_document(c, who, ref);
      index_->put_meta(c, d.id, d.file_name, meta_text(c, d));
      emit_event(c, who.account_id, "document.edited", d.workspace_id, d.id,
                 {{"documents_id", d.id}, {"pofid", d.pofid}, {"changes", changed}});
    }
    return Json{{"status", "success"}, {"pofid", d.pofid},       {"documents_id", d.id},
                {"changed", changed},  {"revision", d.revision}, {"data", document_json(c, d)}};
  });
}

Json DocumentStore::rename(const Principal& who, const std::string& ref, const std::string& in) {
  std::string name = in;
  auto a = name.find_first_not_of(" \t"), b = name.find_last_not_of(" \t");
  name = a == std::string::npos ? "" : name.substr(a, b - a + 1);
  if (name.empty()) throw Error::invalid_request("field 'new_name' is required");
  if (name.find_first_of("/\\") != std::string::npos || name.find("..") != std::string::npos ||
      name == ".")
    throw Error(400, "INVALID_FILENAME",
                "'" + name + "' is not a file name: '/', '\\' and '..' are not allowed");
  if (std::any_of(name.begin(), name.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
    throw Error(400, "INVALID_FILENAME", "the new name holds control characters");
  auto& c = db_.conn();
  return c.transaction([&] {
    DocumentRow d = require_document(c, who, ref);
    require_editable(c, d, who);
    // The original extension is always kept: a new one the client typed is replaced by it.
    std::string ext = extension_of(d.file_name);
    std::string stem = name;
    std::string given = extension_of(name);
    if (!ext.empty()) {
      std::string gl = given, el = ext;
      std::transform(gl.begin(), gl.end(), gl.begin(), ::tolower);
      std::transform(el.begin(), el.end(), el.begin(), ::tolower);
      if (gl == el) stem = name.substr(0, name.size() - given.size() - 1);
    }
    if (stem.empty() || stem.size() > 240)
      throw Error(400, "INVALID_FILENAME",
                  "the new name must be 1..240 characters before its extension");
    std::string full = ext.empty() ? stem : stem + "." + ext;
    if (full != d.file_name) {
      c.exec("UPDATE documents SET file_name = ? WHERE id = ?", {full, d.id});
      record_revision(c, d.id, who, "renamed", "file_name", d.file_name, full);
      touch_document(c, d.id);
      index_->put_meta(c, d.id, full, meta_text(c, d));
      emit_event(c, who.account_id, "document.edited", d.workspace_id, d.id,
                 {{"documents_id", d.id},
                  {"pofid", d.pofid},
                  {"old_name", d.file_name},
                  {"new_name", full}});
    }
    return Json{{"status", "success"},
                {"pofid", d.pofid},
                {"documents_id", d.id},
                {"old_name", d.file_name},
                {"file_name", full}};
  });
}

Json DocumentStore::move(const Principal& who, const std::string& ref, const WorkspaceRow& to) {
  auto& c = db_.conn();
  return c.transaction([&] {
    DocumentRow d = require_document(c, who, ref);
    if (d.workspace_id == to.id)
      return Json{{"status", "success"},
                  {"pofid", d.pofid},
                  {"workspace_id", to.id},
                  {"moved", false},
                  {"message", "the document is in that workspace already"}};
    require_not_held(c, d, "moved out of its workspace");
    require_editable(c, d, who);
    if (to.status == "locked")
      throw Error(423, "WORKSPACE_LOCKED", "workspace " + std::to_string(to.id) + " is locked");
    c.exec("UPDATE documents SET workspace_id = ? WHERE id = ?", {to.id, d.id});
    c.exec("DELETE FROM folder_documents WHERE document_id = ?", {d.id});
    record_revision(c, d.id, who, "moved", "workspace_id", d.workspace_id, to.id);
    touch_document(c, d.id);
    emit_event(c, who.account_id, "document.moved", to.id, d.id,
               {{"documents_id", d.id},
                {"pofid", d.pofid},
                {"from_workspace_id", d.workspace_id},
                {"to_workspace_id", to.id}});
    return Json{{"status", "success"},   {"pofid", d.pofid},
                {"documents_id", d.id},  {"from_workspace_id", d.workspace_id},
                {"workspace_id", to.id}, {"moved", true}};
  });
}

Json DocumentStore::copy(const Principal& who, const std::string& ref, const WorkspaceRow& to) {
  auto& c = db_.conn();
  DocumentRow d = require_document(c, who, ref);
  if (to.status == "locked")
    throw Error(423, "WORKSPACE_LOCKED", "workspace " + std::to_string(to.id) + " is locked");
  // The copy has its own blob, so deleting either never touches the other.
  store::BlobBatch batch(blobs_);
  store::BlobWriter w = batch.writer();
  store::BlobReader r = blobs_.open(d.blob_id);
  for (std::string chunk; r.next(chunk);) w.write(chunk);
  std::string blob = w.commit();
  batch.sync();
  try {
    return c.transaction([&] {
      int64_t now = core::unix_millis();
      std::string ext = extension_of(d.pofid);
      std::string pofid = make_pofid(d.sha256, who.account_id, now, ext);
      while (
          c.query_one("SELECT 1 AS x FROM documents WHERE pofid = ? UNION SELECT 1 FROM "
                      "document_versions WHERE pofid = ?",
                      {pofid, pofid}))
        pofid = make_pofid(d.sha256, who.account_id, ++now, ext);
      c.exec(
          "INSERT INTO documents (account_id, workspace_id, pofid, file_name, mime_type, size, "
          "sha256, total_pages, version, blob_id, description, lifecycle_status, publisher_id, "
          "file_metadata, ai_dms_mode, ai_dms_status, text_source, created_by, created_at_ms, "
          "updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, "
          "?)",
          {who.account_id, to.id, pofid, d.file_name, d.mime_type, d.size, d.sha256, d.total_pages,
           blob, d.description,
           d.publisher_id ? store::Value(*d.publisher_id) : store::Value(nullptr),
           d.file_metadata.dump(), to.ai_dms_mode,
           d.ai_dms_status == "completed" ? "completed" : "", d.text_source, who.token_id, now,
           now});
      int64_t id = c.last_insert_id();
      c.exec(
          "INSERT INTO document_versions (document_id, version, pofid, file_name, mime_type, "
          "size, sha256, total_pages, blob_id, created_by, created_at_ms) VALUES (?, 1, ?, ?, ?, "
          "?, ?, ?, ?, ?, ?)",
          {id, pofid, d.file_name, d.mime_type, d.size, d.sha256, d.total_pages, blob, who.token_id,
           now});
      c.exec(
          "INSERT INTO document_tags (document_id, tag, created_at) SELECT ?, tag, created_at "
          "FROM document_tags WHERE document_id = ?",
          {id, d.id});
      c.exec(
          "INSERT INTO document_meta (document_id, field, value, type, updated_at_ms) SELECT "
          "?, field, value, type, updated_at_ms FROM document_meta WHERE document_id = ?",
          {id, d.id});
      c.exec(
          "INSERT INTO document_pages (document_id, page, text, confidence, source) SELECT ?, "
          "page, text, confidence, source FROM document_pages WHERE document_id = ?",
          {id, d.id});
      c.exec(
          "INSERT INTO document_page_words (document_id, page, width, height, unit, words) "
          "SELECT ?, page, width, height, unit, words FROM document_page_words WHERE "
          "document_id = ?",
          {id, d.id});
      DocumentRow copy = require_document(c, who, std::to_string(id));
      std::vector<IndexedPage> pages;
      for (auto& p : c.query("SELECT page, text FROM document_pages WHERE document_id = ?", {id}))
        pages.push_back({static_cast<int>(p.i64("page")), p.text("text")});
      index_->put_document(c, id, copy.file_name, meta_text(c, copy), pages);
      record_revision(c, id, who, "uploaded", "copied_from", nullptr, d.pofid);
      emit_event(c, who.account_id, "document.uploaded", to.id, id,
                 {{"documents_id", id},
                  {"pofid", pofid},
                  {"file_name", copy.file_name},
                  {"workspace_id", to.id},
                  {"copied_from", d.pofid}});
      return Json{{"status", "success"}, {"source_pofid", d.pofid}, {"pofid", pofid},
                  {"documents_id", id},  {"workspace_id", to.id},   {"file_name", copy.file_name},
                  {"size", copy.size}};
    });
  } catch (...) {
    blobs_.remove(blob);
    throw;
  }
}

Json DocumentStore::duplicate_check(const Principal& who, const std::string& sha_in,
                                    const std::optional<UploadFile>& file) {
  std::string sha = sha_in;
  std::transform(sha.begin(), sha.end(), sha.begin(), ::tolower);
  if (file) {
    std::ifstream in(file->path, std::ios::binary);
    Sha256 h;
    std::string buf(1 << 20, '\0');
    while (in) {
      in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
      if (in.gcount() > 0) h.update(std::string_view(buf.data(), static_cast<size_t>(in.gcount())));
    }
    sha = h.hex();
  }
  if (sha.size() != 64 || sha.find_first_not_of("0123456789abcdef") != std::string::npos)
    throw Error::invalid_request("give 'sha256' (64 hex characters) or upload the 'file'");
  auto& c = db_.conn();
  Json matches = Json::array();
  for (auto& r : c.query(std::string("SELECT ") + kDocumentColumns +
                             ", w.group_name FROM documents d JOIN workspaces w ON w.id = "
                             "d.workspace_id WHERE d.account_id = ? AND d.sha256 = ? ORDER BY d.id",
                         {who.account_id, sha})) {
    if (who.kind == "gt" && r.text("group_name") != who.group) continue;
    DocumentRow d = document_from(r);
    matches.push_back({{"documents_id", d.id},
                       {"pofid", d.pofid},
                       {"file_name", d.file_name},
                       {"workspace_id", d.workspace_id},
                       {"created_at", iso_ms(d.created_at_ms)},
                       {"deleted", d.deleted()}});
  }
  return {{"status", "success"},
          {"sha256", sha},
          {"is_duplicate", !matches.empty()},
          {"duplicate_count", matches.size()},
          {"duplicates", matches}};
}

Json DocumentStore::revisions(const Principal& who, const std::string& ref, int64_t limit,
                              int64_t offset) {
  auto& c = db_.conn();
  DocumentRow d = require_document(c, who, ref, true);
  Json changes = Json::array();
  for (auto& r : c.query("SELECT * FROM document_revisions WHERE document_id = ? ORDER BY id DESC "
                         "LIMIT ? OFFSET ?",
                         {d.id, limit, offset})) {
    auto parse = [&](const char* col) {
      return r.is_null(col) ? Json(nullptr) : Json::parse(r.text(col), nullptr, false);
    };
    changes.push_back({{"revision_id", r.i64("id")},
                       {"action", r.text("action")},
                       {"field", r.text("field").empty() ? Json(nullptr) : Json(r.text("field"))},
                       {"old_value", parse("old_value")},
                       {"new_value", parse("new_value")},
                       {"user", r.text("actor")},
                       {"token_id", r.i64("actor_token")},
                       {"created_at", iso_ms(r.i64("created_at_ms"))}});
  }
  auto total =
      c.query_one("SELECT COUNT(*) AS n FROM document_revisions WHERE document_id = ?", {d.id});
  Json versions = Json::array();
  for (auto& r : c.query("SELECT * FROM document_versions WHERE document_id = ? ORDER BY version "
                         "DESC",
                         {d.id}))
    versions.push_back({{"version", r.i64("version")},
                        {"pofid", r.text("pofid")},
                        {"file_name", r.text("file_name")},
                        {"size", r.i64("size")},
                        {"sha256", r.text("sha256")},
                        {"total_pages", r.i64("total_pages")},
                        {"created_at", iso_ms(r.i64("created_at_ms"))},
                        {"current", r.i64("version") == d.version}});
  return {{"status", "success"},  {"pofid", d.pofid},
          {"documents_id", d.id}, {"current_version", d.version},
          {"revisions", changes}, {"total", total ? total->i64("n") : 0},
          {"versions", versions}};
}

Json DocumentStore::metadata(const Principal& who, const std::string& ref) {
  auto& c = db_.conn();
  DocumentRow d = require_document(c, who, ref);
  Json general = d.file_metadata;
  auto lang = c.query_one(
      "SELECT value FROM document_meta WHERE document_id = ? AND field = "
      "'_language'",
      {d.id});
  auto chars = c.query_one(
      "SELECT COALESCE(SUM(LENGTH(text)), 0) AS n, COUNT(*) AS p FROM "
      "document_pages WHERE document_id = ?",
      {d.id});
  return {{"status", "success"},
          {"pofid", d.pofid},
          {"documents_id", d.id},
          {"metadata",
           {{"file_name", d.file_name},
            {"document_type", d.mime_type == "application/pdf" ? "pdf" : extension_of(d.pofid)},
            {"mime_type", d.mime_type},
            {"size", d.size},
            {"total_pages", d.total_pages},
            {"sha256", d.sha256},
            {"producer", general.value("producer", Json(nullptr))},
            {"creator", general.value("creator", Json(nullptr))},
            {"title", general.value("title", Json(nullptr))},
            {"author", general.value("author", Json(nullptr))},
            {"creation_date", general.value("creation_date", Json(nullptr))},
            {"modification_date", general.value("mod_date", Json(nullptr))},
            {"language", lang ? Json::parse(lang->text("value"), nullptr, false)
                              : general.value("language", Json(nullptr))},
            {"encrypted", general.value("encrypted", false)},
            {"pages_with_text", chars ? chars->i64("p") : 0},
            {"text_characters", chars ? chars->i64("n") : 0},
            {"uploaded_at", iso_ms(d.created_at_ms)},
            {"version", d.version}}},
          {"file_metadata", general}};
}

Json DocumentStore::meta_fields(const Principal& who, const std::string& ref) {
  auto& c = db_.conn();
  DocumentRow d = require_document(c, who, ref);
  // By category, as the index groups them.
  static const std::map<std::string, std::string> kCategory = {
      {"_amount_total", "financial"},  {"_amount_net", "financial"},
      {"_amount_vat", "financial"},    {"_currency", "financial"},
      {"_iban", "financial"},          {"_sender", "parties"},
      {"_recipient", "parties"},       {"_document_date", "dates"},
      {"_due_date", "dates"},          {"_document_type", "classification"},
      {"_category", "classification"}, {"_language", "classification"}};
  Json cats = {{"financial", Json::object()},
               {"parties", Json::object()},
               {"dates", Json::object()},
               {"classification", Json::object()},
               {"analysis", Json::object()}};
  Json flat = Json::object();
  for (auto& r : c.query("SELECT field, value, type, updated_at_ms FROM document_meta WHERE "
                         "document_id = ? ORDER BY field",
                         {d.id})) {
    Json v = {{"value", Json::parse(r.text("value"), nullptr, false)},
              {"type", r.text("type")},
              {"updated_at", iso_ms(r.i64("updated_at_ms"))}};
    auto it = kCategory.find(r.text("field"));
    cats[it == kCategory.end() ? "analysis" : it->second][r.text("field")] = v;
    flat[r.text("field")] = v;
  }
  return {{"status", "success"},
          {"document_id", d.id},
          {"pofid", d.pofid},
          {"meta_fields", flat},
          {"categories", cats}};
}

DocumentRow DocumentStore::with_current_text(store::Connection& c, const Principal& who,
                                             const std::string& ref) {
  DocumentRow d = require_document(c, who, ref);
  // A processing job that finished since the last sweep: its text now, not a second later.
  if (d.ai_dms_status == "queued" || d.ai_dms_status == "processing") {
    sync_processing(d.id);
    d = require_document(c, who, ref);
  }
  return d;
}

Json DocumentStore::ocr_text(const Principal& who, const std::string& ref,
                             std::optional<int> page) {
  auto& c = db_.conn();
  DocumentRow d = with_current_text(c, who, ref);
  auto rows = c.query(
      "SELECT page, text, confidence, source FROM document_pages WHERE "
      "document_id = ? ORDER BY page",
      {d.id});
  if (rows.empty()) {
    if (d.ai_dms_status == "queued" || d.ai_dms_status == "processing")
      throw Error(409, "OCR_PENDING",
                  "document '" + d.pofid + "' is being processed (job " + d.ai_dms_job_id +
                      "); its text is ready when ai_dms.status is completed");
    throw Error(404, "OCR_NOT_AVAILABLE",
                "document '" + d.pofid + "' has no text yet: it has no text layer" +
                    (d.ai_dms_status == "failed" ? " and its OCR job failed"
                                                 : "; process it with document-batch-process "
                                                   "or upload it to a workspace with ai_dms_mode"));
  }
  Json pages = Json::array();
  std::string full;
  double conf_sum = 0;
  int conf_n = 0;
  for (auto& r : rows) {
    int p = static_cast<int>(r.i64("page"));
    if (page && p != *page) continue;
    Json conf = r.is_null("confidence") ? Json(nullptr) : Json(r.f64("confidence"));
    if (!conf.is_null()) {
      conf_sum += r.f64("confidence");
      ++conf_n;
    }
    pages.push_back({{"page", p},
                     {"text", r.text("text")},
                     {"confidence", conf},
                     {"source", r.text("source")},
                     {"char_count", r.text("text").size()}});
    full += (full.empty() ? "" : "\n\n") + r.text("text");
  }
  if (page && pages.empty())
    throw Error(404, "NOT_FOUND",
                fmt::format("document '{}' has no text on page {}", d.pofid, *page));
  return {{"status", "success"},
          {"pofid", d.pofid},
          {"documents_id", d.id},
          {"total_pages", d.total_pages},
          {"text_source", d.text_source},
          {"confidence_avg", conf_n ? Json(conf_sum / conf_n) : Json(nullptr)},
          {"pages", pages},
          {"text", full}};
}

Json DocumentStore::summary(const Principal& who, const std::string& ref) {
  auto& c = db_.conn();
  DocumentRow d = require_document(c, who, ref);
  auto count = [&](const char* sql) {
    auto r = c.query_one(sql, {d.id});
    return r ? r->i64("n") : 0;
  };
  return {
      {"status", "success"},
      {"data",
       {{"document", document_json(c, d, false)},
        {"counts",
         {{"meta_fields", count("SELECT COUNT(*) AS n FROM document_meta WHERE document_id = ?")},
          {"pages_with_text",
           count("SELECT COUNT(*) AS n FROM document_pages WHERE document_id = ?")},
          {"tags", count("SELECT COUNT(*) AS n FROM document_tags WHERE document_id = ?")},
          {"notes", count("SELECT COUNT(*) AS n FROM document_notes WHERE document_id = ? AND "
                          "deleted_at IS NULL")},
          {"comments", count("SELECT COUNT(*) AS n FROM document_comments WHERE document_id "
                             "= ? AND deleted_at IS NULL")},
          {"revisions",
           count("SELECT COUNT(*) AS n FROM document_revisions WHERE document_id = ?")},
          {"versions",
           count("SELECT COUNT(*) AS n FROM document_versions WHERE document_id = ?")}}},
        {"links",
         {{"get", "/documents/document-get/" + d.pofid},
          {"download", "/documents/document-download/" + d.pofid},
          {"text", "/documents/ocr-get?pofid=" + d.pofid},
          {"revisions", "/documents/document-revisions?pofid=" + d.pofid},
          {"meta_fields", "/document_intelligence/meta_fields/" + std::to_string(d.id)}}}}}};
}

Json DocumentStore::global_stats(const Principal& who, std::optional<int64_t> workspace_id) {
  auto& c = db_.conn();
  std::string scope = "d.account_id = ?";
  std::vector<store::Value> p = {who.account_id};
  if (workspace_id) {
    require_workspace(c, who, workspace_id);
    scope += " AND d.workspace_id = ?";
    p.push_back(*workspace_id);
  }
  if (who.kind == "gt") {
    scope += " AND d.workspace_id IN (SELECT id FROM workspaces WHERE group_name = ?)";
    p.push_back(who.group);
  }
  auto one = [&](const std::string& sql) {
    auto r = c.query_one(sql, p);
    return r ? r->i64("n") : 0;
  };
  Json by_type = Json::object(), by_state = Json::object(), by_ai = Json::object();
  for (auto& r : c.query("SELECT d.mime_type AS k, COUNT(*) AS n FROM documents d WHERE " + scope +
                             " AND d.deleted_at IS NULL GROUP BY d.mime_type",
                         p))
    by_type[r.text("k")] = r.i64("n");
  for (auto& r : c.query("SELECT d.lifecycle_status AS k, COUNT(*) AS n FROM documents d WHERE " +
                             scope + " AND d.deleted_at IS NULL GROUP BY d.lifecycle_status",
                         p))
    by_state[r.text("k")] = r.i64("n");
  for (auto& r :
       c.query("SELECT d.ai_dms_status AS k, COUNT(*) AS n FROM documents d WHERE " + scope +
                   " AND d.deleted_at IS NULL AND d.ai_dms_status != '' GROUP "
                   "BY d.ai_dms_status",
               p))
    by_ai[r.text("k")] = r.i64("n");
  return {
      {"status", "success"},
      {"data",
       {{"documents",
         one("SELECT COUNT(*) AS n FROM documents d WHERE " + scope + " AND d.deleted_at IS NULL")},
        {"in_trash", one("SELECT COUNT(*) AS n FROM documents d WHERE " + scope +
                         " AND d.deleted_at IS NOT NULL")},
        {"storage_bytes", one("SELECT COALESCE(SUM(d.size), 0) AS n FROM documents d WHERE " +
                              scope + " AND d.deleted_at IS NULL")},
        {"pages", one("SELECT COALESCE(SUM(d.total_pages), 0) AS n FROM documents d WHERE " +
                      scope + " AND d.deleted_at IS NULL")},
        {"pages_with_text", one("SELECT COUNT(*) AS n FROM document_pages x JOIN documents d ON "
                                "d.id = x.document_id WHERE " +
                                scope + " AND d.deleted_at IS NULL")},
        {"meta_fields", one("SELECT COUNT(*) AS n FROM document_meta x JOIN documents d ON d.id = "
                            "x.document_id WHERE " +
                            scope)},
        {"legal_holds", one("SELECT COUNT(*) AS n FROM legal_holds x JOIN documents d ON d.id = "
                            "x.document_id WHERE " +
                            scope + " AND x.released_at IS NULL")},
        {"by_mime_type", by_type},
        {"by_lifecycle_status", by_state},
        {"ai_dms", by_ai}}}};
}

}  // namespace paperd::services::dms
