// Idempotent POSTs (CONTRACTS §2.0): a client's `idempotency_key` (8–128 characters) with the
// same payload on the same route replays the answer stored the first time, free; with a changed
// payload it is refused with 409 IDEMPOTENCY_CONFLICT. Keys are kept per account and route for
// kIdempotencyTtlSeconds. Generic: any route that creates something can use it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/json.h"
#include "store/db.h"

namespace paperd::services::dms {

inline constexpr int64_t kIdempotencyTtlSeconds = 24 * 3600;

// The request's key: empty when none was given; 400 INVALID_REQUEST when it is not 8–128
// printable characters.
std::string idempotency_key_of(const Json& value);

// The answer stored for (account, route, key), or nullopt when there is none (an empty key never
// has one). Throws 409 IDEMPOTENCY_CONFLICT when the stored payload differs from payload.
std::optional<Json> replay(store::Connection& c, int64_t account_id, const std::string& route,
                           const std::string& key, const Json& payload);

// Stores the answer for a later replay (nothing for an empty key). When a concurrent request
// stored one first, that one stays.
void remember(store::Connection& c, int64_t account_id, const std::string& route,
              const std::string& key, const Json& payload, const Json& response);

}  // namespace paperd::services::dms
