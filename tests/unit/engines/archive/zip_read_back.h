// Test helper: the entries of a ZIP as libarchive reads them back (CRCs checked while reading),
// shared by the ZIP stream's unit tests and the archive download's API tests.
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <clocale>
#include <memory>
#include <string>
#include <vector>

namespace paperd::zip_test {

struct File {
  std::string name, bytes;
};

// The entries as libarchive reads them back (CRCs checked while reading). Its reader converts
// names to the current locale's charset, so that is UTF-8 while it reads.
inline std::vector<File> read_back(const std::string& zip) {
  struct Utf8Locale {
    std::string before = setlocale(LC_CTYPE, nullptr);
    Utf8Locale() { setlocale(LC_CTYPE, "C.UTF-8"); }
    ~Utf8Locale() { setlocale(LC_CTYPE, before.c_str()); }
  } utf8;
  std::unique_ptr<struct archive, decltype(&archive_read_free)> a(archive_read_new(),
                                                                  &archive_read_free);
  archive_read_support_format_zip(a.get());
  EXPECT_EQ(archive_read_open_memory(a.get(), zip.data(), zip.size()), ARCHIVE_OK);
  std::vector<File> out;
  archive_entry* e = nullptr;
  int status;
  while ((status = archive_read_next_header(a.get(), &e)) != ARCHIVE_EOF) {
    EXPECT_EQ(status, ARCHIVE_OK) << archive_error_string(a.get());
    if (status < ARCHIVE_WARN) break;
    File f{archive_entry_pathname_utf8(e), ""};
    char buf[8192];
    la_ssize_t n;
    while ((n = archive_read_data(a.get(), buf, sizeof buf)) > 0) f.bytes.append(buf, n);
    EXPECT_EQ(n, 0) << archive_error_string(a.get());
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace paperd::zip_test
