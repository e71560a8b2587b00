// RFC 3161 time-stamps of a CMS signature value: the request paperd sends to a time-stamping
// authority, the checks on its response (granted, our imprint, our nonce) and, for the verifier,
// reading a token back (its genTime, and whether it is signed and stamps the given bytes).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace paperd::engines::sign {

// Given the DER TimeStampReq, returns the DER TimeStampResp (throws core::Error on failure).
using TimestampAuthority = std::function<std::string(const std::string& request_der)>;

// Asks `tsa` for a token over SHA-256(data) with a random nonce and certReq; returns the token
// (a DER ContentInfo). 502 TIMESTAMP_FAILED naming what was wrong with the answer (rejected,
// not DER, another imprint or nonce).
std::string request_timestamp_token(const TimestampAuthority& tsa, const std::string& data);

struct TimestampCheck {
  bool valid = false;  // the token's CMS signature verifies and its imprint is SHA-x(data)
  std::string time;    // genTime, ISO 8601 UTC ("" when the token cannot be read)
  int64_t unix_time = 0;
  std::string problem;
};
TimestampCheck check_timestamp_token(const std::string& token_der, const std::string& data);

}  // namespace paperd::engines::sign
