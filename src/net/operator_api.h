// A JSON POST to an API the operator configured (an embeddings or chat endpoint): its host is
// trusted like an allow-listed one, the key goes as a bearer token, and failures become the one
// error pair every such feature answers: 503 <code>_UNAVAILABLE when it cannot be reached, 502
// <code>_FAILED for a non-2xx answer, both naming the API and its setting.
#pragma once

#include <cstdint>
#include <string>

namespace paperd::net {

struct OperatorApi {
  std::string what;     // "the embeddings API"
  std::string setting;  // "embeddings_url": named in messages
  std::string code;     // "EMBEDDINGS": the error codes' prefix
  uint64_t max_bytes = 8u << 20;
  int timeout_seconds = 30;
};

// The body of a 2xx answer to POST url with a JSON body.
std::string post_json(const OperatorApi& api, const std::string& url, const std::string& body,
                      const std::string& api_key);

}  // namespace paperd::net
