// Fixtures of the signing-engine tests, all made here: a 10-page PDF, a drawn signature PNG with
// alpha (libpng), a real RFC 3161 time-stamping authority (OpenSSL's TS_RESP_CTX with its own key
// and a timeStamping certificate), and readers of what pdfsig and mutool report.
#pragma once

#include <gtest/gtest.h>
#include <openssl/rand.h>
#include <openssl/ts.h>
#include <openssl/x509v3.h>
#include <png.h>

#include <cmath>
#include <string>
#include <vector>

#include "../pdf/qpdf_test_util.h"
#include "core/crypto.h"
#include "core/fs.h"
#include "engines/sign/openssl_handles.h"
#include "engines/sign/pades_signer.h"
#include "engines/sign/signing_identity.h"
#include "engines/sign/timestamp_token.h"
#include "sign_fixture.h"

namespace paperd::sign_test {

namespace fs = std::filesystem;
namespace sign = paperd::engines::sign;
using fixtures::signature_png;
using qpdf_test::TempFolder;
using qpdf_test::tool;

inline fs::path ten_page_pdf(const fs::path& file) {
  fixtures::write_file(file, fixtures::ten_page_pdf());
  return file;
}

inline sign::SigningIdentity test_identity(const std::string& cn = "paperd test signer") {
  return sign::SigningIdentity::generate(cn, "paperd tests", 30);
}

// An RFC 3161 authority: a P-256 key and a certificate with critical extendedKeyUsage
// timeStamping; answers requests with OpenSSL's TS_RESP_CTX.
class TestTsa {
 public:
  TestTsa() {
    key_.reset(EVP_EC_gen("P-256"));
    cert_.reset(X509_new());
    X509_set_version(cert_.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert_.get()), 4242);
    X509_gmtime_adj(X509_getm_notBefore(cert_.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert_.get()), 86400);
    X509_NAME* name = X509_get_subject_name(cert_.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>("test TSA"), -1, -1, 0);
    X509_set_issuer_name(cert_.get(), name);
    X509_set_pubkey(cert_.get(), key_.get());
    add_ext(NID_ext_key_usage, "critical,timeStamping");
    add_ext(NID_key_usage, "critical,digitalSignature");
    X509_sign(cert_.get(), key_.get(), EVP_sha256());
  }

  std::string respond(const std::string& request_der) {
    ++requests_;
    sign::OpensslPtr<TS_RESP_CTX, TS_RESP_CTX_free> ctx(TS_RESP_CTX_new());
    sign::OpensslPtr<ASN1_OBJECT, ASN1_OBJECT_free> policy(OBJ_txt2obj("1.3.6.1.4.1.4146.2.3", 1));
    TS_RESP_CTX_set_signer_cert(ctx.get(), cert_.get());
    TS_RESP_CTX_set_signer_key(ctx.get(), key_.get());
    TS_RESP_CTX_set_def_policy(ctx.get(), policy.get());
    TS_RESP_CTX_add_md(ctx.get(), EVP_sha256());
    TS_RESP_CTX_set_serial_cb(ctx.get(), &TestTsa::serial, nullptr);
    sign::BioPtr in = sign::memory_bio(request_der);
    sign::TsRespPtr resp(TS_RESP_create_response(ctx.get(), in.get()));
    EXPECT_TRUE(resp) << sign::openssl_errors();
    unsigned char* der = nullptr;
    int n = i2d_TS_RESP(resp.get(), &der);
    std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(n));
    OPENSSL_free(der);
    return out;
  }

  sign::TimestampAuthority callback() {
    return [this](const std::string& req) { return respond(req); };
  }
  int requests() const { return requests_; }

 private:
  static ASN1_INTEGER* serial(TS_RESP_CTX*, void*) {
    static long next = 1;
    ASN1_INTEGER* s = ASN1_INTEGER_new();
    ASN1_INTEGER_set(s, next++);
    return s;
  }
  void add_ext(int nid, const char* value) {
    X509V3_CTX v3;
    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, cert_.get(), cert_.get(), nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &v3, nid, value);
    X509_add_ext(cert_.get(), ext, -1);
    X509_EXTENSION_free(ext);
  }
  sign::PkeyPtr key_;
  sign::X509Ptr cert_;
  int requests_ = 0;
};

inline int count(const std::string& hay, const std::string& needle) {
  int n = 0;
  for (size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

inline std::string pdfsig(const fs::path& file) {
  auto r = tool({"pdfsig", file.string()});
  return r.out + r.err;
}

// RGB pixels of page `page` rendered by mutool at `dpi`.
struct Rendered {
  int width = 0, height = 0;
  std::string rgb;
  // Fraction of non-white pixels in a box given as page fractions (top-left origin).
  double ink(double x, double y, double w, double h) const {
    int x0 = static_cast<int>(x * width), x1 = static_cast<int>((x + w) * width);
    int y0 = static_cast<int>(y * height), y1 = static_cast<int>((y + h) * height);
    int dark = 0, total = 0;
    for (int yy = y0; yy < y1; ++yy)
      for (int xx = x0; xx < x1; ++xx) {
        size_t at = (static_cast<size_t>(yy) * width + xx) * 3;
        int sum = static_cast<unsigned char>(rgb[at]) + static_cast<unsigned char>(rgb[at + 1]) +
                  static_cast<unsigned char>(rgb[at + 2]);
        dark += sum < 600;
        ++total;
      }
    return total ? static_cast<double>(dark) / total : 0;
  }
};

inline Rendered render(const fs::path& pdf, int page, const fs::path& png_out, int dpi = 50) {
  auto r = tool({"mutool", "draw", "-q", "-o", png_out.string(), "-r", std::to_string(dpi), "-c",
                 "rgb", pdf.string(), std::to_string(page)});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::string bytes = core::read_file(png_out);
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  Rendered out;
  if (!png_image_begin_read_from_memory(&image, bytes.data(), bytes.size())) return out;
  image.format = PNG_FORMAT_RGB;
  out.width = static_cast<int>(image.width);
  out.height = static_cast<int>(image.height);
  out.rgb.resize(PNG_IMAGE_SIZE(image));
  png_image_finish_read(&image, nullptr, out.rgb.data(), 0, nullptr);
  return out;
}

}  // namespace paperd::sign_test
