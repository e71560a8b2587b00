#include "store/blob_store.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "core/crypto.h"
#include "core/error.h"
#include "core/fs.h"
#include "store/gcm.h"

namespace paperd::store {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kMagic = "PDB1";
constexpr std::string_view kDeadMagic = "DEAD";  // a removed pack member
constexpr uint8_t kVersion = 1;
constexpr size_t kIdBytes = 16;
constexpr size_t kDataKeySize = 32;
constexpr size_t kNoncePrefixSize = 8;
constexpr size_t kIvSize = 12;  // GCM's native IV size: wrap IV and chunk nonce
constexpr uint32_t kMaxChunkSize = 16 * 1024 * 1024;  // bounds the reader's buffer
constexpr uint64_t kMaxChunks = uint64_t{1} << 32;    // the nonce counter is 4 bytes
constexpr uint64_t kWritebackBytes = 4ull << 20;      // a pack starts write-back every 4 MB

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

// Bytes a blob of this plaintext size takes on disk: its header and its chunks with their tags.
uint64_t encoded_size(uint64_t plain_size, uint64_t chunk_size) {
  return kBlobHeaderSize + plain_size + chunk_count(plain_size, chunk_size) * kBlobTagSize;
}

// The same from a header's own (unauthenticated) size fields; 0 when they are impossible. Only
// for walking and freeing pack members, never for reading a blob.
uint64_t encoded_size_of(std::string_view header) {
  const uint64_t chunk_size = get_be(header, kChunkSizeOffset, 4);
  if (chunk_size == 0 || chunk_size > kMaxChunkSize) return 0;
  return encoded_size(get_be(header, kPlainSizeOffset, 8), chunk_size);
}

bool is_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool is_blob_id(std::string_view id) {
  return id.size() == 2 * kIdBytes && is_hex(id);
}

// "<pack id>.<offset>": the offset in lower-case hex without leading zeros, a multiple of
// kPackAlign. Sets *offset.
bool parse_member_id(std::string_view id, uint64_t* offset) {
  if (id.size() < 2 * kIdBytes + 2 || id[2 * kIdBytes] != '.') return false;
  std::string_view pack = id.substr(0, 2 * kIdBytes), off = id.substr(2 * kIdBytes + 1);
  if (!is_hex(pack) || !is_hex(off) || off.size() > 12 || (off.size() > 1 && off[0] == '0'))
    return false;
  *offset = std::stoull(std::string(off), nullptr, 16);
  return *offset % kPackAlign == 0;
}

std::string member_id(const std::string& pack, uint64_t offset) {
  return fmt::format("{}.{:x}", pack, offset);
}

uint64_t align_up(uint64_t n) {
  return (n + kPackAlign - 1) / kPackAlign * kPackAlign;
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

size_t pread_full(int fd, char* buf, size_t n, uint64_t offset, const fs::path& path) {
  size_t done = 0;
  while (done < n) {
    const ssize_t got = ::pread(fd, buf + done, n - done, static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw io_error("cannot read", path);
    if (got == 0) break;
    done += static_cast<size_t>(got);
  }
  return done;
}

void pwrite_full(int fd, std::string_view data, uint64_t offset, const fs::path& path) {
  while (!data.empty()) {
    const ssize_t n = ::pwrite(fd, data.data(), data.size(), static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw io_error("cannot write", path);
    data.remove_prefix(static_cast<size_t>(n));
    offset += static_cast<uint64_t>(n);
  }
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

  void write_at(std::string_view data, uint64_t offset) {
    pwrite_full(fd_.get(), data, offset, tmp_);
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

 private:
  fs::path dest_;
  fs::path tmp_;
  core::UniqueFd fd_;
  bool committed_ = false;
};

}  // namespace

// ---- BlobBatch::Pack ----------------------------------------------------------------------------

// One pack file of a batch. It is written under its final name: its members are reachable only by
// ids handed out, which are referenced only after sync(), so there is nothing to hide by a rename
// (and a crash before sync() leaves an unreferenced file, as it would a temp file). A writer
// borrows it exclusively, so its members go in one after another.
struct BlobBatch::Pack {
  std::string id;
  fs::path path;
  core::UniqueFd fd;
  uint64_t end = 0;             // where the committed members end
  uint64_t synced_end = 0;      // ... and where they ended at the last sync()
  uint64_t writeback_from = 0;  // write-back has been started up to here
  bool synced = false;          // sync() has made it durable at least once
  bool busy = false;            // lent to a writer
};

// ---- BlobWriter --------------------------------------------------------------------------------

// Writes one blob: a single file of its own (file), or a member of a batch's pack (pack).
struct BlobWriter::Impl {
  // A single blob, durable at commit.
  Impl(std::string blob_id, const fs::path& path, MasterKey master_key)
      : id(std::move(blob_id)), master(std::move(master_key)) {
    file.emplace(path, 0600);
    init();
  }
  // A member of the pack `p` that `b` lent, at offset `at`.
  Impl(BlobBatch* b, BlobBatch::Pack* p, uint64_t at, MasterKey master_key)
      : id(member_id(p->id, at)), master(std::move(master_key)), batch(b), pack(p), base(at) {
    init();
  }
  ~Impl() {
    OPENSSL_cleanse(data_key.data(), data_key.size());
    if (pack && !committed) {
      // Abandoned: cut the pack back so the next member starts where this one did.
      (void)!::ftruncate(pack->fd.get(), static_cast<off_t>(pack->end));
      batch->give_back(pack, pack->end);
    }
  }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  void init() {
    data_key = core::random_bytes(kDataKeySize);
    nonce_prefix = core::random_bytes(kNoncePrefixSize);
    // The header is written last, once the size is known; its place is skipped until then.
    written = kBlobHeaderSize;
    pending.reserve(kBlobChunkSize);
  }

  void put(std::string_view data) {
    if (file)
      file->write_at(data, written);
    else
      pwrite_full(pack->fd.get(), data, base + written, pack->path);
    written += data.size();
  }

  void seal_pending(bool final) {
    if (next_index >= kMaxChunks)
      throw core::Error::input_too_large("blob exceeds the maximum size");
    gcm.seal(data_key, chunk_nonce(nonce_prefix, next_index), chunk_aad(id, next_index, final),
             pending, sealed);
    put(sealed);
    ++next_index;
    pending.clear();
  }

  std::string id;
  MasterKey master;
  std::optional<AtomicFile> file;   // a single blob
  BlobBatch* batch = nullptr;       // a pack member: the lender,
  BlobBatch::Pack* pack = nullptr;  // the pack,
  uint64_t base = 0;                // and where in it the member starts
  bool committed = false;
  std::string data_key;
  std::string nonce_prefix;
  Gcm gcm;
  std::string pending;  // plaintext not yet sealed, at most one chunk
  std::string sealed;   // reused output buffer
  uint64_t next_index = 0;
  uint64_t total = 0;    // plaintext bytes
  uint64_t written = 0;  // encoded bytes, header included
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
    // After a failed write the file may hold a partial chunk; drop it rather than let a retry
    // build a blob on top of it.
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

  if (w.file) {
    w.file->write_at(header, 0);
    w.file->commit();
  } else {
    BlobBatch::Pack& p = *w.pack;
    pwrite_full(p.fd.get(), header, w.base, p.path);
    // Start the write-back of every few MB now, so that the batch's fsync mostly finds the data on
    // disk (not per member: 500 small write-backs cost more than they save). Best effort: a
    // failure shows again, and is reported, at that fsync.
    const uint64_t end = w.base + w.written;
    if (end - p.writeback_from >= kWritebackBytes) {
      (void)::sync_file_range(p.fd.get(), static_cast<off_t>(p.writeback_from),
                              static_cast<off_t>(end - p.writeback_from), SYNC_FILE_RANGE_WRITE);
      p.writeback_from = end;
    }
    w.committed = true;
    w.batch->give_back(w.pack, w.base + w.written);
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
  bool member = false;  // a pack member: the pack goes on after its final chunk
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
  if (final && !r.member) {
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

BlobStore::Location BlobStore::locate(const std::string& id) const {
  uint64_t offset = 0;
  if (is_blob_id(id)) return {root_ / id.substr(0, 2) / id, 0, false};
  if (parse_member_id(id, &offset)) {
    std::string pack = id.substr(0, 2 * kIdBytes);
    return {root_ / pack.substr(0, 2) / (pack + ".pack"), offset, true};
  }
  throw core::Error::invalid_request(
      fmt::format("malformed blob id \"{}\": expected 32 lower-case hex characters, or those, a "
                  "dot and a pack offset",
                  id.substr(0, 64)));
}

BlobWriter BlobStore::writer() {
  std::string id = core::hex(core::random_bytes(kIdBytes));
  const fs::path path = locate(id).path;
  ensure_dir(path.parent_path());
  return BlobWriter(std::make_unique<BlobWriter::Impl>(std::move(id), path, key_));
}

std::string BlobStore::put_bytes(std::string_view data) {
  BlobWriter w = writer();
  w.write(data);
  return w.commit();
}

namespace {

// The source is opened before the writer is made, so a missing file leaves no blob file behind.
template <typename MakeWriter>
std::string put_from_file(const fs::path& src, MakeWriter make_writer) {
  core::UniqueFd fd(::open(src.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) throw io_error("cannot open", src);
  BlobWriter w = make_writer();
  std::string buf(kBlobChunkSize, '\0');
  while (const size_t n = read_full(fd.get(), buf.data(), buf.size(), src))
    w.write(std::string_view(buf.data(), n));
  return w.commit();
}

}  // namespace

std::string BlobStore::put_file(const fs::path& src) {
  return put_from_file(src, [this] { return writer(); });
}

BlobReader BlobStore::open(const std::string& id) const {
  auto r = std::make_unique<BlobReader::Impl>();
  const Location at = locate(id);
  r->id = id;
  r->path = at.path;
  r->member = at.member;
  r->fd.reset(::open(r->path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!r->fd) {
    if (errno == ENOENT) throw core::Error::not_found("blob " + id + " not found");
    throw io_error("cannot open", r->path);
  }
  struct stat st {};
  if (::fstat(r->fd.get(), &st) != 0) throw io_error("cannot examine", r->path);

  if (at.member && ::lseek(r->fd.get(), static_cast<off_t>(at.offset), SEEK_SET) < 0)
    throw io_error("cannot seek in", r->path);
  std::string header(kBlobHeaderSize, '\0');
  if (read_full(r->fd.get(), header.data(), header.size(), r->path) != header.size())
    throw corrupt(id, "the file is shorter than a blob header");
  if (at.member && std::string_view(header).substr(0, kDeadMagic.size()) == kDeadMagic)
    throw core::Error::not_found("blob " + id + " not found (removed)");
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
  const uint64_t expected = encoded_size(r->plain_size, r->chunk_size);
  if (at.member) {
    if (static_cast<uint64_t>(st.st_size) < at.offset + expected)
      throw corrupt(id, fmt::format("the pack ends {} bytes into this member, whose header implies "
                                    "{} (truncated)",
                                    static_cast<uint64_t>(st.st_size) - at.offset, expected));
  } else if (static_cast<uint64_t>(st.st_size) != expected)
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
  const Location at = locate(id);
  core::UniqueFd fd(::open(at.path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    if (errno == ENOENT) return false;
    throw io_error("cannot open", at.path);
  }
  if (!at.member) return true;
  char magic[4] = {};
  return pread_full(fd.get(), magic, sizeof magic, at.offset, at.path) == sizeof magic &&
         std::string_view(magic, sizeof magic) == kMagic;
}

namespace {

// True when every member of the pack is marked removed. Walks the members by their headers' size
// fields; anything it cannot make sense of counts as alive, so a damaged pack is kept.
bool pack_is_dead(int fd, const fs::path& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw io_error("cannot examine", path);
  const auto size = static_cast<uint64_t>(st.st_size);
  std::string header(kBlobHeaderSize, '\0');
  for (uint64_t at = 0; at < size;) {
    if (pread_full(fd, header.data(), header.size(), at, path) != header.size()) return false;
    if (std::string_view(header).substr(0, kDeadMagic.size()) != kDeadMagic) return false;
    const uint64_t length = encoded_size_of(header);
    if (length == 0) return false;
    at = align_up(at + length);
  }
  return true;
}

// Marks the members at `offsets` of one pack removed and frees their blocks; the pack goes with
// its last member. One walk over the pack however many members go.
void remove_members(const fs::path& path, const std::vector<uint64_t>& offsets) {
  core::UniqueFd fd(::open(path.c_str(), O_RDWR | O_CLOEXEC));
  if (!fd) {
    if (errno == ENOENT) return;
    throw io_error("cannot open", path);
  }
  std::string header(kBlobHeaderSize, '\0');
  for (const uint64_t offset : offsets) {
    if (pread_full(fd.get(), header.data(), header.size(), offset, path) != header.size() ||
        std::string_view(header).substr(0, kMagic.size()) != kMagic)
      continue;  // already removed, or not a member
    pwrite_full(fd.get(), kDeadMagic, offset, path);
    // The member's blocks past its header go back to the file system where it can punch holes
    // (ext4, xfs, btrfs, tmpfs); elsewhere they stay until the pack goes.
    const uint64_t length = encoded_size_of(header);
    const uint64_t from = offset + kPackAlign;
    const uint64_t to = align_up(offset + length);
    if (length > 0 && to > from)
      (void)::fallocate(fd.get(), FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                        static_cast<off_t>(from), static_cast<off_t>(to - from));
  }
  if (pack_is_dead(fd.get(), path)) {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) throw io_error("cannot remove", path);
    core::fsync_path(path.parent_path());
  } else if (::fdatasync(fd.get()) != 0) {
    throw io_error("fsync failed on", path);
  }
}

}  // namespace

void BlobStore::remove(const std::string& id) {
  remove(std::vector<std::string>{id});
}

void BlobStore::remove(const std::vector<std::string>& ids) {
  std::map<fs::path, std::vector<uint64_t>> members;  // pack → offsets
  std::set<fs::path> dirs;                            // of single blobs removed
  for (const auto& id : ids) {
    const Location at = locate(id);
    if (at.member) {
      members[at.path].push_back(at.offset);
    } else if (::unlink(at.path.c_str()) == 0) {
      dirs.insert(at.path.parent_path());
    } else if (errno != ENOENT) {
      throw io_error("cannot remove", at.path);
    }
  }
  // Made durable like a write, so a deleted document does not come back after a crash.
  for (const auto& dir : dirs) core::fsync_path(dir);
  for (const auto& [path, offsets] : members) remove_members(path, offsets);
}

// ---- BlobBatch ---------------------------------------------------------------------------------

BlobBatch::BlobBatch(BlobStore& store) : store_(store), shard_(core::hex(core::random_bytes(1))) {}

BlobBatch::~BlobBatch() {
  // Never synced, so never acknowledged: the pack goes (a synced member is the caller's to remove
  // by id, as after any failed request), and members added after the last sync are cut off.
  for (const auto& p : packs_) {
    if (!p->synced)
      ::unlink(p->path.c_str());
    else if (p->end != p->synced_end)
      (void)!::ftruncate(p->fd.get(), static_cast<off_t>(p->synced_end));
  }
}

BlobWriter BlobBatch::writer() {
  Pack* pack = borrow();
  try {
    return BlobWriter(
        std::make_unique<BlobWriter::Impl>(this, pack, align_up(pack->end), store_.key()));
  } catch (...) {
    give_back(pack, pack->end);
    throw;
  }
}

std::string BlobBatch::put_file(const fs::path& src) {
  return put_from_file(src, [this] { return writer(); });
}

BlobBatch::Pack* BlobBatch::borrow() {
  std::lock_guard lock(mu_);
  for (const auto& p : packs_)
    if (!p->busy) {
      p->busy = true;
      return p.get();
    }
  auto p = std::make_unique<Pack>();
  // The batch's packs share their first byte: one directory for sync() to flush.
  p->id = shard_ + core::hex(core::random_bytes(kIdBytes - 1));
  p->path = store_.locate(p->id).path;
  p->path += ".pack";
  ensure_dir(p->path.parent_path());
  p->fd.reset(::open(p->path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!p->fd) throw io_error("cannot create", p->path);
  p->busy = true;
  packs_.push_back(std::move(p));
  return packs_.back().get();
}

void BlobBatch::give_back(Pack* pack, uint64_t end) {
  std::lock_guard lock(mu_);
  pack->end = end;
  pack->busy = false;
}

void BlobBatch::sync() {
  std::lock_guard lock(mu_);
  // Every pack with new members once, then the directory that holds their names. An error leaves
  // them unsynced, and the destructor removes them.
  std::vector<Pack*> due;
  for (const auto& p : packs_)
    if (p->end > p->synced_end) due.push_back(p.get());
  if (due.empty()) return;
  for (Pack* p : due)
    if (::fsync(p->fd.get()) != 0) throw io_error("fsync failed on", p->path);
  core::fsync_path(due.front()->path.parent_path());
  for (Pack* p : due) {
    p->synced = true;
    p->synced_end = p->end;
  }
}

}  // namespace paperd::store
