// Workflow templates for PDF structure work on qpdf (and Ghostscript for strong compression):
// pdf_merge, pdf_split, pdf_rotate, pdf_compress, pdf_protect, pdf_unlock,
// pdf_remove_restrictions, pdf_metadata, image_to_pdf, plus the legacy PDF Studio slugs
// pdfstudio___compress_pdf and pdfstudio___jpg_to_pdf. Glue only: the work is in engines/pdf.
#include <cmath>
#include <functional>

#include <fmt/format.h>

#include "core/clock.h"
#include "core/error.h"
#include "core/json_guard.h"
#include "engines/pdf/image_to_pdf.h"
#include "engines/pdf/qpdf_compress.h"
#include "engines/pdf/qpdf_document.h"
#include "engines/pdf/qpdf_merge.h"
#include "engines/pdf/qpdf_metadata.h"
#include "engines/pdf/qpdf_page_ranges.h"
#include "engines/pdf/qpdf_rotate.h"
#include "engines/pdf/qpdf_security.h"
#include "engines/pdf/qpdf_split.h"
#include "jobs/pipelines/pipelines.h"

namespace paperd::jobs {

namespace {

namespace fs = std::filesystem;
namespace pdf = engines::pdf;
using http::Param;
using http::ParamType;

constexpr const char* kPdfType = "application/pdf";
constexpr const char* kCategory = "Document AI — PDF";

Param password_param(const std::string& what) {
  return param("password", ParamType::kString, what);
}

// ---- inputs and outputs -------------------------------------------------------------------

std::string stem_of(const InputFile& in) {
  std::string stem = fs::path(in.filename).stem().string();
  return stem.empty() ? "document" : stem;
}

// A client-chosen file name reduced to a safe base name ending in .pdf.
std::string pdf_filename(const std::string& wanted, const std::string& fallback) {
  std::string name = fs::path(wanted).filename().string();
  std::string clean;
  for (unsigned char c : name)
    if (c >= 0x20 && c != '/' && c != '\\' && c != ':' && c != '"') clean += static_cast<char>(c);
  if (clean.empty() || clean == "." || clean == "..") clean = fallback;
  std::string lower = clean;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!lower.ends_with(".pdf")) clean += ".pdf";
  return clean;
}

// A string field with a fixed set of values (compared case-insensitively), mapped to T; anything
// else is a 400 listing the accepted values.
template <typename T>
T choose(const http::Params& p, const std::string& field, const std::string& fallback,
         std::initializer_list<std::pair<const char*, T>> values) {
  std::string v = p.str(field, fallback);
  for (auto& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string accepted;
  for (const auto& [name, value] : values) {
    if (v == name) return value;
    accepted += (accepted.empty() ? "" : ", ") + std::string(name);
  }
  throw core::Error::invalid_request("field '" + field + "' must be one of: " + accepted);
}

pdf::QpdfDocument open_pdf(const InputFile& in, const std::string& password,
                           const core::Config& config) {
  pdf::QpdfOpenOptions o;
  o.password = password;
  o.display_name = in.filename;
  o.max_pages = config.max_pages;
  // qpdf reads a file through FILE* with a seek per object (31,000 lseek calls to split 500
  // pages); a file up to 32 MB is read into memory once instead.
  std::error_code ec;
  o.read_into_memory = fs::file_size(in.path, ec) <= (32u << 20) && !ec;
  return pdf::QpdfDocument::open(in.path, o);
}

void require_inputs(const std::vector<InputFile>& inputs, size_t minimum, const char* tool) {
  if (inputs.size() < minimum)
    throw core::Error::invalid_request(std::string(tool) + " needs at least " +
                                       std::to_string(minimum) +
                                       " files (upload them as file_1, file_2, ... in order)");
}

// A fresh directory per input so outputs of inputs with the same name never collide.
fs::path output_dir(PipelineContext& ctx, size_t index) {
  fs::path dir = ctx.temp_dir() / "pdf-tools" / std::to_string(index);
  fs::create_directories(dir);
  return dir;
}

Json output_json(PipelineContext& ctx, const fs::path& file, const std::string& filename) {
  std::string url = ctx.add_output(file, filename, kPdfType);
  return {{"url", url}, {"filename", filename}, {"size_bytes", fs::file_size(file)}};
}

// Runs `one` for each input in order with progress and cancellation; every input gets its own
// entry in documents[] and its outputs in files[].
Json for_each_input(PipelineContext& ctx, const std::string& verb,
                    const std::function<Json(const InputFile&, const fs::path&)>& one) {
  core::Stopwatch watch;
  const auto& inputs = ctx.inputs();
  Json files = Json::array(), documents = Json::array();
  for (size_t i = 0; i < inputs.size(); ++i) {
    ctx.check_cancelled();
    ctx.progress(static_cast<int>(i * 100 / inputs.size()), verb + " " + inputs[i].filename);
    Json doc = one(inputs[i], output_dir(ctx, i));
    doc["source"] = inputs[i].filename;
    for (const auto& out : doc.value("outputs", Json::array())) files.push_back(out["url"]);
    documents.push_back(std::move(doc));
  }
  Json result = {{"files", files}, {"documents", documents}};
  // One input (the usual case) also gets its figures at the top level.
  if (documents.size() == 1)
    for (auto& [key, value] : documents[0].items())
      if (key != "outputs" && !result.contains(key)) result[key] = value;
  result["duration_ms"] = std::round(watch.elapsed_ms());
  return result;
}

// `pages` as a page-range string: a JSON array ([1, "3-5"]) or a string; "" / "all" = every page.
std::string page_spec(const http::Params& p, const char* field) {
  if (!p.has(field)) return "";
  const Json& v = p.raw()[field];
  std::string spec;
  if (v.is_array()) {
    for (const auto& item : v) {
      if (!item.is_number_integer() && !item.is_string())
        throw core::Error::invalid_request(std::string("field '") + field +
                                           "' must list page numbers or ranges");
      spec += (spec.empty() ? "" : ",") +
              (item.is_string() ? item.get<std::string>() : std::to_string(item.get<int64_t>()));
    }
  } else if (v.is_number_integer()) {
    spec = std::to_string(v.get<int64_t>());
  } else if (v.is_string()) {
    spec = v.get<std::string>();
  } else if (!v.is_null()) {
    throw core::Error::invalid_request(std::string("field '") + field +
                                       "' must be page numbers or ranges such as 1-3,5,7-");
  }
  // A JSON array sent as a string.
  if (spec.starts_with("[")) {
    Json parsed = core::parse_untrusted_json(spec, {}, std::string("field '") + field + "'");
    if (parsed.is_array()) {
      http::Params inner;
      inner.set(field, parsed);
      return page_spec(inner, field);
    }
  }
  std::string lower = spec;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "all" ? "" : spec;
}

// ---- pdf_merge ----------------------------------------------------------------------------

pdf::MergeBookmarks merge_bookmarks(const http::Params& p) {
  return choose<pdf::MergeBookmarks>(p, "bookmarks", "per_file",
                                     {{"per_file", pdf::MergeBookmarks::kPerFile},
                                      {"keep", pdf::MergeBookmarks::kKeep},
                                      {"none", pdf::MergeBookmarks::kNone}});
}

Json run_merge(PipelineContext& ctx, const core::Config& config) {
  core::Stopwatch watch;
  const auto& p = ctx.params();
  std::vector<pdf::MergeInput> inputs;
  for (const auto& in : ctx.inputs()) inputs.push_back({in.path, in.filename, in.data});
  pdf::MergeOptions o;
  o.password = p.str("password");
  o.max_pages = config.max_pages;
  o.bookmarks = merge_bookmarks(p);
  o.progress = [&](size_t done, size_t all) {
    ctx.check_cancelled();
    ctx.progress(static_cast<int>(done * 90 / all),
                 "merged " + std::to_string(done) + " of " + std::to_string(all) + " files");
  };
  const std::string name = pdf_filename(p.str("output_filename", "merged.pdf"), "merged.pdf");
  const fs::path out = output_dir(ctx, 0) / name;
  pdf::MergeResult r = pdf::merge_pdfs(inputs, out, o);
  Json output = output_json(ctx, out, name);
  Json per_input = Json::array();
  for (size_t i = 0; i < inputs.size(); ++i)
    per_input.push_back({{"source", inputs[i].name}, {"pages", r.input_pages[i]}});
  return {{"files", {output["url"]}},
          {"output_filename", name},
          {"pages", r.pages},
          {"size_bytes", output["size_bytes"]},
          {"inputs", per_input},
          {"bookmarks", r.bookmarks},
          {"duration_ms", std::round(watch.elapsed_ms())}};
}

// ---- pdf_split ----------------------------------------------------------------------------

enum class SplitMode { kEveryPage, kFixed, kRanges };

SplitMode split_mode(const http::Params& p) {
  if (p.str("mode").empty()) {
    if (p.has("ranges")) return SplitMode::kRanges;
    if (p.has("pages_per_file")) return SplitMode::kFixed;
    return SplitMode::kEveryPage;
  }
  return choose<SplitMode>(p, "mode", "",
                           {{"every_page", SplitMode::kEveryPage},
                            {"pages", SplitMode::kEveryPage},
                            {"fixed", SplitMode::kFixed},
                            {"pages_per_file", SplitMode::kFixed},
                            {"ranges", SplitMode::kRanges}});
}

void validate_split(const http::Params& p, const std::vector<InputFile>&) {
  switch (split_mode(p)) {
    case SplitMode::kRanges: {
      std::string spec = page_spec(p, "ranges");
      if (spec.empty())
        throw core::Error::invalid_request(
            "field 'ranges' is required for mode ranges, e.g. "
            "1-3,5,7-");
      pdf::parse_page_ranges(spec, -1, "ranges");
      break;
    }
    case SplitMode::kFixed:
      if (p.integer("pages_per_file", 0) < 1)
        throw core::Error::invalid_request("field 'pages_per_file' must be at least 1");
      break;
    case SplitMode::kEveryPage:
      break;
  }
}

// Inputs up to this size are split in memory (a part is at most its input's size).
constexpr uint64_t kSplitInMemoryBytes = 256ull << 20;

Json run_split(PipelineContext& ctx, const core::Config& config) {
  const auto& p = ctx.params();
  const SplitMode mode = split_mode(p);
  return for_each_input(ctx, "splitting", [&](const InputFile& in, const fs::path& dir) {
    pdf::QpdfDocument doc = open_pdf(in, p.str("password"), config);
    std::vector<pdf::PageRange> ranges =
        mode == SplitMode::kRanges ? pdf::parse_page_ranges(page_spec(p, "ranges"),
                                                            doc.page_count(), "ranges", in.filename)
        : mode == SplitMode::kFixed
            ? pdf::fixed_ranges(doc.page_count(), static_cast<int>(p.integer("pages_per_file", 1)))
            : pdf::fixed_ranges(doc.page_count(), 1);
    Json outputs = Json::array(), parts_json = Json::array();
    auto add = [&](const pdf::SplitPart& part, Json o) {
      parts_json.push_back({{"file", o["url"]},
                            {"filename", o["filename"]},
                            {"page_range", part.range.label()},
                            {"pages", part.range.last - part.range.first + 1},
                            {"bookmarks", part.bookmarks},
                            {"size_bytes", o["size_bytes"]}});
      outputs.push_back(std::move(o));
    };
    auto cancel = [&](size_t, size_t) { ctx.check_cancelled(); };
    if (fs::file_size(in.path) <= kSplitInMemoryBytes) {
      // Parts go from memory into the blob store: no scratch file per part.
      pdf::split_pdf(doc, ranges, dir, stem_of(in), cancel, [&](pdf::SplitPart& part) {
        const std::string name = part.file.filename().string();
        std::string url = ctx.add_output_bytes(part.data, name, kPdfType);
        add(part, {{"url", url}, {"filename", name}, {"size_bytes", part.data.size()}});
      });
    } else {
      for (const auto& part : pdf::split_pdf(doc, ranges, dir, stem_of(in), cancel))
        add(part, output_json(ctx, part.file, part.file.filename().string()));
    }
    return Json{{"outputs", outputs},
                {"parts", parts_json},
                {"total_parts", parts_json.size()},
                {"input_pages", doc.page_count()}};
  });
}

// ---- pdf_rotate ---------------------------------------------------------------------------

void validate_rotate(const http::Params& p, const std::vector<InputFile>&) {
  int64_t angle = p.integer("angle", 90);
  if (angle != 90 && angle != 180 && angle != 270 && angle != -90)
    throw core::Error::invalid_request("field 'angle' must be 90, 180 or 270");
  std::string spec = page_spec(p, "pages");
  if (!spec.empty()) pdf::parse_page_ranges(spec, -1, "pages");
}

Json run_rotate(PipelineContext& ctx, const core::Config& config) {
  const auto& p = ctx.params();
  int angle = static_cast<int>(p.integer("angle", 90));
  if (angle == -90) angle = 270;
  const std::string spec = page_spec(p, "pages");
  return for_each_input(ctx, "rotating", [&](const InputFile& in, const fs::path& dir) {
    pdf::QpdfDocument doc = open_pdf(in, p.str("password"), config);
    std::vector<pdf::PageRange> ranges;
    if (!spec.empty())
      ranges = pdf::parse_page_ranges(spec, doc.page_count(), "pages", in.filename);
    std::vector<int> turned = pdf::rotate_pages(doc, ranges, angle);
    const std::string name = stem_of(in) + "_rotated.pdf";
    pdf::write_pdf(doc.qpdf(), dir / name, {}, "the rotated '" + in.filename + "'");
    return Json{{"outputs", {output_json(ctx, dir / name, name)}},
                {"angle", angle},
                {"rotated_pages", turned},
                {"page_rotations", pdf::page_rotations(doc)},
                {"pages", doc.page_count()}};
  });
}

// ---- pdf_compress -------------------------------------------------------------------------

void validate_compress(const http::Params& p, const std::vector<InputFile>&) {
  pdf::parse_compression_level(p.str("compression", "medium"));
}

Json run_compress(PipelineContext& ctx, const core::Config& config) {
  const auto& p = ctx.params();
  const auto level = pdf::parse_compression_level(p.str("compression", "medium"));
  return for_each_input(ctx, "compressing", [&](const InputFile& in, const fs::path& dir) {
    pdf::QpdfDocument doc = open_pdf(in, p.str("password"), config);
    pdf::CompressOptions o;
    o.level = level;
    o.ghostscript_timeout_ms = config.convert_timeout_seconds * 1000;
    o.work_dir = dir;
    const std::string name = stem_of(in) + "_compressed.pdf";
    pdf::CompressResult r = pdf::compress_pdf(doc, dir / name, o);
    Json out = {
        {"outputs", {output_json(ctx, dir / name, name)}},
        {"compression", p.str("compression", "medium")},
        {"input_size", r.input_size},
        {"output_size", r.output_size},
        {"saved_bytes", r.input_size - r.output_size},
        {"ratio", r.input_size ? std::round(1000.0 * r.output_size / r.input_size) / 1000 : 1.0},
        {"method", r.method},
        {"kept_input", r.kept_input},
        {"pages", doc.page_count()}};
    if (r.kept_input)
      out["message"] = "compression would not make '" + in.filename +
                       "' smaller; the input is returned unchanged";
    if (!r.note.empty()) out["note"] = r.note;
    if (level == pdf::CompressionLevel::kHigh) {
      // Which pages took which path: the runs each Ghostscript process downsampled, and whether
      // the lossless pass was tried beside them.
      Json runs = Json::array();
      for (size_t k = 0; k < r.ghostscript_ranges.size(); ++k)
        runs.push_back({{"pages", r.ghostscript_ranges[k].label()},
                        {"path", fmt::format("ghostscript /ebook, process {}", k + 1)}});
      out["page_paths"] = std::move(runs);
      out["image_share"] = std::round(1000.0 * r.image_share) / 1000;
      out["lossless_pass"] = r.lossless_tried;
    }
    return out;
  });
}

// ---- pdf_protect / pdf_unlock / pdf_remove_restrictions -----------------------------------

void validate_protect(const http::Params& p, const std::vector<InputFile>&) {
  if (p.str("password").empty())
    throw core::Error::invalid_request(
        "field 'password' (the password to open the PDF) is "
        "required");
}

Json run_protect(PipelineContext& ctx, const core::Config& config) {
  const auto& p = ctx.params();
  pdf::Protection prot;
  prot.user_password = p.str("password");
  prot.owner_password = p.str("owner_password");
  prot.allow_print = p.boolean("allow_print", true);
  prot.allow_copy = p.boolean("allow_copy", true);
  prot.allow_modify = p.boolean("allow_modify", true);
  prot.allow_annotate = p.boolean("allow_annotate", true);
  return for_each_input(ctx, "protecting", [&](const InputFile& in, const fs::path& dir) {
    pdf::QpdfDocument doc = open_pdf(in, p.str("current_password"), config);
    const std::string name = stem_of(in) + "_protected.pdf";
    pdf::protect_pdf(doc, dir / name, prot);
    return Json{{"outputs", {output_json(ctx, dir / name, name)}},
                {"encryption", "AES-256 (R6)"},
                {"permissions",
                 {{"print", prot.allow_print},
                  {"copy", prot.allow_copy},
                  {"modify", prot.allow_modify},
                  {"annotate", prot.allow_annotate}}},
                {"owner_password_generated", prot.owner_password.empty()},
                {"pages", doc.page_count()}};
  });
}

void validate_unlock(const http::Params& p, const std::vector<InputFile>&) {
  if (p.str("password").empty())
    throw core::Error::invalid_request(
        "field 'password' (the PDF's current password) is "
        "required");
}

// Unlock and remove-restrictions differ only in what they need and what they say.
Json run_decrypt(PipelineContext& ctx, const core::Config& config, bool unlock) {
  const auto& p = ctx.params();
  return for_each_input(
      ctx, unlock ? "unlocking" : "removing restrictions from",
      [&](const InputFile& in, const fs::path& dir) {
        pdf::QpdfDocument doc = open_pdf(in, p.str("password"), config);
        const std::string name = stem_of(in) + (unlock ? "_unlocked.pdf" : "_unrestricted.pdf");
        Json out = {{"was_encrypted", doc.encrypted()}, {"pages", doc.page_count()}};
        if (!doc.encrypted()) {
          fs::copy_file(in.path, dir / name);
          out["message"] = "'" + in.filename + "' is not encrypted; it is returned unchanged";
        } else {
          out["removed_restrictions"] = pdf::denied_permissions(doc);
          pdf::write_decrypted(doc, dir / name);
        }
        out["outputs"] = {output_json(ctx, dir / name, name)};
        return out;
      });
}

// ---- pdf_metadata -------------------------------------------------------------------------

void validate_metadata(const http::Params& p, const std::vector<InputFile>&) {
  for (const char* date : {"creation_date", "mod_date"}) {
    std::string v = p.str(date);
    if (!v.empty()) pdf::iso_to_pdf_date(v, date);
  }
}

Json run_metadata(PipelineContext& ctx, const core::Config& config) {
  const auto& p = ctx.params();
  std::map<std::string, std::string> changes;
  for (const auto& field : pdf::metadata_fields())
    if (p.has(field) && !p.raw()[field].is_null()) changes[field] = p.str(field);
  const std::string now = core::iso8601(core::unix_now());
  const std::string password = p.str("password");
  return for_each_input(ctx, "updating metadata of", [&](const InputFile& in, const fs::path& dir) {
    pdf::QpdfDocument doc = open_pdf(in, password, config);
    pdf::update_metadata(doc.qpdf(), changes, now);
    const std::string name = stem_of(in) + ".pdf";
    pdf::write_pdf(doc.qpdf(), dir / name, {}, "'" + in.filename + "' with new metadata");
    // Echo what a reader finds in the written file, not what was asked for.
    pdf::QpdfOpenOptions o;
    o.password = password;
    o.display_name = name;
    o.max_pages = config.max_pages;
    pdf::QpdfDocument written = pdf::QpdfDocument::open(dir / name, o);
    Json changed = Json::array();
    for (const auto& [field, value] : changes) changed.push_back(field);
    return Json{{"outputs", {output_json(ctx, dir / name, name)}},
                {"metadata", pdf::read_info(written.qpdf())},
                {"xmp", pdf::read_xmp(written.qpdf())},
                {"changed_fields", changed},
                {"pages", written.page_count()}};
  });
}

// ---- image_to_pdf -------------------------------------------------------------------------

pdf::ImageToPdfOptions image_options(const http::Params& p, const core::Config& config) {
  pdf::ImageToPdfOptions o;
  o.page_size = choose<pdf::PageSizeMode>(p, "page_size", "fit",
                                          {{"fit", pdf::PageSizeMode::kFit},
                                           {"a4", pdf::PageSizeMode::kA4},
                                           {"letter", pdf::PageSizeMode::kLetter}});
  o.orientation = choose<pdf::PageOrientation>(p, "orientation", "auto",
                                               {{"auto", pdf::PageOrientation::kAuto},
                                                {"portrait", pdf::PageOrientation::kPortrait},
                                                {"landscape", pdf::PageOrientation::kLandscape}});
  o.default_dpi = p.number("dpi", 150);
  if (!(o.default_dpi >= 10 && o.default_dpi <= 2400))
    throw core::Error::invalid_request("field 'dpi' must be between 10 and 2400");
  o.margin_pt = p.number("margin", 36);
  if (!(o.margin_pt >= 0 && o.margin_pt <= 200))
    throw core::Error::invalid_request("field 'margin' must be between 0 and 200 points");
  o.max_pages = config.max_pages;
  o.max_megapixels = config.max_megapixels;
  return o;
}

Json run_image_to_pdf(PipelineContext& ctx, const core::Config& config) {
  core::Stopwatch watch;
  pdf::ImageToPdfOptions o = image_options(ctx.params(), config);
  o.progress = [&](size_t done, size_t all) {
    ctx.check_cancelled();
    ctx.progress(static_cast<int>(done * 90 / all),
                 "placed " + std::to_string(done) + " of " + std::to_string(all) + " images");
  };
  std::vector<pdf::ImageInput> inputs;
  for (const auto& in : ctx.inputs()) inputs.push_back({in.path, in.filename});
  const std::string fallback = stem_of(ctx.inputs().front()) + ".pdf";
  const std::string name = pdf_filename(ctx.params().str("output_filename", fallback), fallback);
  const fs::path out = output_dir(ctx, 0) / name;
  auto pages = pdf::images_to_pdf(inputs, out, o);
  Json output = output_json(ctx, out, name);
  Json details = Json::array();
  for (const auto& pg : pages)
    details.push_back({{"source", pg.source},
                       {"frame", pg.frame + 1},
                       {"width", pg.width},
                       {"height", pg.height},
                       {"dpi", std::round(pg.dpi * 10) / 10},
                       {"encoding", pg.encoding},
                       {"color", pg.color},
                       {"alpha", pg.alpha}});
  return {{"files", {output["url"]}}, {"output_filename", name},
          {"pages", pages.size()},    {"size_bytes", output["size_bytes"]},
          {"page_details", details},  {"duration_ms", std::round(watch.elapsed_ms())}};
}

// ---- parameter tables ---------------------------------------------------------------------

std::vector<Param> compress_params() {
  Param level = param("compression", ParamType::kString,
                      "low: object streams, lossless; medium: also re-deflates every stream at "
                      "level 9 (lossless); high: also downsamples images with Ghostscript "
                      "(/ebook, 150 dpi). The result is never larger than the input",
                      "medium");
  level.enum_values = {"low", "medium", "high"};
  return {level, password_param("Password of an encrypted input (kept encrypted)")};
}

std::vector<Param> image_params() {
  return {param("page_size", ParamType::kString,
                "fit (the page is the image at its resolution), A4 or Letter (scaled to fit "
                "inside the margins, centred)",
                "fit"),
          param("orientation", ParamType::kString,
                "A4/Letter: auto (follows the image), portrait or landscape", "auto"),
          param("dpi", ParamType::kNumber,
                "Resolution assumed for images that state none (fit pages)", 150),
          param("margin", ParamType::kNumber, "A4/Letter margin in points (1/72 in)", 36),
          param("output_filename", ParamType::kString, "Name of the PDF")};
}

}  // namespace

void register_pdf_tool_pipelines(PipelineRegistry& registry, const core::Config& config) {
  auto add = [&](std::string name, std::string operation, std::string title,
                 std::vector<Param> params,
                 std::function<void(const http::Params&, const std::vector<InputFile>&)> validate,
                 std::function<Json(PipelineContext&)> run, std::vector<ToolVariant> tools = {},
                 bool inputs_in_memory = false) {
    registry.add({.name = std::move(name),
                  .operation = std::move(operation),
                  .title = std::move(title),
                  .default_lane = Lane::kNoSla,
                  .credits = 5,
                  .inputs_in_memory = inputs_in_memory,
                  .params = std::move(params),
                  .validate = std::move(validate),
                  .run = std::move(run),
                  .tools = std::move(tools),
                  .category = kCategory});
  };

  add(
      "workflow/pdf_merge", "pdf_merge", "Merge PDFs",
      {param("output_filename", ParamType::kString, "Name of the merged PDF", "merged.pdf"),
       param("bookmarks", ParamType::kString,
             "per_file: one bookmark per input with its own bookmarks below it; keep: the inputs' "
             "bookmarks only; none",
             "per_file"),
       password_param("Password tried on encrypted inputs")},
      [](const http::Params& p, const std::vector<InputFile>& in) {
        require_inputs(in, 2, "pdf_merge");
        merge_bookmarks(p);
      },
      [config](PipelineContext& ctx) { return run_merge(ctx, config); },
      {{.mcp_name = "po_pdf_merge",
        .title = "Merge pdf",
        .summary = "Merge several PDFs (file_1, file_2, ... in order) into one with qpdf, with a "
                   "bookmark per input."}},
      /*inputs_in_memory=*/true);  // many small inputs: a scratch file each costs more

  add("workflow/pdf_split", "pdf_split", "Split a PDF",
      {param("mode", ParamType::kString,
             "every_page (default), fixed (pages_per_file pages each) or ranges"),
       param("pages_per_file", ParamType::kInteger, "Pages per output file (mode fixed)"),
       param("ranges", ParamType::kAny,
             "Page ranges, one output each: \"1-3,5,7-\" (7- runs to the end) or a JSON array"),
       password_param("Password of an encrypted input")},
      validate_split, [config](PipelineContext& ctx) { return run_split(ctx, config); },
      {{.mcp_name = "po_pdf_split",
        .title = "Split PDF",
        .summary = "Split a PDF into single pages, fixed-size parts or page ranges (qpdf); one "
                   "PDF per part, and all parts as one ZIP at result.archive_url."}});

  add("workflow/pdf_rotate", "pdf_rotate", "Rotate PDF pages",
      {param("angle", ParamType::kInteger, "Clockwise degrees added to each page: 90, 180 or 270",
             90),
       param("pages", ParamType::kAny,
             "Pages to turn: \"1,3,5-7\" or a JSON array; default every page"),
       password_param("Password of an encrypted input (kept encrypted)")},
      validate_rotate, [config](PipelineContext& ctx) { return run_rotate(ctx, config); },
      {{.mcp_name = "po_pdf_rotate",
        .title = "Rotate pdf",
        .summary = "Rotate all or selected pages of a PDF by 90, 180 or 270 degrees "
                   "clockwise."}});

  for (const char* slug : {"workflow/pdf_compress", "pdfstudio___compress_pdf"}) {
    bool legacy = std::string(slug).starts_with("pdfstudio");
    std::vector<ToolVariant> tools;
    if (!legacy)
      tools.push_back({.mcp_name = "po_pdf_compress",
                       .title = "Compress PDF",
                       .summary = "Reduce a PDF's size: lossless stream recompression (low, "
                                  "medium) or Ghostscript image downsampling (high); never "
                                  "larger than the input."});
    add(
        slug, legacy ? "compress_pdf" : "pdf_compress", "Compress a PDF", compress_params(),
        validate_compress, [config](PipelineContext& ctx) { return run_compress(ctx, config); },
        std::move(tools));
  }

  add("workflow/pdf_protect", "pdf_protect", "Add a password to a PDF (AES-256)",
      {required(param("password", ParamType::kString, "User password: needed to open the PDF")),
       param("owner_password", ParamType::kString,
             "Owner password: lifts the restrictions; default a random one"),
       param("allow_print", ParamType::kBoolean, "Allow printing", true),
       param("allow_copy", ParamType::kBoolean, "Allow copying text and images", true),
       param("allow_modify", ParamType::kBoolean, "Allow changing the document", true),
       param("allow_annotate", ParamType::kBoolean, "Allow comments and form filling", true),
       param("current_password", ParamType::kString, "Password of an already encrypted input")},
      validate_protect, [config](PipelineContext& ctx) { return run_protect(ctx, config); },
      {{.mcp_name = "po_pdf_password_add",
        .title = "Add password to PDF",
        .summary = "Encrypt a PDF with AES-256: a password to open it, optional owner password "
                   "and print/copy/modify/annotate permissions."}});

  // Two index rows name the same operation.
  add("workflow/pdf_unlock", "pdf_unlock", "Remove the password of a PDF",
      {required(param("password", ParamType::kString, "The PDF's password (user or owner)"))},
      validate_unlock, [config](PipelineContext& ctx) { return run_decrypt(ctx, config, true); },
      {{.mcp_name = "po_pdf_password_remove",
        .title = "Remove password from PDF",
        .summary = "Remove the password (and encryption) of a PDF; needs its current password."},
       {.mcp_name = "po_pdf_unlock",
        .title = "Unlock PDF with password",
        .summary = "Open a password-protected PDF with its password and write it without "
                   "encryption."}});

  add("workflow/pdf_remove_restrictions", "pdf_remove_restrictions",
      "Remove printing/copying/editing restrictions from a PDF",
      {password_param("Needed only when the PDF also has a password to open it")}, nullptr,
      [config](PipelineContext& ctx) { return run_decrypt(ctx, config, false); },
      {{.mcp_name = "po_pdf_restrictions_remove",
        .title = "Remove restrictions",
        .summary = "Lift printing, copying and editing restrictions from a PDF (owner-password "
                   "encryption removed)."}});

  std::vector<Param> metadata_params;
  for (const auto& field : pdf::metadata_fields())
    metadata_params.push_back(param(
        field, ParamType::kString,
        field.ends_with("_date") ? "ISO 8601 date, e.g. 2024-05-01T10:20:30+02:00; empty removes"
                                 : "New value; empty removes it"));
  metadata_params.push_back(password_param("Password of an encrypted input (kept encrypted)"));
  add("workflow/pdf_metadata", "pdf_metadata", "Edit PDF metadata (Info and XMP)",
      std::move(metadata_params), validate_metadata,
      [config](PipelineContext& ctx) { return run_metadata(ctx, config); },
      {{.mcp_name = "po_pdf_metadata_update",
        .title = "Edit PDF metadata",
        .summary = "Set or remove a PDF's title, author, subject, keywords, creator, producer "
                   "and dates, in the Info dictionary and XMP alike."}});

  for (const char* slug : {"workflow/image_to_pdf", "pdfstudio___jpg_to_pdf"}) {
    bool legacy = std::string(slug).starts_with("pdfstudio");
    std::vector<ToolVariant> tools;
    if (!legacy)
      tools.push_back({.mcp_name = "po_image_convert_pdf",
                       .title = "Convert image to PDF",
                       .summary = "Place images (JPG, PNG, TIFF with all frames, ...) one per "
                                  "page into a PDF, at their resolution or on A4/Letter."});
    add(
        slug, legacy ? "jpg_to_pdf" : "image_to_pdf", "Images to PDF", image_params(),
        [config](const http::Params& p, const std::vector<InputFile>&) {
          image_options(p, config);
        },
        [config](PipelineContext& ctx) { return run_image_to_pdf(ctx, config); }, std::move(tools));
  }
}

}  // namespace paperd::jobs
