#include "engines/archive/zip_stream.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <set>
#include <string_view>

#include "core/error.h"

namespace paperd::engines::archive {

namespace {

// Entries are stored; the data of an entry passes through unchanged, so the archive's size
// depends only on the names, sizes and order, never on the bytes.
constexpr const char* kOptions = "zip:compression=store,zip:hdrcharset=UTF-8";
// The stream hands out pieces of at least this much (but the last): headers are tens of bytes.
constexpr size_t kMinPiece = 64 * 1024;

// Length of the UTF-8 sequence at s[i], or 0 if it is not valid (overlong, surrogate, > U+10FFFF).
size_t utf8_length(std::string_view s, size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  size_t len = c >= 0xC2 && c <= 0xDF   ? 2
               : c >= 0xE0 && c <= 0xEF ? 3
               : c >= 0xF0 && c <= 0xF4 ? 4
                                        : 0;
  if (len == 0 || i + len > s.size()) return 0;
  auto second = static_cast<unsigned char>(s[i + 1]);
  if ((c == 0xE0 && second < 0xA0) || (c == 0xED && second > 0x9F) ||
      (c == 0xF0 && second < 0x90) || (c == 0xF4 && second > 0x8F))
    return 0;
  for (size_t k = 1; k < len; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  return len;
}

std::string safe_name(std::string_view name) {
  std::string out;
  for (size_t i = 0; i < name.size();) {
    size_t len = utf8_length(name, i);
    auto c = static_cast<unsigned char>(name[i]);
    if (len == 0 || (len == 1 && (c < 0x20 || c == 0x7F || c == '/' || c == '\\'))) {
      out += '_';
      ++i;
      continue;
    }
    out.append(name.substr(i, len));
    i += len;
  }
  if (out.empty() || out == "." || out == "..") return "file";
  return out;
}

// The extension starts at the last dot, unless that dot starts the name (".profile").
size_t extension_start(const std::string& name) {
  size_t dot = name.rfind('.');
  return dot == std::string::npos || dot == 0 ? name.size() : dot;
}

std::string lower_ascii(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// Letters, digits and every byte of a multi-byte character belong to a word.
bool word_byte(char c) {
  auto u = static_cast<unsigned char>(c);
  return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u >= 0x80;
}

// libarchive's ZIP writer over a sink that receives every byte of the archive in order.
// placeholder: the sizing pass, whose bytes are zeros and whose CRCs nobody reads, so it skips
// computing them (libarchive's "fakecrc32"; if a libarchive lacks it, only time is lost).
class ArchiveWriter {
 public:
  using Sink = std::function<void(const void* data, size_t size)>;

  ArchiveWriter(const ArchiveWriter&) = delete;  // libarchive holds `this`
  ArchiveWriter& operator=(const ArchiveWriter&) = delete;
  ArchiveWriter(Sink sink, bool placeholder)
      : sink_(std::move(sink)), a_(archive_write_new(), &archive_write_free) {
    if (!a_) throw core::Error::internal("zip: libarchive could not allocate a writer");
    check(archive_write_set_format_zip(a_.get()), "set the format");
    check(archive_write_set_options(a_.get(), kOptions), "set the options");
    if (placeholder) (void)archive_write_set_option(a_.get(), "zip", "fakecrc32", "1");
    // Unblocked: every write reaches the sink at once, and nothing pads the end.
    check(archive_write_set_bytes_per_block(a_.get(), 0), "set the block size");
    check(archive_write_open2(a_.get(), this, nullptr, &ArchiveWriter::write, nullptr, nullptr),
          "open");
  }

  void begin(const ZipEntry& e) {
    std::unique_ptr<archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(),
                                                                        &archive_entry_free);
    archive_entry_set_pathname_utf8(entry.get(), e.name.c_str());
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), 0644);
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(e.size));
    archive_entry_set_mtime(entry.get(), e.mtime, 0);
    check(archive_write_header(a_.get(), entry.get()), "write the header of '" + e.name + "'");
  }
  void data(std::string_view bytes) {
    if (archive_write_data(a_.get(), bytes.data(), bytes.size()) !=
        static_cast<la_ssize_t>(bytes.size()))
      fail("write data");
  }
  void end() { check(archive_write_finish_entry(a_.get()), "finish an entry"); }
  void close() { check(archive_write_close(a_.get()), "close"); }

 private:
  static la_ssize_t write(struct archive*, void* self, const void* data, size_t size) {
    static_cast<ArchiveWriter*>(self)->sink_(data, size);
    return static_cast<la_ssize_t>(size);
  }
  void check(int status, const std::string& what) {
    if (status != ARCHIVE_OK) fail(what);
  }
  [[noreturn]] void fail(const std::string& what) {
    const char* why = archive_error_string(a_.get());
    throw core::Error::internal("zip: could not " + what + ": " + (why ? why : "libarchive error"));
  }

  Sink sink_;
  std::unique_ptr<struct archive, decltype(&archive_write_free)> a_;
};

}  // namespace

std::vector<std::string> unique_entry_names(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  std::set<std::string> taken;  // lower case
  for (const auto& raw : names) {
    const std::string base = safe_name(raw);
    const size_t ext = extension_start(base);
    std::string name = base;
    for (int n = 2; !taken.insert(lower_ascii(name)).second; ++n)
      name = base.substr(0, ext) + " (" + std::to_string(n) + ")" + base.substr(ext);
    out.push_back(std::move(name));
  }
  return out;
}

std::string common_stem(const std::vector<std::string>& names) {
  if (names.empty()) return "";
  std::vector<std::string> stems;
  for (const auto& n : names) {
    std::string safe = safe_name(n);
    stems.push_back(safe.substr(0, extension_start(safe)));
  }
  const std::string& first = stems.front();
  size_t n = first.size();
  for (const auto& s : stems) {
    size_t k = 0;
    while (k < n && k < s.size() && s[k] == first[k]) ++k;
    n = k;
  }
  // A word cut in the middle is not shared ("book_10", "book_12" share "book", not "book_1").
  bool whole_word = std::all_of(stems.begin(), stems.end(),
                                [&](auto& s) { return n == s.size() || !word_byte(s[n]); });
  if (!whole_word)
    while (n > 0 && word_byte(first[n - 1])) --n;
  while (n > 0 && !word_byte(first[n - 1])) --n;
  return first.substr(0, n);
}

uint64_t zip_size(const std::vector<ZipEntry>& entries) {
  static const std::string kZeros(kMinPiece, '\0');
  uint64_t total = 0;
  ArchiveWriter writer([&](const void*, size_t size) { total += size; }, true);
  for (const auto& e : entries) {
    writer.begin(e);
    for (uint64_t left = e.size; left > 0;) {
      size_t piece = static_cast<size_t>(std::min<uint64_t>(left, kZeros.size()));
      writer.data(std::string_view(kZeros).substr(0, piece));
      left -= piece;
    }
    writer.end();
  }
  writer.close();
  return total;
}

struct ZipStream::Impl {
  explicit Impl(std::vector<ZipEntry> e)
      : entries(std::move(e)),
        size(zip_size(entries)),
        writer(
            [this](const void* data, size_t n) { out.append(static_cast<const char*>(data), n); },
            false) {}

  // One step: an entry's header, a piece of its data, its end, or the central directory.
  void step() {
    if (!source) {
      if (index == entries.size()) {
        writer.close();
        closed = true;
        return;
      }
      writer.begin(entries[index]);
      source = entries[index].open();
      read = 0;
      return;
    }
    const ZipEntry& e = entries[index];
    if (source(piece)) {
      read += piece.size();
      if (read > e.size)
        throw core::Error::internal("zip: '" + e.name + "' has more than its " +
                                    std::to_string(e.size) + " bytes");
      writer.data(piece);
      return;
    }
    if (read != e.size)
      throw core::Error::internal("zip: '" + e.name + "' ended after " + std::to_string(read) +
                                  " of its " + std::to_string(e.size) + " bytes");
    writer.end();
    source = nullptr;
    ++index;
  }

  std::vector<ZipEntry> entries;
  uint64_t size;
  std::string out;  // produced, not yet handed out; declared before the writer that fills it
  ArchiveWriter writer;
  size_t index = 0;
  ChunkSource source;  // the current entry's; empty between entries
  std::string piece;
  uint64_t read = 0;  // of the current entry
  uint64_t handed_out = 0;
  bool closed = false;
};

ZipStream::ZipStream(std::vector<ZipEntry> entries)
    : impl_(std::make_unique<Impl>(std::move(entries))) {}

ZipStream::~ZipStream() = default;

uint64_t ZipStream::size() const {
  return impl_->size;
}

bool ZipStream::next(std::string& chunk) {
  Impl& s = *impl_;
  while (s.out.size() < kMinPiece && !s.closed) s.step();
  chunk.clear();
  chunk.swap(s.out);
  s.handed_out += chunk.size();
  if (s.closed && chunk.empty() && s.handed_out != s.size)
    throw core::Error::internal("zip: the archive has " + std::to_string(s.handed_out) +
                                " bytes, not the " + std::to_string(s.size) + " announced");
  return !chunk.empty();
}

}  // namespace paperd::engines::archive
