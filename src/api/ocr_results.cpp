#include "api/ocr_results.h"

#include <fmt/format.h>

#include <cmath>

#include "core/clock.h"
#include "core/error.h"
#include "core/ids.h"
#include "services/dms/common.h"

namespace paperd::api {

namespace {

using core::Error;
using http::Request;
using http::Response;

constexpr const char* kOcrPipeline = "paperoffice_aiocr___generate";

// The flat block/line/word list of a page nested as blocks > lines > words.
Json nest_boxes(const Json& boxes) {
  Json blocks = Json::array();
  auto strip = [](const Json& b) {
    Json o = {{"text", b.value("text", "")}, {"x", b.value("x", 0)},
              {"y", b.value("y", 0)},        {"w", b.value("w", 0)},
              {"h", b.value("h", 0)},        {"confidence", b.value("confidence", 0.0)}};
    return o;
  };
  for (const auto& b : boxes) {
    std::string type = b.value("type", "");
    if (type == "block") {
      Json block = strip(b);
      block["lines"] = Json::array();
      blocks.push_back(std::move(block));
    } else if (type == "line" && !blocks.empty()) {
      Json line = strip(b);
      line["words"] = Json::array();
      blocks.back()["lines"].push_back(std::move(line));
    } else if (type == "word" && !blocks.empty() && !blocks.back()["lines"].empty()) {
      blocks.back()["lines"].back()["words"].push_back(strip(b));
    }
  }
  return blocks;
}

Json page_stats(const Json& page) {
  Json o = Json::object();
  for (const char* k : {"ocr_text", "line_count", "char_count", "confidence_avg", "language",
                        "original_image_width", "original_image_height", "dpi", "source"})
    if (page.contains(k)) o[k] = page[k];
  return o;
}

Json structured_page(const Json& page) {
  Json o = page_stats(page);
  for (const char* k : {"rotation_applied", "skew_angle", "layout", "tables"})
    if (page.contains(k)) o[k] = page[k];
  bool boxes = page.contains("bounding_boxes");
  o["bounding_boxes_available"] = boxes;
  o["blocks"] = boxes ? nest_boxes(page["bounding_boxes"]) : Json::array();
  return o;
}

// The pages' text with "***Page i of N***" before each, as in poaiocr_extracted_fulltext.
std::string fulltext(const Json& pages, int total) {
  std::string text;
  for (auto& [key, page] : pages.items()) {
    if (!text.empty()) text += "\n\n";
    text +=
        fmt::format("***Page {} of {}***\n\n", std::stoi(key), total) + page.value("ocr_text", "");
  }
  return text;
}

}  // namespace

bool wants_ocr_read_back(const Request& req) {
  return req.params.has("job_id") || req.params.has("pofid");
}

Response ocr_read_back(ApiContext& ctx, Request& req) {
  if (!req.files.empty() || req.params.has("source_url") || req.params.has("files"))
    throw Error::invalid_request(
        "give either an input (file, files or source_url: a new OCR job) or 'job_id' (read a "
        "stored OCR result), not both");
  std::string id = req.params.str("job_id");
  if (id.empty()) {  // a stored document: the OCR job of its AI-DMS processing
    std::string pofid = req.params.str("pofid");
    auto doc = services::dms::require_document(ctx.db.conn(), req.principal, pofid);
    if (doc.ai_dms_job_id.empty())
      throw Error(404, "OCR_NOT_AVAILABLE",
                  "document '" + pofid + "' was not OCR-processed" +
                      (doc.text_source == "text_layer"
                           ? " (its text layer is read by GET /documents/ocr-get)"
                           : "; queue it with POST /documents/document-batch-process"));
    id = doc.ai_dms_job_id;
  }
  auto job = core::is_job_id(id) ? ctx.queue.get(id, req.principal.account_id) : std::nullopt;
  if (!job) throw Error::not_found("no job '" + id + "' in this account");
  if (job->pipeline != kOcrPipeline)
    throw Error::invalid_request("job '" + id + "' ran '" + job->pipeline + "', not " +
                                 kOcrPipeline + "; only OCR results can be read back");
  if (job->state != "completed")
    throw Error(409, "JOB_NOT_COMPLETED",
                "job '" + id + "' is " + job->state +
                    (job->state == "failed" ? " and has no OCR result: " + job->error
                                            : "; poll /job/get/" + id + " until completed"));

  const Json& output = job->result.contains("output") ? job->result["output"] : Json::object();
  const Json& stored = output.contains("pages") ? output["pages"] : Json::object();
  const int total = output.contains("summary")
                        ? output["summary"].value("total_pages", static_cast<int>(stored.size()))
                        : static_cast<int>(stored.size());
  Json pages = Json::object();
  if (auto page = req.params.opt_integer("page")) {
    std::string key = fmt::format("{:05d}", *page);
    if (!stored.contains(key)) {
      std::string have;
      for (auto& [k, v] : stored.items())
        have += (have.empty() ? "" : ", ") + std::to_string(std::stoi(k));
      throw Error::not_found(fmt::format("job '{}' has no page {}; its pages: {}", id, *page,
                                         have.empty() ? "none" : have));
    }
    pages[key] = stored[key];
  } else {
    pages = stored;
  }

  std::string format = req.params.str("format", "json");
  if (format == "text") {
    Response r;
    r.raw = fulltext(pages, total) + "\n";
    r.content_type = "text/plain; charset=utf-8";
    r.headers.push_back({"X-Job-Id", id});
    return r;
  }

  Json result = {{"format", format}, {"ocr_mode", output.value("ocr_mode", "text")}};
  int lines = 0, chars = 0;
  for (auto& [key, page] : pages.items()) {
    lines += page.value("line_count", 0);
    chars += page.value("char_count", 0);
  }
  if (format == "full") {
    result = output;
    result["format"] = "full";
    result["pages"] = pages;
  } else if (format == "text_only") {
    Json texts = Json::object();
    for (auto& [key, page] : pages.items()) texts[key] = page.value("ocr_text", "");
    result["pages"] = std::move(texts);
  } else if (format == "structured") {
    Json out = Json::object();
    for (auto& [key, page] : pages.items()) out[key] = structured_page(page);
    result["pages"] = std::move(out);
    if (output.contains("fields")) result["fields"] = output["fields"];
  } else {  // json
    bool boxes = req.params.boolean("include_bounding_boxes", false);
    Json out = Json::object();
    for (auto& [key, page] : pages.items()) {
      Json p = page_stats(page);
      if (boxes && page.contains("bounding_boxes")) p["bounding_boxes"] = page["bounding_boxes"];
      out[key] = std::move(p);
    }
    result["pages"] = std::move(out);
  }
  double confidence = 0;
  int read = 0;
  for (auto& [key, page] : pages.items())
    if (page.value("char_count", 0) > 0) confidence += page.value("confidence_avg", 0.0), ++read;
  Json summary = output.value("summary", Json::object());
  summary["total_pages"] = total;
  summary["avg_confidence"] = read ? std::round(confidence / read * 1e4) / 1e4 : 0.0;
  summary["returned_pages"] = static_cast<int>(pages.size());
  summary["total_lines"] = lines;
  summary["total_chars"] = chars;
  summary["poaiocr_extracted_fulltext"] = fulltext(pages, total);
  result["summary"] = std::move(summary);
  // The same envelope as the OCR job's own result: clients read result.output either way.
  Json wrapped = {{"status", "completed"}, {"output", std::move(result)}};
  return Response::json({{"status", "success"},
                         {"job_id", id},
                         {"job_status", "completed"},
                         {"operation", job->operation},
                         {"pipeline", kOcrPipeline},
                         {"credits_charged", 0},
                         {"result", wrapped},
                         {"job_result", wrapped}});
}

}  // namespace paperd::api
