// OpenSSL helpers of the signing engine: see openssl_handles.h.
#include "engines/sign/openssl_handles.h"

#include <openssl/x509v3.h>

#include <cstdio>
#include <ctime>

#include "core/crypto.h"

namespace paperd::engines::sign {

std::string openssl_errors() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out;
}

BioPtr memory_bio(std::string_view bytes) {
  return BioPtr(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
}

BioPtr empty_bio() {
  return BioPtr(BIO_new(BIO_s_mem()));
}

std::string bio_contents(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return n > 0 ? std::string(data, static_cast<size_t>(n)) : std::string();
}

namespace {

std::string entry_value(const X509_NAME_ENTRY* entry) {
  unsigned char* utf8 = nullptr;
  int n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(entry));
  if (n < 0) return "";
  std::string value(reinterpret_cast<char*>(utf8), static_cast<size_t>(n));
  OPENSSL_free(utf8);
  return value;
}

std::string escape_rdn(const std::string& v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    bool special = c == ',' || c == '+' || c == '"' || c == '\\' || c == '<' || c == '>' ||
                   c == ';' || c == '=' || (i == 0 && (c == '#' || c == ' ')) ||
                   (i + 1 == v.size() && c == ' ');
    if (special) out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::string name_to_string(const X509_NAME* name) {
  std::string out;
  if (!name) return out;
  for (int i = 0; i < X509_NAME_entry_count(name); ++i) {
    const X509_NAME_ENTRY* entry = X509_NAME_get_entry(name, i);
    int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry));
    std::string key;
    if (nid == NID_undef) {
      char oid[80];
      OBJ_obj2txt(oid, sizeof oid, X509_NAME_ENTRY_get_object(entry), 1);
      key = oid;
    } else {
      key = OBJ_nid2sn(nid);
    }
    if (!out.empty()) out += ',';
    out += key + "=" + escape_rdn(entry_value(entry));
  }
  return out;
}

std::string name_entry(const X509_NAME* name, int nid) {
  if (!name) return "";
  int at = X509_NAME_get_index_by_NID(name, nid, -1);
  if (at < 0) return "";
  return entry_value(X509_NAME_get_entry(name, at));
}

bool unix_time(const ASN1_TIME* time, int64_t* out) {
  struct tm tm {};
  if (!time || ASN1_TIME_to_tm(time, &tm) != 1) return false;
  *out = static_cast<int64_t>(timegm(&tm));
  return true;
}

std::string iso_time(const ASN1_TIME* time) {
  struct tm tm {};
  if (!time || ASN1_TIME_to_tm(time, &tm) != 1) return "";
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string certificate_der(X509* cert) {
  unsigned char* der = nullptr;
  int n = i2d_X509(cert, &der);
  if (n <= 0) return "";
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  return out;
}

std::string certificate_sha256_hex(X509* cert) {
  return core::hex(core::sha256(certificate_der(cert)));
}

}  // namespace paperd::engines::sign
