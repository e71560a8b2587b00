// Small OpenSSL helpers shared by tokens, ids and the blob store: secure random bytes, SHA-256,
// hex, constant-time comparison, Crockford base32 and base62 encodings of random ids.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace paperd::core {

std::string random_bytes(size_t n);
std::string sha256(std::string_view data);   // raw 32 bytes
std::string hex(std::string_view bytes);     // lower-case
std::string from_hex(std::string_view hex);  // throws Error::invalid_request on bad input
bool constant_time_equal(std::string_view a, std::string_view b);
std::string base64_encode(std::string_view bytes);  // standard alphabet, padded
// Standard base64 (padding optional, no whitespace); nullopt when it is not base64.
std::optional<std::string> base64_decode(std::string_view text);

// n random characters from the alphabet, unbiased.
std::string random_string(size_t n, std::string_view alphabet);
inline constexpr std::string_view kCrockford32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
inline constexpr std::string_view kBase62 =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

}  // namespace paperd::core
