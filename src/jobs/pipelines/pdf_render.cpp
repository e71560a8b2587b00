// MuPDF-side PDF tools (CONTRACTS §2.1, §3.2): workflow template pdf_convert (jpg, png, webp,
// pdfa, docx, xlsx, pptx, txt, html), the sourced pipeline paperoffice_dataripper___pdf2office
// (the same office conversion) and workflow template pdf_ai_split. Glue only: parameters are
// mapped to engines/pdf (render, text, HTML), engines/office (OOXML writers) and engines/split
// (document boundaries, with engines/ocr reading the scanned pages); every produced file becomes
// a download link.
#include <sched.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <thread>

#include "core/clock.h"
#include "core/error.h"
#include "engines/ocr/language.h"
#include "engines/office/docx_writer.h"
#include "engines/office/page_layout.h"
#include "engines/office/pptx_writer.h"
#include "engines/office/xlsx_writer.h"
#include "engines/pdf/ghostscript.h"
#include "engines/pdf/mupdf_html.h"
#include "engines/pdf/mupdf_page_renderer.h"
#include "engines/pdf/pdf_document.h"
#include "engines/pdf/qpdf_document.h"
#include "engines/pdf/qpdf_page_ranges.h"
#include "engines/split/document_splitter.h"
#include "jobs/pipelines/ocr_options.h"
#include "jobs/pipelines/pipelines.h"

namespace paperd::jobs {

namespace {

namespace pdf = engines::pdf;
namespace office = engines::office;
namespace ocr = engines::ocr;
namespace split = engines::split;
using http::Param;
using http::ParamType;

const std::vector<std::string> kConvertTargets = {"jpg",  "jpeg", "png",  "webp", "pdfa",
                                                  "docx", "xlsx", "pptx", "txt",  "html"};
const std::vector<std::string> kOfficeTargets = {"docx", "xlsx", "pptx"};
constexpr const char* kCategory = "Document AI — PDF";

pdf::Limits limits_of(const core::Config& c) {
  return {c.max_pages, c.max_megapixels};
}

// Output names: the input's stem, made unique when two inputs share one.
std::vector<std::string> output_stems(const std::vector<InputFile>& inputs) {
  std::vector<std::string> stems;
  std::set<std::string> seen;
  for (size_t i = 0; i < inputs.size(); ++i) {
    std::string s = std::filesystem::path(inputs[i].filename).stem().string();
    if (s.empty()) s = "document";
    if (!seen.insert(s).second) s += "_" + std::to_string(i + 1);
    seen.insert(s);
    stems.push_back(s);
  }
  return stems;
}

// The `pages` selection ("1-3,5", default all) as 0-based indices, each once, in the given order.
std::vector<int> selected_pages(const http::Params& p, int page_count, const std::string& name) {
  std::string spec = p.str("pages");
  std::vector<int> out;
  if (spec.empty() || spec == "all") {
    for (int i = 0; i < page_count; ++i) out.push_back(i);
    return out;
  }
  std::set<int> seen;
  for (const auto& r : pdf::parse_page_ranges(spec, page_count, "pages", name))
    for (int n = r.first; n <= r.last; ++n)
      if (seen.insert(n).second) out.push_back(n - 1);
  return out;
}

// Pages of one job render in parallel on the cores this process may use (its CPU affinity, so a
// worker pinned to one core renders on one thread), at most 4.
int render_threads(size_t pages) {
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) cores = std::max(1, CPU_COUNT(&set));
  return static_cast<int>(std::clamp<size_t>(pages, 1, std::min(cores, 4u)));
}

std::string office_content_type(const std::string& f) {
  if (f == "docx") return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  if (f == "xlsx") return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  return "application/vnd.openxmlformats-officedocument.presentationml.presentation";
}

struct Progress {
  PipelineContext& ctx;
  size_t input = 0, inputs = 1;
  // percent of the whole job for `fraction` of the current input, between 5 and 95
  void report(double fraction, const std::string& message) {
    double overall = (static_cast<double>(input) + fraction) / static_cast<double>(inputs);
    ctx.progress(5 + static_cast<int>(overall * 90), message);
  }
};

Json convert_images(PipelineContext& ctx, const InputFile& in, const std::string& stem,
                    pdf::ImageFormat format, const core::Config& config, Progress& progress) {
  const auto& p = ctx.params();
  pdf::Document doc = pdf::Document::open(in.path, p.str("password"), limits_of(config));
  pdf::RenderRequest req{.pdf = in.path,
                         .password = p.str("password"),
                         .limits = limits_of(config),
                         .pages = selected_pages(p, doc.page_count(), in.filename),
                         .dpi = static_cast<double>(p.integer("dpi", 150)),
                         .gray = p.boolean("grayscale", false),
                         .format = format,
                         .quality = static_cast<int>(p.integer("quality", 85)),
                         .out_dir = ctx.temp_dir() / "render",
                         .base = stem};
  req.threads = render_threads(req.pages.size());
  // A page over the pixel limit fails the job before any work starts.
  for (int index : req.pages) {
    auto [w, h] = doc.page_size(index);
    double px = std::ceil(w * req.dpi / 72) * std::ceil(h * req.dpi / 72);
    if (px > static_cast<double>(config.max_megapixels) * 1e6)
      throw core::Error::input_too_large(
          "page " + std::to_string(index + 1) + " of " + in.filename + " at " +
          std::to_string(static_cast<int>(req.dpi)) + " dpi would have " +
          std::to_string(static_cast<long long>(px / 1e6)) + " megapixels; the limit is " +
          std::to_string(config.max_megapixels) + " (lower the dpi)");
  }
  std::filesystem::create_directories(req.out_dir);
  auto pages = pdf::render_pages(req, [&](size_t done, size_t total) {
    ctx.check_cancelled();
    progress.report(static_cast<double>(done) / static_cast<double>(std::max<size_t>(total, 1)),
                    "rendered " + std::to_string(done) + " of " + std::to_string(total) + " pages");
    return true;
  });
  Json files = Json::array(), info = Json::array();
  const std::string type(pdf::image_content_type(format));
  for (const auto& page : pages) {
    std::string url = ctx.add_output(page.file, page.file.filename().string(), type);
    files.push_back(url);
    info.push_back({{"page", page.page},
                    {"width", page.width},
                    {"height", page.height},
                    {"dpi", page.dpi},
                    {"file", url},
                    {"input", in.filename}});
  }
  return {{"files", files}, {"pages", info}, {"page_count", doc.page_count()}};
}

// The text of the selected pages, with the page numbers that carry none (scans).
struct Texts {
  std::vector<pdf::PageText> pages;
  Json without_text = Json::array();
  int page_count = 0;
};

Texts read_texts(PipelineContext& ctx, const InputFile& in, const core::Config& config,
                 Progress& progress) {
  pdf::Document doc = pdf::Document::open(in.path, ctx.params().str("password"), limits_of(config));
  Texts t;
  t.page_count = doc.page_count();
  auto indices = selected_pages(ctx.params(), doc.page_count(), in.filename);
  for (size_t i = 0; i < indices.size(); ++i) {
    ctx.check_cancelled();
    t.pages.push_back(doc.text(indices[i]));
    if (t.pages.back().blocks.empty()) t.without_text.push_back(indices[i] + 1);
    progress.report(0.8 * static_cast<double>(i + 1) / static_cast<double>(indices.size()),
                    "read the text of page " + std::to_string(indices[i] + 1));
  }
  return t;
}

Json text_result(const Texts& t, Json files) {
  Json r = {{"files", std::move(files)},
            {"page_count", t.page_count},
            {"pages_converted", t.pages.size()},
            {"pages_without_text", t.without_text}};
  if (!t.without_text.empty())
    r["note"] =
        "pages without a text layer (scans) carry no text here; run paperoffice_aiocr___generate "
        "with output_searchable_pdf=true first";
  return r;
}

Json convert_office(PipelineContext& ctx, const InputFile& in, const std::string& stem,
                    const std::string& format, const core::Config& config, Progress& progress) {
  Texts t = read_texts(ctx, in, config, progress);
  auto out = ctx.temp_dir() / (stem + "." + format);
  if (format == "docx")
    office::write_docx(t.pages, out);
  else if (format == "xlsx")
    office::write_xlsx(t.pages, out);
  else
    office::write_pptx(t.pages, out);
  return text_result(
      t, Json::array({ctx.add_output(out, out.filename().string(), office_content_type(format))}));
}

Json convert_txt(PipelineContext& ctx, const InputFile& in, const std::string& stem,
                 const core::Config& config, Progress& progress) {
  Texts t = read_texts(ctx, in, config, progress);
  std::string text;
  for (size_t i = 0; i < t.pages.size(); ++i) {
    if (i) text += '\f';
    text += office::page_plain_text(t.pages[i]);
    text += '\n';
  }
  auto out = ctx.temp_dir() / (stem + ".txt");
  std::ofstream(out, std::ios::binary) << text;
  Json r = text_result(
      t, Json::array({ctx.add_output(out, out.filename().string(), "text/plain; charset=utf-8")}));
  r["chars"] = text.size();
  return r;
}

Json convert_html(PipelineContext& ctx, const InputFile& in, const std::string& stem,
                  const core::Config& config) {
  const auto& p = ctx.params();
  pdf::Document doc = pdf::Document::open(in.path, p.str("password"), limits_of(config));
  auto pages = selected_pages(p, doc.page_count(), in.filename);
  auto out = ctx.temp_dir() / (stem + ".html");
  pdf::write_html(in.path, p.str("password"), limits_of(config), pages, out);
  return {{"files",
           Json::array({ctx.add_output(out, out.filename().string(), "text/html; charset=utf-8")})},
          {"page_count", doc.page_count()},
          {"pages_converted", pages.size()}};
}

Json convert_pdfa(PipelineContext& ctx, const InputFile& in, const std::string& stem,
                  const core::Config& config) {
  const std::string password = ctx.params().str("password");
  // MuPDF names a bad or locked file precisely; Ghostscript would only fail vaguely.
  pdf::Document::open(in.path, password, limits_of(config));
  std::filesystem::path source = in.path;
  if (!password.empty()) {  // gs cannot open it encrypted: decrypt first
    auto doc = pdf::QpdfDocument::open(
        in.path,
        {.password = password, .display_name = in.filename, .max_pages = config.max_pages});
    source = ctx.temp_dir() / (stem + ".decrypted.pdf");
    pdf::QpdfWriteOptions w;
    w.preserve_encryption = false;
    pdf::write_pdf(doc.qpdf(), source, w, in.filename);
  }
  auto out = ctx.temp_dir() / (stem + "_pdfa.pdf");
  pdf::ghostscript_pdfa(source, out, config.convert_timeout_seconds * 1000);
  return {{"files", Json::array({ctx.add_output(out, out.filename().string(), "application/pdf")})},
          {"pdfa", "PDF/A-2b"}};
}

// Runs one conversion per input and merges the results (files and pages in input order).
Json run_convert(PipelineContext& ctx, const std::string& format, const core::Config& config) {
  core::Stopwatch watch;
  const auto& inputs = ctx.inputs();
  if (inputs.empty()) throw core::Error::invalid_request("no PDF given: send it in 'file'");
  auto stems = output_stems(inputs);
  Json files = Json::array(), pages = Json::array(), per_input = Json::array();
  Progress progress{ctx, 0, inputs.size()};
  for (size_t i = 0; i < inputs.size(); ++i) {
    progress.input = i;
    progress.report(0, "converting " + inputs[i].filename);
    Json r;
    if (auto img = pdf::image_format_from_name(format))
      r = convert_images(ctx, inputs[i], stems[i], *img, config, progress);
    else if (format == "txt")
      r = convert_txt(ctx, inputs[i], stems[i], config, progress);
    else if (format == "html")
      r = convert_html(ctx, inputs[i], stems[i], config);
    else if (format == "pdfa")
      r = convert_pdfa(ctx, inputs[i], stems[i], config);
    else
      r = convert_office(ctx, inputs[i], stems[i], format, config, progress);
    for (const auto& f : r["files"]) files.push_back(f);
    if (r.contains("pages"))
      for (const auto& pg : r["pages"]) pages.push_back(pg);
    r.erase("files");
    r.erase("pages");
    r["input"] = inputs[i].filename;
    per_input.push_back(std::move(r));
  }
  Json result = {{"files", std::move(files)},
                 {"target_format", format == "jpeg" ? "jpg" : format},
                 {"duration_ms", std::round(watch.elapsed_ms())}};
  if (!pages.empty()) result["pages"] = std::move(pages);
  if (per_input.size() == 1) {
    for (auto& [k, v] : per_input[0].items())
      if (k != "input") result[k] = v;
  } else {
    result["inputs"] = std::move(per_input);
  }
  return result;
}

std::string list(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& e : v) s += (s.empty() ? "" : ", ") + e;
  return s;
}

// Checks shared by pdf_convert and pdf2office: the page selection's syntax.
void validate_common(const http::Params& p) {
  std::string spec = p.str("pages");
  if (!spec.empty() && spec != "all") pdf::parse_page_ranges(spec, -1, "pages");
}

std::string office_format(const http::Params& p) {
  std::string f = p.str("target_format");
  if (f.empty()) f = p.str("format", "docx");
  std::transform(f.begin(), f.end(), f.begin(), [](unsigned char c) { return std::tolower(c); });
  if (std::find(kOfficeTargets.begin(), kOfficeTargets.end(), f) == kOfficeTargets.end())
    throw core::Error::invalid_request(
        "field 'target_format' must be one of: " + list(kOfficeTargets) + " (got '" + f + "')");
  return f;
}

std::string convert_format(const http::Params& p) {
  std::string f = p.str("target_format");
  std::transform(f.begin(), f.end(), f.begin(), [](unsigned char c) { return std::tolower(c); });
  if (f == "pdf/a" || f == "pdf-a" || f == "pdfa2b") f = "pdfa";
  if (std::find(kConvertTargets.begin(), kConvertTargets.end(), f) == kConvertTargets.end())
    throw core::Error::invalid_request(
        "field 'target_format' must be one of: " + list(kConvertTargets) + " (got '" + f + "')");
  return f;
}

Param pages_param() {
  return param("pages", ParamType::kString,
               "Pages to convert: 'all' (default) or a list such as '1-3,5,8-'");
}
Param password_param() {
  return param("password", ParamType::kString, "Password of an encrypted PDF");
}

std::vector<Param> convert_params() {
  return {required(param("target_format", ParamType::kString,
                         "jpg | png | webp (one image per page), pdfa (PDF/A-2b), docx | xlsx | "
                         "pptx (text in reading order; tables become cells in xlsx), txt (pages "
                         "separated by form feeds) or html")),
          pages_param(),
          param("dpi", ParamType::kInteger, "Resolution of rendered images, 10-600", 150, 10, 600),
          param("quality", ParamType::kInteger, "JPEG/WebP quality, 1-100", 85, 1, 100),
          param("grayscale", ParamType::kBoolean, "Render images in gray", false),
          password_param()};
}

std::vector<Param> pdf2office_params() {
  return {param("target_format", ParamType::kString, "docx (default), xlsx or pptx"),
          param("format", ParamType::kString, "Alias of target_format"), pages_param(),
          password_param()};
}

// ---- pdf_ai_split ----

// How the split reads scans: Tesseract in `language` (else detected per page after a first read
// in config.ocr_language), upright and deskewed, text only.
ocr::DocumentOptions scan_ocr_options(const http::Params& p, const core::Config& config,
                                      const std::filesystem::path& work) {
  ocr::DocumentOptions o = ocr_base_options(config, work);
  o.page.language = ocr::resolve_languages(p.str("language"), o.page.installed);
  return o;
}

Json run_ai_split(PipelineContext& ctx, const core::Config& config) {
  core::Stopwatch watch;
  const auto& inputs = ctx.inputs();
  if (inputs.size() != 1)
    throw core::Error::invalid_request("pdf_ai_split takes exactly one PDF in 'file' (got " +
                                       std::to_string(inputs.size()) + ")");
  const InputFile& in = inputs.front();
  const auto& p = ctx.params();
  split::SplitOptions opts;
  opts.password = p.str("password");
  opts.limits = limits_of(config);
  opts.detect_barcodes = p.boolean("detect_barcodes", true);
  opts.split_on_blank = p.boolean("split_on_blank", true);
  if (p.has("separator_code")) opts.separator_codes = p.str("separator_code");
  if (p.boolean("ocr", true)) opts.ocr = scan_ocr_options(p, config, ctx.temp_dir() / "ocr");
  ctx.progress(5, "reading pages");
  split::SplitPlan plan = split::plan_split(in.path, opts, [&](int done, int total) {
    ctx.check_cancelled();
    ctx.progress(5 + 75 * done / std::max(total, 1),
                 "analysed " + std::to_string(done) + " of " + std::to_string(total) + " pages");
  });
  ctx.progress(80, "writing " + std::to_string(plan.documents.size()) + " documents");
  auto out_dir = ctx.temp_dir() / "split";
  std::filesystem::create_directories(out_dir);
  auto written =
      split::write_documents(in.path, opts.password, config.max_pages, plan, out_dir, in.filename);
  Json files = Json::array(), documents = Json::array();
  for (size_t i = 0; i < plan.documents.size(); ++i) {
    ctx.check_cancelled();
    const auto& d = plan.documents[i];
    std::string url = ctx.add_output(written[i], d.suggested_filename, "application/pdf");
    files.push_back(url);
    Json dj = split::document_json(d);
    dj["file"] = url;
    documents.push_back(std::move(dj));
  }
  Json skipped = Json::array();
  for (const auto& s : plan.separator_pages)
    skipped.push_back({{"page", s.page}, {"reason", s.reason}});
  return {{"files", std::move(files)},
          {"documents", std::move(documents)},
          {"document_count", plan.documents.size()},
          {"page_count", plan.page_count},
          {"separator_pages", std::move(skipped)},
          {"pages_read_by_ocr", plan.pages_read_by_ocr},
          {"pages_without_text", plan.pages_without_text},
          {"duration_ms", std::round(watch.elapsed_ms())}};
}

std::vector<Param> ai_split_params() {
  return {param("split_on_blank", ParamType::kBoolean,
                "A blank page separates documents (and is left out of them)", true),
          param("detect_barcodes", ParamType::kBoolean,
                "Read barcodes on pages with little text; a separator code (see separator_code) "
                "or a sheet carrying only a barcode separates documents",
                true),
          param("separator_code", ParamType::kString,
                "Code values that mark a separator sheet, comma-separated ('SEP*' matches a "
                "prefix). Default PATCHT"),
          param("ocr", ParamType::kBoolean,
                "Read pages without a text layer (scans) by OCR and split them like the others; "
                "false leaves them with the pages before them",
                true),
          param("language", ParamType::kString,
                "OCR language(s) of the scans: deu, eng, de_DE, German, deu+eng; default: "
                "detected per page"),
          password_param()};
}

// The index rows pdf_convert serves, each with its target_format. png, txt and html have no row
// of their own: REST only (an MCP tool is one index row).
std::vector<ToolVariant> convert_tools() {
  auto to = [](std::string name, std::string title, std::string summary, std::string format) {
    return ToolVariant{.mcp_name = std::move(name),
                       .title = std::move(title),
                       .summary = std::move(summary),
                       .fixed_params = {{"target_format", std::move(format)}}};
  };
  return {to("po_pdf_convert_word", "Convert PDF to Word",
             "PDF to a Word document (DOCX): the text of each page in reading order.", "docx"),
          to("po_pdf_convert_excel", "Convert PDF to Excel",
             "PDF to an Excel workbook (XLSX): one sheet per page, tables as cells.", "xlsx"),
          to("po_pdf_convert_powerpoint", "Convert PDF to PowerPoint",
             "PDF to a PowerPoint presentation (PPTX): one slide per page with its text.", "pptx"),
          to("po_pdf_convert_jpg", "Convert PDF to JPG",
             "Render PDF pages to JPG images (one per page, all as one ZIP at "
             "result.archive_url; dpi, quality, grayscale).",
             "jpg"),
          to("po_pdf_convert_webp", "Convert PDF to WebP",
             "Render PDF pages to WebP images (one per page, all as one ZIP at "
             "result.archive_url; dpi, quality, grayscale).",
             "webp"),
          to("po_pdf_convert_pdfa", "Convert PDF to PDF/A",
             "Convert a PDF to PDF/A-2b for archiving (Ghostscript).", "pdfa")};
}

}  // namespace

void register_pdf_render_pipelines(PipelineRegistry& registry, const core::Config& config) {
  registry.add({.name = "workflow/pdf_convert",
                .operation = "pdf_convert",
                .title = "Convert PDF to images, PDF/A, Word, Excel, PowerPoint, text or HTML",
                .default_lane = Lane::kNoSla,
                .credits = 5,
                .params = convert_params(),
                .validate =
                    [](const http::Params& p, const std::vector<InputFile>&) {
                      convert_format(p);
                      validate_common(p);
                    },
                .run =
                    [config](PipelineContext& ctx) {
                      return run_convert(ctx, convert_format(ctx.params()), config);
                    },
                .tools = convert_tools(),
                .category = kCategory});
  registry.add({.name = "paperoffice_dataripper___pdf2office",
                .operation = "pdf2office",
                .title = "PDF to Office (docx, xlsx, pptx)",
                .default_lane = Lane::kNoSla,
                .credits = 5,
                .params = pdf2office_params(),
                .validate =
                    [](const http::Params& p, const std::vector<InputFile>&) {
                      office_format(p);
                      validate_common(p);
                    },
                .run =
                    [config](PipelineContext& ctx) {
                      return run_convert(ctx, office_format(ctx.params()), config);
                    },
                .category = kCategory,
                .summary = "The office conversions of pdf_convert (docx, xlsx, pptx) under the "
                           "DataRipper pipeline slug."});
  registry.add(
      {.name = "workflow/pdf_ai_split",
       .operation = "pdf_ai_split",
       .title = "Split a PDF into its documents",
       .default_lane = Lane::kNoSla,
       .credits = 5,
       .params = ai_split_params(),
       .validate =
           [](const http::Params& p, const std::vector<InputFile>& inputs) {
             if (inputs.size() != 1)
               throw core::Error::invalid_request("pdf_ai_split takes exactly one PDF in 'file'");
             ocr::resolve_languages(p.str("language"),
                                    ocr::installed_languages(ocr::default_tessdata_dir()));
           },
       .run = [config](PipelineContext& ctx) { return run_ai_split(ctx, config); },
       .tools = {{.mcp_name = "po_pdf_split_ai",
                  .title = "Split PDF via AI",
                  .summary = "Split a PDF holding several documents into them, from "
                             "page-number markers, invoice numbers, letterheads, dates, "
                             "blank pages and separator barcodes, scanned pages read by OCR; "
                             "each document with its type, date, sender, file name and "
                             "reasoning."}},
       .category = kCategory});
}

}  // namespace paperd::jobs
