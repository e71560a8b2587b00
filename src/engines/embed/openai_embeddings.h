// The request and answer of an OpenAI-compatible embeddings API (POST {base}/embeddings):
// shaping only; the exchange itself goes through net/fetch in services/dms/semantic_index.cpp.
#pragma once

#include <string>
#include <vector>

namespace paperd::engines::embed {

// {"model": model, "input": [texts...]}
std::string embeddings_request(const std::string& model, const std::vector<std::string>& texts);
// data[].embedding, ordered by data[].index, each L2-normalised. Throws core::Error 502
// EMBEDDINGS_FAILED naming what is wrong when the answer is not `expected` vectors of one size.
std::vector<std::vector<float>> parse_embeddings_response(const std::string& body, size_t expected);
// The endpoint of a base URL: "{base}/embeddings" (a base ending in /embeddings is kept).
std::string embeddings_endpoint(const std::string& base);

}  // namespace paperd::engines::embed
