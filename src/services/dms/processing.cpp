// Follows the AI-DMS processing jobs (OCR through the landed pipeline, queued by the upload): a
// completed job's pages become the document's text, per page with its confidence, and its index
// rows; a failed job marks the document failed. Reads the job rows of the queue, never writes
// them. Runs from the server's DMS sweeper and on demand when a document is read.
#include <spdlog/spdlog.h>

#include "core/error.h"
#include "services/dms/documents.h"

namespace paperd::services::dms {

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
