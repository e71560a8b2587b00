// Workflow template whitepage_scan: blank pages, barcodes/QR codes and separator sheets over the
// pages of PDFs and images (engines/scan), optionally split into one PDF per segment.
#include <cmath>
#include <memory>
#include <thread>

#include "core/clock.h"
#include "core/error.h"
#include "engines/scan/page_scanner.h"
#include "engines/scan/segment_writer.h"
#include "jobs/pipelines/pipelines.h"

namespace paperd::jobs {

namespace {

namespace scan = engines::scan;
using http::Param;
using http::ParamType;

struct ScanOptions {
  scan::ScanSettings settings;
  scan::SegmentOptions segments;
  bool split = false;
};

ScanOptions scan_options(const http::Params& p, const core::Config& config) {
  ScanOptions o;
  scan::ScanSettings& s = o.settings;
  s.limits = {config.max_pages, config.max_megapixels};
  s.blank.threshold_percent = p.number("threshold", s.blank.threshold_percent);
  s.blank.margin_mm = p.number("margin_mm", s.blank.margin_mm);
  s.dpi = static_cast<double>(p.integer("dpi", 200));
  s.threads = config.ocr_threads > 0 ? config.ocr_threads
                                     : static_cast<int>(std::thread::hardware_concurrency());
  o.split = p.boolean("split", false);
  o.segments.split_on_blank = p.boolean("split_on_blank", false);
  o.segments.drop_blank = p.boolean("remove_blank", false);
  // Separator sheets are found through their codes: asking for a split or naming a separator
  // code reads codes even without detect_codes.
  if (p.boolean("detect_codes", false) || o.split || p.has("separator_code"))
    s.separators.emplace(p.str("separator_code", std::string(scan::kDefaultSeparatorCode)));
  return o;
}

// Ranges are checked by the parameter schema; this only parses the separator list.
void validate_scan(const http::Params& p, const core::Config& config) {
  scan_options(p, config);
}

double round4(double v) {
  return std::round(v * 1e4) / 1e4;
}

Json code_json(const scan::Code& c, int page, bool separator) {
  return {{"page", page},
          {"type", c.type},
          {"value", c.value},
          {"position", {{"x", c.x}, {"y", c.y}, {"w", c.w}, {"h", c.h}}},
          {"orientation", c.orientation},
          {"quality", c.quality},
          {"separator", separator}};
}

Json page_json(const scan::PageReport& r, int page, const InputFile& input, Json codes) {
  return {{"page", page},
          {"blank", r.blank.blank},
          {"ink_coverage", round4(r.blank.ink_coverage)},
          {"reason", r.blank.reason},
          {"separator", r.separator},
          {"codes", std::move(codes)},
          {"width", r.width},
          {"height", r.height},
          {"dpi", std::round(r.dpi)},
          {"file", input.filename},
          {"file_page", r.index + 1}};
}

std::string output_stem(const std::vector<InputFile>& inputs) {
  std::string name = inputs.empty() ? "scan" : inputs.front().filename;
  std::string stem = std::filesystem::path(name).stem().string();
  return stem.empty() ? "scan" : stem;
}

// One PDF per segment; returns their download URLs in segment order.
Json write_segments(PipelineContext& ctx, const scan::PageScanner& scanner,
                    const std::vector<scan::PageReport>& reports,
                    const std::vector<scan::Segment>& segments) {
  Json files = Json::array();
  auto work = ctx.temp_dir() / "scan-pages";
  auto out_dir = ctx.temp_dir() / "scan-out";
  std::filesystem::create_directories(work);
  std::filesystem::create_directories(out_dir);
  scan::SegmentWriter writer;
  std::string stem = output_stem(ctx.inputs());
  for (size_t s = 0; s < segments.size(); ++s) {
    ctx.check_cancelled();
    ctx.progress(92 + static_cast<int>(s * 8 / segments.size()),
                 "writing document " + std::to_string(s + 1));
    std::vector<scan::PdfPageRef> refs;
    for (int page : segments[s].pages) {
      const scan::PageReport& r = reports[static_cast<size_t>(page - 1)];
      refs.push_back(scanner.source(r.input).pdf_page(r.index, work));
    }
    std::string name = stem + "_part" + std::to_string(s + 1) + ".pdf";
    writer.write(refs, out_dir / name);
    files.push_back(ctx.add_output(out_dir / name, name, "application/pdf"));
  }
  return files;
}

Json run_scan(PipelineContext& ctx, const core::Config& config) {
  core::Stopwatch watch;
  const ScanOptions o = scan_options(ctx.params(), config);
  std::vector<scan::ScanInput> inputs;
  for (const auto& in : ctx.inputs()) inputs.push_back({in.path, in.filename});
  scan::PageScanner scanner(std::move(inputs), o.settings);
  ctx.progress(2, "scanning " + std::to_string(scanner.page_count()) + " pages");
  auto reports = scanner.run(
      [&](int done, int total) {
        ctx.progress(2 + done * 88 / total,
                     std::to_string(done) + " of " + std::to_string(total) + " pages");
      },
      [&] { return ctx.cancelled(); });
  ctx.check_cancelled();

  Json pages = Json::array(), blank_pages = Json::array(), codes = Json::array();
  std::vector<scan::PageMark> marks;
  for (size_t i = 0; i < reports.size(); ++i) {
    const scan::PageReport& r = reports[i];
    int page = static_cast<int>(i) + 1;
    Json page_codes = Json::array();
    for (size_t c = 0; c < r.codes.size(); ++c) {
      page_codes.push_back(code_json(r.codes[c], page, r.code_is_separator[c]));
      codes.push_back(page_codes.back());
    }
    if (r.blank.blank) blank_pages.push_back(page);
    marks.push_back({r.blank.blank, r.separator});
    pages.push_back(page_json(r, page, ctx.inputs()[r.input], std::move(page_codes)));
  }

  std::vector<scan::Segment> segments = scan::segment_pages(marks, o.segments);
  Json files = o.split ? write_segments(ctx, scanner, reports, segments) : Json::array();
  Json segments_json = Json::array();
  for (size_t s = 0; s < segments.size(); ++s) {
    Json sj = {{"pages", segments[s].pages},
               {"page_range", segments[s].page_range},
               {"page_count", segments[s].pages.size()}};
    if (s < files.size()) sj["file"] = files[s];
    segments_json.push_back(std::move(sj));
  }

  const auto& seps = o.settings.separators;
  Json result = {
      {"pages", std::move(pages)},      {"blank_pages", std::move(blank_pages)},
      {"codes", std::move(codes)},      {"segments", std::move(segments_json)},
      {"total_pages", reports.size()},  {"threshold", o.settings.blank.threshold_percent},
      {"codes_read", seps.has_value()}, {"duration_ms", std::round(watch.elapsed_ms())}};
  if (seps) result["separator_codes"] = seps->patterns();
  if (o.split) result["files"] = std::move(files);
  return result;
}

std::vector<Param> scan_params() {
  return {
      param("threshold", ParamType::kNumber,
            "Ink coverage in percent of the page (inside the margin, after noise removal) below "
            "which a page is blank. Default 0.01 (a short line of text is about 0.03)",
            0.01, 0, 100),
      param("margin_mm", ParamType::kNumber,
            "Band along each page edge, in millimetres, that is ignored (scanner edges, punch "
            "holes). Default 10",
            10, 0, 100),
      param("detect_codes", ParamType::kBoolean,
            "Decode every barcode and QR code on every page (type, value, position in pixels)",
            false),
      param("separator_code", ParamType::kString,
            "Code values that mark a separator sheet, comma-separated; 'SEP*' matches values "
            "starting with SEP. Default PATCHT. Giving it reads codes"),
      param("split_on_blank", ParamType::kBoolean,
            "A blank page also separates documents (and is left out of them)", false),
      param("remove_blank", ParamType::kBoolean, "Leave blank pages out of the segments", false),
      param("split", ParamType::kBoolean,
            "Write one PDF per segment (files[] and segments[].file); reads codes", false),
      param("dpi", ParamType::kInteger, "Resolution PDF pages are rendered at (72-600)", 200, 72,
            600),
  };
}

}  // namespace

void register_scan_pipelines(PipelineRegistry& registry, const core::Config& config) {
  registry.add({.name = "workflow/whitepage_scan",
                .operation = "whitepage_scan",
                .title = "Whitepage scan: blank pages, barcodes and separator sheets",
                .default_lane = Lane::kNoSla,
                .credits = 5,
                .params = scan_params(),
                .validate = [config](const http::Params& p,
                                     const std::vector<InputFile>&) { validate_scan(p, config); },
                .run = [config](PipelineContext& ctx) { return run_scan(ctx, config); },
                .tools = {{.mcp_name = "po_whitepage_scan",
                           .title = "Run whitepage scan analysis",
                           .summary = "Find blank pages (configurable ink threshold), barcodes, QR "
                                      "codes and separator sheets in PDFs and images; optionally "
                                      "split into one PDF per document."},
                          {.mcp_name = "po_whitepage_code_scan",
                           .title = "Scan for whitepage code",
                           .summary = "Decode every barcode and QR code on every page (type, "
                                      "value, position) and mark separator sheets and blank pages.",
                           .fixed_params = {{"detect_codes", true}}}},
                .category = "Document AI — OCR & IDP"});
}

}  // namespace paperd::jobs
