#include "engines/embed/openai_embeddings.h"

#include "core/error.h"
#include "core/json.h"
#include "core/json_guard.h"
#include "engines/embed/vectors.h"

namespace paperd::engines::embed {

namespace {
core::Error failed(const std::string& why) {
  return {502, "EMBEDDINGS_FAILED", "the embeddings API (embeddings_url) answered badly: " + why};
}
}  // namespace

std::string embeddings_request(const std::string& model, const std::vector<std::string>& texts) {
  return Json{{"model", model}, {"input", texts}}.dump();
}

std::vector<std::vector<float>> parse_embeddings_response(const std::string& body,
                                                          size_t expected) {
  // 4,096 dimensions per input (CONTRACTS §2.6 names that size) and some room for the rest.
  core::JsonLimits limits{.max_depth = 16, .max_values = expected * 4200 + 1000};
  Json j;
  try {
    j = core::parse_untrusted_json(body, limits, "the embeddings answer");
  } catch (const core::Error& e) {
    throw failed(e.what());
  }
  if (j.is_discarded()) throw failed("not JSON");
  if (!j.is_object() || !j.contains("data") || !j["data"].is_array())
    throw failed("no data[] array");
  const Json& data = j["data"];
  if (data.size() != expected)
    throw failed(std::to_string(data.size()) + " embeddings for " + std::to_string(expected) +
                 " inputs");
  std::vector<std::vector<float>> out(expected);
  for (size_t i = 0; i < data.size(); ++i) {
    const Json& item = data[i];
    size_t at = item.is_object() && item.contains("index") && item["index"].is_number_unsigned()
                    ? item["index"].get<size_t>()
                    : i;
    if (at >= expected || !out[at].empty()) throw failed("data[].index out of order");
    if (!item.is_object() || !item.contains("embedding") || !item["embedding"].is_array() ||
        item["embedding"].empty())
      throw failed("data[" + std::to_string(i) + "] has no embedding");
    for (const Json& x : item["embedding"]) {
      if (!x.is_number())
        throw failed("data[" + std::to_string(i) + "].embedding holds a non-number");
      out[at].push_back(x.get<float>());
    }
    if (out[at].size() != out[0].size() && !out[0].empty())
      throw failed("embeddings of different dimensions");
    normalize(out[at]);
  }
  return out;
}

std::string embeddings_endpoint(const std::string& base) {
  std::string b = base;
  while (!b.empty() && b.back() == '/') b.pop_back();
  return b.ends_with("/embeddings") ? b : b + "/embeddings";
}

}  // namespace paperd::engines::embed
