#include "api/context.h"
#include "services/dms/documents.h"
#include "services/esign/signature_service.h"
#include "services/messages/message_center.h"
#include "services/webhooks/webhooks.h"

namespace paperd::api {

void add_all_routes(http::Router& router, ApiContext& ctx) {
  add_system_routes(router, ctx);
  add_job_routes(router, ctx);
  add_billing_routes(router, ctx);
  add_docs_routes(router, ctx);
  if (!ctx.documents)
    ctx.documents = std::make_shared<services::dms::DocumentStore>(ctx.db, ctx.blobs, ctx.config);
  add_workspace_routes(router, ctx);
  add_document_routes(router, ctx);
  add_document_trash_routes(router, ctx);
  add_document_search_routes(router, ctx);
  add_document_entity_routes(router, ctx);
  add_document_generation_routes(router, ctx);
  add_document_annotation_routes(router, ctx);
  add_document_folder_routes(router, ctx);
  if (!ctx.messages)
    ctx.messages =
        std::make_shared<services::messages::MessageCenter>(ctx.db, ctx.config, ctx.outbound);
  add_message_center_routes(router, ctx);
  if (!ctx.webhooks)
    ctx.webhooks = std::make_shared<services::webhooks::Webhooks>(
        ctx.db, nullptr, ctx.outbound, services::webhooks::Settings::from(ctx.config));
  add_webhook_routes(router, ctx);
  if (!ctx.signatures)
    ctx.signatures = std::make_shared<services::esign::SignatureService>(
        ctx.db, ctx.blobs, ctx.config, ctx.documents, ctx.messages, nullptr,
        std::filesystem::read_symlink("/proc/self/exe"));
  add_signature_routes(router, ctx);
  add_mcp_routes(router, ctx);
  ctx.router = &router;
}

}  // namespace paperd::api
