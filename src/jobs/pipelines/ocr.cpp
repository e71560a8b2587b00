// AI-OCR (CONTRACTS §2.1, §3.2): the paperoffice_aiocr___generate pipeline. Glue only: it maps
// the request's parameters to engines/ocr options, runs read_documents() over the job's inputs
// and shapes `output` (pages, summary, searchable PDF link, form fields for the handwritten and
// form idp_collection rows). The "Get json / Get OCR details / Get OCR plain text" rows are tool
// variants here, but with `job_id` the API answers them from the stored result
// (api/ocr_results.h) and no job runs.
//
// Threads: a job's pages are read in parallel by config.ocr_threads threads (0 = cores), each
// with its own Tesseract instances. Debian's libtesseract uses OpenMP, which makes OCR several
// times slower on few cores. libgomp reads OMP_THREAD_LIMIT only when the process starts: the
// supervisor starts workers with OMP_THREAD_LIMIT=1, and each OCR thread also caps its own OpenMP
// thread limit (engines/ocr/recognizer.h, limit_openmp_threads) for `paperd run`. Loaded models
// stay in one ReaderPool between the jobs of a worker process, shared with the AI split
// (ocr_options.h).
//
// Language: `language`, else `locale`, else detected per page: read with config.ocr_language
// (default eng), then again with the detected language when that differs (engines/ocr/language.h).
//
// Credits: 5 per job (the pipeline price is static per job; text/grid/complete at 5/8/10 per page
// would need a per-page price).
#include <fmt/format.h>

#include <filesystem>

#include "core/clock.h"
#include "core/error.h"
#include "engines/ocr/document_reader.h"
#include "engines/ocr/input_format.h"
#include "engines/ocr/language.h"
#include "engines/ocr/result_json.h"
#include "jobs/pipelines/ocr_options.h"
#include "jobs/pipelines/pipelines.h"

namespace paperd::jobs {

namespace {

namespace ocr = engines::ocr;
using http::Param;
using http::ParamType;

const std::vector<std::string> kFormCollections = {
    "handwritten_document", "handwritten_customer_form", "government_forms", "us_tax_forms"};

ocr::OcrMode mode_of(const http::Params& p) {
  std::string mode = p.str("ocr_mode");
  if (mode.empty()) {
    // basic -> text, premium -> grid, ultra -> complete (also "-per", "-pro", "-max" variants).
    std::string model = p.str("model");
    if (model.starts_with("ultra"))
      mode = "complete";
    else if (model.starts_with("premium"))
      mode = "grid";
    else
      mode = "text";
  }
  if (mode == "grid") return ocr::OcrMode::kGrid;
  if (mode == "complete") return ocr::OcrMode::kComplete;
  return ocr::OcrMode::kText;
}

// The Tesseract language set the request asks for ("" = detect per page).
std::string requested_language(const http::Params& p, const std::filesystem::path& tessdata) {
  std::string value = p.str("language");
  if (value.empty()) value = p.str("locale");
  return ocr::resolve_languages(value, ocr::installed_languages(tessdata));
}

void check_collection(const http::Params& p) {
  std::string c = p.str("idp_collection");
  if (c.empty() ||
      std::find(kFormCollections.begin(), kFormCollections.end(), c) != kFormCollections.end())
    return;
  throw core::Error::invalid_request(
      "field 'idp_collection' on the OCR pipeline must be one of: handwritten_document, "
      "handwritten_customer_form, government_forms, us_tax_forms (other collections run on "
      "/job/add/workflow)");
}

std::vector<Param> ocr_params() {
  return {
      {.name = "ocr_mode",
       .description = "text (default), grid (+ word/line/block boxes) or complete (+ layout "
                      "and tables); inferred from model when omitted",
       .enum_values = {"text", "grid", "complete"}},
      {.name = "model",
       .description = "basic -> text, premium -> grid, ultra -> complete (when ocr_mode is not "
                      "given)"},
      {.name = "language",
       .description = "Tesseract language(s): deu, eng, de_DE, de, German, deu+eng; "
                      "default: detected per page"},
      {.name = "locale",
       .description = "de_DE, en_US, ... used as the language when "
                      "'language' is not given"},
      {.name = "output_searchable_pdf",
       .type = ParamType::kBoolean,
       .description = "also return a searchable PDF (page images + invisible text)",
       .default_value = false},
      {.name = "force_ocr",
       .type = ParamType::kBoolean,
       .description = "recognize PDF pages even when they carry a text layer",
       .default_value = false},
      {.name = "dpi",
       .type = ParamType::kNumber,
       .description = "render resolution of PDF pages, the pixel unit of their boxes",
       .default_value = 300,
       .minimum = 72,
       .maximum = 600},
      {.name = "password", .description = "password of an encrypted PDF"},
      {.name = "page",
       .type = ParamType::kInteger,
       .description = "read only this page (1-based)",
       .minimum = 1},
      {.name = "include_bounding_boxes",
       .type = ParamType::kBoolean,
       .description = "word/line/block boxes in text mode too",
       .default_value = false},
      {.name = "detect_orientation",
       .type = ParamType::kBoolean,
       .description = "turn pages upright (90/180/270) before reading",
       .default_value = true},
      {.name = "deskew",
       .type = ParamType::kBoolean,
       .description = "straighten skewed pages (up to about 12 degrees) before reading",
       .default_value = true},
      {.name = "idp_collection",
       .description = "handwritten_document | handwritten_customer_form | government_forms | "
                      "us_tax_forms: add form fields (key/value, checkboxes, signatures)"},
      {.name = "job_id",
       .description = "instead of a file: read the stored result of this OCR job again (no new "
                      "OCR, no credits); see format"},
      {.name = "pofid", .description = "instead of a file: read the OCR result of this document"},
      {.name = "format",
       .description = "with job_id: json (text and statistics per page) | full (everything "
                      "stored) | text_only (text per page) | structured (blocks > lines > words "
                      "with boxes) | text (text/plain)",
       .enum_values = {"json", "full", "text_only", "structured", "text"}},
  };
}

// The ten index rows on this route (CONTRACTS §3.2).
std::vector<ToolVariant> ocr_tools() {
  auto job = [](std::string name, std::string title, std::string summary, Json fixed) {
    return ToolVariant{std::move(name), std::move(title), std::move(summary), std::move(fixed)};
  };
  auto read = [](std::string name, std::string title, std::string summary, std::string format) {
    return ToolVariant{std::move(name), std::move(title), std::move(summary),
                       Json{{"format", format}}, true};
  };
  return {
      job("po_ocr_text", "Extract AI-OCR plain text",
          "OCR text per page with line/char counts, confidence and language; no positions.",
          {{"ocr_mode", "text"}}),
      job("po_ocr_grid", "Extract AI-OCR grid boxes",
          "OCR with word, line and block bounding boxes (pixels, origin top-left).",
          {{"ocr_mode", "grid"}}),
      job("po_ocr_complete", "Run complete AI-OCR analysis",
          "OCR with boxes, layout blocks (title, paragraph, list, table, figure, header, "
          "footer) and tables as rows x cells.",
          {{"ocr_mode", "complete"}}),
      job("po_ocr_handwritten_document", "Extract handwritten document",
          "Tesseract read of a handwritten page with per-field confidence (handwriting quality "
          "is what Tesseract achieves).",
          {{"idp_collection", "handwritten_document"}}),
      job("po_ocr_handwritten_customer_form", "Extract handwritten customer form",
          "Form fields of a handwritten customer form: key/value pairs, checkboxes, signatures.",
          {{"idp_collection", "handwritten_customer_form"}}),
      job("po_ocr_government_forms", "Extract government form data",
          "Form fields of a government form: key/value pairs, checkbox states, signatures.",
          {{"idp_collection", "government_forms"}}),
      job("po_ocr_us_tax_forms", "Extract US tax forms",
          "Form fields of a US tax form: key/value pairs, checkbox states, signatures.",
          {{"idp_collection", "us_tax_forms"}}),
      read("po_ocr_json_get", "Get json",
           "The text and statistics per page of an earlier OCR job (job_id).", "json"),
      read("po_ocr_details_get", "Get OCR details",
           "Detailed OCR data of an earlier OCR job (job_id): blocks, lines and words with boxes "
           "and confidence, layout, tables.",
           "structured"),
      read("po_ocr_text_get", "Get OCR plain text",
           "The plain text of an earlier OCR job (job_id), page by page.", "text"),
  };
}

void validate(const http::Params& p, const std::vector<InputFile>& inputs) {
  requested_language(p, ocr::default_tessdata_dir());
  check_collection(p);
  for (const auto& in : inputs) {
    if (in.data)
      ocr::require_supported(ocr::sniff_bytes(*in.data), in.filename);
    else if (!in.path.empty())
      ocr::require_supported(ocr::sniff_format(in.path), in.filename);
  }
}

Json run(PipelineContext& ctx, const core::Config& config) {
  core::Stopwatch watch;
  const http::Params& p = ctx.params();
  ocr::DocumentOptions o = ocr_base_options(config, ctx.temp_dir() / "ocr");
  o.page.mode = mode_of(p);
  o.page.language = requested_language(p, o.tessdata);
  o.page.detect_orientation = p.boolean("detect_orientation", true);
  o.page.deskew = p.boolean("deskew", true);
  check_collection(p);
  o.page.form_fields = !p.str("idp_collection").empty();
  o.searchable_pdf = p.boolean("output_searchable_pdf", false);
  o.force_ocr = p.boolean("force_ocr", false);
  o.pdf_dpi = p.number("dpi", 300);
  o.password = p.str("password");
  o.only_page = static_cast<int>(p.integer("page", 0));

  std::vector<ocr::DocumentInput> inputs;
  for (const auto& in : ctx.inputs()) inputs.push_back({in.path, in.filename});
  int reported = -1;
  auto progress = [&](int done, int total) {
    ctx.check_cancelled();
    if (done == reported) return;
    reported = done;
    // The searchable PDF is assembled after the last page; keep 100 for the end.
    int span = o.searchable_pdf ? 95 : 99;
    ctx.progress(done * span / std::max(1, total), fmt::format("page {} of {} read", done, total));
  };
  ocr::DocumentResult doc = ocr::read_documents(inputs, o, progress);

  bool word_boxes = p.boolean("include_bounding_boxes", false);
  Json output = ocr::output_json(doc, o.page.mode, word_boxes, o.page.form_fields);
  if (o.page.form_fields) output["idp_collection"] = p.str("idp_collection");
  if (o.searchable_pdf) {
    std::string stem =
        inputs.empty() ? "document" : std::filesystem::path(inputs[0].name).stem().string();
    if (stem.empty()) stem = "document";
    std::string url =
        ctx.add_output(doc.searchable_pdf, stem + "_searchable.pdf", "application/pdf");
    output["searchable_pdf_url"] = url;
    output["download_token"] = url.substr(url.find_last_of('/') + 1);
    output["summary"]["searchable_pdf_path"] = url;
  }
  ctx.progress(100, "done");
  return Json{{"status", "completed"},
              {"output", std::move(output)},
              {"duration_ms", fmt::format("{:.2f}", watch.elapsed_ms())}};
}

}  // namespace

void register_ocr_pipelines(PipelineRegistry& registry, const core::Config& config) {
  registry.add({.name = "paperoffice_aiocr___generate",
                .operation = "aiocr",
                .title = "AI-OCR: text, boxes, layout, tables, searchable PDF, form fields",
                .default_lane = Lane::kNoSla,
                .credits = 5,
                .params = ocr_params(),
                .validate = validate,
                .run = [config](PipelineContext& ctx) { return run(ctx, config); },
                .tools = ocr_tools(),
                .category = "Document AI — OCR & IDP",
                .summary = "Tesseract OCR of PDFs and images: text, word/line/block boxes, layout, "
                           "tables, searchable PDF, form fields."});
}

}  // namespace paperd::jobs
