// An OOXML package (docx/xlsx/pptx) written as a zip with libzip: parts are added as in-memory
// strings and the archive is written on commit(). Owns the zip handle; an uncommitted package is
// discarded (no half-written file is left behind).
#pragma once

#include <filesystem>
#include <list>
#include <string>

struct zip;

namespace paperd::engines::office {

class ZipPackage {
 public:
  explicit ZipPackage(const std::filesystem::path& out);  // throws Error::internal
  ~ZipPackage();
  ZipPackage(const ZipPackage&) = delete;
  ZipPackage& operator=(const ZipPackage&) = delete;

  void add(const std::string& name, std::string content);
  void commit();

 private:
  zip* zip_ = nullptr;
  std::filesystem::path out_;
  std::list<std::string> parts_;  // libzip reads the buffers only at commit()
};

}  // namespace paperd::engines::office
