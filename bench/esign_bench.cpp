// paperd_esign_bench: the cost of one PAdES signature (engines/sign).
//
//   paperd_esign_bench [--signatures N] [--key rsa|p256] [--keep DIR]
//
// Makes a 10-page PDF, signs it N times (default 200), each time from the same unsigned input
// with one drawn PNG stamp and a visible widget, and prints signatures/s, the median and p90 ms
// per signature and the size overhead (bytes added, of which CMS bytes). Then a chain of 5
// successive signatures on one file (each signer adds a revision) with the overhead of each step
// and the time verify_pdf takes on the result. --keep DIR leaves the files there.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "../tests/unit/engines/sign/sign_fixture.h"
#include "core/fs.h"
#include "engines/sign/pades_signer.h"
#include "engines/sign/signature_verifier.h"
#include "engines/sign/signing_identity.h"

namespace fs = std::filesystem;
using namespace paperd;
namespace sign = paperd::engines::sign;

namespace {

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

sign::SignRequest request(int n, const std::string& png) {
  sign::SignRequest r;
  r.field_name = "Signature_" + std::to_string(n);
  r.signer_name = "Signer " + std::to_string(n);
  r.signer_email = "signer" + std::to_string(n) + "@example.com";
  r.reason = "Approved";
  sign::Stamp s;
  s.kind = sign::Stamp::Kind::kImage;
  s.page = 1 + (n % 10);
  s.x = 0.1 + 0.15 * (n % 5);
  s.y = 0.75;
  s.width = 0.14;
  s.height = 0.06;
  s.png = png;
  r.widget = s;
  return r;
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[static_cast<size_t>(p * (v.size() - 1) + 0.5)];
}

}  // namespace

int main(int argc, char** argv) {
  int n = 200;
  std::string key = "rsa", keep;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--signatures") n = std::max(1, std::atoi(argv[i + 1]));
    if (a == "--key") key = argv[i + 1];
    if (a == "--keep") keep = argv[i + 1];
  }
  core::TempDir tmp(fs::temp_directory_path(), "paperd-esign-bench-");
  const fs::path dir = keep.empty() ? tmp.path() : fs::path(keep);
  fs::create_directories(dir);
  const fs::path in = dir / "unsigned.pdf";
  fixtures::write_file(in, fixtures::ten_page_pdf());
  const std::string png = fixtures::signature_png();
  auto id = sign::SigningIdentity::generate(
      "paperd bench", "paperd", 30, key == "p256" ? sign::KeyType::kP256 : sign::KeyType::kRsa2048);
  std::printf("input: 10 pages, %zu bytes; key %s; stamp PNG %zu bytes (300x100 RGBA)\n",
              static_cast<size_t>(fs::file_size(in)), key == "p256" ? "P-256" : "RSA-2048",
              png.size());

  std::vector<double> ms;
  size_t added = 0, cms = 0;
  const auto all = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    auto res = sign::sign_pdf(in, dir / "signed.pdf", id, request(1, png));
    ms.push_back(ms_since(t0));
    added = res.bytes_added;
    cms = res.cms_bytes;
  }
  const double total = ms_since(all);
  std::printf("%d signatures from the same input: %.1f signatures/s, median %.2f ms, p90 %.2f ms\n",
              n, n * 1000.0 / total, percentile(ms, 0.5), percentile(ms, 0.9));
  std::printf("overhead per signature: %zu bytes added (CMS %zu bytes DER, %zu hex in /Contents)\n",
              added, cms, 2 * cms);

  std::printf("chain of 5 successive signatures:\n");
  fs::path prev = in;
  for (int i = 1; i <= 5; ++i) {
    fs::path next = dir / ("chain-" + std::to_string(i) + ".pdf");
    auto t0 = std::chrono::steady_clock::now();
    auto res = sign::sign_pdf(prev, next, id, request(i, png));
    std::printf("  #%d: %.2f ms, +%zu bytes (CMS %zu), file %zu bytes\n", i, ms_since(t0),
                res.bytes_added, res.cms_bytes, static_cast<size_t>(fs::file_size(next)));
    prev = next;
  }
  auto t0 = std::chrono::steady_clock::now();
  auto infos = sign::verify_pdf(prev);
  int valid = 0, unmodified = 0;
  for (const auto& s : infos) {
    valid += s.digest_valid && s.signature_valid;
    unmodified += !s.modified_after;
  }
  std::printf("verify_pdf on the 5-signature file: %.2f ms, %d/%zu valid, %d not modified after\n",
              ms_since(t0), valid, infos.size(), unmodified);
  return valid == static_cast<int>(infos.size()) ? 0 : 1;
}
