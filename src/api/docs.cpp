// The generated documentation routes land with the docs area; none yet.
#include "api/context.h"

namespace paperd::api {

void add_docs_routes(http::Router&, ApiContext&) {}

}  // namespace paperd::api
