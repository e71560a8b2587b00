// GET /docs/openapi.json: an OpenAPI 3.1 document of every route, generated from the route table
// (parameters, request bodies in the three accepted encodings, envelopes, bearer security) with
// one request example per pipeline tool variant on the job route.
#pragma once

#include "core/json.h"
#include "docs/catalog.h"

namespace paperd::docs {

Json openapi_document(const Source& src);

// The JSON Schema of one parameter (file parameters are binary strings).
Json param_schema(const http::Param& p);

}  // namespace paperd::docs
