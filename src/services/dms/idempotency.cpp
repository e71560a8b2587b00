// The idempotency_keys table (migration 3): one row per (account, route, key) with the SHA-256
// of the payload's JSON (nlohmann's object keys are sorted, so equal payloads hash alike).
#include "services/dms/idempotency.h"

#include <algorithm>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/error.h"

namespace paperd::services::dms {

namespace {

std::string payload_hash(const Json& payload) {
  return core::hex(core::sha256(payload.dump()));
}

}  // namespace

std::string idempotency_key_of(const Json& value) {
  if (value.is_null()) return "";
  if (!value.is_string())
    throw core::Error::invalid_request("field 'idempotency_key' must be a string");
  std::string key = value.get<std::string>();
  if (key.empty()) return "";
  bool printable = std::all_of(key.begin(), key.end(), [](char c) { return c > 32 && c < 127; });
  if (key.size() < 8 || key.size() > 128 || !printable)
    throw core::Error::invalid_request(
        "field 'idempotency_key' must be 8 to 128 printable characters without spaces");
  return key;
}

std::optional<Json> replay(store::Connection& c, int64_t account_id, const std::string& route,
                           const std::string& key, const Json& payload) {
  if (key.empty()) return std::nullopt;
  auto row = c.query_one(
      "SELECT payload_sha256, response, created_at FROM idempotency_keys "
      "WHERE account_id = ? AND route = ? AND idem_key = ?",
      {account_id, route, key});
  if (!row) return std::nullopt;
  if (row->i64("created_at") + kIdempotencyTtlSeconds <= core::unix_now()) {
    c.exec("DELETE FROM idempotency_keys WHERE account_id = ? AND route = ? AND idem_key = ?",
           {account_id, route, key});
    return std::nullopt;
  }
  if (row->text("payload_sha256") != payload_hash(payload))
    throw core::Error(409, "IDEMPOTENCY_CONFLICT",
                      "idempotency_key '" + key + "' was already used on " + route +
                          " with a different payload; send the same payload to replay the "
                          "answer, or use a new key");
  Json response = Json::parse(row->text("response"), nullptr, false);
  if (response.is_discarded())
    throw core::Error::internal("the stored answer of idempotency_key '" + key + "' is not JSON");
  return response;
}

void remember(store::Connection& c, int64_t account_id, const std::string& route,
              const std::string& key, const Json& payload, const Json& response) {
  if (key.empty()) return;
  c.exec(
      "INSERT INTO idempotency_keys (account_id, route, idem_key, payload_sha256, response, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (account_id, route, idem_key) DO NOTHING",
      {account_id, route, key, payload_hash(payload), response.dump(), core::unix_now()});
}

}  // namespace paperd::services::dms
