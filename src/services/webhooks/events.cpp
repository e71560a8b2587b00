#include "services/webhooks/events.h"

#include <openssl/evp.h>

#include <algorithm>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/error.h"

namespace paperd::services::webhooks {

const std::vector<EventType>& event_catalog() {
  static const std::vector<EventType> kEvents = {
      {"document.uploaded", "a document was stored (document-put, copy, signed PUT upload)"},
      {"document.created", "alias of document.uploaded"},
      {"document.processed", "AI-DMS processing of a document finished (text, OCR)"},
      {"document.edited", "a document's metadata, name or content changed"},
      {"document.deleted", "a document went to the trash or was deleted for good"},
      {"document.restored", "a document came back from the trash"},
      {"document.moved", "a document moved to another workspace or folder"},
      {"document.version_created", "a new version of a document was uploaded"},
      {"document.lifecycle_changed", "a document's lifecycle status changed"},
      {"document.comment_added", "a comment was added to a document"},
      {"document.note_added", "a note was added to a document"},
      {"document.tag_added", "a tag was added to a document"},
      {"document.legal_hold_placed", "a legal hold was placed on a document"},
      {"document.legal_hold_released", "a legal hold was released"},
      {"job.queued", "a job was accepted and waits for a worker"},
      {"job.progress", "a running job reported new progress"},
      {"job.completed", "a job finished; fetch its result with GET /job/get/{job_id}"},
      {"job.failed", "a job failed after its last attempt"},
      {"workspace.shared", "a workspace was shared"},
      {"workspace.unshared", "a workspace share was removed"},
      {"task.created", "a task was created"},
      {"task.completed", "a task was completed"},
      {"task.overdue", "a task passed its due date"},
      // Written by paperd besides the documented ones.
      {"document.processing_failed", "AI-DMS processing of a document failed"},
      {"workspace.created", "a workspace was created"},
      {"workspace.updated", "a workspace's settings changed"},
      {"workspace.deleted", "a workspace was deleted with its documents"},
      {"folder.created", "a folder was created"},
      {"folder.updated", "a folder was renamed or moved"},
      {"folder.dissolved", "a folder was dissolved"},
      {"publisher.created", "a publisher was created"},
      {"publisher.renamed", "a publisher was renamed"},
      {"publisher.merged", "publishers were merged"},
      {"trash.emptied", "the trash was emptied"},
      {"message.sent", "a message center notification sent on the webhook channel"},
      {"signature.created", "a signature request was created"},
      {"signature.sent", "a signer was invited (or sent a new link)"},
      {"signature.viewed", "a signer opened the signing page"},
      {"signature.signed", "a signer signed"},
      {"signature.declined", "a signer declined; the request is closed"},
      {"signature.completed", "every signer signed; the signed PDF and certificate are stored"},
      {"signature.cancelled", "the sender cancelled a signature request"},
      {"signature.expired", "a signature request passed its expiry unsigned"},
  };
  return kEvents;
}

bool is_known_event(std::string_view name) {
  const auto& all = event_catalog();
  return std::any_of(all.begin(), all.end(), [&](const EventType& e) { return name == e.name; });
}

bool subscribed_to(const Json& events, const std::string& type) {
  if (!events.is_array()) return false;
  for (const auto& e : events) {
    if (!e.is_string()) continue;
    const auto& name = e.get_ref<const std::string&>();
    if (name == "*" || name == type) return true;
    if (name == "document.created" && type == "document.uploaded") return true;
  }
  return false;
}

std::string publish(store::Connection& c, int64_t account_id, const std::string& type, Json data,
                    std::optional<int64_t> workspace_id) {
  if (type.empty() || type.size() > 100)
    throw core::Error::internal("an event type must have 1 to 100 characters");
  return store::append_event(c, account_id, type, std::move(data), workspace_id);
}

std::string delivery_body(const store::OutboxEvent& e, int64_t subscription_id) {
  Json body = {{"event_type", e.type},
               {"event_id", e.event_id},
               {"timestamp", core::iso8601(e.created_at_ms / 1000)},
               {"subscription_id", subscription_id},
               {"data", e.data}};
  if (e.type.rfind("job.", 0) == 0) {
    body["event"] = e.type;
    body["job_id"] = e.data.value("job_id", "");
    body["status"] = e.data.value("status", "");
  }
  return body.dump();
}

std::string signature(std::string_view secret, std::string_view body) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  size_t len = 0;
  if (!EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, secret.data(), secret.size(),
                 reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, sizeof mac,
                 &len))
    throw core::Error::internal("HMAC-SHA256 failed");
  return "sha256=" + core::hex(std::string_view(reinterpret_cast<const char*>(mac), len));
}

}  // namespace paperd::services::webhooks
