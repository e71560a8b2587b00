#include "services/dms/inspector_client.h"

#include <algorithm>
#include <thread>

#include "core/error.h"
#include "services/dms/inspector_pool.h"

namespace paperd::services::dms {

namespace {

InspectorPool& pool() {
  // One reader per core: inspection is CPU-bound, more would only queue in the kernel.
  static InspectorPool readers(std::filesystem::read_symlink("/proc/self/exe"),
                               std::max(2u, std::thread::hardware_concurrency()));
  return readers;
}

const Json& checked(const Json& j) {
  if (j.contains("error")) {
    const Json& e = j["error"];
    throw core::Error(e.value("status", 400), e.value("code", "INVALID_DOCUMENT"),
                      e.value("message", "the document cannot be read"));
  }
  return j;
}

}  // namespace

engines::inspect::Inspection inspect_upload(const std::filesystem::path& file,
                                            const std::string& name, int timeout_ms) {
  return engines::inspect::from_json(checked(pool().inspect(file, name, timeout_ms)));
}

std::vector<engines::inspect::PageWords> read_page_words(const std::filesystem::path& file,
                                                         const std::string& name,
                                                         const std::vector<int>& pages,
                                                         int timeout_ms) {
  Json j = pool().words(file, name, pages, timeout_ms);
  std::vector<engines::inspect::PageWords> out;
  for (const auto& p : checked(j).value("pages", Json::array()))
    out.push_back(engines::inspect::page_words_from_json(p));
  return out;
}

}  // namespace paperd::services::dms
