// Local encrypted blob store: document bytes and job outputs, encrypted with AES-256-GCM under a
// fresh data key per blob that the master key wraps. Writes are atomic and durable; reads stream
// and verify every chunk, so memory stays O(chunk) for any blob size. Several blobs written for
// one request or job go through a BlobBatch, which packs them into one file (see "Packs") made
// durable by one flush.
//
// Thread safety: a BlobStore holds no mutable state beyond its key, so any number of threads may
// use one store at once for different blobs. A BlobWriter or BlobReader belongs to one thread;
// a BlobBatch takes blobs from several threads, and is synced once they are done.
//
// On-disk format, version 1. A single blob lives at <root>/<id[0:2]>/<id>, mode 0600, where the id
// is 32 lower-case hex characters (16 random bytes). The file is an 85-byte header and then the
// chunks:
//
//   offset size  header field
//        0    4  magic "PDB1" ("DEAD" once a pack member is removed)
//        4    1  format version (1)
//        5    4  chunk size in bytes, big-endian (kBlobChunkSize when written by this code)
//        9    8  plaintext size in bytes, big-endian
//       17    8  nonce prefix, random per blob
//       25   12  IV of the key wrap, random
//       37   32  data key, AES-256-GCM-encrypted under the master key
//       69   16  GCM tag of the key wrap; AAD = blob id (ASCII) || header bytes [0, 25)
//
//   chunk i: ciphertext (chunk size bytes; the last one holds the rest, 1..chunk size) || 16-byte
//   tag, sealed with the data key, nonce = nonce prefix || i as 4 bytes big-endian,
//   AAD = blob id || i as 4 bytes big-endian || 1 byte final flag (1 on the last chunk only).
//   An empty blob has one empty final chunk, so even it carries a tag to check.
//
// Packs. A BlobBatch writes its blobs one after another into a pack file,
// <root>/<pack[0:2]>/<pack>.pack (pack: 32 hex characters), each member exactly the blob format
// above, starting at a multiple of kPackAlign. A member's id is "<pack>.<offset in hex>", so the
// AADs bind it to its pack and its place there. One file per request or job instead of one per
// blob: creating, renaming and flushing 500 small files cost more than sealing their bytes (ext4
// spends most of it allocating inodes). Removing a member marks its magic "DEAD" and frees its
// blocks (a hole, where the file system can punch one); the pack file goes with its last member.
//
// Why it holds: the key is wrapped at commit, once the plaintext size is known, so the whole
// header is authenticated by the unwrap and size() needs no chunk read. The id in the wrap AAD
// ties a header to its blob (a file moved to another id, or a member to another offset, does not
// open); a single blob's file length must equal the one the authenticated header implies (no
// truncation, no appended or removed chunk), and a pack must hold all of its member's bytes; the
// index and final flag in each chunk's AAD catch reordering, and each tag catches bit flips.
// Any failure throws core::Error(500, "BLOB_CORRUPT", "blob <id> failed its integrity check: …").
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "store/master_key.h"

namespace paperd::store {

inline constexpr size_t kBlobChunkSize = 64 * 1024;
inline constexpr size_t kBlobHeaderSize = 85;
inline constexpr size_t kBlobTagSize = 16;
inline constexpr uint64_t kPackAlign = 4096;  // pack members start on a file-system block

class BlobStore;
class BlobBatch;

// Streams a new blob to a temp file beside its final path. commit() seals the last chunk, makes
// the blob durable and visible, and returns its id (a batch's writer leaves both to
// BlobBatch::sync()); a writer dropped without commit() removes its temp file, so an abandoned
// upload leaves nothing behind.
class BlobWriter {
 public:
  BlobWriter(BlobWriter&&) noexcept;
  BlobWriter& operator=(BlobWriter&&) noexcept;
  ~BlobWriter();

  void write(std::string_view data);
  std::string commit();

 private:
  friend class BlobStore;
  friend class BlobBatch;
  struct Impl;
  explicit BlobWriter(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

// Streams the verified plaintext of one blob, one chunk (at most kBlobChunkSize bytes) per next().
// Only authenticated bytes are ever handed out; tampering throws BLOB_CORRUPT at the chunk where
// it is found, so a consumer that must not act on a partial blob should finish reading first.
class BlobReader {
 public:
  BlobReader(BlobReader&&) noexcept;
  BlobReader& operator=(BlobReader&&) noexcept;
  ~BlobReader();

  uint64_t size() const;  // plaintext size, authenticated by the header
  // Replaces chunk with the next piece of plaintext; false at the clean end (chunk left empty).
  bool next(std::string& chunk);

 private:
  friend class BlobStore;
  struct Impl;
  explicit BlobReader(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

class BlobStore {
 public:
  BlobStore(std::filesystem::path root, MasterKey key);  // creates root (mode 0700) if missing

  BlobWriter writer();
  std::string put_file(const std::filesystem::path& src);  // streams the file in, returns the id
  std::string put_bytes(std::string_view data);

  // Error::not_found if there is no such blob, Error::invalid_request if the id is malformed,
  // BLOB_CORRUPT if the header does not authenticate or the file length does not match it.
  BlobReader open(const std::string& id) const;
  // Decrypts to dest (mode 0600) through a temp file renamed into place at the end, so on tamper
  // neither a partial dest nor the temp file is left behind and an existing dest is untouched.
  // durable=false skips the fsyncs: for a scratch copy only its writer reads (a worker's input),
  // which has nothing to survive a crash for.
  void get_to_file(const std::string& id, const std::filesystem::path& dest,
                   bool durable = true) const;
  std::string get_bytes(const std::string& id) const;
  uint64_t size(const std::string& id) const;  // from the authenticated header; reads no chunk
  bool exists(const std::string& id) const;    // the file is there; says nothing of its integrity
  void remove(const std::string& id);          // a missing blob is not an error
  // The same for many: members of one pack marked together, with one walk over the pack.
  void remove(const std::vector<std::string>& ids);

  const std::filesystem::path& root() const { return root_; }
  const MasterKey& key() const { return key_; }

 private:
  friend class BlobBatch;
  struct Location {
    std::filesystem::path path;  // the blob's file, or its pack's
    uint64_t offset = 0;         // where the blob starts in it
    bool member = false;         // a pack member
  };
  Location locate(const std::string& id) const;  // validates the id

  std::filesystem::path root_;
  MasterKey key_;
};

// Blobs written for one request or one job, packed into one file and made durable together. A
// writer borrows a pack for as long as it writes (writers on several threads at once get a pack
// each), so a sequential request or job makes one file. sync() fsyncs every pack once and then
// their directory: two flushes for 500 job outputs, not ~1000. Until sync() returns a batch's ids
// must not be referenced (they are not durable). A batch destroyed before sync() deletes its
// packs, so an abandoned request leaves nothing; members written after a sync and never synced
// are cut off again. A writer must not outlive its batch. writer() and put_file() may be called
// from several threads; sync() after they are done.
class BlobBatch {
 public:
  explicit BlobBatch(BlobStore& store);
  ~BlobBatch();
  BlobBatch(const BlobBatch&) = delete;
  BlobBatch& operator=(const BlobBatch&) = delete;

  BlobWriter writer();
  std::string put_file(const std::filesystem::path& src);  // returns the id, visible after sync()
  // Makes every blob committed so far durable and visible; throws Error::internal on an I/O error
  // (the blobs are then not acknowledged: the caller removes the ids it was given).
  void sync();

  struct Pack;  // blob_store.cpp

 private:
  friend class BlobWriter;
  friend class BlobStore;
  Pack* borrow();                            // a pack no writer is using, or a new one
  void give_back(Pack* pack, uint64_t end);  // end: where its committed members now end

  BlobStore& store_;
  // The first byte of every pack id in the batch (random per batch): one directory to flush.
  const std::string shard_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Pack>> packs_;
};

}  // namespace paperd::store
