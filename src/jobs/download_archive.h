// The ZIP a job with two or more files offers beside them (result.archive_url, one request instead
// of one per file). Its row in `downloads` has an empty blob_id: it stands for the job's other
// rows, in their order, and is answered by streaming a ZIP of their blobs; nothing is stored twice.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engines/archive/zip_stream.h"
#include "jobs/queue.h"
#include "store/blob_store.h"
#include "store/db.h"

namespace paperd::jobs {

inline constexpr size_t kArchiveMinFiles = 2;
inline constexpr std::string_view kArchiveContentType = "application/zip";

// The archive's download row for a job's outputs: a fresh token, the name the files share (or
// job-<id suffix>) + ".zip", the ZIP's exact size, an empty blob_id. nullopt under two outputs.
// created_at: the rows' creation time, which the entries carry as their modification time.
std::optional<OutputFile> archive_output(const std::string& job_id,
                                         const std::vector<OutputFile>& outputs,
                                         int64_t created_at);

// The ZIP of job_id's files (its download rows but the archive, in their order), each entry read
// from its blob only when the stream reaches it. Exactly archive_output()'s size.
std::unique_ptr<engines::archive::ZipStream> open_archive(store::Database& db,
                                                          const store::BlobStore& blobs,
                                                          const std::string& job_id,
                                                          int64_t created_at);

}  // namespace paperd::jobs
