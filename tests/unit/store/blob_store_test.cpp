// Blob store and master key: round trips of edge sizes, encryption at rest, and every kind of
// tampering the format claims to detect (bit flips, truncation, moved files, removed or
// reordered chunks), plus the master key's sources and file-permission rules.
#include "store/blob_store.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "core/crypto.h"
#include "core/error.h"
#include "core/fs.h"
#include "store/master_key.h"

namespace paperd::store {
namespace {

namespace fs = std::filesystem;

std::string read_all(const fs::path& p) {
  return core::read_file(p);
}

void write_all(const fs::path& p, std::string_view data) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  ASSERT_TRUE(out.good());
}

int mode_of(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return static_cast<int>(st.st_mode & 07777);
}

// Runs fn and checks that it throws BLOB_CORRUPT naming the blob.
void expect_corrupt(const std::function<void()>& fn, const std::string& id,
                    const std::string& context = "") {
  try {
    fn();
    ADD_FAILURE() << "no error thrown; " << context;
  } catch (const core::Error& e) {
    EXPECT_EQ(e.code(), "BLOB_CORRUPT") << context << ": " << e.what();
    EXPECT_EQ(e.status(), 500) << context;
    EXPECT_NE(std::string(e.what()).find("blob " + id + " failed its integrity check"),
              std::string::npos)
        << context << ": " << e.what();
  }
}

class BlobStoreTest : public ::testing::Test {
 protected:
  BlobStoreTest()
      : dir_(fs::temp_directory_path(), "paperd-blob-test-"),
        key_bytes_(core::random_bytes(32)),
        store_(dir_.path() / "blobs", MasterKey::from_bytes(key_bytes_)) {}

  fs::path file_of(const std::string& id) const { return store_.root() / id.substr(0, 2) / id; }

  // Flips one bit of the blob file at offset (negative: from the end).
  void flip(const std::string& id, long offset) {
    std::string raw = read_all(file_of(id));
    const size_t at = offset >= 0 ? offset : raw.size() + offset;
    ASSERT_LT(at, raw.size());
    raw[at] ^= 0x01;
    write_all(file_of(id), raw);
  }

  // A pack member's pack file and offset.
  fs::path pack_of(const std::string& id) const {
    return store_.root() / id.substr(0, 2) / (id.substr(0, 32) + ".pack");
  }
  static uint64_t pack_offset(const std::string& id) {
    return std::stoull(id.substr(33), nullptr, 16);
  }
  // Flips one bit of a pack member at offset (from the member's start).
  void flip_member(const std::string& id, uint64_t offset) {
    std::string raw = read_all(pack_of(id));
    const uint64_t at = pack_offset(id) + offset;
    ASSERT_LT(at, raw.size());
    raw[at] ^= 0x01;
    write_all(pack_of(id), raw);
  }

  // Every regular file under the store root (blobs and any leftover temp files).
  std::vector<fs::path> files_on_disk() const {
    std::vector<fs::path> out;
    for (const auto& e : fs::recursive_directory_iterator(store_.root()))
      if (e.is_regular_file()) out.push_back(e.path());
    return out;
  }

  core::TempDir dir_;
  std::string key_bytes_;
  BlobStore store_;
};

TEST_F(BlobStoreTest, RoundTripsEdgeSizes) {
  const size_t sizes[] = {0,
                          1,
                          kBlobChunkSize - 1,
                          kBlobChunkSize,
                          kBlobChunkSize + 1,
                          3 * kBlobChunkSize,
                          5 * 1000 * 1000 + 17};
  for (size_t n : sizes) {
    SCOPED_TRACE("size " + std::to_string(n));
    const std::string data = core::random_bytes(n);
    const std::string id = store_.put_bytes(data);
    ASSERT_EQ(id.size(), 32u);
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
    EXPECT_TRUE(store_.exists(id));
    EXPECT_EQ(store_.size(id), n);
    EXPECT_EQ(store_.get_bytes(id), data);

    // The file has exactly the size the format implies: header + data + one tag per chunk.
    const size_t chunks = n == 0 ? 1 : (n + kBlobChunkSize - 1) / kBlobChunkSize;
    EXPECT_EQ(fs::file_size(file_of(id)), kBlobHeaderSize + n + chunks * kBlobTagSize);
    EXPECT_EQ(mode_of(file_of(id)), 0600);
  }
}

TEST_F(BlobStoreTest, ReaderStreamsBoundedChunks) {
  const std::string data = core::random_bytes(2 * kBlobChunkSize + 5);
  const std::string id = store_.put_bytes(data);
  BlobReader reader = store_.open(id);
  EXPECT_EQ(reader.size(), data.size());
  std::string chunk, joined;
  std::vector<size_t> lengths;
  while (reader.next(chunk)) {
    lengths.push_back(chunk.size());
    joined += chunk;
  }
  EXPECT_EQ(lengths, (std::vector<size_t>{kBlobChunkSize, kBlobChunkSize, 5}));
  EXPECT_EQ(joined, data);
  EXPECT_TRUE(chunk.empty());
  EXPECT_FALSE(reader.next(chunk));  // stays at the end

  BlobReader empty = store_.open(store_.put_bytes(""));
  EXPECT_EQ(empty.size(), 0u);
  EXPECT_FALSE(empty.next(chunk));
}

TEST_F(BlobStoreTest, WriterAcceptsArbitraryPieces) {
  const std::string data = core::random_bytes(4 * kBlobChunkSize + 333);
  BlobWriter w = store_.writer();
  const size_t pieces[] = {1, 999, kBlobChunkSize, 7, 3 * kBlobChunkSize};
  size_t pos = 0, i = 0;
  while (pos < data.size()) {
    const size_t n = std::min(pieces[i++ % 5], data.size() - pos);
    w.write(std::string_view(data).substr(pos, n));
    w.write("");  // empty writes are harmless
    pos += n;
  }
  const std::string id = w.commit();
  EXPECT_EQ(store_.get_bytes(id), data);
  EXPECT_THROW(w.write("more"), core::Error);
  EXPECT_THROW(w.commit(), core::Error);
}

TEST_F(BlobStoreTest, PutFileGetToFile) {
  const fs::path src = dir_.path() / "in.bin";
  const fs::path dest = dir_.path() / "out" / "copy.bin";
  fs::create_directories(dest.parent_path());
  const std::string data = core::random_bytes(1234567);
  write_all(src, data);

  const std::string id = store_.put_file(src);
  store_.get_to_file(id, dest);
  EXPECT_EQ(read_all(dest), data);
  EXPECT_EQ(mode_of(dest), 0600);
  // Nothing but the result in the destination directory, and only the blob in the store.
  EXPECT_EQ(std::distance(fs::directory_iterator(dest.parent_path()), fs::directory_iterator{}), 1);
  EXPECT_EQ(files_on_disk(), std::vector<fs::path>{file_of(id)});

  EXPECT_THROW(store_.put_file(dir_.path() / "missing.bin"), core::Error);
}

TEST_F(BlobStoreTest, ScratchGetToFileSkipsOnlyTheSync) {
  const std::string data = core::random_bytes(2 * kBlobChunkSize + 5);
  const std::string id = store_.put_bytes(data);
  const fs::path dest = dir_.path() / "scratch.bin";
  store_.get_to_file(id, dest, /*durable=*/false);
  EXPECT_EQ(read_all(dest), data);
  EXPECT_EQ(mode_of(dest), 0600);

  // Tamper detection is the same: no partial file left behind.
  flip(id, -1);
  const fs::path bad = dir_.path() / "bad.bin";
  expect_corrupt([&] { store_.get_to_file(id, bad, false); }, id, "scratch copy");
  EXPECT_FALSE(fs::exists(bad));
}

TEST_F(BlobStoreTest, BatchPacksItsBlobsIntoOneFile) {
  const fs::path src = dir_.path() / "in.bin";
  const std::string data = core::random_bytes(kBlobChunkSize + 17);
  write_all(src, data);
  BlobBatch batch(store_);
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(batch.put_file(src));
  BlobWriter w = batch.writer();
  w.write("written piecewise");
  ids.push_back(w.commit());

  EXPECT_EQ(files_on_disk().size(), 1u);  // one pack, before sync() and after
  batch.sync();
  for (size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ(store_.get_bytes(ids[i]), i + 1 < ids.size() ? data : "written piecewise");
    EXPECT_EQ(store_.size(ids[i]), i + 1 < ids.size() ? data.size() : 17u);
    EXPECT_TRUE(store_.exists(ids[i]));
    // Members of one pack: "<pack>.<offset>", block-aligned offsets.
    EXPECT_EQ(ids[i].substr(0, 33), ids[0].substr(0, 32) + ".") << ids[i];
    EXPECT_EQ(pack_offset(ids[i]) % kPackAlign, 0u) << ids[i];
  }
  EXPECT_EQ(files_on_disk(), std::vector<fs::path>{pack_of(ids[0])});
  EXPECT_NE(ids[0], ids[1]);

  // A member is an ordinary blob: tampering with it is detected, and its neighbours still open.
  flip_member(ids[1], kBlobHeaderSize + 3);
  expect_corrupt([&] { store_.get_bytes(ids[1]); }, ids[1], "pack member");
  EXPECT_EQ(store_.get_bytes(ids[0]), data);
  EXPECT_EQ(store_.get_bytes(ids[2]), data);
}

TEST_F(BlobStoreTest, PackMembersAreBoundToTheirPackAndPlace) {
  BlobBatch batch(store_);
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    BlobWriter w = batch.writer();
    w.write(core::random_bytes(5000));
    ids.push_back(w.commit());
  }
  batch.sync();
  // A pack cut short: its last member is reported, the others still open.
  const uint64_t size = fs::file_size(pack_of(ids[0]));
  fs::resize_file(pack_of(ids[0]), size - 1);
  try {
    store_.get_bytes(ids[2]);
    ADD_FAILURE() << "a truncated member opened";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.code(), "BLOB_CORRUPT");
    EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
  }
  EXPECT_EQ(store_.get_bytes(ids[1]).size(), 5000u);
  // A member's bytes copied over another member's place: they do not open there.
  {
    std::string raw = read_all(pack_of(ids[0]));
    raw.replace(pack_offset(ids[2]), 5000 + kBlobHeaderSize + kBlobTagSize,
                raw.substr(pack_offset(ids[0]), 5000 + kBlobHeaderSize + kBlobTagSize));
    write_all(pack_of(ids[0]), raw);
  }
  expect_corrupt([&] { store_.get_bytes(ids[2]); }, ids[2], "member moved to another offset");
  const std::string pack_id = ids[0].substr(0, 32);
  // The whole pack copied under another pack id: nothing opens.
  const std::string other = std::string(2, pack_id[0]) + std::string(30, 'a');
  fs::create_directories(store_.root() / other.substr(0, 2));
  fs::copy_file(pack_of(ids[0]), store_.root() / other.substr(0, 2) / (other + ".pack"));
  const std::string copied = other + ids[0].substr(32);
  expect_corrupt([&] { store_.get_bytes(copied); }, copied, "pack under another id");
  // An offset inside a member, where no member starts: no header there.
  const std::string inside = ids[0].substr(0, 33) + "1000";
  if (pack_offset(ids[1]) != 0x1000 && pack_offset(ids[2]) != 0x1000)
    expect_corrupt([&] { store_.get_bytes(inside); }, inside, "offset inside a member");
  EXPECT_EQ(store_.get_bytes(ids[0]).size(), 5000u);
}

TEST_F(BlobStoreTest, RemovingPackMembersFreesThePackWithItsLast) {
  BlobBatch batch(store_);
  std::vector<std::pair<std::string, std::string>> blobs;
  for (size_t n : {size_t{100}, 3 * kBlobChunkSize + 5, size_t{0}, size_t{9000}}) {
    std::string data = core::random_bytes(n);
    BlobWriter w = batch.writer();
    w.write(data);
    blobs.emplace_back(w.commit(), std::move(data));
  }
  batch.sync();
  const fs::path pack = pack_of(blobs[0].first);
  // Removed in a scrambled order; the rest stay readable until the last one takes the file.
  for (size_t k : {size_t{1}, size_t{3}, size_t{0}}) {
    store_.remove(blobs[k].first);
    EXPECT_FALSE(store_.exists(blobs[k].first));
    try {
      store_.open(blobs[k].first);
      ADD_FAILURE() << "a removed member opened";
    } catch (const core::Error& e) {
      EXPECT_EQ(e.status(), 404) << e.what();
    }
    EXPECT_NO_THROW(store_.remove(blobs[k].first));  // twice is fine
    EXPECT_TRUE(fs::exists(pack));
    EXPECT_EQ(store_.get_bytes(blobs[2].first), blobs[2].second);
  }
  store_.remove(blobs[2].first);
  EXPECT_FALSE(fs::exists(pack));
  EXPECT_TRUE(files_on_disk().empty());
  EXPECT_NO_THROW(store_.remove(blobs[2].first));
}

TEST_F(BlobStoreTest, RemovingManyBlobsAtOnce) {
  BlobBatch batch(store_);
  std::vector<std::string> ids;
  for (int i = 0; i < 300; ++i) {
    BlobWriter w = batch.writer();
    w.write(core::random_bytes(static_cast<size_t>(100 + i)));
    ids.push_back(w.commit());
  }
  batch.sync();
  const std::string single = store_.put_bytes("single");
  const std::string kept = store_.put_bytes("kept");
  std::vector<std::string> gone(ids.begin(), ids.begin() + 299);
  gone.push_back(single);
  store_.remove(gone);
  for (const auto& id : gone) EXPECT_FALSE(store_.exists(id)) << id;
  EXPECT_TRUE(store_.exists(ids[299]));  // the pack stays for its last member
  EXPECT_EQ(store_.get_bytes(ids[299]).size(), 399u);
  store_.remove(std::vector<std::string>{ids[299], ids[0]});  // one already gone: fine
  EXPECT_EQ(files_on_disk(), std::vector<fs::path>{file_of(kept)});
}

// Two removers of one pack's members at once (a job purge and a failed request, say): whichever
// marks the last member sees every member dead, so the pack goes, and neither fails.
TEST_F(BlobStoreTest, ConcurrentRemovalOfOnePacksMembers) {
  for (int round = 0; round < 20; ++round) {
    BlobBatch batch(store_);
    std::vector<std::string> ids;
    for (int i = 0; i < 40; ++i) {
      BlobWriter w = batch.writer();
      w.write(core::random_bytes(300));
      ids.push_back(w.commit());
    }
    batch.sync();
    std::vector<std::thread> removers;
    for (int t = 0; t < 2; ++t)
      removers.emplace_back([&, t] {
        for (size_t i = static_cast<size_t>(t); i < ids.size(); i += 2)
          EXPECT_NO_THROW(store_.remove(ids[i]));
      });
    for (auto& th : removers) th.join();
    EXPECT_TRUE(files_on_disk().empty()) << "round " << round;
  }
}

TEST_F(BlobStoreTest, AbandonedPackMemberIsCutOff) {
  BlobBatch batch(store_);
  BlobWriter a = batch.writer();
  a.write("first");
  const std::string first = a.commit();
  {
    BlobWriter dropped = batch.writer();
    dropped.write(core::random_bytes(2 * kBlobChunkSize));
  }
  BlobWriter c = batch.writer();
  c.write("third");
  const std::string third = c.commit();
  batch.sync();
  EXPECT_EQ(pack_offset(third), kPackAlign);  // where the dropped one started
  EXPECT_EQ(store_.get_bytes(first), "first");
  EXPECT_EQ(store_.get_bytes(third), "third");
  EXPECT_LT(fs::file_size(pack_of(first)), 2 * kPackAlign);
  store_.remove(first);
  store_.remove(third);
  EXPECT_TRUE(files_on_disk().empty());
}

TEST_F(BlobStoreTest, BatchUsedAfterSyncKeepsOnlyWhatWasSynced) {
  std::string kept, lost;
  {
    BlobBatch batch(store_);
    BlobWriter a = batch.writer();
    a.write("kept");
    kept = a.commit();
    batch.sync();
    BlobWriter b = batch.writer();
    b.write("never synced");
    lost = b.commit();
  }
  EXPECT_EQ(store_.get_bytes(kept), "kept");
  EXPECT_FALSE(store_.exists(lost));
  store_.remove(kept);
  EXPECT_TRUE(files_on_disk().empty());
}

TEST_F(BlobStoreTest, BatchWithoutSyncLeavesNothing) {
  const fs::path src = dir_.path() / "in.bin";
  write_all(src, "never acknowledged");
  std::vector<std::string> ids;
  {
    BlobBatch batch(store_);
    ids.push_back(batch.put_file(src));
    ids.push_back(batch.put_file(src));
    BlobWriter open_writer = batch.writer();  // not even committed
    open_writer.write(core::random_bytes(3 * kBlobChunkSize));
  }
  EXPECT_TRUE(files_on_disk().empty());
  for (const auto& id : ids) EXPECT_FALSE(store_.exists(id));
  BlobBatch batch(store_);
  EXPECT_THROW(batch.put_file(dir_.path() / "missing.bin"), core::Error);
  EXPECT_NO_THROW(batch.sync());  // an empty batch syncs trivially
  EXPECT_TRUE(files_on_disk().empty());
}

TEST_F(BlobStoreTest, BatchTakesBlobsFromSeveralThreads) {
  BlobBatch batch(store_);
  std::mutex mu;
  std::vector<std::pair<std::string, std::string>> written;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        std::string data = core::random_bytes(static_cast<size_t>(t * 1000 + i * 97));
        BlobWriter w = batch.writer();
        w.write(data);
        std::string id = w.commit();
        std::lock_guard lock(mu);
        written.emplace_back(std::move(id), std::move(data));
      }
    });
  for (auto& th : threads) th.join();
  batch.sync();
  ASSERT_EQ(written.size(), 40u);
  for (const auto& [id, data] : written) EXPECT_EQ(store_.get_bytes(id), data);
  // A pack per writer at a time: at most one per thread, not one per blob.
  EXPECT_LE(files_on_disk().size(), 4u);
}

TEST_F(BlobStoreTest, PlaintextNeverReachesDisk) {
  const std::string marker = "PAPERD-PLAINTEXT-MARKER-7f3a";
  std::string data;
  for (int i = 0; i < 5000; ++i) data += marker + std::to_string(i) + "\n";
  const std::string id = store_.put_bytes(data);
  const std::string raw = read_all(file_of(id));
  EXPECT_EQ(raw.find("PAPERD-PLAINTEXT"), std::string::npos);
  EXPECT_EQ(raw.find(key_bytes_), std::string::npos);  // the master key is not stored either
  EXPECT_EQ(raw.substr(0, 4), "PDB1");
  EXPECT_EQ(store_.get_bytes(id), data);
}

TEST_F(BlobStoreTest, SameContentGivesDifferentCiphertext) {
  const std::string data(1000, 'x');
  const std::string a = store_.put_bytes(data), b = store_.put_bytes(data);
  EXPECT_NE(a, b);
  EXPECT_NE(read_all(file_of(a)).substr(kBlobHeaderSize),
            read_all(file_of(b)).substr(kBlobHeaderSize));
}

TEST_F(BlobStoreTest, OtherMasterKeyCannotRead) {
  const std::string id = store_.put_bytes("confidential");
  BlobStore other(store_.root(), MasterKey::from_bytes(core::random_bytes(32)));
  EXPECT_TRUE(other.exists(id));
  expect_corrupt([&] { other.get_bytes(id); }, id, "get_bytes");
  expect_corrupt([&] { other.size(id); }, id, "size");
  // The same key in a fresh store instance reads it: nothing lives only in memory.
  BlobStore same(store_.root(), MasterKey::from_bytes(key_bytes_));
  EXPECT_EQ(same.get_bytes(id), "confidential");
}

TEST_F(BlobStoreTest, EveryHeaderByteIsProtected) {
  const std::string data = core::random_bytes(kBlobChunkSize + 10);
  const std::string id = store_.put_bytes(data);
  const std::string original = read_all(file_of(id));
  for (long i = 0; i < static_cast<long>(kBlobHeaderSize); ++i) {
    flip(id, i);
    expect_corrupt([&] { store_.get_bytes(id); }, id,
                   "get_bytes, header byte " + std::to_string(i));
    expect_corrupt([&] { store_.size(id); }, id, "size, header byte " + std::to_string(i));
    write_all(file_of(id), original);
  }
  EXPECT_EQ(store_.get_bytes(id), data);
}

TEST_F(BlobStoreTest, FlipInMiddleChunkIsDetected) {
  const std::string id = store_.put_bytes(core::random_bytes(3 * kBlobChunkSize + 10));
  const long middle = kBlobHeaderSize + (kBlobChunkSize + kBlobTagSize) + kBlobChunkSize / 2;
  flip(id, middle);
  expect_corrupt([&] { store_.get_bytes(id); }, id, "middle chunk ciphertext");

  // The stream hands out the intact first chunk, then refuses at the damaged one and after it.
  BlobReader reader = store_.open(id);
  std::string chunk;
  ASSERT_TRUE(reader.next(chunk));
  EXPECT_EQ(chunk.size(), kBlobChunkSize);
  expect_corrupt([&] { reader.next(chunk); }, id, "second next()");
  EXPECT_TRUE(chunk.empty());  // no unauthenticated bytes handed out
  expect_corrupt([&] { reader.next(chunk); }, id, "next() after the failure");
}

TEST_F(BlobStoreTest, FlipInMiddleChunkTagIsDetected) {
  const std::string id = store_.put_bytes(core::random_bytes(3 * kBlobChunkSize));
  flip(id, kBlobHeaderSize + 2 * kBlobChunkSize + kBlobTagSize + 3);  // tag of chunk 2
  expect_corrupt([&] { store_.get_bytes(id); }, id);
}

TEST_F(BlobStoreTest, FlipInLastChunkIsDetected) {
  const std::string data = core::random_bytes(2 * kBlobChunkSize + 100);
  for (long offset : {-1L, -static_cast<long>(kBlobTagSize) - 1, -100L - 16L}) {
    const std::string id = store_.put_bytes(data);
    flip(id, offset);
    expect_corrupt([&] { store_.get_bytes(id); }, id, "offset " + std::to_string(offset));
  }
  // An empty blob's lone tag is checked too.
  const std::string empty = store_.put_bytes("");
  flip(empty, -1);
  expect_corrupt([&] { store_.get_bytes(empty); }, empty, "empty blob tag");
}

TEST_F(BlobStoreTest, TruncationIsDetected) {
  const std::string data = core::random_bytes(2 * kBlobChunkSize + 100);
  const size_t full = kBlobHeaderSize + data.size() + 3 * kBlobTagSize;
  // One byte short, the whole final chunk gone (a clean chunk boundary), header only, half a
  // header.
  for (size_t keep :
       {full - 1, full - 100 - kBlobTagSize, kBlobHeaderSize, size_t{40}, size_t{0}}) {
    const std::string id = store_.put_bytes(data);
    fs::resize_file(file_of(id), keep);
    expect_corrupt([&] { store_.get_bytes(id); }, id, "truncated to " + std::to_string(keep));
  }
}

TEST_F(BlobStoreTest, AppendedDataIsDetected) {
  const std::string id = store_.put_bytes("hello");
  std::string raw = read_all(file_of(id));
  write_all(file_of(id), raw + "X");
  expect_corrupt([&] { store_.get_bytes(id); }, id);
  // An extra copy of the final chunk appended does not pass either.
  write_all(file_of(id), raw + raw.substr(kBlobHeaderSize));
  expect_corrupt([&] { store_.get_bytes(id); }, id);
}

TEST_F(BlobStoreTest, SwappedBlobFilesAreDetected) {
  const std::string a = store_.put_bytes(std::string(5000, 'a'));
  const std::string b = store_.put_bytes(std::string(5000, 'b'));
  fs::rename(file_of(a), file_of(b));  // A's file now sits at B's path
  expect_corrupt([&] { store_.get_bytes(b); }, b, "get_bytes");
  expect_corrupt([&] { store_.size(b); }, b, "size");
  EXPECT_FALSE(store_.exists(a));
}

TEST_F(BlobStoreTest, RemovedChunkIsDetected) {
  const std::string data = core::random_bytes(3 * kBlobChunkSize + 10);
  const std::string id = store_.put_bytes(data);
  const std::string raw = read_all(file_of(id));
  const size_t record = kBlobChunkSize + kBlobTagSize;
  const size_t second = kBlobHeaderSize + record;

  write_all(file_of(id), raw.substr(0, second) + raw.substr(second + record));
  expect_corrupt([&] { store_.get_bytes(id); }, id, "middle chunk cut out");

  // The header's size cannot be edited to match: the header is authenticated.
  std::string shrunk = raw.substr(0, second) + raw.substr(second + record);
  const uint64_t smaller = data.size() - kBlobChunkSize;
  for (int i = 0; i < 8; ++i) shrunk[9 + i] = static_cast<char>(smaller >> (8 * (7 - i)));
  write_all(file_of(id), shrunk);
  expect_corrupt([&] { store_.get_bytes(id); }, id, "chunk cut out and size edited");

  // Same length, but chunks reordered, or one chunk duplicated over another.
  std::string swapped = raw;
  swapped.replace(kBlobHeaderSize, record, raw.substr(second, record));
  swapped.replace(second, record, raw.substr(kBlobHeaderSize, record));
  write_all(file_of(id), swapped);
  expect_corrupt([&] { store_.get_bytes(id); }, id, "chunks 1 and 2 swapped");

  std::string duplicated = raw;
  duplicated.replace(second, record, raw.substr(kBlobHeaderSize, record));
  write_all(file_of(id), duplicated);
  expect_corrupt([&] { store_.get_bytes(id); }, id, "chunk 1 copied over chunk 2");
}

TEST_F(BlobStoreTest, GetToFileLeavesNothingOnTamper) {
  const std::string id = store_.put_bytes(core::random_bytes(3 * kBlobChunkSize));
  flip(id, -1);
  const fs::path out_dir = dir_.path() / "out";
  fs::create_directories(out_dir);

  expect_corrupt([&] { store_.get_to_file(id, out_dir / "new.bin"); }, id, "fresh dest");
  EXPECT_TRUE(fs::is_empty(out_dir));  // neither dest nor its temp file

  write_all(out_dir / "old.bin", "previous content");
  expect_corrupt([&] { store_.get_to_file(id, out_dir / "old.bin"); }, id, "existing dest");
  EXPECT_EQ(read_all(out_dir / "old.bin"), "previous content");
  EXPECT_EQ(std::distance(fs::directory_iterator(out_dir), fs::directory_iterator{}), 1);
}

TEST_F(BlobStoreTest, RemoveAndExists) {
  const std::string id = store_.put_bytes("bye");
  EXPECT_TRUE(store_.exists(id));
  store_.remove(id);
  EXPECT_FALSE(store_.exists(id));
  EXPECT_FALSE(fs::exists(file_of(id)));
  EXPECT_NO_THROW(store_.remove(id));  // missing is fine
  try {
    store_.open(id);
    ADD_FAILURE() << "open of a removed blob did not throw";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.status(), 404);
  }
}

TEST_F(BlobStoreTest, UnknownAndMalformedIds) {
  const std::string unknown = "0123456789abcdef0123456789abcdef";
  try {
    store_.open(unknown);
    ADD_FAILURE() << "no error";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.status(), 404);
    EXPECT_EQ(e.code(), "NOT_FOUND");
    EXPECT_NE(std::string(e.what()).find(unknown), std::string::npos);
  }
  EXPECT_FALSE(store_.exists(unknown));
  for (const std::string bad :
       {"", "../../etc/passwd", "0123456789ABCDEF0123456789ABCDEF",
        "0123456789abcdef0123456789abcde", "0123456789abcdef0123456789abcdef0",
        "0123456789abcdef/123456789abcdef", "0123456789abcdef0123456789abcdef.",
        "0123456789abcdef0123456789abcdef.0010", "0123456789abcdef0123456789abcdef.1001",
        "0123456789abcdef0123456789abcdef.1000/", "0123456789abcdef0123456789abcdef.A000",
        "0123456789abcdef0123456789abcdef.1000000000000"}) {
    SCOPED_TRACE(bad);
    for (const std::function<void()>& call : std::vector<std::function<void()>>{
             [&] { store_.open(bad); }, [&] { store_.exists(bad); }, [&] { store_.remove(bad); },
             [&] { store_.size(bad); }}) {
      try {
        call();
        ADD_FAILURE() << "no error";
      } catch (const core::Error& e) {
        EXPECT_EQ(e.status(), 400);
        EXPECT_EQ(e.code(), "INVALID_REQUEST");
      }
    }
  }
}

TEST_F(BlobStoreTest, AbandonedWriterLeavesNothing) {
  {
    BlobWriter w = store_.writer();
    w.write(core::random_bytes(3 * kBlobChunkSize));
  }
  EXPECT_TRUE(files_on_disk().empty());
  // Moving a writer keeps one owner of the temp file.
  BlobWriter a = store_.writer();
  a.write("moved");
  BlobWriter b = std::move(a);
  const std::string id = b.commit();
  EXPECT_EQ(store_.get_bytes(id), "moved");
  EXPECT_EQ(files_on_disk(), std::vector<fs::path>{file_of(id)});
}

TEST_F(BlobStoreTest, ConcurrentUseOfDifferentBlobs) {
  std::vector<std::thread> threads;
  std::vector<int> failures(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 6; ++i) {
        const std::string data =
            core::random_bytes(static_cast<size_t>(t) * 40000 + static_cast<size_t>(i) * 777);
        const std::string id = store_.put_bytes(data);
        if (store_.get_bytes(id) != data || store_.size(id) != data.size()) ++failures[t];
        store_.remove(id);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures, std::vector<int>(8, 0));
}

// ---- MasterKey ---------------------------------------------------------------------------------

class MasterKeyTest : public ::testing::Test {
 protected:
  MasterKeyTest() : dir_(fs::temp_directory_path(), "paperd-key-test-") {}
  core::TempDir dir_;
};

TEST_F(MasterKeyTest, EnvHexAndBase64) {
  const fs::path key_file = dir_.path() / "master.key";
  const std::string expected =
      core::from_hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  EXPECT_EQ(MasterKey::load_or_create(
                key_file, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
                .bytes(),
            expected);
  EXPECT_EQ(MasterKey::load_or_create(
                key_file, "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F\n")
                .bytes(),
            expected);
  // `openssl rand -base64 32` style, with and without its padding.
  EXPECT_EQ(
      MasterKey::load_or_create(key_file, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=").bytes(),
      expected);
  EXPECT_EQ(
      MasterKey::load_or_create(key_file, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8").bytes(),
      expected);
  EXPECT_FALSE(fs::exists(key_file));  // the environment wins; no file is made
}

TEST_F(MasterKeyTest, EnvGarbageIsRejectedByName) {
  const fs::path key_file = dir_.path() / "master.key";
  for (const std::string bad :
       {"secret-password", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1",
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1g",
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f00",
        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==",  // base64 of 31 bytes
        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh*="}) {
    SCOPED_TRACE(bad);
    try {
      MasterKey::load_or_create(key_file, bad);
      ADD_FAILURE() << "accepted";
    } catch (const core::Error& e) {
      EXPECT_EQ(e.code(), "INVALID_REQUEST");
      const std::string msg = e.what();
      EXPECT_NE(msg.find("PAPERD_MASTER_KEY"), std::string::npos) << msg;
      EXPECT_EQ(msg.find(bad), std::string::npos) << "the value leaked into: " << msg;
    }
  }
  EXPECT_FALSE(fs::exists(key_file));
}

TEST_F(MasterKeyTest, KeyFileCreatedPrivateAndReused) {
  const fs::path key_file = dir_.path() / "state" / "master.key";  // directory made too
  const MasterKey first = MasterKey::load_or_create(key_file, "");
  ASSERT_TRUE(fs::exists(key_file));
  EXPECT_EQ(mode_of(key_file), 0600);
  EXPECT_EQ(fs::file_size(key_file), 32u);
  EXPECT_EQ(read_all(key_file), first.bytes());
  EXPECT_EQ(first.bytes().size(), 32u);
  EXPECT_EQ(MasterKey::load_or_create(key_file, "").bytes(), first.bytes());
  EXPECT_EQ(MasterKey::load_or_create(key_file, "  \n").bytes(), first.bytes());  // blank = unset
  // Only the key file: no staging or temp files left beside it.
  EXPECT_EQ(std::distance(fs::directory_iterator(key_file.parent_path()), fs::directory_iterator{}),
            1);

  // A blob written under the loaded key reads back under a fresh load of the same file.
  const std::string id = BlobStore(dir_.path() / "blobs", first).put_bytes("kept");
  EXPECT_EQ(BlobStore(dir_.path() / "blobs", MasterKey::load_or_create(key_file, "")).get_bytes(id),
            "kept");
}

TEST_F(MasterKeyTest, ConcurrentCreationAgreesOnOneKey) {
  const fs::path key_file = dir_.path() / "master.key";
  std::vector<std::string> keys(8);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < keys.size(); ++i)
    threads.emplace_back([&, i] { keys[i] = MasterKey::load_or_create(key_file, "").bytes(); });
  for (auto& t : threads) t.join();
  for (const auto& k : keys) EXPECT_EQ(k, read_all(key_file));
}

TEST_F(MasterKeyTest, ExposedKeyFileIsRefused) {
  const fs::path key_file = dir_.path() / "master.key";
  MasterKey::load_or_create(key_file, "");
  for (int mode : {0644, 0640, 0604, 0660, 0602}) {
    SCOPED_TRACE(mode);
    ASSERT_EQ(::chmod(key_file.c_str(), mode), 0);
    try {
      MasterKey::load_or_create(key_file, "");
      ADD_FAILURE() << "accepted";
    } catch (const core::Error& e) {
      EXPECT_EQ(e.code(), "INTERNAL_ERROR");
      EXPECT_NE(std::string(e.what()).find(key_file.string()), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("chmod 600"), std::string::npos) << e.what();
    }
  }
  ASSERT_EQ(::chmod(key_file.c_str(), 0400), 0);  // read-only for the owner is fine
  EXPECT_NO_THROW(MasterKey::load_or_create(key_file, ""));
}

TEST_F(MasterKeyTest, WrongSizeKeyFileIsRefused) {
  const fs::path key_file = dir_.path() / "master.key";
  for (size_t n : {size_t{0}, size_t{31}, size_t{33}, size_t{64}}) {
    SCOPED_TRACE(n);
    core::atomic_write_file(key_file, std::string(n, 'k'), 0600);
    try {
      MasterKey::load_or_create(key_file, "");
      ADD_FAILURE() << "accepted";
    } catch (const core::Error& e) {
      EXPECT_EQ(e.code(), "INTERNAL_ERROR");
      EXPECT_NE(std::string(e.what()).find("exactly 32 bytes"), std::string::npos) << e.what();
    }
  }
}

TEST(MasterKeyFromBytes, RequiresThirtyTwoBytes) {
  EXPECT_EQ(MasterKey::from_bytes(std::string(32, 'k')).bytes(), std::string(32, 'k'));
  EXPECT_THROW(MasterKey::from_bytes(std::string(31, 'k')), core::Error);
  EXPECT_THROW(MasterKey::from_bytes(""), core::Error);
}

}  // namespace
}  // namespace paperd::store
