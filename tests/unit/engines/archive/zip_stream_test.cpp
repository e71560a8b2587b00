// ZipStream: the archive it streams is read back by libarchive, Info-ZIP's `unzip -t` and Python's
// zipfile (names, order, bytes, CRCs); its size is announced exactly, ZIP64 included; sources are
// opened only when reached and a source of the wrong length fails the stream. Entry names are made
// safe and unique; the archive's name comes from the names the files share.
#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <clocale>
#include <filesystem>
#include <random>

#include "core/error.h"
#include "core/fs.h"
#include "core/subprocess.h"
#include "engines/archive/zip_stream.h"
#include "zip_read_back.h"

namespace paperd::engines::archive {
namespace {

using zip_test::File;
using zip_test::read_back;

// A source handing out `bytes` in pieces of `piece` bytes.
std::function<ChunkSource()> source_of(std::string bytes, size_t piece, int* opens = nullptr) {
  return [bytes = std::move(bytes), piece, opens]() -> ChunkSource {
    if (opens) ++*opens;
    auto at = std::make_shared<size_t>(0);
    return [bytes, piece, at](std::string& chunk) {
      chunk = bytes.substr(*at, piece);
      *at += chunk.size();
      return !chunk.empty();
    };
  };
}

std::string drain(ZipStream& zip) {
  std::string all, chunk;
  while (zip.next(chunk)) all += chunk;
  return all;
}

std::string random_bytes(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

TEST(ZipStream, RoundTripThroughThreeReaders) {
  std::vector<File> files = {{"part_1.pdf", random_bytes(200'000, 1)},
                             {"empty.txt", ""},
                             {"März (Übersicht).pdf", "x"},
                             {"big.jpg", random_bytes(300'001, 2)}};
  std::vector<ZipEntry> entries;
  for (const auto& f : files)
    entries.push_back({f.name, f.bytes.size(), 1700000000, source_of(f.bytes, 7'777)});
  const uint64_t announced = zip_size(entries);
  ZipStream zip(entries);
  EXPECT_EQ(zip.size(), announced);
  std::string bytes = drain(zip);
  EXPECT_EQ(bytes.size(), announced);

  auto back = read_back(bytes);
  ASSERT_EQ(back.size(), files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    EXPECT_EQ(back[i].name, files[i].name);
    EXPECT_TRUE(back[i].bytes == files[i].bytes) << files[i].name;
  }

  core::TempDir dir(std::filesystem::temp_directory_path(), "paperd-zip-test-");
  auto file = dir.path() / "all.zip";
  core::atomic_write_file(file, bytes);
  auto unzip = core::run_process({.argv = {"unzip", "-t", file.string()}});
  EXPECT_TRUE(unzip.ok()) << unzip.out << unzip.err;
  EXPECT_NE(unzip.out.find("No errors detected"), std::string::npos) << unzip.out;
  // Python: every CRC checked, names as UTF-8, nothing compressed, the order kept.
  auto py = core::run_process(
      {.argv = {"python3", "-c",
                "import sys, zipfile\n"
                "z = zipfile.ZipFile(sys.argv[1])\n"
                "assert z.testzip() is None\n"
                "assert all(i.compress_type == zipfile.ZIP_STORED for i in z.infolist())\n"
                "print('|'.join('%s=%d' % (i.filename, i.file_size) for i in z.infolist()))\n",
                file.string()},
       .env = {{"PYTHONIOENCODING", "utf-8"}}});
  ASSERT_TRUE(py.ok()) << py.err;
  EXPECT_EQ(py.out, "part_1.pdf=200000|empty.txt=0|März (Übersicht).pdf=1|big.jpg=300001\n");
}

TEST(ZipStream, EmptyListIsAnEmptyArchive) {
  ZipStream zip({});
  std::string bytes = drain(zip);
  EXPECT_EQ(bytes.size(), zip.size());
  EXPECT_EQ(bytes.size(), 22u);  // the end-of-central-directory record alone
  EXPECT_TRUE(read_back(bytes).empty());
}

TEST(ZipStream, OpensEachSourceOnlyWhenReached) {
  int opens = 0;
  std::vector<ZipEntry> entries;
  for (int i = 0; i < 3; ++i)
    entries.push_back(
        {"f" + std::to_string(i), 100'000, 0, source_of(std::string(100'000, 'a'), 65536, &opens)});
  ZipStream zip(entries);
  EXPECT_EQ(opens, 0);  // sizing opens nothing
  std::string chunk;
  ASSERT_TRUE(zip.next(chunk));
  EXPECT_EQ(opens, 1);
  EXPECT_LE(chunk.size(), 2u * 65536 + 1024);  // pieces, not the archive
  drain(zip);
  EXPECT_EQ(opens, 3);
}

TEST(ZipStream, SourceOfTheWrongLengthFailsTheStream) {
  for (const std::string& actual : {std::string(9, 'a'), std::string(11, 'a')}) {
    ZipStream zip({{"a.pdf", 10, 0, source_of(actual, 4)}});
    EXPECT_THROW(drain(zip), core::Error) << actual.size() << " bytes";
  }
}

// More than 4 GiB in all: ZIP64 offsets in the central directory and the ZIP64 end records, all
// of which the announced size must include. The bytes are zeros and not kept, only counted.
TEST(ZipStream, SizeIsExactBeyondFourGigabytes) {
  const uint64_t mib = uint64_t{1} << 20, gib = mib << 10;
  auto zeros = [mib]() -> ChunkSource {
    return [mib, n = 0](std::string& chunk) mutable {
      chunk.assign(++n <= 1536 ? mib : 0, '\0');
      return !chunk.empty();
    };
  };
  std::vector<ZipEntry> entries;
  for (int i = 0; i < 3; ++i)
    entries.push_back({"part " + std::to_string(i), 1536 * mib, 0, zeros});
  entries.push_back({"after 4 GiB", 10, 0, source_of(std::string(10, 'z'), 10)});
  ZipStream zip(entries);
  uint64_t total = 0;
  std::string chunk, tail;
  while (zip.next(chunk)) {
    total += chunk.size();
    tail += chunk.size() > 200 ? chunk.substr(chunk.size() - 200) : chunk;
    if (tail.size() > 200) tail.erase(0, tail.size() - 200);
  }
  EXPECT_EQ(total, zip.size());
  EXPECT_GT(total, 4 * gib);
  EXPECT_NE(tail.find("PK\x06\x06"), std::string::npos);  // ZIP64 end of central directory
}

TEST(UniqueEntryNames, SafeAndUniqueInOrder) {
  EXPECT_EQ(
      unique_entry_names({"a.pdf", "a.pdf", "A.PDF", "a (2).pdf", "b.pdf"}),
      (std::vector<std::string>{"a.pdf", "a (2).pdf", "A (3).PDF", "a (2) (2).pdf", "b.pdf"}));
  EXPECT_EQ(unique_entry_names({"../etc/passwd", "dir\\x.pdf", "", ".", "..", "tab\there",
                                std::string("bad\xff\xc3.pdf")}),
            (std::vector<std::string>{".._etc_passwd", "dir_x.pdf", "file", "file (2)", "file (3)",
                                      "tab_here", "bad__.pdf"}));
  EXPECT_EQ(unique_entry_names({".profile", ".profile", "Grüße.pdf", "grüße.pdf"}),
            (std::vector<std::string>{".profile", ".profile (2)", "Grüße.pdf", "grüße (2).pdf"}));
  EXPECT_TRUE(unique_entry_names({}).empty());
}

TEST(CommonStem, TheWordsTheNamesShare) {
  EXPECT_EQ(common_stem({"book_1-2.pdf", "book_4-5.pdf"}), "book");
  EXPECT_EQ(common_stem({"book_10.pdf", "book_12.pdf"}), "book");
  EXPECT_EQ(common_stem({"scan_p1.jpg", "scan_p2.jpg", "scan_p10.jpg"}), "scan");
  EXPECT_EQ(common_stem({"report.pdf", "report_2.pdf"}), "report");
  EXPECT_EQ(common_stem({"Rechnung März_1.pdf", "Rechnung März_2.pdf"}), "Rechnung März");
  EXPECT_EQ(common_stem({"abc.pdf", "abd.pdf"}), "");
  EXPECT_EQ(common_stem({"a_1.pdf", "b_1.pdf"}), "");
  EXPECT_EQ(common_stem({"only.pdf"}), "only");
  EXPECT_EQ(common_stem({}), "");
}

}  // namespace
}  // namespace paperd::engines::archive
