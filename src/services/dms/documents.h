// The document store's core: workspaces, uploads (encrypted blobs, SHA-256, POFIDs, versions),
// reading, editing meta fields, renaming, moving, copying, duplicates, revisions, lifecycle,
// legal holds, tags, the trash and its purge, text per page and full-text search. Every change
// writes its revision and its outbox event in the same transaction (common.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/json.h"
#include "engines/inspect/document_inspector.h"
#include "services/dms/common.h"
#include "services/dms/entity_index.h"
#include "services/dms/fulltext.h"
#include "services/dms/semantic_index.h"
#include "store/blob_store.h"
#include "store/db.h"

namespace paperd::services::dms {

struct UploadFile {
  std::string filename;
  std::filesystem::path path;  // the upload's bytes, in the request's temp dir
  uint64_t size = 0;
};

struct UploadOptions {
  std::vector<std::string> tags;
  std::string description;
  std::string version_of;  // a POFID or documents_id: store as its next version
  // Queues the AI-DMS processing job of a new document (inside the upload's transaction) and
  // returns its job id. Called only when the workspace has ai_dms_mode and a page needs OCR.
  std::function<std::string(store::Connection&, const DocumentRow&)> queue_processing;
};

// One file's outcome in the document-put answer (CONTRACTS §2.4).
struct UploadOutcome {
  Json result;
  bool ok = false;
  int status = 200;  // the file's error status when !ok
};

struct StoredBytes {
  std::filesystem::path path;  // a file holding the document's bytes
  std::string filename, mime_type;
};

class DocumentStore {
 public:
  DocumentStore(store::Database& db, store::BlobStore& blobs, const core::Config& config);

  store::Database& db() { return db_; }
  store::BlobStore& blobs() { return blobs_; }
  FulltextIndex& index() { return *index_; }
  SemanticIndex& semantic() { return *semantic_; }
  EntityIndex& entities() { return *entities_; }

  // --- workspaces (workspaces.cpp)
  Json create_workspace(const Principal& who, const Json& fields);
  Json list_workspaces(const Principal& who);
  Json update_workspace(const Principal& who, int64_t id, const Json& fields);
  // Deletes the workspace with its documents (blobs included); refuses while any is on hold.
  Json delete_workspace(const Principal& who, int64_t id, const std::string& confirm_name);
  Json access_check(const Principal& who, std::optional<int64_t> id, const std::string& name);
  Json storage_health(const Principal& who, std::optional<int64_t> id, const std::string& name);
  Json workspace_json(store::Connection& c, const WorkspaceRow& ws);

  // --- documents (documents.cpp)
  // Stores every file (inspected in a child process, encrypted, hashed) or none of a file that
  // fails; the outcomes in upload order.
  std::vector<UploadOutcome> upload(const Principal& who, const WorkspaceRow& ws,
                                    const std::vector<UploadFile>& files,
                                    const UploadOptions& options);
  Json document_json(store::Connection& c, const DocumentRow& doc, bool with_meta = true);
  Json get(const Principal& who, const std::string& ref);
  // For streaming: the row (the caller opens doc.blob_id).
  DocumentRow for_download(const Principal& who, const std::string& ref,
                           std::optional<int64_t> version);
  Json edit(const Principal& who, const std::string& ref, const Json& fields,
            std::optional<int64_t> expected_revision);
  Json rename(const Principal& who, const std::string& ref, const std::string& new_name);
  Json move(const Principal& who, const std::string& ref, const WorkspaceRow& target);
  Json copy(const Principal& who, const std::string& ref, const WorkspaceRow& target);
  Json duplicate_check(const Principal& who, const std::string& sha256,
                       const std::optional<UploadFile>& file);
  Json revisions(const Principal& who, const std::string& ref, int64_t limit, int64_t offset);
  Json metadata(const Principal& who, const std::string& ref);
  Json meta_fields(const Principal& who, const std::string& ref);
  Json ocr_text(const Principal& who, const std::string& ref, std::optional<int> page);
  Json summary(const Principal& who, const std::string& ref);
  Json global_stats(const Principal& who, std::optional<int64_t> workspace_id);

  // --- lifecycle, legal holds, tags (lifecycle.cpp)
  Json lifecycle(const Principal& who, const std::string& ref);
  Json transition(const Principal& who, const std::string& ref, const std::string& to,
                  const std::string& comment);
  Json place_hold(const Principal& who, const std::string& ref, const std::string& reason,
                  const std::string& until);
  Json release_hold(const Principal& who, const std::string& ref, const std::string& confirm,
                    const std::string& reason);
  Json list_holds(const Principal& who, std::optional<int64_t> workspace_id,
                  const std::string& ref);
  Json add_tags(const Principal& who, const std::string& ref, const std::vector<std::string>& tags);
  Json remove_tags(const Principal& who, const std::string& ref,
                   const std::vector<std::string>& tags);
  Json tags(const Principal& who, const std::string& ref);
  Json tag_autocomplete(const Principal& who, const std::string& prefix, int64_t limit);

  // --- trash (trash.cpp)
  // Documents (refs) and folders with all their documents (folder_ids) to the trash or, with
  // mode=instant, gone for good.
  Json remove(const Principal& who, const std::vector<std::string>& refs, const std::string& mode,
              const std::vector<int64_t>& folder_ids = {});
  Json trash_list(const Principal& who, std::optional<int64_t> workspace_id, int64_t limit,
                  int64_t offset);
  Json restore(const Principal& who, const std::vector<std::string>& refs,
               const std::vector<int64_t>& folder_ids);
  Json empty_trash(const Principal& who, std::optional<int64_t> confirm_count);
  Json trash_settings(const Principal& who, std::optional<int64_t> retention_days);
  // Removes trashed documents past their account's retention, with their blobs; returns how many.
  int purge_expired();
  // Merges the full-text index's segments in steps of a few ms each, for up to budget_ms;
  // returns whether work remains (core::Periodic calls it again).
  bool merge_index(int64_t budget_ms);
  // Removes documents for good (rows, index, then blobs after the commit).
  void purge_documents(store::Connection& c, const std::vector<int64_t>& ids,
                       std::vector<std::string>& blobs_to_remove);

  // --- text and processing (processing.cpp)
  // Follows the AI-DMS jobs: a completed job's pages become the document's text (and its index);
  // a failed one marks the document failed. Returns how many documents changed.
  int sync_processing(std::optional<int64_t> document_id = std::nullopt);

  // --- search (search.cpp)
  Json search(const Principal& who, const std::string& query, const SearchFilter& filter,
              int64_t limit, int64_t offset, const std::string& sort, bool asc,
              const std::string& mode);
  // mode=semantic (semantic_search.cpp): the best chunk per document by cosine with the query,
  // at least min_similarity; `index_pending` counts in-scope chunks not yet embedded.
  Json search_semantic(const Principal& who, const std::string& query, const SearchFilter& filter,
                       int64_t limit, int64_t offset, double min_similarity,
                       const QueryExpansion& expansion = {});
  // mode=hybrid: reciprocal rank fusion (k = 60) of the full-text and semantic lists, weighted by
  // semantic_weight (0..1).
  // With an expansion, a third list joins at half the full-text weight: full text over the
  // words or their synonyms and hypernyms.
  Json search_hybrid(const Principal& who, const std::string& query, const SearchFilter& filter,
                     int64_t limit, int64_t offset, double min_similarity, double semantic_weight,
                     const QueryExpansion& expansion = {});
  // mode=rag (rag_search.cpp): the passages (whole sentences of the best pages of a hybrid
  // ranking) that best answer the question, with `context` for an LLM; with answer=true and
  // llm_url set, the LLM's answer and its citations of the passages.
  Json search_rag(const Principal& who, const std::string& query, const SearchFilter& filter,
                  int64_t limit, double min_similarity, bool answer);
  // mode=exact: documents whose meta field equals the value (typed: dates and amounts compared
  // as such).
  Json search_exact(const Principal& who, const std::string& field, const Json& value,
                    const SearchFilter& filter, int64_t limit, int64_t offset);
  // Documents in the filter's scope, newest first or by sort (created_at, updated_at, file_name,
  // size), paged.
  Json list_documents(const Principal& who, const SearchFilter& filter, int64_t limit,
                      int64_t offset, const std::string& sort, bool asc);

  // --- entities (entities.cpp; the index: entity_index.h)
  // The entities of one document, read now if its text changed since; types narrows them.
  Json document_entities(const Principal& who, const std::string& ref,
                         const std::vector<std::string>& types);
  // Entities (deduplicated by type and canonical key) whose value or text contains query, with
  // their counts and documents.
  Json search_entities(const Principal& who, const std::string& query, const std::string& type,
                       const SearchFilter& filter, int64_t limit, int64_t offset);
  // Every deduplicated entity of the scope, the ones in most documents first.
  Json canonical_entities(const Principal& who, const std::string& type, const SearchFilter& filter,
                          int64_t min_documents, int64_t limit, int64_t offset);

  // --- search hits (search_hits.cpp)
  // Every hit of `query` (the full-text search syntax) in one document, or one page of it, with a
  // rectangle for a viewer: per page its size and each hit's box in points, origin top-left (and
  // as fractions of the page), matched as the full-text index matches (store::FtsTerms). Pages
  // without geometry answer their hit count with rectangles_unavailable. 400 for a missing or
  // over-long query or a page the document lacks.
  Json search_hits(const Principal& who, const std::string& ref, const std::string& query,
                   std::optional<int> page);

  // The meta text indexed beside the file name: description, tags, meta-field values.
  std::string meta_text(store::Connection& c, const DocumentRow& doc);
  int64_t retention_days(store::Connection& c, int64_t account_id);

 private:
  // One result of a search: the document's row shaped as CONTRACTS §2.6 with the hit's score,
  // page and snippet; null when the document is gone.
  Json hit_json(store::Connection& c, const SearchHit& hit);
  // The same for a page of results, their documents read in one query.
  std::vector<Json> hits_json(store::Connection& c, const std::vector<SearchHit>& hits);
  SearchFilter caller_scope(const Principal& who, const SearchFilter& filter) const;
  // The document by ref, its text brought up to date with a finished AI-DMS job first.
  DocumentRow with_current_text(store::Connection& c, const Principal& who, const std::string& ref);

  store::Database& db_;
  store::BlobStore& blobs_;
  const core::Config& config_;
  std::unique_ptr<FulltextIndex> index_;  // with the semantic index's marks
  std::unique_ptr<SemanticIndex> semantic_;
  std::unique_ptr<EntityIndex> entities_;
};

// "<sha256 hex>.POD<node>.AI<account>.MT<epoch ms>.<ext>" (CONTRACTS §2.5).
std::string make_pofid(const std::string& sha256_hex, int64_t account_id, int64_t epoch_ms,
                       const std::string& extension);

}  // namespace paperd::services::dms
