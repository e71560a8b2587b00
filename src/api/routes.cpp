#include "api/context.h"

namespace paperd::api {

void add_all_routes(http::Router& router, ApiContext& ctx) {
  add_system_routes(router, ctx);
  add_job_routes(router, ctx);
  add_billing_routes(router, ctx);
  add_docs_routes(router, ctx);
  add_mcp_routes(router, ctx);
  ctx.router = &router;
}

}  // namespace paperd::api
