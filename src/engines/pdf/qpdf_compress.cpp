// compress_pdf: see qpdf_compress.h.
#include "engines/pdf/qpdf_compress.h"

#include <exception>
#include <future>
#include <vector>

#include "core/error.h"
#include "engines/pdf/ghostscript.h"

namespace paperd::engines::pdf {

namespace fs = std::filesystem;

namespace {

void qpdf_pass(QPDF& doc, const fs::path& out, bool thorough, QPDF* encryption_source,
               const std::string& name) {
  QpdfWriteOptions w;
  w.object_streams = true;
  w.preserve_encryption = encryption_source == nullptr;
  w.copy_encryption_from = encryption_source;
  if (thorough) {
    w.recompress_flate = true;
    w.flate_level = 9;
    w.remove_unreferenced_resources = true;
  }
  write_pdf(doc, out, w, name);
}

// Ghostscript's /ebook downsampling, then a plain qpdf pass (object streams: a few KB for ~20 ms;
// gs already compressed the streams, recompressing them would only cost time); returns the file
// written. gs cannot open encrypted files without their password: it gets a decrypted copy, and
// its output is encrypted again like the input.
// pages and encrypted are read from doc beforehand: this may run beside a qpdf pass over doc.
fs::path downsample(const QpdfDocument& doc, int pages, bool encrypted, const fs::path& work,
                    const std::string& stem, const CompressOptions& options,
                    std::vector<fs::path>& scratch) {
  fs::path gs_in = doc.path();
  if (encrypted) {
    gs_in = work / (stem + ".decrypted.pdf");
    scratch.push_back(gs_in);
    QpdfWriteOptions plain;
    plain.preserve_encryption = false;
    write_pdf(doc.qpdf(), gs_in, plain, "a decrypted copy of '" + doc.name() + "'");
  }
  const fs::path gs_out = work / (stem + ".gs.pdf");
  scratch.push_back(gs_out);
  ghostscript_compress(gs_in, gs_out, "ebook", options.ghostscript_timeout_ms);
  QpdfOpenOptions open;
  open.display_name = "Ghostscript's output for '" + doc.name() + "'";
  open.max_pages = pages;
  QpdfDocument downsampled = QpdfDocument::open(gs_out, open);
  const fs::path high = work / (stem + ".gs.qpdf.pdf");
  qpdf_pass(downsampled.qpdf(), high, false, encrypted ? &doc.qpdf() : nullptr,
            "the compressed '" + doc.name() + "'");
  return high;
}

}  // namespace

CompressionLevel parse_compression_level(const std::string& text) {
  if (text == "low") return CompressionLevel::kLow;
  if (text == "medium") return CompressionLevel::kMedium;
  if (text == "high") return CompressionLevel::kHigh;
  throw core::Error::invalid_request("field 'compression' must be low, medium or high, not '" +
                                     text + "'");
}

CompressResult compress_pdf(const QpdfDocument& doc, const fs::path& out,
                            const CompressOptions& options) {
  CompressResult result;
  result.input_size = fs::file_size(doc.path());
  const fs::path work = options.work_dir.empty() ? out.parent_path() : options.work_dir;
  const std::string stem = out.stem().string();
  std::vector<std::pair<fs::path, std::string>> candidates;

  std::vector<fs::path> scratch;
  auto lossless = [&] {
    const fs::path file = work / (stem + ".qpdf.pdf");
    qpdf_pass(doc.qpdf(), file, options.level != CompressionLevel::kLow, nullptr,
              "the compressed '" + doc.name() + "'");
    candidates.push_back({file, "qpdf"});
  };
  if (options.level != CompressionLevel::kHigh) {
    lossless();
  } else {
    // Ghostscript (a child process) downsamples while this thread runs the lossless qpdf pass:
    // the slower of the two sets the time, and the smaller result wins. An encrypted input is
    // done one after the other (both passes would use its one QPDF object).
    std::vector<fs::path> gs_scratch;
    const int pages = doc.page_count();
    const bool encrypted = doc.encrypted();
    auto gs = std::async(encrypted ? std::launch::deferred : std::launch::async, [&] {
      return downsample(doc, pages, encrypted, work, stem, options, gs_scratch);
    });
    std::exception_ptr lossless_error;
    try {
      lossless();
    } catch (...) {
      lossless_error = std::current_exception();
    }
    try {
      candidates.push_back({gs.get(), "ghostscript /ebook + qpdf"});
    } catch (const core::Error& e) {
      if (e.status() >= 500 && e.code() != "ENGINE_TIMEOUT") throw;
      // gs rejecting a file qpdf can read is not worth failing the job: the lossless pass stands.
      result.note = std::string("image downsampling skipped: ") + e.what();
    }
    scratch.insert(scratch.end(), gs_scratch.begin(), gs_scratch.end());
    if (lossless_error) std::rethrow_exception(lossless_error);
  }
  fs::path best;
  uint64_t best_size = result.input_size;
  for (auto& [file, method] : candidates) {
    uint64_t size = fs::file_size(file);
    if (size < best_size) {
      best = file;
      best_size = size;
      result.method = method;
    }
  }
  if (best.empty()) {
    fs::copy_file(doc.path(), out, fs::copy_options::overwrite_existing);
    result.kept_input = true;
    result.method = "input kept";
  } else {
    fs::rename(best, out);
  }
  result.output_size = fs::file_size(out);
  for (auto& [file, method] : candidates) scratch.push_back(file);
  for (auto& file : scratch) {
    std::error_code ec;
    fs::remove(file, ec);
  }
  return result;
}

}  // namespace paperd::engines::pdf
