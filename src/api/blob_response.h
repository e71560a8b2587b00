// A stored blob as a download: streamed chunk by chunk (never whole in memory), with its
// Content-Disposition (the name made header-safe) and no caching.
#pragma once

#include <string>

#include "http/route.h"
#include "store/blob_store.h"

namespace paperd::api {

http::Response blob_response(const store::BlobStore& blobs, const std::string& blob_id,
                             const std::string& content_type, const std::string& filename,
                             bool inline_view = false);

}  // namespace paperd::api
