#include "api/blob_response.h"

#include <memory>

namespace paperd::api {

http::Response blob_response(const store::BlobStore& blobs, const std::string& blob_id,
                             const std::string& content_type, const std::string& filename,
                             bool inline_view) {
  http::Response r;
  r.content_type = content_type;
  auto reader = std::make_shared<store::BlobReader>(blobs.open(blob_id));
  r.stream = std::make_shared<http::BodyStream>();
  r.stream->size = reader->size();
  r.stream->next = [reader](std::string& chunk) { return reader->next(chunk); };
  std::string safe;
  for (char c : filename)
    safe += (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) ? '_' : c;
  r.headers.push_back({"Content-Disposition", std::string(inline_view ? "inline" : "attachment") +
                                                  "; filename=\"" + safe + "\""});
  r.headers.push_back({"Cache-Control", "private, no-store"});
  return r;
}

}  // namespace paperd::api
