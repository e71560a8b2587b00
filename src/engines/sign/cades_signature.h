// The CMS of a PAdES baseline B-B signature (B-T with a time-stamp): SignedData, detached,
// SHA-256, signed attributes contentType, messageDigest, signingTime and ESS
// signing-certificate-v2, the signer certificate (and its chain) included; optionally an RFC 3161
// token over the signature value as the unsigned signatureTimeStampToken attribute.
#pragma once

#include <cstdint>
#include <string>

#include "engines/sign/signing_identity.h"
#include "engines/sign/timestamp_token.h"

namespace paperd::engines::sign {

// content_sha256: the 32-byte SHA-256 of the signed bytes (the PDF's byte ranges), computed by
// the caller so the file need not be copied. tsa may be empty (no time-stamp). Returns the DER.
std::string make_cades_signature(const SigningIdentity& identity, const std::string& content_sha256,
                                 int64_t signing_time, const TimestampAuthority& tsa);

}  // namespace paperd::engines::sign
