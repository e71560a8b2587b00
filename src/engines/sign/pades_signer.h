// PAdES signing of a PDF as an incremental update: the input bytes stay as they are (earlier
// signatures keep verifying), and one appended revision adds the signature field and widget, the
// stamps as annotations with their own appearance streams (page content is never touched), and a
// CAdES-detached CMS (PAdES B-B, B-T with a time-stamping authority). Thread-safe: no shared state.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engines/sign/signing_identity.h"

namespace paperd::engines::sign {

// A field's appearance stamped into the page with the signature, in the same incremental update.
struct Stamp {
  enum class Kind { kImage, kText, kCheckbox };
  Kind kind = Kind::kText;
  int page = 1;  // 1-based
  // Fractions of the page's visible box (CropBox, else MediaBox) as displayed (after /Rotate),
  // origin top-left, as a browser places them.
  double x = 0, y = 0, width = 0, height = 0;
  std::string png;       // kImage: PNG bytes (a drawn or uploaded signature, may have alpha)
  std::string text;      // kText: UTF-8, fitted into the box (lines split at '\n'); characters
                         // outside WinAnsi (Latin-1 + cp1252) show as '?'
  bool checked = false;  // kCheckbox
};

struct SignRequest {
  std::string field_name;  // the signature field's /T, unique per signer (e.g. "Signature_3")
  std::string signer_name, signer_email, reason, location;  // /Name, /ContactInfo, /Reason, ...
  int64_t signing_time = 0;     // unix seconds: /M and the CMS signingTime (0 = now)
  std::vector<Stamp> stamps;    // drawn in this revision
  std::optional<Stamp> widget;  // the visible signature widget; none → invisible, on page 1
  // Optional RFC 3161: given the DER TimeStampReq, returns the DER TimeStampResp (throws
  // core::Error on failure).
  std::function<std::string(const std::string& request_der)> timestamp_authority;
};

struct SignResult {
  size_t bytes_added = 0;                   // out size - in size
  size_t cms_bytes = 0;                     // the DER CMS size
  size_t reserved_bytes = 0;                // the /Contents space set aside for it (binary)
  std::string sha256_before, sha256_after;  // hex of the whole input file / output file
};

// Throws core::Error: 400 INVALID_PDF (not a PDF, unreadable, a cross-reference the update
// cannot chain to), 400 INVALID_REQUEST (encrypted input, a field name in use, a stamp off the
// page or with a bad PNG), 502 TIMESTAMP_FAILED (the authority's answer), 500 (OpenSSL).
SignResult sign_pdf(const std::filesystem::path& in, const std::filesystem::path& out,
                    const SigningIdentity& identity, const SignRequest& request);

}  // namespace paperd::engines::sign
