// Passwords and permissions with qpdf: protect (AES-256, revision 6), unlock (remove the
// password, given it) and remove restrictions (drop owner-only encryption that limits printing,
// copying or editing of a document anyone can open).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "engines/pdf/qpdf_document.h"

namespace paperd::engines::pdf {

struct Protection {
  std::string user_password;   // required, non-empty
  std::string owner_password;  // empty = a random one (the caller may report that)
  bool allow_print = true, allow_copy = true, allow_modify = true, allow_annotate = true;
};

// Writes doc encrypted with AES-256 (R6); a previous encryption is replaced.
void protect_pdf(const QpdfDocument& doc, const std::filesystem::path& out,
                 const Protection& protection);

// The permissions an encrypted document denies ("print", "copy", "modify", "annotate", ...).
std::vector<std::string> denied_permissions(const QpdfDocument& doc);

// Writes doc without encryption (doc must have been opened with a working password, if any).
void write_decrypted(const QpdfDocument& doc, const std::filesystem::path& out);

}  // namespace paperd::engines::pdf
