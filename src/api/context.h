// What route handlers may use: the services and stores built by the composition root
// (app/serve.cpp). Handlers stay thin: parse, call one of these, shape the answer.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "core/config.h"
#include "http/invoke.h"
#include "http/metrics.h"
#include "http/router.h"
#include "jobs/pipeline.h"
#include "jobs/queue.h"
#include "net/ssrf.h"
#include "services/accounts.h"
#include "services/tiers.h"
#include "store/blob_store.h"
#include "store/db.h"

namespace paperd::jobs {
class Supervisor;
}
namespace paperd::services::dms {
class DocumentStore;
}
namespace paperd::services::messages {
class MessageCenter;
}

namespace paperd::services::webhooks {
class Webhooks;
}
namespace paperd::services::esign {
class SignatureService;
}

namespace paperd::api {

struct ApiContext {
  const core::Config& config;
  store::Database& db;
  store::BlobStore& blobs;
  services::Tiers& tiers;
  services::Accounts& accounts;
  jobs::Queue& queue;
  jobs::PipelineRegistry& pipelines;
  jobs::Supervisor* supervisor;  // null in tools that serve no jobs
  net::OutboundPolicy& outbound;
  http::Metrics& metrics;
  const http::ServerHooks* hooks = nullptr;  // auth and billing, for MCP tool calls
  const http::Router* router = nullptr;      // the full table, for derived listings
  int64_t started_at = 0;
  // The document store; add_all_routes() makes one over db and blobs when none is given.
  std::shared_ptr<services::dms::DocumentStore> documents = nullptr;
  // The message center; add_all_routes() makes one when none is given (its Sender runs in serve).
  std::shared_ptr<services::messages::MessageCenter> messages = nullptr;
  // Webhook subscriptions; add_all_routes() makes one without a sealer (no secrets can be stored)
  // when none is given. serve.cpp gives one with the master key's sealer and runs its dispatcher.
  std::shared_ptr<services::webhooks::Webhooks> webhooks = nullptr;
  // E-signature requests; add_all_routes() makes one without a sealer (no links can be made)
  // when none is given. serve.cpp gives one with the master key's sealer and sweeps it.
  std::shared_ptr<services::esign::SignatureService> signatures = nullptr;
};

// Each area adds its rows to the route table.
void add_system_routes(http::Router& router, ApiContext& ctx);
void add_job_routes(http::Router& router, ApiContext& ctx);
void add_billing_routes(http::Router& router, ApiContext& ctx);
void add_docs_routes(http::Router& router, ApiContext& ctx);
void add_document_generation_routes(http::Router& router, ApiContext& ctx);
void add_document_annotation_routes(http::Router& router, ApiContext& ctx);
void add_document_folder_routes(http::Router& router, ApiContext& ctx);
void add_mcp_routes(http::Router& router, ApiContext& ctx);
// The document store (api/workspaces.cpp, documents.cpp, document_trash.cpp, document_search.cpp).
void add_workspace_routes(http::Router& router, ApiContext& ctx);
void add_document_routes(http::Router& router, ApiContext& ctx);
void add_document_trash_routes(http::Router& router, ApiContext& ctx);
void add_document_search_routes(http::Router& router, ApiContext& ctx);
void add_document_entity_routes(http::Router& router, ApiContext& ctx);
// The message center (api/message_center.cpp).
void add_message_center_routes(http::Router& router, ApiContext& ctx);

// Webhooks (api/webhooks.cpp).
void add_webhook_routes(http::Router& router, ApiContext& ctx);
// E-signatures and the signing page (api/signatures.cpp).
void add_signature_routes(http::Router& router, ApiContext& ctx);

// All routes of the server, in one table.
void add_all_routes(http::Router& router, ApiContext& ctx);

}  // namespace paperd::api
