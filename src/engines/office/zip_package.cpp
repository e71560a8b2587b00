#include "engines/office/zip_package.h"

#include <zip.h>

#include "core/error.h"

namespace paperd::engines::office {

ZipPackage::ZipPackage(const std::filesystem::path& out) : out_(out) {
  int err = 0;
  zip_ = zip_open(out.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  if (!zip_) {
    zip_error_t ze;
    zip_error_init_with_code(&ze, err);
    std::string msg = zip_error_strerror(&ze);
    zip_error_fini(&ze);
    throw core::Error::internal("cannot create " + out.filename().string() + ": " + msg);
  }
}

ZipPackage::~ZipPackage() {
  if (zip_) zip_discard(zip_);
}

void ZipPackage::add(const std::string& name, std::string content) {
  parts_.push_back(std::move(content));
  const std::string& data = parts_.back();
  zip_source_t* src = zip_source_buffer(zip_, data.data(), data.size(), 0);
  if (!src) throw core::Error::internal("libzip: " + std::string(zip_strerror(zip_)));
  zip_int64_t idx = zip_file_add(zip_, name.c_str(), src, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8);
  if (idx < 0) {
    zip_source_free(src);
    throw core::Error::internal("libzip: cannot add " + name + ": " + zip_strerror(zip_));
  }
  zip_set_file_compression(zip_, static_cast<zip_uint64_t>(idx), ZIP_CM_DEFLATE, 6);
}

void ZipPackage::commit() {
  if (zip_close(zip_) != 0) {
    std::string msg = zip_strerror(zip_);
    throw core::Error::internal("cannot write " + out_.filename().string() + ": " + msg);
  }
  zip_ = nullptr;
}

}  // namespace paperd::engines::office
