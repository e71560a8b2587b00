#include "engines/convert/child_sandbox.h"

#include <sys/resource.h>

#include "core/error.h"
#include "core/subprocess.h"

namespace paperd::engines::convert {

bool network_namespaces_available() {
  // A capability of the machine, not state: computed once, never changed.
  static const bool available = [] {
    try {
      core::ProcessOptions o;
      o.argv = {"unshare", "--net", "--", "true"};
      o.timeout_ms = 5000;
      return core::run_process(o).ok();
    } catch (const std::exception&) {
      return false;
    }
  }();
  return available;
}

std::vector<std::string> sandbox_prefix(const SandboxOptions& options) {
  std::vector<std::string> prefix;
  if (options.chromium_address_space) {
    rlimit as{};
    getrlimit(RLIMIT_AS, &as);
    if (as.rlim_cur != RLIM_INFINITY) {
      if (as.rlim_max != RLIM_INFINITY)
        throw core::Error::unavailable(
            "Chromium-based converters need more virtual address space than this worker's hard "
            "limit of " +
            std::to_string(as.rlim_max >> 20) +
            " MB allows (V8 reserves about 1 TB it never uses); the worker must set only the "
            "soft RLIMIT_AS, or run with PAPERD_WORKER_MEMORY_MB=0");
      rlimit data{};
      getrlimit(RLIMIT_DATA, &data);
      rlim_t bound = std::min(as.rlim_cur, data.rlim_cur);
      prefix = {"prlimit", "--as=unlimited", "--data=" + std::to_string(bound), "--"};
    }
  }
  if (options.no_network && network_namespaces_available()) {
    for (const char* a : {"unshare", "--net", "--"}) prefix.emplace_back(a);
  }
  return prefix;
}

}  // namespace paperd::engines::convert
