#include "jobs/download_archive.h"

#include "core/ids.h"

namespace paperd::jobs {

namespace zip = engines::archive;

namespace {

// blobs: where the entries are read from; null when only the size is wanted.
std::vector<zip::ZipEntry> zip_entries(const std::vector<OutputFile>& files, int64_t mtime,
                                       const store::BlobStore* blobs) {
  std::vector<std::string> names;
  for (const auto& f : files) names.push_back(f.filename);
  names = zip::unique_entry_names(names);
  std::vector<zip::ZipEntry> entries;
  for (size_t i = 0; i < files.size(); ++i) {
    zip::ZipEntry e{names[i], files[i].size, mtime, nullptr};
    if (blobs)
      e.open = [blobs, id = files[i].blob_id]() -> zip::ChunkSource {
        auto reader = std::make_shared<store::BlobReader>(blobs->open(id));
        return [reader](std::string& chunk) { return reader->next(chunk); };
      };
    entries.push_back(std::move(e));
  }
  return entries;
}

// "book_1-2.pdf", "book_4-5.pdf" -> "book.zip"; files that share no name -> "job-93d126ea.zip".
std::string archive_name(const std::string& job_id, const std::vector<OutputFile>& outputs) {
  std::vector<std::string> names;
  for (const auto& o : outputs) names.push_back(o.filename);
  std::string stem = engines::archive::common_stem(names);
  if (stem.empty()) stem = "job-" + job_id.substr(job_id.rfind('_') + 1);
  return stem + ".zip";
}

}  // namespace

std::optional<OutputFile> archive_output(const std::string& job_id,
                                         const std::vector<OutputFile>& outputs,
                                         int64_t created_at) {
  if (outputs.size() < kArchiveMinFiles) return std::nullopt;
  OutputFile a;
  a.token = core::make_download_token();
  a.filename = archive_name(job_id, outputs);
  a.content_type = kArchiveContentType;
  a.size = zip::zip_size(zip_entries(outputs, created_at, nullptr));
  return a;  // blob_id stays empty: the archive of the job's other downloads
}

std::unique_ptr<engines::archive::ZipStream> open_archive(store::Database& db,
                                                          const store::BlobStore& blobs,
                                                          const std::string& job_id,
                                                          int64_t created_at) {
  std::vector<OutputFile> files;
  for (auto& r : db.conn().query(
           "SELECT filename, size, blob_id FROM downloads WHERE job_id = ? AND blob_id != '' "
           "ORDER BY rowid",
           {job_id})) {
    OutputFile f;
    f.filename = r.text("filename");
    f.size = static_cast<uint64_t>(r.i64("size"));
    f.blob_id = r.text("blob_id");
    files.push_back(std::move(f));
  }
  return std::make_unique<engines::archive::ZipStream>(zip_entries(files, created_at, &blobs));
}

}  // namespace paperd::jobs
