// verify_pdf: see signature_verifier.h.
#include "engines/sign/signature_verifier.h"

#include <qpdf/QPDFAcroFormDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "core/crypto.h"
#include "core/error.h"
#include "core/fs.h"
#include "engines/pdf/qpdf_document.h"
#include "engines/sign/openssl_handles.h"
#include "engines/sign/pdf_syntax.h"
#include "engines/sign/timestamp_token.h"

namespace paperd::engines::sign {

namespace fs = std::filesystem;

namespace {

core::Error invalid_pdf(const std::string& name, const std::string& why) {
  return core::Error(400, "INVALID_PDF", "'" + name + "' " + why);
}

// ---- finding the signatures ----

struct SignatureField {
  std::string name;
  QPDFObjectHandle value;  // the /V signature dictionary
};

std::vector<SignatureField> signature_fields(QPDF& q) {
  std::vector<SignatureField> out;
  std::set<QPDFObjGen> seen;
  QPDFAcroFormDocumentHelper form(q);
  for (auto& field : form.getFormFields()) {
    if (field.getFieldType() != "/Sig") continue;
    QPDFObjectHandle v = field.getValue();
    if (!v.isDictionary()) continue;  // an empty signature field
    if (v.isIndirect() && !seen.insert(v.getObjGen()).second) continue;
    out.push_back({field.getFullyQualifiedName(), v});
  }
  return out;
}

// ---- reading one signature ----

struct Range {
  size_t begin = 0, end = 0;
};

std::optional<std::vector<Range>> byte_ranges(QPDFObjectHandle v, size_t file_size) {
  QPDFObjectHandle br = v.getKey("/ByteRange");
  if (!br.isArray() || br.getArrayNItems() < 2 || br.getArrayNItems() % 2 != 0) return {};
  std::vector<Range> ranges;
  size_t last_end = 0;
  for (int i = 0; i < br.getArrayNItems(); i += 2) {
    QPDFObjectHandle a = br.getArrayItem(i), b = br.getArrayItem(i + 1);
    if (!a.isInteger() || !b.isInteger() || a.getIntValue() < 0 || b.getIntValue() < 0) return {};
    auto begin = static_cast<uint64_t>(a.getIntValue()),
         len = static_cast<uint64_t>(b.getIntValue());
    if (begin < last_end || begin > file_size || len > file_size - begin) return {};
    ranges.push_back({static_cast<size_t>(begin), static_cast<size_t>(begin + len)});
    last_end = static_cast<size_t>(begin + len);
  }
  return ranges;
}

// The CMS as written in the file between the two ranges ("<hex>"), which is what the ranges
// exclude; else the /Contents string as qpdf read it.
std::string contents_of(const std::string& file, const std::vector<Range>& ranges,
                        QPDFObjectHandle v) {
  if (ranges.size() == 2) {
    std::string_view gap(file.data() + ranges[0].end, ranges[1].begin - ranges[0].end);
    if (gap.size() >= 2 && gap.front() == '<' && gap.back() == '>') {
      std::string bytes;
      int hi = -1;
      bool ok = true;
      for (char c : gap.substr(1, gap.size() - 2)) {
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0) {
          if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
          ok = false;
          break;
        }
        if (hi < 0) {
          hi = d;
        } else {
          bytes += static_cast<char>(hi * 16 + d);
          hi = -1;
        }
      }
      if (hi >= 0) bytes += static_cast<char>(hi * 16);
      if (ok) return bytes;
    }
  }
  QPDFObjectHandle c = v.getKey("/Contents");
  return c.isString() ? c.getStringValue() : std::string();
}

std::string string_entry(QPDFObjectHandle v, const char* key) {
  QPDFObjectHandle s = v.getKey(key);
  return s.isString() ? s.getUTF8Value() : std::string();
}

std::string octets(const ASN1_STRING* s) {
  return s ? std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                         static_cast<size_t>(ASN1_STRING_length(s)))
           : std::string();
}

std::string digest_of(const EVP_MD* md, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (!md || EVP_Digest(data.data(), data.size(), out, &n, md, nullptr) != 1) return "";
  return std::string(reinterpret_cast<char*>(out), n);
}

std::string certificate_email(X509* cert) {
  std::string email = name_entry(X509_get_subject_name(cert), NID_pkcs9_emailAddress);
  if (!email.empty()) return email;
  OpensslPtr<STACK_OF(OPENSSL_STRING), X509_email_free> emails(X509_get1_email(cert));
  if (emails && sk_OPENSSL_STRING_num(emails.get()) > 0)
    return sk_OPENSSL_STRING_value(emails.get(), 0);
  return "";
}

void append_problem(SignatureInfo& info, const std::string& p) {
  if (!info.problem.empty()) info.problem += "; ";
  info.problem += p;
}

bool chains_to(X509* cert, STACK_OF(X509) * untrusted, const std::vector<X509Ptr>& anchors,
               int64_t at_time) {
  if (anchors.empty()) return false;
  X509StorePtr store(X509_STORE_new());
  for (const auto& a : anchors) X509_STORE_add_cert(store.get(), a.get());
  X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!store || !ctx || X509_STORE_CTX_init(ctx.get(), store.get(), cert, untrusted) != 1)
    return false;
  // A signer certificate (or an intermediate) may itself be the anchor.
  X509_STORE_CTX_set_flags(ctx.get(), X509_V_FLAG_PARTIAL_CHAIN);
  if (at_time > 0) X509_STORE_CTX_set_time(ctx.get(), 0, static_cast<time_t>(at_time));
  bool ok = X509_verify_cert(ctx.get()) == 1;
  openssl_errors();
  return ok;
}

void check_cms(const std::string& file, const std::vector<Range>& ranges, const std::string& der,
               const std::vector<X509Ptr>& anchors, SignatureInfo& info) {
  auto p = reinterpret_cast<const unsigned char*>(der.data());
  CmsPtr cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(der.size())));
  if (!cms || OBJ_obj2nid(CMS_get0_type(cms.get())) != NID_pkcs7_signed) {
    openssl_errors();
    append_problem(info, "/Contents is not a CMS SignedData");
    return;
  }
  STACK_OF(CMS_SignerInfo)* signers = CMS_get0_SignerInfos(cms.get());
  if (sk_CMS_SignerInfo_num(signers) < 1) {
    append_problem(info, "the CMS has no signer");
    return;
  }
  CMS_SignerInfo* si = sk_CMS_SignerInfo_value(signers, 0);
  CMS_set1_signers_certs(cms.get(), nullptr, 0);
  openssl_errors();
  X509* cert = nullptr;
  X509_ALGOR* digest_alg = nullptr;
  CMS_SignerInfo_get0_algs(si, nullptr, &cert, &digest_alg, nullptr);
  X509StackPtr certs(CMS_get1_certs(cms.get()));

  std::string content;
  for (const auto& r : ranges) content.append(file, r.begin, r.end - r.begin);
  const ASN1_OBJECT* digest_oid = nullptr;
  X509_ALGOR_get0(&digest_oid, nullptr, nullptr, digest_alg);
  const EVP_MD* md = EVP_get_digestbyobj(digest_oid);
  const bool sha1_subfilter = info.sub_filter == "adbe.pkcs7.sha1";
  const bool detached = !sha1_subfilter;

  // messageDigest against the byte ranges (adbe.pkcs7.sha1 signs the SHA-1 of the ranges as
  // its encapsulated content instead).
  std::string message_digest = octets(static_cast<ASN1_OCTET_STRING*>(CMS_signed_get0_data_by_OBJ(
      si, OBJ_nid2obj(NID_pkcs9_messageDigest), -3, V_ASN1_OCTET_STRING)));
  if (sha1_subfilter) {
    ASN1_OCTET_STRING** econtent = CMS_get0_content(cms.get());
    std::string embedded = econtent && *econtent ? octets(*econtent) : "";
    info.digest_valid = !embedded.empty() && embedded == digest_of(EVP_sha1(), content) &&
                        (message_digest.empty() || message_digest == digest_of(md, embedded));
  } else if (!message_digest.empty()) {
    info.digest_valid = message_digest == digest_of(md, content);
  }
  if (!info.digest_valid) append_problem(info, "the signed byte ranges do not match the digest");

  BioPtr data = memory_bio(content);
  info.signature_valid = CMS_verify(cms.get(), nullptr, nullptr, detached ? data.get() : nullptr,
                                    nullptr, CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) == 1;
  if (!info.signature_valid) append_problem(info, "the CMS does not verify: " + openssl_errors());

  // signingTime, else /M.
  int at = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
  if (at >= 0) {
    ASN1_TYPE* t = X509_ATTRIBUTE_get0_type(CMS_signed_get_attr(si, at), 0);
    if (t && (t->type == V_ASN1_UTCTIME || t->type == V_ASN1_GENERALIZEDTIME)) {
      const ASN1_TIME* time = reinterpret_cast<const ASN1_TIME*>(t->value.asn1_string);
      info.signing_time = iso_time(time);
    }
  }
  info.has_ess_signing_certificate_v2 =
      CMS_signed_get_attr_by_NID(si, NID_id_smime_aa_signingCertificateV2, -1) >= 0;

  int64_t judged_at = 0;
  at = CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, -1);
  if (at >= 0) {
    ASN1_TYPE* t = X509_ATTRIBUTE_get0_type(CMS_unsigned_get_attr(si, at), 0);
    if (t && t->type == V_ASN1_SEQUENCE) {
      TimestampCheck ts = check_timestamp_token(octets(t->value.sequence),
                                                octets(CMS_SignerInfo_get0_signature(si)));
      info.has_timestamp = ts.valid;
      if (ts.valid) judged_at = ts.unix_time;
      info.timestamp_time = ts.time;
      if (!ts.valid) append_problem(info, ts.problem);
    } else {
      append_problem(info, "the signature time-stamp attribute is not a token");
    }
  }

  if (!cert) {
    append_problem(info, "the CMS does not include the signer certificate");
    return;
  }
  info.subject = name_to_string(X509_get_subject_name(cert));
  info.issuer = name_to_string(X509_get_issuer_name(cert));
  info.signer_name = name_entry(X509_get_subject_name(cert), NID_commonName);
  info.certificate_sha256 = certificate_sha256_hex(cert);
  if (info.signer_email.empty()) info.signer_email = certificate_email(cert);
  info.self_signed = X509_self_signed(cert, 1) == 1;
  // The chain is judged now, or when the time-stamp proves the signature existed; the signer's
  // own signingTime is only a claim.
  info.trusted = chains_to(cert, certs.get(), anchors, judged_at);
  openssl_errors();
}

// ---- what later revisions changed ----

// Stream data hashed once per file: a stream defined at an offset has the same bytes in every
// revision that contains that offset.
using StreamDigests = std::map<qpdf_offset_t, std::string>;

// A content hash of an object and everything it refers to, ignoring back-pointers (/P, /Parent,
// /Annots ...), so a page that only gained annotations hashes as before.
class ObjectHasher {
 public:
  ObjectHasher(QPDF& q, StreamDigests& streams) : xref_(q.getXRefTable()), streams_(streams) {}

  std::string of(QPDFObjectHandle h, int depth = 0) {
    if (depth > 100) return "too deep";
    if (!h.isIndirect()) return value(h, depth);
    QPDFObjGen id = h.getObjGen();
    auto it = memo_.find(id);
    if (it != memo_.end()) return it->second;
    memo_[id] = "cycle " + id.unparse(' ');  // what a reference back to it hashes as
    std::string v = value(h, depth);
    memo_[id] = v;
    return v;
  }

 private:
  std::string value(QPDFObjectHandle h, int depth) {
    std::string acc;
    if (h.isStream()) {
      acc = "S" + of(h.getDict(), depth + 1) + stream_data(h);
    } else if (h.isDictionary()) {
      acc = "D";
      for (const auto& key : h.getKeys()) {
        if (key == "/P" || key == "/Parent" || key == "/Annots" || key == "/Popup" ||
            key == "/IRT" || key == "/B" || key == "/StructParents")
          continue;
        acc += key + "\x01" + of(h.getKey(key), depth + 1);
      }
    } else if (h.isArray()) {
      acc = "A";
      for (int i = 0; i < h.getArrayNItems(); ++i) acc += "\x02" + of(h.getArrayItem(i), depth + 1);
    } else {
      acc = h.unparse();
    }
    return core::sha256(acc);
  }

  std::string stream_data(QPDFObjectHandle h) {
    auto entry = xref_.find(h.getObjGen());
    qpdf_offset_t offset =
        entry != xref_.end() && entry->second.getType() == 1 ? entry->second.getOffset() : -1;
    if (offset >= 0) {
      auto cached = streams_.find(offset);
      if (cached != streams_.end()) return cached->second;
    }
    std::string digest;
    try {
      auto data = h.getRawStreamData();
      digest = core::sha256(
          std::string_view(reinterpret_cast<const char*>(data->getBuffer()), data->getSize()));
    } catch (const std::exception&) {
      digest = "unreadable " + std::to_string(offset);
    }
    if (offset >= 0) streams_[offset] = digest;
    return digest;
  }

  std::map<QPDFObjGen, QPDFXRefEntry> xref_;
  StreamDigests& streams_;
  std::map<QPDFObjGen, std::string> memo_;
};

struct PageState {
  std::string content;  // contents, resources, boxes, rotation
  std::map<QPDFObjGen, std::pair<std::string, bool>> annots;  // hash, is a widget
};

struct DocumentState {
  std::vector<PageState> pages;
  std::string document;  // open action, additional actions, name trees
  size_t fields = 0;
};

DocumentState state_of(QPDF& q, StreamDigests& streams) {
  ObjectHasher hash(q, streams);
  DocumentState s;
  for (QPDFObjectHandle page : q.getAllPages()) {
    QPDFPageObjectHelper helper(page);
    PageState ps;
    ps.content = core::sha256(
        hash.of(page.getKey("/Contents")) + hash.of(helper.getAttribute("/Resources", false)) +
        hash.of(helper.getMediaBox(false)) + hash.of(helper.getCropBox(false, false)) +
        hash.of(helper.getAttribute("/Rotate", false)) + hash.of(page.getKey("/UserUnit")));
    QPDFObjectHandle annots = page.getKey("/Annots");
    for (int i = 0; annots.isArray() && i < annots.getArrayNItems(); ++i) {
      QPDFObjectHandle a = annots.getArrayItem(i);
      if (!a.isIndirect() || !a.isDictionary()) continue;
      bool widget = a.getKey("/Subtype").isNameAndEquals("/Widget");
      ps.annots[a.getObjGen()] = {hash.of(a), widget};
    }
    s.pages.push_back(std::move(ps));
  }
  QPDFObjectHandle root = q.getRoot();
  s.document = hash.of(root.getKey("/OpenAction")) + hash.of(root.getKey("/AA")) +
               hash.of(root.getKey("/Names"));
  s.fields = QPDFAcroFormDocumentHelper(q).getFormFields().size();
  return s;
}

// Fills modified_after and modification from the signed revision and the whole file.
void compare(const DocumentState& before, const DocumentState& after, SignatureInfo& info) {
  std::vector<std::string> changes;
  bool added = after.fields > before.fields, values = false;
  if (before.pages.size() != after.pages.size())
    changes.push_back("the page count changed from " + std::to_string(before.pages.size()) +
                      " to " + std::to_string(after.pages.size()));
  std::vector<std::string> content_pages, removed_pages, changed_annot_pages;
  for (size_t i = 0; i < std::min(before.pages.size(), after.pages.size()); ++i) {
    const PageState &b = before.pages[i], &a = after.pages[i];
    const std::string n = std::to_string(i + 1);
    if (b.content != a.content) content_pages.push_back(n);
    bool removed = false, changed = false;
    for (const auto& [id, old] : b.annots) {
      auto now = a.annots.find(id);
      if (now == a.annots.end()) {
        removed = true;
      } else if (now->second.first != old.first) {
        (old.second ? values : changed) = true;  // a widget's new value vs an edited annotation
      }
    }
    for (const auto& [id, ann] : a.annots) added = added || !b.annots.count(id);
    if (removed) removed_pages.push_back(n);
    if (changed) changed_annot_pages.push_back(n);
  }
  auto pages_list = [](const std::vector<std::string>& pages) {
    std::string out = pages.size() == 1 ? "page " : "pages ";
    for (size_t i = 0; i < pages.size() && i < 10; ++i) out += (i ? ", " : "") + pages[i];
    if (pages.size() > 10) out += ", ...";
    return out;
  };
  if (!content_pages.empty()) changes.push_back(pages_list(content_pages) + ": content changed");
  if (!removed_pages.empty())
    changes.push_back(pages_list(removed_pages) + ": annotations removed");
  if (!changed_annot_pages.empty())
    changes.push_back(pages_list(changed_annot_pages) + ": annotations edited");
  if (before.document != after.document)
    changes.push_back("document actions or name trees (scripts, attachments) changed");
  info.modified_after = !changes.empty();
  if (added) changes.push_back("annotations or signatures added");
  if (values) changes.push_back("form values changed");
  std::string text;
  for (const auto& c : changes) text += (text.empty() ? "" : "; ") + c;
  info.modification = text;
}

int revisions_in(std::string_view prefix) {
  int n = 0;
  for (size_t at = prefix.find("%%EOF"); at != std::string_view::npos;
       at = prefix.find("%%EOF", at + 5))
    ++n;
  return std::max(n, 1);
}

}  // namespace

std::vector<SignatureInfo> verify_pdf(const fs::path& pdf,
                                      const std::vector<std::string>& trusted_certs_der) {
  const std::string name = pdf.filename().string();
  std::string file;
  try {
    file = core::read_file(pdf);
  } catch (const core::Error&) {
    throw invalid_pdf(name, "cannot be read");
  }
  if (!has_pdf_header(file)) throw invalid_pdf(name, "is not a PDF (no %PDF- header)");
  std::vector<X509Ptr> anchors;
  for (const auto& der : trusted_certs_der) {
    auto p = reinterpret_cast<const unsigned char*>(der.data());
    X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    if (!cert) {
      openssl_errors();
      throw core::Error::invalid_request("a trusted certificate is not DER X.509");
    }
    anchors.push_back(std::move(cert));
  }

  pdf::QpdfOpenOptions options;
  options.display_name = name;
  pdf::QpdfDocument doc = pdf::QpdfDocument::open_bytes(file, options);
  std::vector<SignatureInfo> out;
  try {
    std::vector<SignatureField> fields = signature_fields(doc.qpdf());
    if (fields.empty()) return out;
    StreamDigests streams;
    std::optional<DocumentState> final_state;
    std::vector<std::pair<size_t, SignatureInfo>> found;
    for (auto& field : fields) {
      SignatureInfo info;
      info.field_name = field.name;
      QPDFObjectHandle v = field.value;
      QPDFObjectHandle sub = v.getKey("/SubFilter");
      info.sub_filter = sub.isName() ? sub.getName().substr(1) : "";
      info.name = string_entry(v, "/Name");
      info.reason = string_entry(v, "/Reason");
      info.location = string_entry(v, "/Location");
      info.signer_email = string_entry(v, "/ContactInfo");
      std::optional<std::vector<Range>> ranges = byte_ranges(v, file.size());
      if (!ranges) {
        info.problem = "its /ByteRange is missing or outside the file";
        found.push_back({0, std::move(info)});
        continue;
      }
      const size_t end = ranges->back().end;
      check_cms(file, *ranges, contents_of(file, *ranges, v), anchors, info);
      if (info.signing_time.empty()) info.signing_time = iso_from_pdf_date(string_entry(v, "/M"));
      info.covers_whole_document = end == file.size();
      info.revision = revisions_in(std::string_view(file).substr(0, end));
      if (!info.covers_whole_document) {
        try {
          if (!final_state) final_state = state_of(doc.qpdf(), streams);
          pdf::QpdfDocument signed_rev =
              pdf::QpdfDocument::open_bytes(file.substr(0, end), options);
          compare(state_of(signed_rev.qpdf(), streams), *final_state, info);
        } catch (const std::exception& e) {
          info.modified_after = true;
          info.modification = "the signed revision cannot be read on its own";
          append_problem(info, e.what());
        }
      }
      found.push_back({end, std::move(info)});
    }
    std::stable_sort(found.begin(), found.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [end, info] : found) out.push_back(std::move(info));
  } catch (const core::Error&) {
    throw;
  } catch (const std::exception& e) {
    throw invalid_pdf(name, std::string("has signatures that cannot be read: ") + e.what());
  }
  return out;
}

}  // namespace paperd::engines::sign
