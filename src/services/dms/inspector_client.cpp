#include "services/dms/inspector_client.h"

#include <algorithm>
#include <thread>

#include "core/error.h"
#include "services/dms/inspector_pool.h"

namespace paperd::services::dms {

engines::inspect::Inspection inspect_upload(const std::filesystem::path& file,
                                            const std::string& name, int timeout_ms) {
  // One reader per core: inspection is CPU-bound, more would only queue in the kernel.
  static InspectorPool pool(std::filesystem::read_symlink("/proc/self/exe"),
                            std::max(2u, std::thread::hardware_concurrency()));
  Json j = pool.inspect(file, name, timeout_ms);
  if (j.contains("error")) {
    const Json& e = j["error"];
    throw core::Error(e.value("status", 400), e.value("code", "INVALID_DOCUMENT"),
                      e.value("message", "the document cannot be read"));
  }
  return engines::inspect::from_json(j);
}

}  // namespace paperd::services::dms
