// E-book → PDF with Calibre's ebook-convert (EPUB, MOBI, AZW/AZW3, FB2), one process per book
// with a time limit, its process group killed on timeout. Calibre renders through QtWebEngine,
// so it gets the Chromium treatment: no sandbox as root, offscreen Qt, room for V8's address
// reservations, no network. Stateless and thread-safe.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace paperd::engines::convert {

// The e-book format of a file from its content, with the client's file name as a hint (MOBI and
// AZW3 share one container): "epub", "mobi", "azw", "azw3", "prc", "fb2" or "fbz"; nullopt when
// it is none of them.
std::optional<std::string> detect_ebook_format(const std::filesystem::path& file,
                                               const std::string& name);

struct EbookOptions {
  std::string binary = "ebook-convert";
  std::filesystem::path work_dir;  // a private folder per conversion is made below it
  int timeout_ms = 120000;
  std::string paper_size = "a4";  // Calibre's names: a4, letter, legal, a3, ...
  bool no_network = true;
};

struct EbookConversion {
  std::string format;  // as detected
  double ms = 0;
};

// Throws unsupported_document (400) for a file that is no e-book or that Calibre cannot read
// (DRM, corrupt), conversion_timeout (504), conversion_failed (500).
EbookConversion ebook_to_pdf(const EbookOptions& options, const std::filesystem::path& input,
                             const std::string& name, const std::filesystem::path& out_pdf);

}  // namespace paperd::engines::convert
