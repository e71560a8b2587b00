// A ZIP archive made piece by piece while it is sent: every entry stored (PDFs and JPEGs are
// compressed already, and storing is what keeps the download fast), each entry's bytes pulled from
// its source only when the stream reaches it, so memory stays O(chunk) for any archive size.
// libarchive writes the format (ZIP64 where sizes or offsets need it); the exact size is known
// before the first byte, computed by libarchive itself over placeholder bytes (zip_size).
//
// Thread safety: a ZipStream belongs to one thread at a time; the free functions are pure.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace paperd::engines::archive {

// Hands out an entry's bytes: replaces chunk with the next piece; false at the end.
using ChunkSource = std::function<bool(std::string& chunk)>;

struct ZipEntry {
  std::string name;                   // as stored: see unique_entry_names()
  uint64_t size = 0;                  // exact; a source that yields another count fails the stream
  int64_t mtime = 0;                  // unix seconds
  std::function<ChunkSource()> open;  // called when the stream reaches the entry
};

// File names made safe and unique within one archive, in order: '/', '\' and control characters
// become '_' (so no entry leaves the folder it is extracted into), so do bytes that are not UTF-8;
// an empty name becomes "file"; a name already taken (compared case-insensitively, as Windows and
// macOS extract) gets " (2)", " (3)", ... before its extension: a.pdf, a (2).pdf.
std::vector<std::string> unique_entry_names(const std::vector<std::string>& names);

// The name the files share, for the archive's own name: the longest common start of their stems
// cut back to a whole word, without trailing separators ("book_1-2.pdf", "book_4-5.pdf" -> "book").
// Empty when they share no word.
std::string common_stem(const std::vector<std::string>& names);

// The archive's exact size in bytes. Opens no source.
uint64_t zip_size(const std::vector<ZipEntry>& entries);

class ZipStream {
 public:
  // Fails (core::Error::internal) if libarchive refuses an entry, before any byte is produced.
  explicit ZipStream(std::vector<ZipEntry> entries);
  ~ZipStream();
  ZipStream(const ZipStream&) = delete;
  ZipStream& operator=(const ZipStream&) = delete;

  uint64_t size() const;  // exactly the bytes next() hands out in all
  // Replaces chunk with the next piece of the archive; false once all of it was handed out.
  // Throws core::Error::internal when a source yields more or fewer bytes than its entry's size
  // (the archive could not be what size() announced), and whatever a source throws; after a
  // throw the stream is done for.
  bool next(std::string& chunk);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace paperd::engines::archive
