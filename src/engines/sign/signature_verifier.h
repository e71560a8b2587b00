// Lists and checks every signature of a PDF, whoever made it: the byte ranges against the CMS
// messageDigest, the CMS signature against its certificate, the certificate against a trust
// store, an RFC 3161 signature time-stamp, and what later revisions changed (page content and
// count versus only annotations, form values and further signatures). Thread-safe.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace paperd::engines::sign {

struct SignatureInfo {
  std::string field_name, signer_name /* certificate CN */, signer_email, reason, location,
      sub_filter;
  std::string name;          // the /Name entry: who signed, as the signing application stated it
  std::string signing_time;  // ISO 8601 UTC from the CMS signingTime (else /M)
  std::string subject, issuer, certificate_sha256;
  bool self_signed = false, trusted = false;  // trusted: chains to one of trusted_certs_der
  bool digest_valid = false;                  // the byte ranges hash to the CMS messageDigest
  bool signature_valid = false;  // the CMS (content digest and signature) verifies with the
                                 // signer certificate; no chain check
  bool has_ess_signing_certificate_v2 = false;
  bool covers_whole_document = false;  // ByteRange reaches the end of the file
  bool modified_after = false;         // a later revision changed page content, page count or other
                                // signed content (not merely added signatures/annotations/values)
  std::string modification;    // what changed after, in words ("" when nothing; "annotations or
                               // signatures added" when only those)
  bool has_timestamp = false;  // an RFC 3161 signatureTimeStampToken over the signature value
  std::string timestamp_time;  // its genTime, ISO 8601 UTC
  // The document revision this signature signs: 1 = the file's first revision (its first
  // %%EOF), so the first signature added to a one-revision PDF is in revision 2.
  int revision = 0;
  std::string problem;  // why a check failed, when one did ("" otherwise)
};

// Signatures in file order (by where their signed range ends). trusted_certs_der: DER X.509
// trust anchors (a self-signed certificate may be its own). Throws core::Error 400 INVALID_PDF
// for a file that is not a PDF or cannot be read; a PDF without signatures → empty vector.
std::vector<SignatureInfo> verify_pdf(const std::filesystem::path& pdf,
                                      const std::vector<std::string>& trusted_certs_der = {});

}  // namespace paperd::engines::sign
