// compress_pdf: see qpdf_compress.h.
#include "engines/pdf/qpdf_compress.h"

#include <algorithm>
#include <exception>
#include <future>
#include <map>
#include <set>
#include <thread>
#include <vector>

#include "core/error.h"
#include "engines/pdf/ghostscript.h"
#include "engines/pdf/qpdf_page_copy.h"

namespace paperd::engines::pdf {

namespace fs = std::filesystem;

namespace {

// Ghostscript processes a high-level compression runs at most by default (one per core).
constexpr int kMaxGsProcesses = 4;
// Image streams at least this share of the file: downsampling wins, the lossless pass is skipped.
constexpr double kImageHeavyShare = 0.5;

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

// How the high level is run (see plan_high()): the page ranges Ghostscript downsamples, one
// process each, and whether images make up most of the file.
struct HighPlan {
  std::vector<PageRange> ranges;  // ascending, covering every page
  double image_share = 0;         // bytes of image streams / file size
};

// The bytes of the image XObjects the pages draw directly (each stream once).
uint64_t image_bytes(const QpdfDocument& doc) {
  std::set<QPDFObjGen> seen;
  uint64_t total = 0;
  for (QPDFObjectHandle page : doc.pages()) {
    QPDFObjectHandle xobjects = page.getKey("/Resources").getKey("/XObject");
    if (!xobjects.isDictionary()) continue;
    for (auto& [name, x] : xobjects.ditems()) {
      if (!x.isStream() || !seen.insert(x.getObjGen()).second) continue;
      QPDFObjectHandle dict = x.getDict();
      if (!dict.getKey("/Subtype").isNameAndEquals("/Image")) continue;
      QPDFObjectHandle length = dict.getKey("/Length");
      if (length.isInteger() && length.getIntValue() > 0)
        total += static_cast<uint64_t>(length.getIntValue());
    }
  }
  return total;
}

// Ghostscript downsamples in up to `processes` processes at once, a run of pages each, joined
// page by page afterwards; so the runs may share no resource (it would be written twice) and the
// document may have nothing that spans pages (an outline, a form); small files gain nothing over
// gs's start-up. Anything else is one process over every page. Reads doc, so it runs before
// anything else uses doc on another thread.
HighPlan plan_high(const QpdfDocument& doc, uint64_t size, int processes) {
  constexpr uint64_t kMinBytes = 2ull << 20;
  const int pages = doc.page_count();
  HighPlan plan;
  plan.ranges = {{1, pages}};
  try {
    plan.image_share = size ? static_cast<double>(image_bytes(doc)) / size : 0;
  } catch (const std::exception&) {
    plan.image_share = 0;  // a damaged page tree: the usual passes report it
  }
  processes = std::min(processes, pages);
  if (processes < 2 || size < kMinBytes || doc.encrypted()) return plan;
  try {
    QPDFObjectHandle root = doc.qpdf().getRoot();
    if (root.hasKey("/AcroForm") || root.getKey("/Outlines").hasKey("/First")) return plan;
    std::vector<PageRange> ranges;
    std::map<QPDFObjGen, size_t> owner;  // resource -> the run that uses it
    for (int k = 0; k < processes; ++k) {
      const int first = 1 + k * pages / processes, last = (k + 1) * pages / processes;
      ranges.push_back({first, last});
      for (int i = first; i <= last; ++i) {
        std::set<QPDFObjGen> used;
        if (!page_resources(doc.pages()[i - 1], used)) return plan;
        for (const auto& og : used)
          if (auto [it, fresh] = owner.emplace(og, k); !fresh && it->second != size_t(k))
            return plan;
      }
    }
    plan.ranges = std::move(ranges);
  } catch (const std::exception&) {
    // a damaged page tree: one process, which reports it as usual
  }
  return plan;
}

// Ghostscript's /ebook downsampling, then a plain qpdf pass (object streams: a few KB for ~20 ms;
// gs already compressed the streams, recompressing them would only cost time); returns the file
// written. gs cannot open encrypted files without their password: it gets a decrypted copy, and
// its output is encrypted again like the input. With several ranges (plan_high) one gs process
// per range runs at once, and the later ranges' pages are appended to the first's (0.59x the
// time of one gs for two processes on a 6-photo PDF, and a few KB smaller after the object-stream
// pass). Returns the file and how it was made.
// pages and encrypted are read from doc beforehand: this may run beside a qpdf pass over doc.
std::pair<fs::path, std::string> downsample(const QpdfDocument& doc, int pages, bool encrypted,
                                            const std::vector<PageRange>& ranges,
                                            const fs::path& work, const std::string& stem,
                                            const CompressOptions& options,
                                            std::vector<fs::path>& scratch) {
  fs::path gs_in = doc.path();
  if (encrypted) {
    gs_in = work / (stem + ".decrypted.pdf");
    scratch.push_back(gs_in);
    QpdfWriteOptions plain;
    plain.preserve_encryption = false;
    write_pdf(doc.qpdf(), gs_in, plain, "a decrypted copy of '" + doc.name() + "'");
  }
  std::vector<fs::path> parts;
  for (size_t k = 0; k < ranges.size(); ++k) {
    parts.push_back(work / (stem + ".gs" + std::to_string(k + 1) + ".pdf"));
    scratch.push_back(parts.back());
  }
  const bool whole = ranges.size() == 1;
  auto run = [&](size_t k) {
    ghostscript_compress(gs_in, parts[k], "ebook", options.ghostscript_timeout_ms,
                         whole ? 0 : ranges[k].first, whole ? 0 : ranges[k].last);
  };
  // The later ranges on threads of their own (each waits on its gs child), the first here; every
  // process is waited for before an error is passed on.
  std::vector<std::future<void>> later;
  for (size_t k = 1; k < ranges.size(); ++k)
    later.push_back(std::async(std::launch::async, run, k));
  std::exception_ptr error;
  try {
    run(0);
  } catch (...) {
    error = std::current_exception();
  }
  for (auto& f : later) {
    try {
      f.get();
    } catch (...) {
      if (!error) error = std::current_exception();
    }
  }
  if (error) std::rethrow_exception(error);

  QpdfOpenOptions open;
  open.display_name = "Ghostscript's output for '" + doc.name() + "'";
  open.max_pages = pages;
  QpdfDocument downsampled = QpdfDocument::open(parts[0], open);
  std::vector<QpdfDocument> rest;  // alive until written: qpdf copies their streams then
  for (size_t k = 1; k < parts.size(); ++k) rest.push_back(QpdfDocument::open(parts[k], open));
  if (!rest.empty()) {
    PageCopier copier(downsampled.qpdf());
    for (const auto& part : rest)
      for (const auto& page : part.pages()) copier.append(part.qpdf(), page);
  }
  const fs::path high = work / (stem + ".gs.qpdf.pdf");
  qpdf_pass(downsampled.qpdf(), high, false, encrypted ? &doc.qpdf() : nullptr,
            "the compressed '" + doc.name() + "'");
  return {high,
          whole ? "ghostscript /ebook + qpdf"
                : "ghostscript /ebook in " + std::to_string(ranges.size()) + " processes + qpdf"};
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
    result.lossless_tried = true;
  } else {
    // Ghostscript (child processes, one per run of pages) downsamples. When images are most of
    // the file, its result is the smaller one by far and it gets every core; otherwise this
    // thread runs the lossless qpdf pass beside it (the slower of the two sets the time) and the
    // smaller result wins. An encrypted input is done one after the other (both passes would use
    // its one QPDF object). If gs refuses the file, the lossless pass stands.
    std::vector<fs::path> gs_scratch;
    const int pages = doc.page_count();
    const bool encrypted = doc.encrypted();
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    const int processes = options.ghostscript_processes > 0 ? options.ghostscript_processes
                                                            : std::min(cores, kMaxGsProcesses);
    HighPlan plan = plan_high(doc, result.input_size, processes);
    result.image_share = plan.image_share;
    const bool images_dominate = plan.image_share >= kImageHeavyShare;
    auto gs = std::async(encrypted ? std::launch::deferred : std::launch::async, [&] {
      return downsample(doc, pages, encrypted, plan.ranges, work, stem, options, gs_scratch);
    });
    std::exception_ptr lossless_error;
    if (!images_dominate) {
      try {
        lossless();
      } catch (...) {
        lossless_error = std::current_exception();
      }
    }
    bool downsampled = false;
    try {
      candidates.push_back(gs.get());
      downsampled = true;
      result.ghostscript_ranges = plan.ranges;
    } catch (const core::Error& e) {
      if (e.status() >= 500 && e.code() != "ENGINE_TIMEOUT") throw;
      // gs rejecting a file qpdf can read is not worth failing the job: the lossless pass stands.
      result.note = std::string("image downsampling skipped: ") + e.what();
    }
    scratch.insert(scratch.end(), gs_scratch.begin(), gs_scratch.end());
    if (lossless_error) std::rethrow_exception(lossless_error);
    if (images_dominate && !downsampled) lossless();
    result.lossless_tried = !images_dominate || !downsampled;
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
