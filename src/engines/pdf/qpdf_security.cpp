// Encryption helpers: see qpdf_security.h.
#include "engines/pdf/qpdf_security.h"

#include "core/crypto.h"
#include "core/error.h"

namespace paperd::engines::pdf {

void protect_pdf(const QpdfDocument& doc, const std::filesystem::path& out,
                 const Protection& protection) {
  if (protection.user_password.empty())
    throw core::Error::invalid_request("field 'password' (the user password) is required");
  QpdfWriteOptions w;
  w.preserve_encryption = false;
  w.encryption = std::make_unique<QpdfWriteOptions::Encryption>();
  w.encryption->user_password = protection.user_password;
  // Without an owner password anyone holding the user password could lift the restrictions.
  w.encryption->owner_password = protection.owner_password.empty()
                                     ? core::random_string(32, core::kBase62)
                                     : protection.owner_password;
  w.encryption->allow_print = protection.allow_print;
  w.encryption->allow_copy = protection.allow_copy;
  w.encryption->allow_modify = protection.allow_modify;
  w.encryption->allow_annotate = protection.allow_annotate;
  write_pdf(doc.qpdf(), out, w, "the protected '" + doc.name() + "'");
}

std::vector<std::string> denied_permissions(const QpdfDocument& doc) {
  std::vector<std::string> out;
  QPDF& q = doc.qpdf();
  if (!q.isEncrypted()) return out;
  if (!q.allowPrintHighRes()) out.push_back(q.allowPrintLowRes() ? "print_high" : "print");
  if (!q.allowExtractAll()) out.push_back("copy");
  if (!q.allowModifyOther()) out.push_back("modify");
  if (!q.allowModifyAssembly()) out.push_back("assemble");
  if (!q.allowModifyAnnotation()) out.push_back("annotate");
  if (!q.allowModifyForm()) out.push_back("fill_forms");
  return out;
}

void write_decrypted(const QpdfDocument& doc, const std::filesystem::path& out) {
  QpdfWriteOptions w;
  w.preserve_encryption = false;
  write_pdf(doc.qpdf(), out, w, "the decrypted '" + doc.name() + "'");
}

}  // namespace paperd::engines::pdf
