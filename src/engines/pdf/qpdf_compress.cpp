// compress_pdf: see qpdf_compress.h.
#include "engines/pdf/qpdf_compress.h"

#include <exception>
#include <future>
#include <optional>
#include <set>
#include <vector>

#include "core/error.h"
#include "engines/pdf/ghostscript.h"
#include "engines/pdf/qpdf_page_copy.h"

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

// The indirect objects a page's resources point to (fonts, images, graphics states, ...), and the
// resource dictionaries themselves when they are indirect. False when the page has no resources
// of its own (inherited ones are shared by definition).
bool page_resources(QPDFObjectHandle page, std::set<QPDFObjGen>& out) {
  QPDFObjectHandle res = page.getKey("/Resources");
  if (!res.isDictionary()) return false;
  if (res.isIndirect()) out.insert(res.getObjGen());
  for (auto& [category, dict] : res.ditems()) {
    if (dict.isIndirect()) out.insert(dict.getObjGen());
    if (!dict.isDictionary()) continue;
    for (auto& [name, value] : dict.ditems())
      if (value.isIndirect()) out.insert(value.getObjGen());
  }
  return true;
}

// Where Ghostscript may downsample the document in two processes, one half of the pages each:
// the first page of the second half, or 0 when it must not. The halves are joined page by page
// afterwards, so they may share no resource (it would be written twice) and the document may have
// nothing that spans pages (an outline, a form); small files gain nothing over gs's start-up.
// Reads doc, so it runs before anything else uses doc on another thread.
int two_halves_split(const QpdfDocument& doc, uint64_t size) {
  constexpr uint64_t kMinBytes = 2ull << 20;
  const int pages = doc.page_count();
  if (pages < 2 || size < kMinBytes || doc.encrypted()) return 0;
  try {
    QPDFObjectHandle root = doc.qpdf().getRoot();
    if (root.hasKey("/AcroForm") || root.getKey("/Outlines").hasKey("/First")) return 0;
    const int split = (pages + 1) / 2;
    std::set<QPDFObjGen> first, second;
    for (int i = 0; i < pages; ++i)
      if (!page_resources(doc.pages()[i], i < split ? first : second)) return 0;
    for (const auto& og : second)
      if (first.count(og)) return 0;
    return split + 1;
  } catch (const std::exception&) {
    return 0;  // a damaged page tree: one process, which reports it as usual
  }
}

// Ghostscript's /ebook downsampling, then a plain qpdf pass (object streams: a few KB for ~20 ms;
// gs already compressed the streams, recompressing them would only cost time); returns the file
// written. gs cannot open encrypted files without their password: it gets a decrypted copy, and
// its output is encrypted again like the input. With second_half > 0 (two_halves_split) two gs
// processes downsample pages [1, second_half) and [second_half, pages] at once, and the second
// half's pages are appended to the first's (0.59x the time of one gs on a 6-photo PDF, and a few
// KB smaller after the object-stream pass). Returns the file and how it was made.
// pages and encrypted are read from doc beforehand: this may run beside a qpdf pass over doc.
std::pair<fs::path, std::string> downsample(const QpdfDocument& doc, int pages, bool encrypted,
                                            int second_half, const fs::path& work,
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
  QpdfOpenOptions open;
  open.display_name = "Ghostscript's output for '" + doc.name() + "'";
  open.max_pages = pages;
  std::optional<QpdfDocument> rest;
  if (second_half > 0) {
    const fs::path gs_rest = work / (stem + ".gs2.pdf");
    scratch.push_back(gs_rest);
    auto later = std::async(std::launch::async, [&] {
      ghostscript_compress(gs_in, gs_rest, "ebook", options.ghostscript_timeout_ms, second_half,
                           pages);
    });
    std::exception_ptr first_error;
    try {
      ghostscript_compress(gs_in, gs_out, "ebook", options.ghostscript_timeout_ms, 1,
                           second_half - 1);
    } catch (...) {
      first_error = std::current_exception();
    }
    later.get();
    if (first_error) std::rethrow_exception(first_error);
    rest = QpdfDocument::open(gs_rest, open);
  } else {
    ghostscript_compress(gs_in, gs_out, "ebook", options.ghostscript_timeout_ms);
  }
  QpdfDocument downsampled = QpdfDocument::open(gs_out, open);
  if (rest) {
    PageCopier copier(downsampled.qpdf());
    for (const auto& page : rest->pages()) copier.append(rest->qpdf(), page);
  }
  const fs::path high = work / (stem + ".gs.qpdf.pdf");
  qpdf_pass(downsampled.qpdf(), high, false, encrypted ? &doc.qpdf() : nullptr,
            "the compressed '" + doc.name() + "'");
  return {high, rest ? "ghostscript /ebook in 2 processes + qpdf" : "ghostscript /ebook + qpdf"};
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
    const int second_half = two_halves_split(doc, result.input_size);
    auto gs = std::async(encrypted ? std::launch::deferred : std::launch::async, [&] {
      return downsample(doc, pages, encrypted, second_half, work, stem, options, gs_scratch);
    });
    std::exception_ptr lossless_error;
    try {
      lossless();
    } catch (...) {
      lossless_error = std::current_exception();
    }
    try {
      candidates.push_back(gs.get());
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
