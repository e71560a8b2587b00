#include "api/context.h"
#include "services/dms/documents.h"

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
  add_document_generation_routes(router, ctx);
  add_document_annotation_routes(router, ctx);
  add_document_folder_routes(router, ctx);
  add_mcp_routes(router, ctx);
  ctx.router = &router;
}

}  // namespace paperd::api
