// Ghostscript wrappers: see ghostscript.h. The PDF/A prefix is our own copy of gs's PDFA_def.ps,
// pointed at the sRGB profile that really exists (ENGINES.md §5.6) and written under a different
// name, because gs resolves a bare "PDFA_def.ps" to its own broken system copy.
#include "engines/pdf/ghostscript.h"

#include <string>
#include <vector>

#include "core/error.h"
#include "core/fs.h"
#include "core/subprocess.h"

namespace paperd::engines::pdf {

namespace fs = std::filesystem;

namespace {

// gs's shipped profile directory carries the version (/usr/share/ghostscript/10.00.0/...), so
// the profile is looked up at run time rather than hard-coded.
fs::path find_srgb_profile() {
  const fs::path root = "/usr/share/ghostscript";
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    fs::path icc = entry.path() / "iccprofiles" / "default_rgb.icc";
    if (fs::is_regular_file(icc, ec)) return icc;
  }
  throw core::Error::unavailable(
      "Ghostscript's sRGB profile (/usr/share/ghostscript/*/iccprofiles/default_rgb.icc) was not "
      "found; install the ghostscript package");
}

// A PostScript string literal: backslash, parentheses escaped.
std::string ps_string(const std::string& s) {
  std::string out = "(";
  for (char c : s) {
    if (c == '\\' || c == '(' || c == ')') out += '\\';
    out += c;
  }
  return out + ")";
}

// The pdfmark program that embeds the ICC profile as the document's OutputIntent. Unlike the
// shipped PDFA_def.ps it sets no /Title, so the input's own metadata survives.
std::string pdfa_prefix(const fs::path& icc) {
  return "/ICCProfile " + ps_string(icc.string()) +
         " def\n"
         "[/_objdef {icc_PDFA} /type /stream /OBJ pdfmark\n"
         "[{icc_PDFA} << /N 3 >> /PUT pdfmark\n"
         "[{icc_PDFA} ICCProfile (r) file /PUT pdfmark\n"
         "[/_objdef {OutputIntent_PDFA} /type /dict /OBJ pdfmark\n"
         "[{OutputIntent_PDFA} <<\n"
         "  /Type /OutputIntent\n"
         "  /S /GTS_PDFA1\n"
         "  /DestOutputProfile {icc_PDFA}\n"
         "  /OutputConditionIdentifier (sRGB)\n"
         "  /Info (sRGB IEC61966-2.1)\n"
         ">> /PUT pdfmark\n"
         "[{Catalog} <</OutputIntents [ {OutputIntent_PDFA} ]>> /PUT pdfmark\n";
}

// The lines of gs's output that name the problem ("Error: /undefined in garbage"), not the
// PostScript stack dump that follows them.
std::string error_lines(const std::string& text, size_t max_lines = 3) {
  std::vector<std::string> lines, errors;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    start = end + 1;
    size_t b = line.find_first_not_of(" \t*");
    if (b == std::string::npos) continue;
    line = line.substr(b);
    if (line.size() > 200) line = line.substr(0, 200) + "...";
    if (line.find("rror") != std::string::npos) errors.push_back(line);
    lines.push_back(line);
  }
  const auto& pick = errors.empty() ? lines : errors;
  std::string out;
  for (size_t i = 0; i < pick.size() && i < max_lines; ++i) out += (i ? "; " : "") + pick[i];
  return out;
}

void run_gs(std::vector<std::string> argv, const fs::path& in, const fs::path& out,
            const fs::path& cwd, int timeout_ms, std::string_view what) {
  core::ProcessOptions opt;
  opt.argv = std::move(argv);
  opt.cwd = cwd;
  opt.timeout_ms = timeout_ms;
  core::ProcessResult r = core::run_process(opt);
  const std::string name = in.filename().string();
  if (r.timed_out)
    throw core::Error(504, "ENGINE_TIMEOUT",
                      "Ghostscript " + std::string(what) + " of " + name + " took longer than " +
                          std::to_string(timeout_ms / 1000) + " s");
  std::error_code ec;
  if (!r.ok() || !fs::exists(out, ec) || fs::file_size(out, ec) == 0) {
    std::string detail = error_lines(r.err + "\n" + r.out);
    throw core::Error(422, "PDF_PROCESSING_FAILED",
                      "Ghostscript could not " + std::string(what) + " " + name +
                          (r.signal ? " (killed by signal " + std::to_string(r.signal) + ")"
                                    : " (exit " + std::to_string(r.exit_code) + ")") +
                          (detail.empty() ? "" : ": " + detail));
  }
}

fs::path temp_parent(const fs::path& out) {
  fs::path parent = out.parent_path();
  return parent.empty() ? fs::temp_directory_path() : parent;
}

}  // namespace

void ghostscript_pdfa(const fs::path& in, const fs::path& out, int timeout_ms) {
  const fs::path icc = find_srgb_profile();
  core::TempDir dir(temp_parent(out), ".gs-pdfa-");
  const fs::path prefix = dir.path() / "paperd_pdfa_rgb_def.ps";
  core::atomic_write_file(prefix, pdfa_prefix(icc));
  run_gs({"gs", "-q", "-dPDFA=2", "-dBATCH", "-dNOPAUSE", "-dSAFER",
          "--permit-file-read=" + icc.string(), "-sColorConversionStrategy=RGB",
          "-dPDFACompatibilityPolicy=1", "-sDEVICE=pdfwrite",
          "-sOutputFile=" + fs::absolute(out).string(), fs::absolute(prefix).string(),
          fs::absolute(in).string()},
         in, out, dir.path(), timeout_ms, "convert to PDF/A-2b");
}

void ghostscript_compress(const fs::path& in, const fs::path& out, std::string_view preset,
                          int timeout_ms, int first_page, int last_page) {
  if (preset != "screen" && preset != "ebook" && preset != "printer" && preset != "prepress" &&
      preset != "default")
    throw core::Error::invalid_request("unknown Ghostscript preset '" + std::string(preset) +
                                       "' (screen, ebook, printer, prepress or default)");
  core::TempDir dir(temp_parent(out), ".gs-compress-");
  std::vector<std::string> argv = {"gs",
                                   "-q",
                                   "-dBATCH",
                                   "-dNOPAUSE",
                                   "-dSAFER",
                                   "-sDEVICE=pdfwrite",
                                   "-dCompatibilityLevel=1.5",
                                   "-dPDFSETTINGS=/" + std::string(preset),
                                   "-dDetectDuplicateImages=true"};
  if (first_page > 0) {
    argv.push_back("-dFirstPage=" + std::to_string(first_page));
    argv.push_back("-dLastPage=" + std::to_string(last_page));
  }
  argv.push_back("-sOutputFile=" + fs::absolute(out).string());
  argv.push_back(fs::absolute(in).string());
  run_gs(std::move(argv), in, out, dir.path(), timeout_ms, "compress");
}

}  // namespace paperd::engines::pdf
