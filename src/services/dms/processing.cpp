// Follows the AI-DMS processing jobs (OCR through the landed pipeline, queued by the upload): a
// completed job's pages become the document's text, per page with its confidence, and its index
// rows, and its word boxes (in points, from the job's pixels and dpi) the page's words for search
// hits; a failed job marks the document failed. Reads the job rows of the queue, never writes
// them. Runs from the server's DMS sweeper and on demand when a document is read.
#include <spdlog/spdlog.h>

#include "core/error.h"
#include "engines/inspect/page_words.h"
#include "services/dms/documents.h"

namespace paperd::services::dms {

namespace {

// An OCR result page's word boxes (pixels of the page image at its dpi, ocr result_json.h) as
// the page's words in points; nullopt when the job kept no boxes (include_bounding_boxes off).
std::optional<engines::inspect::PageWords> ocr_page_words(int page, const Json& p) {
  if (!p.contains("bounding_boxes") || !p["bounding_boxes"].is_array()) return std::nullopt;
  double dpi = p.value("dpi", 0.0);
  double scale = dpi > 0 ? 72.0 / dpi : 1.0;
  engines::inspect::PageWords out{.page = page,
                                  .width = p.value("original_image_width", 0.0) * scale,
                                  .height = p.value("original_image_height", 0.0) * scale,
                                  .unit = dpi > 0 ? "pt" : "px"};
  int line = -1;
  for (const auto& b : p["bounding_boxes"]) {
    std::string type = b.value("type", "");
    if (type == "line") ++line;
    if (type != "word") continue;
    double x = b.value("x", 0.0), y = b.value("y", 0.0);
    out.words.push_back({b.value("text", ""), x * scale, y * scale, (x + b.value("w", 0.0)) * scale,
                         (y + b.value("h", 0.0)) * scale, std::max(line, 0),
                         b.value("confidence", 0.0)});
  }
  return out;
}

}  // namespace

int DocumentStore::sync_processing(std::optional<int64_t> document_id) {
  auto& c = db_.conn();
  std::string sql =
      "SELECT d.id, d.account_id, d.workspace_id, d.pofid, d.ai_dms_job_id, j.state, j.result, "
      "j.error FROM documents d JOIN jobs j ON j.id = d.ai_dms_job_id WHERE d.ai_dms_status IN "
      "('queued', 'processing')";
  std::vector<store::Value> p;
  if (document_id) {
    sql += " AND d.id = ?";
    p.push_back(*document_id);
  }
  int changed = 0;
  for (auto& r : c.query(sql, p)) {
    std::string state = r.text("state");
    int64_t id = r.i64("id");
    if (state == "processing") {
      changed += static_cast<int>(c.exec(
          "UPDATE documents SET ai_dms_status = 'processing' WHERE id = ? AND ai_dms_status = "
          "'queued'",
          {id}));
      continue;
    }
    if (state != "completed" && state != "failed") continue;
    c.transaction([&] {
      if (state == "failed") {
        c.exec("UPDATE documents SET ai_dms_status = 'failed' WHERE id = ?", {id});
        emit_event(c, r.i64("account_id"), "document.processing_failed", r.i64("workspace_id"), id,
                   {{"documents_id", id},
                    {"pofid", r.text("pofid")},
                    {"job_id", r.text("ai_dms_job_id")},
                    {"error", r.text("error")}});
        return;
      }
      Json result = Json::parse(r.text("result"), nullptr, false);
      const Json pages =
          result.is_object() && result.contains("output") && result["output"].contains("pages")
              ? result["output"]["pages"]
              : Json::object();
      std::vector<IndexedPage> indexed;
      c.exec("DELETE FROM document_pages WHERE document_id = ?", {id});
      c.exec("DELETE FROM document_page_words WHERE document_id = ?", {id});
      for (auto& [key, page] : pages.items()) {
        int n = std::atoi(key.c_str());
        std::string text = page.value("ocr_text", "");
        Json conf = page.value("confidence_avg", Json(nullptr));
        c.exec(
            "INSERT INTO document_pages (document_id, page, text, confidence, source) VALUES (?, "
            "?, ?, ?, ?)",
            {id, int64_t{n}, text,
             conf.is_number() ? store::Value(conf.get<double>()) : store::Value(nullptr),
             page.value("source", std::string("ocr"))});
        if (auto words = ocr_page_words(n, page))
          c.exec(
              "INSERT INTO document_page_words (document_id, page, width, height, unit, words) "
              "VALUES (?, ?, ?, ?, ?, ?)",
              {id, int64_t{n}, words->width, words->height, words->unit,
               engines::inspect::to_json(*words)["words"].dump()});
        indexed.push_back({n, text});
      }
      index_->put_pages(c, id, indexed);
      c.exec("UPDATE documents SET ai_dms_status = 'completed', text_source = 'ocr' WHERE id = ?",
             {id});
      emit_event(c, r.i64("account_id"), "document.processed", r.i64("workspace_id"), id,
                 {{"documents_id", id},
                  {"pofid", r.text("pofid")},
                  {"job_id", r.text("ai_dms_job_id")},
                  {"pages", indexed.size()}});
    });
    ++changed;
  }
  return changed;
}

}  // namespace paperd::services::dms
