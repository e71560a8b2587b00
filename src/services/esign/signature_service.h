// E-signature requests (issue 17): a PDF sent to one or more signers, each invited by email with
// a unique, expiring link to the signing page, in sequential or parallel order. Each signature
// stamps the signer's fields and applies a PAdES signature as an incremental update (engines/sign,
// in a child process); when all have signed, the signed PDF and a completion certificate are
// stored as documents, and webhooks and emails go out. Every step is in the request's
// hash-chained audit trail (audit_trail.h). Thread-safe: each call uses its thread's database
// connection; signatures of one request are applied one at a time.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/config.h"
#include "core/json.h"
#include "http/route.h"
#include "services/esign/esign_runner.h"
#include "services/esign/signing_key.h"
#include "store/blob_store.h"
#include "store/db.h"

namespace paperd::services::dms {
class DocumentStore;
}
namespace paperd::services::messages {
class MessageCenter;
}

namespace paperd::services::esign {

using http::Principal;

// Who is at the other end of a signing-page request, for the audit trail.
struct ClientInfo {
  std::string ip, user_agent;
};

// A PDF handed in with the create call (instead of a document id).
struct SourceFile {
  std::filesystem::path path;  // streamed to the request's temp dir, or
  std::string data;            // small uploads, held in memory
  std::string filename;
};

struct BlobDownload {
  std::string blob_id, filename;
};

class SignatureService {
 public:
  SignatureService(store::Database& db, store::BlobStore& blobs, const core::Config& config,
                   std::shared_ptr<dms::DocumentStore> documents,
                   std::shared_ptr<messages::MessageCenter> messages,
                   const store::ValueSealer* sealer, std::filesystem::path binary);

  // --- the sender's API (requests.cpp)
  // signatures/create, signature_link/send_signing_request. link_base: where /sign/<token> is.
  Json create(const Principal& who, const Json& params, const std::optional<SourceFile>& file,
              const std::string& link_base);
  Json get(const Principal& who, const std::string& id, bool with_audit);
  Json list(const Principal& who, const std::string& status, int64_t limit, int64_t offset);
  Json signing_status(const Principal& who, const std::string& id);
  // Emails the pending, invited signers again with their link (signer: an id or email, or all).
  Json remind(const Principal& who, const std::string& id, const std::string& signer,
              const std::string& link_base);
  // A new link for one invited signer; the old one stops working.
  Json resend(const Principal& who, const std::string& id, const std::string& signer,
              const std::string& link_base);
  Json cancel(const Principal& who, const std::string& id, const std::string& reason);
  // kind: signed (the default; 409 until completed unless partial), certificate, original.
  BlobDownload download(const Principal& who, const std::string& id, const std::string& kind,
                        bool partial);
  // Every signature in a document of the store (ref) or in a request's current PDF (id).
  Json document_signatures(const Principal& who, const std::string& ref, const std::string& id);

  // --- the signing page (signing.cpp); token is the link's secret
  Json session(const std::string& token, const ClientInfo& client);
  BlobDownload page_image(const std::string& token, int page);
  Json complete(const std::string& token, const Json& body, const ClientInfo& client,
                const std::string& link_base);
  Json decline(const std::string& token, const std::string& reason, const ClientInfo& client);

  // --- background (every half minute): expired requests, automatic reminders. Returns changes.
  int sweep(const std::string& link_base);

 private:
  const SigningKey& key();
  std::mutex& request_mutex(int64_t request_id);
  std::optional<store::Row> request_row(store::Connection& c, const Principal& who,
                                        const std::string& id);
  store::Row require_request(store::Connection& c, const Principal& who, const std::string& id);
  // The signer a link names, while it may still sign: 404 unknown or replaced, 410 used,
  // declined, closed or expired.
  store::Row signer_by_token(store::Connection& c, const std::string& token);
  Json request_json(store::Connection& c, const store::Row& r, bool with_audit);
  Json signer_json(const store::Row& s, bool with_fields);
  // Gives a signer a new link (sealed in its row) and emails it; inside the caller's transaction.
  std::string invite(store::Connection& c, const store::Row& request, const store::Row& signer,
                     const std::string& link_base, const std::string& event);
  void email(const store::Row& request, const std::string& to, const std::string& subject,
             const std::string& body);
  void finish(store::Connection& c, int64_t request_id);
  std::filesystem::path fetch_blob(const std::string& blob_id, const std::filesystem::path& dir,
                                   const std::string& name);

  store::Database& db_;
  store::BlobStore& blobs_;
  const core::Config& config_;
  std::shared_ptr<dms::DocumentStore> documents_;
  std::shared_ptr<messages::MessageCenter> messages_;
  const store::ValueSealer* sealer_;
  EsignRunner runner_;
  std::mutex key_mu_;
  std::unique_ptr<SigningKey> key_;
  std::array<std::mutex, 16> request_mu_;
};

}  // namespace paperd::services::esign
