#include "engines/convert/ebook_converter.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "core/fs.h"
#include "core/subprocess.h"
#include "engines/convert/child_sandbox.h"
#include "engines/convert/convert_errors.h"

namespace paperd::engines::convert {

namespace {

constexpr const char* kTool = "Calibre";

std::string head_of(const std::filesystem::path& file, size_t n) {
  std::ifstream in(file, std::ios::binary);
  std::string data(n, '\0');
  in.read(data.data(), static_cast<std::streamsize>(n));
  data.resize(static_cast<size_t>(in.gcount()));
  return data;
}

std::string lower_extension(const std::string& name) {
  std::string ext = std::filesystem::path(name).extension().string();
  if (!ext.empty()) ext.erase(0, 1);
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

// The line that says why Calibre gave up: the last exception line of its traceback.
std::string calibre_reason(const std::string& out, const std::string& err) {
  std::string reason;
  for (const std::string* text : {&out, &err}) {
    std::istringstream lines(*text);
    for (std::string line; std::getline(lines, line);) {
      if (line.find("Error") != std::string::npos || line.find("Exception") != std::string::npos)
        reason = line;
    }
  }
  while (!reason.empty() && std::isspace(static_cast<unsigned char>(reason.back())))
    reason.pop_back();
  return reason.substr(0, 300);
}

}  // namespace

std::optional<std::string> detect_ebook_format(const std::filesystem::path& file,
                                               const std::string& name) {
  std::string head = head_of(file, 4096);
  std::string ext = lower_extension(name);
  bool zip = head.starts_with("PK\x03\x04");
  if (zip && head.find("application/epub+zip") != std::string::npos) return "epub";
  if (zip && (ext == "epub" || ext == "fbz")) return ext;
  // PalmDB container: type and creator at offset 60 ("BOOKMOBI" for MOBI, AZW and AZW3).
  if (head.size() >= 68 && head.compare(60, 8, "BOOKMOBI") == 0) {
    if (ext == "azw" || ext == "azw3" || ext == "prc") return ext;
    return "mobi";
  }
  auto fiction = head.find("<FictionBook");
  if (fiction != std::string::npos && head.find("<?xml") != std::string::npos) return "fb2";
  return std::nullopt;
}

EbookConversion ebook_to_pdf(const EbookOptions& options, const std::filesystem::path& input,
                             const std::string& name, const std::filesystem::path& out_pdf) {
  auto format = detect_ebook_format(input, name);
  if (!format) throw unsupported_document(name, "it is not an EPUB, MOBI, AZW3 or FB2 e-book");
  std::filesystem::create_directories(options.work_dir);
  core::TempDir dir(options.work_dir, "calibre-");
  for (auto sub : {"home", "config", "tmp"}) std::filesystem::create_directories(dir.path() / sub);
  // ebook-convert picks its input plugin by the file name's extension.
  auto book = dir.path() / ("book." + *format);
  std::filesystem::copy_file(input, book);
  auto pdf = dir.path() / "book.pdf";

  core::ProcessOptions p;
  p.argv = sandbox_prefix({.no_network = options.no_network, .chromium_address_space = true});
  for (std::string a : {options.binary, book.string(), pdf.string(), std::string("--paper-size"),
                        options.paper_size})
    p.argv.push_back(std::move(a));
  p.env = {{"QTWEBENGINE_CHROMIUM_FLAGS",
            "--no-sandbox --proxy-server=http://127.0.0.1:9 --proxy-bypass-list=<-loopback>"},
           {"QT_QPA_PLATFORM", "offscreen"},
           {"HOME", (dir.path() / "home").string()},
           {"CALIBRE_CONFIG_DIRECTORY", (dir.path() / "config").string()},
           {"TMPDIR", (dir.path() / "tmp").string()}};
  p.cwd = dir.path();
  p.timeout_ms = options.timeout_ms;
  auto r = core::run_process(p);
  if (r.timed_out)
    throw conversion_timeout(kTool, "converting '" + name + "'", (options.timeout_ms + 999) / 1000);
  std::error_code ec;
  if (!r.ok() || std::filesystem::file_size(pdf, ec) == 0 || ec) {
    std::string why = calibre_reason(r.out, r.err);
    if (why.find("DRM") != std::string::npos)
      throw unsupported_document(name, "it is protected by DRM");
    if (r.signal != 0)
      throw conversion_failed(kTool, "ebook-convert was killed by signal " +
                                         std::to_string(r.signal) + " on '" + name + "'");
    throw unsupported_document(name, "Calibre cannot read this " + *format + " file" +
                                         (why.empty() ? std::string() : " (" + why + ")"));
  }
  std::filesystem::copy_file(pdf, out_pdf, std::filesystem::copy_options::overwrite_existing);
  return {*format, r.ms};
}

}  // namespace paperd::engines::convert
