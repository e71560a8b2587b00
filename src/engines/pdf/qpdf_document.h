// A PDF opened with the qpdf C++ API for structural work (merge, split, rotate, encryption,
// metadata). open() turns every way a file can be unusable into one core::Error naming the file,
// so pipelines never see a raw QPDFExc; write_pdf() is the one place output is written.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>

namespace paperd::engines::pdf {

struct QpdfOpenOptions {
  std::string password;      // user or owner password; empty = none
  std::string display_name;  // the name used in error messages (the upload's filename)
  int64_t max_pages = 5000;  // more → 413 INPUT_TOO_LARGE
  // Read the whole file into memory once and parse from there. qpdf reads a file through FILE*
  // with a seek (a system call) per object, which is most of the time it takes to open many
  // small files (a merge). The memory lives as long as the document.
  bool read_into_memory = false;
};

class QpdfDocument {
 public:
  // Throws core::Error: 400 INVALID_PDF (not a PDF, damaged beyond repair, no pages),
  // 400 PDF_PASSWORD_REQUIRED (needs a user password, none given), 400 INVALID_PASSWORD (wrong
  // password), 413 INPUT_TOO_LARGE (more than max_pages pages).
  static QpdfDocument open(const std::filesystem::path& file, const QpdfOpenOptions& options = {});
  // The same for a file the caller holds in memory (copied; read_into_memory does not apply).
  static QpdfDocument open_bytes(const std::string& bytes, const QpdfOpenOptions& options = {});

  QPDF& qpdf() const { return *qpdf_; }
  // Shared so a merged output can keep its sources alive until it is written (qpdf copies
  // foreign stream data lazily, at write time).
  std::shared_ptr<QPDF> shared() const { return qpdf_; }
  const std::string& name() const { return name_; }
  const std::filesystem::path& path() const { return path_; }  // empty after open_bytes()
  int page_count() const { return static_cast<int>(qpdf_->getAllPages().size()); }
  const std::vector<QPDFObjectHandle>& pages() const { return qpdf_->getAllPages(); }

  bool encrypted() const { return qpdf_->isEncrypted(); }
  // Warnings qpdf raised while reading (a repaired xref table, a damaged stream, ...).
  size_t warning_count() const { return qpdf_->numWarnings(); }

 private:
  // What both opens share: parse (processFile or the like) with errors mapped, then the checks.
  using Parse = std::function<void(QPDF&, const char* password)>;
  static QpdfDocument open_with(std::string name, std::filesystem::path path,
                                const QpdfOpenOptions& options, const Parse& parse);

  std::shared_ptr<QPDF> qpdf_;
  std::string name_;
  std::filesystem::path path_;
};

// How write_pdf writes: defaults match `qpdf in.pdf out.pdf` (encryption of the source kept,
// object streams as they were, streams without filters compressed).
struct QpdfWriteOptions {
  bool preserve_encryption = true;
  bool object_streams = false;    // true: pack objects into object streams (smaller files)
  bool recompress_flate = false;  // true: re-deflate every Flate stream
  int flate_level = -1;           // zlib level for what is compressed; -1 = default
  bool remove_unreferenced_resources = false;
  // AES-256 (R6) encryption; applied when user_password or owner_password is set.
  struct Encryption {
    std::string user_password, owner_password;
    bool allow_print = true, allow_copy = true, allow_modify = true, allow_annotate = true;
  };
  std::unique_ptr<Encryption> encryption;
  // Encrypt like this (already opened) document instead; ignored when `encryption` is set.
  QPDF* copy_encryption_from = nullptr;
};

// Writes doc to `out`. `name` describes the output in errors ("the merged document"): a stream
// that turns out to be unreadable at write time answers 400 INVALID_PDF.
void write_pdf(QPDF& doc, const std::filesystem::path& out, const QpdfWriteOptions& options,
               const std::string& name);
// The same, into memory (small outputs that go straight into the blob store).
std::string write_pdf_to_memory(QPDF& doc, const QpdfWriteOptions& options,
                                const std::string& name);

}  // namespace paperd::engines::pdf
