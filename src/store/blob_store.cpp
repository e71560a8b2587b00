#include "store/blob_store.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "core/crypto.h"
#include "core/error.h"
#include "core/fs.h"
#include "store/gcm.h"

namespace paperd::store {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kMagic = "PDB1";
constexpr uint8_t kVersion = 1;
constexpr size_t kIdBytes = 16;
constexpr size_t kDataKeySize = 32;
constexpr size_t kNoncePrefixSize = 8;
constexpr size_t kIvSize = 12;  // GCM's native IV size: wrap IV and chunk nonce
constexpr uint32_t kMaxChunkSize = 16 * 1024 * 1024;  // bounds the reader's buffer
constexpr uint64_t kMaxChunks = uint64_t{1} << 32;    // the nonce counter is 4 bytes

// Header layout (see blob_store.h). Bytes [0, kWrapIvOffset) are the wrap's AAD.
constexpr size_t kVersionOffset = 4;
constexpr size_t kChunkSizeOffset = 5;
constexpr size_t kPlainSizeOffset = 9;
constexpr size_t kNoncePrefixOffset = 17;
constexpr size_t kWrapIvOffset = 25;
constexpr size_t kWrappedKeyOffset = 37;
static_assert(kWrappedKeyOffset + kDataKeySize + kBlobTagSize == kBlobHeaderSize);
static_assert(kBlobTagSize == kGcmTagSize && kDataKeySize == kGcmKeySize && kIvSize == kGcmIvSize);

core::Error corrupt(const std::string& id, const std::string& why) {
  return core::Error(500, "BLOB_CORRUPT", "blob " + id + " failed its integrity check: " + why);
}

core::Error io_error(const std::string& what, const fs::path& path) {
  return core::Error::internal(fmt::format("{} {}: {}", what, path.string(), std::strerror(errno)));
}

void put_be(std::string& out, uint64_t value, size_t bytes) {
  for (size_t i = bytes; i-- > 0;) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

uint64_t get_be(std::string_view in, size_t offset, size_t bytes) {
  uint64_t value = 0;
  for (size_t i = 0; i < bytes; ++i) value = value << 8 | static_cast<uint8_t>(in[offset + i]);
  return value;
}

std::string chunk_nonce(std::string_view prefix, uint64_t index) {
  std::string nonce(prefix);
  put_be(nonce, index, 4);
  return nonce;
}

std::string chunk_aad(const std::string& id, uint64_t index, bool final) {
  std::string aad = id;
  put_be(aad, index, 4);
  aad.push_back(final ? 1 : 0);
  return aad;
}

// Chunks a plaintext of this size occupies; an empty blob still has its one final chunk.
uint64_t chunk_count(uint64_t plain_size, uint64_t chunk_size) {
  if (plain_size == 0) return 1;
  return plain_size / chunk_size + (plain_size % chunk_size != 0 ? 1 : 0);
}

bool is_blob_id(std::string_view id) {
  return id.size() == 2 * kIdBytes && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

size_t read_full(int fd, char* buf, size_t n, const fs::path& path) {
  size_t done = 0;
  while (done < n) {
    const ssize_t got = ::read(fd, buf + done, n - done);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw io_error("cannot read", path);
    if (got == 0) break;
    done += static_cast<size_t>(got);
  }
  return done;
}

void write_full(int fd, std::string_view data, const fs::path& path) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw io_error("cannot write", path);
    data.remove_prefix(static_cast<size_t>(n));
  }
}

// Makes dir if missing. A new directory's entry is fsynced into its parent, or a power cut could
// lose the directory together with the blobs acknowledged inside it.
void ensure_dir(const fs::path& dir) {
  if (::mkdir(dir.c_str(), 0700) == 0) {
    core::fsync_path(dir.parent_path());
    return;
  }
  if (errno != EEXIST) throw io_error("cannot create directory", dir);
}

// A file that appears at its final path only when committed, complete and durable (temp file in
// the same directory, fsync, rename, fsync of the directory); dropped uncommitted, it leaves
// nothing. core::atomic_write_file does the same for a buffer already in memory; this streams.
class AtomicFile {
 public:
  AtomicFile(fs::path dest, int mode) : dest_(std::move(dest)), tmp_(dest_) {
    tmp_ += ".tmp-" + core::hex(core::random_bytes(6));
    fd_.reset(::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
    if (!fd_) throw io_error("cannot create", tmp_);
  }
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  AtomicFile(AtomicFile&&) = delete;
  AtomicFile& operator=(AtomicFile&&) = delete;
  ~AtomicFile() {
    if (committed_) return;
    fd_.reset();
    ::unlink(tmp_.c_str());
  }

  void write(std::string_view data) { write_full(fd_.get(), data, tmp_); }

  void write_at(std::string_view data, off_t offset) {
    while (!data.empty()) {
      const ssize_t n = ::pwrite(fd_.get(), data.data(), data.size(), offset);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw io_error("cannot write", tmp_);
      data.remove_prefix(static_cast<size_t>(n));
      offset += n;
    }
  }

  // durable=false: visible at once but not flushed (a scratch file nobody relies on after a
  // crash).
  void commit(bool durable = true) {
    if (durable && ::fsync(fd_.get()) != 0) throw io_error("fsync failed on", tmp_);
    // close() can report a deferred write error (NFS); it must not be lost.
    if (::close(fd_.release()) != 0) throw io_error("cannot close", tmp_);
    if (::rename(tmp_.c_str(), dest_.c_str()) != 0) throw io_error("cannot rename to", dest_);
    committed_ = true;
    if (durable)
      core::fsync_path(dest_.parent_path().empty() ? fs::path(".") : dest_.parent_path());
  }

  // The batch's way: closes the complete temp file with its write-back started (so that the
  // batch's fsync later mostly finds the data on disk already) and leaves fsync and rename to
  // the batch. hand_over() then gives up ownership of the temp file.
  void close_unsynced() {
    // Best effort: a failure here shows again, and is reported, at the batch's fsync.
    (void)::sync_file_range(fd_.get(), 0, 0, SYNC_FILE_RANGE_WRITE);
    if (::close(fd_.release()) != 0) throw io_error("cannot close", tmp_);
  }
  void hand_over() { committed_ = true; }
  const fs::path& tmp() const { return tmp_; }
  const fs::path& dest() const { return dest_; }

 private:
  fs::path dest_;
  fs::path tmp_;
  core::UniqueFd fd_;
  bool committed_ = false;
};

}  // namespace

// ---- BlobWriter --------------------------------------------------------------------------------

struct BlobWriter::Impl {
  Impl(std::string blob_id, const fs::path& path, MasterKey master_key, BlobBatch* blob_batch)
      : id(std::move(blob_id)),
        batch(blob_batch),
        master(std::move(master_key)),
        data_key(core::random_bytes(kDataKeySize)),
        nonce_prefix(core::random_bytes(kNoncePrefixSize)),
        file(path, 0600) {
    // The header is written last, once the size is known; reserve its place.
    file.write(std::string(kBlobHeaderSize, '\0'));
    pending.reserve(kBlobChunkSize);
  }
  ~Impl() { OPENSSL_cleanse(data_key.data(), data_key.size()); }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  void seal_pending(bool final) {
    if (next_index >= kMaxChunks)
      throw core::Error::input_too_large("blob exceeds the maximum size");
    gcm.seal(data_key, chunk_nonce(nonce_prefix, next_index), chunk_aad(id, next_index, final),
             pending, sealed);
    file.write(sealed);
    ++next_index;
    pending.clear();
  }

  std::string id;
  BlobBatch* batch;  // null: durable at commit
  MasterKey master;
  std::string data_key;
  std::string nonce_prefix;
  AtomicFile file;
  Gcm gcm;
  std::string pending;  // plaintext not yet sealed, at most one chunk
  std::string sealed;   // reused output buffer
  uint64_t next_index = 0;
  uint64_t total = 0;
};

BlobWriter::BlobWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
BlobWriter::BlobWriter(BlobWriter&&) noexcept = default;
BlobWriter& BlobWriter::operator=(BlobWriter&&) noexcept = default;
BlobWriter::~BlobWriter() = default;

void BlobWriter::write(std::string_view data) {
  if (!impl_) throw core::Error::internal("BlobWriter used after commit or after a failure");
  Impl& w = *impl_;
  try {
    w.total += data.size();
    while (!data.empty()) {
      // A full chunk is sealed only when more data follows: until commit() we cannot know whether
      // it is the final one, and the final flag is part of its AAD.
      if (w.pending.size() == kBlobChunkSize) w.seal_pending(false);
      const size_t take = std::min(kBlobChunkSize - w.pending.size(), data.size());
      w.pending.append(data.substr(0, take));
      data.remove_prefix(take);
    }
  } catch (...) {
    // After a failed write the temp file may hold a partial chunk; drop it rather than let a
    // retry build a blob on top of it.
    impl_.reset();
    throw;
  }
}

std::string BlobWriter::commit() {
  if (!impl_) throw core::Error::internal("BlobWriter used after commit or after a failure");
  // Owned locally: whether commit succeeds or throws, this writer is finished.
  const std::unique_ptr<Impl> impl = std::move(impl_);
  Impl& w = *impl;
  w.seal_pending(true);

  std::string header(kMagic);
  header.push_back(static_cast<char>(kVersion));
  put_be(header, kBlobChunkSize, 4);
  put_be(header, w.total, 8);
  header += w.nonce_prefix;
  const std::string iv = core::random_bytes(kIvSize);
  std::string wrapped;
  w.gcm.seal(w.master.bytes(), iv, w.id + header, w.data_key, wrapped);
  header += iv;
  header += wrapped;

  w.file.write_at(header, 0);
  if (w.batch) {
    w.file.close_unsynced();
    w.batch->stage(w.file.tmp(), w.file.dest());
    w.file.hand_over();
  } else {
    w.file.commit();
  }
  return std::move(w.id);
}

// ---- BlobReader --------------------------------------------------------------------------------

struct BlobReader::Impl {
  Impl() = default;
  ~Impl() { OPENSSL_cleanse(data_key.data(), data_key.size()); }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  std::string id;
  fs::path path;
  core::UniqueFd fd;
  std::string data_key;
  std::string nonce_prefix;
  uint64_t chunk_size = 0;
  uint64_t plain_size = 0;
  uint64_t chunks = 0;
  uint64_t next_index = 0;
  bool failed = false;
  std::string sealed;  // reused input buffer
  Gcm gcm;
};

BlobReader::BlobReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
BlobReader::BlobReader(BlobReader&&) noexcept = default;
BlobReader& BlobReader::operator=(BlobReader&&) noexcept = default;
BlobReader::~BlobReader() = default;

uint64_t BlobReader::size() const {
  return impl_->plain_size;
}

bool BlobReader::next(std::string& chunk) {
  chunk.clear();
  Impl& r = *impl_;
  if (r.failed) throw corrupt(r.id, "an earlier chunk failed its check");
  if (r.next_index == r.chunks) return false;

  const uint64_t index = r.next_index;
  const bool final = index + 1 == r.chunks;
  const uint64_t len = final ? r.plain_size - index * r.chunk_size : r.chunk_size;
  r.sealed.resize(len + kBlobTagSize);
  const size_t got = read_full(r.fd.get(), r.sealed.data(), r.sealed.size(), r.path);
  if (got != r.sealed.size()) {
    r.failed = true;
    throw corrupt(r.id, fmt::format("the file ends inside chunk {} of {}", index + 1, r.chunks));
  }
  if (!r.gcm.open(r.data_key, chunk_nonce(r.nonce_prefix, index), chunk_aad(r.id, index, final),
                  r.sealed, chunk)) {
    r.failed = true;
    throw corrupt(r.id, fmt::format("chunk {} of {} does not authenticate (modified, moved or "
                                    "reordered)",
                                    index + 1, r.chunks));
  }
  ++r.next_index;
  if (final) {
    // The length was checked at open; this catches a file grown since.
    char extra = 0;
    if (read_full(r.fd.get(), &extra, 1, r.path) != 0) {
      r.failed = true;
      chunk.clear();
      throw corrupt(r.id, "data follows the final chunk");
    }
  }
  return !chunk.empty();
}

// ---- BlobStore ---------------------------------------------------------------------------------

BlobStore::BlobStore(fs::path root, MasterKey key) : root_(std::move(root)), key_(std::move(key)) {
  std::error_code ec;
  if (fs::create_directories(root_, ec))
    fs::permissions(root_, fs::perms::owner_all, fs::perm_options::replace, ec);
  if (ec)
    throw core::Error::internal("cannot create blob root " + root_.string() + ": " + ec.message());
  if (!fs::is_directory(root_, ec))
    throw core::Error::internal("blob root " + root_.string() + " is not a directory");
}

fs::path BlobStore::path_of(const std::string& id) const {
  if (!is_blob_id(id))
    throw core::Error::invalid_request(fmt::format(
        "malformed blob id \"{}\": expected 32 lower-case hex characters", id.substr(0, 64)));
  return root_ / id.substr(0, 2) / id;
}

BlobWriter BlobStore::writer() {
  return writer(nullptr);
}

BlobWriter BlobStore::writer(BlobBatch* batch) {
  std::string id = core::hex(core::random_bytes(kIdBytes));
  // A batch keeps its blobs in one directory, which its sync() then flushes once.
  if (batch) id.replace(0, 2, batch->shard_);
  const fs::path path = path_of(id);
  ensure_dir(path.parent_path());
  return BlobWriter(std::make_unique<BlobWriter::Impl>(std::move(id), path, key_, batch));
}

std::string BlobStore::put_bytes(std::string_view data) {
  BlobWriter w = writer();
  w.write(data);
  return w.commit();
}

namespace {

std::string put_from_file(BlobWriter w, const fs::path& src) {
  core::UniqueFd fd(::open(src.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) throw io_error("cannot open", src);
  std::string buf(kBlobChunkSize, '\0');
  while (const size_t n = read_full(fd.get(), buf.data(), buf.size(), src))
    w.write(std::string_view(buf.data(), n));
  return w.commit();
}

}  // namespace

std::string BlobStore::put_file(const fs::path& src) {
  return put_from_file(writer(), src);
}

BlobReader BlobStore::open(const std::string& id) const {
  auto r = std::make_unique<BlobReader::Impl>();
  r->id = id;
  r->path = path_of(id);
  r->fd.reset(::open(r->path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!r->fd) {
    if (errno == ENOENT) throw core::Error::not_found("blob " + id + " not found");
    throw io_error("cannot open", r->path);
  }
  struct stat st {};
  if (::fstat(r->fd.get(), &st) != 0) throw io_error("cannot examine", r->path);

  std::string header(kBlobHeaderSize, '\0');
  if (read_full(r->fd.get(), header.data(), header.size(), r->path) != header.size())
    throw corrupt(id, "the file is shorter than a blob header");
  if (std::string_view(header).substr(0, kMagic.size()) != kMagic)
    throw corrupt(id, "the file does not start with the blob magic");
  if (static_cast<uint8_t>(header[kVersionOffset]) != kVersion)
    throw corrupt(
        id, fmt::format("unknown format version {}", static_cast<uint8_t>(header[kVersionOffset])));
  r->chunk_size = get_be(header, kChunkSizeOffset, 4);
  r->plain_size = get_be(header, kPlainSizeOffset, 8);
  r->nonce_prefix = header.substr(kNoncePrefixOffset, kNoncePrefixSize);
  if (r->chunk_size == 0 || r->chunk_size > kMaxChunkSize)
    throw corrupt(id, "the header has an impossible chunk size");

  const std::string_view wrap_iv = std::string_view(header).substr(kWrapIvOffset, kIvSize);
  const std::string_view wrapped = std::string_view(header).substr(kWrappedKeyOffset);
  const std::string aad = id + header.substr(0, kWrapIvOffset);
  if (!r->gcm.open(key_.bytes(), wrap_iv, aad, wrapped, r->data_key))
    throw corrupt(id,
                  "the header does not authenticate (wrong master key, a modified header, or "
                  "the file of another blob)");

  r->chunks = chunk_count(r->plain_size, r->chunk_size);
  if (r->chunks > kMaxChunks) throw corrupt(id, "the header has an impossible size");
  const uint64_t expected = kBlobHeaderSize + r->plain_size + r->chunks * kBlobTagSize;
  if (static_cast<uint64_t>(st.st_size) != expected)
    throw corrupt(id, fmt::format("the file has {} bytes where its header implies {} (truncated, "
                                  "extended, or chunks removed)",
                                  st.st_size, expected));
  return BlobReader(std::move(r));
}

void BlobStore::get_to_file(const std::string& id, const fs::path& dest, bool durable) const {
  BlobReader reader = open(id);
  AtomicFile out(dest, 0600);
  std::string chunk;
  while (reader.next(chunk)) out.write(chunk);
  out.commit(durable);
}

std::string BlobStore::get_bytes(const std::string& id) const {
  BlobReader reader = open(id);
  std::string out;
  out.reserve(reader.size());
  std::string chunk;
  while (reader.next(chunk)) out += chunk;
  return out;
}

uint64_t BlobStore::size(const std::string& id) const {
  return open(id).size();
}

bool BlobStore::exists(const std::string& id) const {
  const fs::path path = path_of(id);
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) return S_ISREG(st.st_mode);
  if (errno == ENOENT) return false;
  throw io_error("cannot examine", path);
}

void BlobStore::remove(const std::string& id) {
  const fs::path path = path_of(id);
  if (::unlink(path.c_str()) != 0) {
    if (errno == ENOENT) return;
    throw io_error("cannot remove", path);
  }
  // Made durable like a write, so a deleted document does not come back after a crash.
  core::fsync_path(path.parent_path());
}

// ---- BlobBatch ---------------------------------------------------------------------------------

BlobBatch::BlobBatch(BlobStore& store) : store_(store), shard_(core::hex(core::random_bytes(1))) {}

BlobBatch::~BlobBatch() {
  // Never synced, so never acknowledged: the temp files go (a renamed one is the caller's to
  // remove by id, as after any failed request).
  for (const auto& s : staged_) ::unlink(s.tmp.c_str());
}

BlobWriter BlobBatch::writer() {
  return store_.writer(this);
}

std::string BlobBatch::put_file(const fs::path& src) {
  return put_from_file(writer(), src);
}

void BlobBatch::stage(fs::path tmp, fs::path dest) {
  std::lock_guard lock(mu_);
  dirs_.insert(dest.parent_path());
  staged_.push_back({std::move(tmp), std::move(dest)});
}

void BlobBatch::sync() {
  std::lock_guard lock(mu_);
  // Data first, every file once; then the names, which are safe to show only now; then the
  // directories holding them. An error leaves the rest staged, and the destructor removes them.
  for (const auto& s : staged_) core::fsync_path(s.tmp);
  while (!staged_.empty()) {
    const Staged& s = staged_.back();
    if (::rename(s.tmp.c_str(), s.dest.c_str()) != 0) throw io_error("cannot rename to", s.dest);
    staged_.pop_back();
  }
  for (const auto& dir : dirs_) core::fsync_path(dir);
  dirs_.clear();
}

}  // namespace paperd::store
