// QpdfDocument and write_pdf: see qpdf_document.h.
#include "engines/pdf/qpdf_document.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <qpdf/Buffer.hh>
#include <qpdf/BufferInputSource.hh>
#include <qpdf/Pl_Flate.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include <cerrno>
#include <memory>

#include "core/error.h"
#include "core/fs.h"

namespace paperd::engines::pdf {

namespace fs = std::filesystem;

namespace {

// qpdf's messages start with the file path it was given (a worker temp path the client never
// saw); keep only the detail.
std::string detail_of(const std::exception& e) {
  if (auto* q = dynamic_cast<const QPDFExc*>(&e)) {
    if (!q->getMessageDetail().empty()) return q->getMessageDetail();
  }
  return e.what();
}

// qpdf's zlib level is process-wide; put it back to the default whatever happens.
class FlateLevel {
 public:
  explicit FlateLevel(int level) { Pl_Flate::setCompressionLevel(level); }
  ~FlateLevel() { Pl_Flate::setCompressionLevel(-1); }
  FlateLevel(const FlateLevel&) = delete;
  FlateLevel& operator=(const FlateLevel&) = delete;
};

core::Error invalid_pdf(const std::string& name, const std::string& why) {
  return core::Error(400, "INVALID_PDF", "'" + name + "' is not a readable PDF: " + why);
}

// The whole of a regular file, or null when it cannot be read that way; processFile then meets
// the same problem and reports it as it always has.
std::unique_ptr<Buffer> read_whole_file(const fs::path& file) {
  core::UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  struct stat st {};
  if (!fd || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) return nullptr;
  const auto size = static_cast<size_t>(st.st_size);
  auto buffer = std::make_unique<Buffer>(size);
  for (size_t done = 0; done < size;) {
    ssize_t n = ::read(fd.get(), buffer->getBuffer() + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return nullptr;  // an error, or the file shrank under us
    done += static_cast<size_t>(n);
  }
  return buffer;
}

// processFile, or the same parse from a copy in memory. The description given to qpdf is the
// path either way, so its messages do not change.
void process_file(QPDF& qpdf, const fs::path& file, const char* password, bool in_memory) {
  std::unique_ptr<Buffer> buffer = in_memory ? read_whole_file(file) : nullptr;
  if (!buffer) {
    qpdf.processFile(file.c_str(), password);
    return;
  }
  auto source = std::make_shared<BufferInputSource>(file.string(), buffer.get(),
                                                    /*own_memory=*/true);
  buffer.release();  // the source owns it now, and the QPDF owns the source
  qpdf.processInputSource(source, password);
}

}  // namespace

QpdfDocument QpdfDocument::open(const fs::path& file, const QpdfOpenOptions& options) {
  std::string name = options.display_name.empty() ? file.filename().string() : options.display_name;
  return open_with(std::move(name), file, options, [&](QPDF& qpdf, const char* password) {
    process_file(qpdf, file, password, options.read_into_memory);
  });
}

QpdfDocument QpdfDocument::open_bytes(const std::string& bytes, const QpdfOpenOptions& options) {
  std::string name = options.display_name.empty() ? "document.pdf" : options.display_name;
  return open_with(name, {}, options, [&](QPDF& qpdf, const char* password) {
    qpdf.processInputSource(std::make_shared<BufferInputSource>(name, bytes), password);
  });
}

QpdfDocument QpdfDocument::open_with(std::string name, fs::path path,
                                     const QpdfOpenOptions& options, const Parse& parse) {
  QpdfDocument doc;
  doc.path_ = std::move(path);
  doc.name_ = std::move(name);
  doc.qpdf_ = QPDF::create();
  doc.qpdf_->setSuppressWarnings(true);
  try {
    parse(*doc.qpdf_, options.password.empty() ? nullptr : options.password.c_str());
  } catch (const QPDFExc& e) {
    if (e.getErrorCode() == qpdf_e_password) {
      if (options.password.empty())
        throw core::Error(400, "PDF_PASSWORD_REQUIRED",
                          "'" + doc.name_ + "' is encrypted: give its password in 'password'");
      throw core::Error(400, "INVALID_PASSWORD",
                        "the password given for '" + doc.name_ + "' is not correct");
    }
    throw invalid_pdf(doc.name_, detail_of(e));
  } catch (const std::exception& e) {
    throw invalid_pdf(doc.name_, detail_of(e));
  }
  size_t pages = 0;
  try {
    pages = doc.qpdf_->getAllPages().size();
  } catch (const std::exception& e) {
    throw invalid_pdf(doc.name_, "its page tree is broken (" + detail_of(e) + ")");
  }
  if (pages == 0) throw invalid_pdf(doc.name_, "it has no pages");
  if (static_cast<int64_t>(pages) > options.max_pages)
    throw core::Error::input_too_large("'" + doc.name_ + "' has " + std::to_string(pages) +
                                       " pages; the limit is " + std::to_string(options.max_pages));
  return doc;
}

namespace {

// The one place output is written: to a file (out non-empty) or to memory (returned).
std::string write_with(QPDF& doc, const fs::path& out, const QpdfWriteOptions& options,
                       const std::string& name) {
  try {
    if (options.remove_unreferenced_resources)
      QPDFPageDocumentHelper(doc).removeUnreferencedResources();
    std::unique_ptr<QPDFWriter> writer = out.empty()
                                             ? std::make_unique<QPDFWriter>(doc)
                                             : std::make_unique<QPDFWriter>(doc, out.c_str());
    QPDFWriter& w = *writer;
    if (out.empty()) w.setOutputMemory();
    w.setPreserveEncryption(options.preserve_encryption);
    if (options.object_streams) w.setObjectStreamMode(qpdf_o_generate);
    if (options.recompress_flate) {
      w.setCompressStreams(true);
      w.setDecodeLevel(qpdf_dl_generalized);
      w.setRecompressFlate(true);
    }
    FlateLevel level(options.flate_level);
    if (options.encryption) {
      const auto& e = *options.encryption;
      w.setR6EncryptionParameters(e.user_password.c_str(), e.owner_password.c_str(),
                                  /*accessibility=*/true, e.allow_copy,
                                  /*assemble=*/e.allow_modify,
                                  /*annotate_and_form=*/e.allow_annotate,
                                  /*form_filling=*/e.allow_annotate || e.allow_modify,
                                  /*modify_other=*/e.allow_modify,
                                  e.allow_print ? qpdf_r3p_full : qpdf_r3p_none,
                                  /*encrypt_metadata=*/true);
    } else if (options.copy_encryption_from && options.copy_encryption_from->isEncrypted()) {
      w.copyEncryptionParameters(*options.copy_encryption_from);
    }
    w.write();
    if (!out.empty()) return {};
    auto buffer = w.getBufferSharedPointer();
    return std::string(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
  } catch (const core::Error&) {
    throw;
  } catch (const std::exception& e) {
    std::error_code ec;
    if (!out.empty()) fs::remove(out, ec);
    throw core::Error(400, "INVALID_PDF",
                      "could not write " + name + ": " + detail_of(e) +
                          " (the input has damaged content qpdf cannot read)");
  }
}

}  // namespace

void write_pdf(QPDF& doc, const fs::path& out, const QpdfWriteOptions& options,
               const std::string& name) {
  write_with(doc, out, options, name);
}

std::string write_pdf_to_memory(QPDF& doc, const QpdfWriteOptions& options,
                                const std::string& name) {
  return write_with(doc, {}, options, name);
}

}  // namespace paperd::engines::pdf
