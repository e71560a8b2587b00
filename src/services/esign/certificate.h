// The completion certificate of a signing request, as HTML laid out to PDF by the child
// (engines/generate/html_to_pdf): the document and its SHA-256 before and after, each signer
// with email, role, IP, user agent and the times of invitation, viewing and signing, the signing
// certificate, and the audit trail with its hashes.
#pragma once

#include <string>
#include <vector>

#include "core/json.h"
#include "store/db.h"

namespace paperd::services::esign {

std::string certificate_html(const store::Row& request, const std::vector<store::Row>& signers,
                             const Json& audit, const std::string& final_sha256,
                             const std::string& certificate_subject);

}  // namespace paperd::services::esign
