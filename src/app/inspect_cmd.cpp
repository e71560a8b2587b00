// `paperd inspect FILE`: looks inside one uploaded document (engines/inspect) and prints what it
// found as one JSON line, or {"error":{status, code, message}}. The server runs it as a child per
// upload, so a hostile file can only take this process down; its own limits come first.
#include <sys/resource.h>

#include <iostream>

#include "app/commands.h"
#include "core/error.h"
#include "engines/inspect/document_inspector.h"

namespace paperd::app {

int inspect(core::Config& config, const InspectOptions& o) {
  if (config.worker_memory_mb > 0) {  // 0 = no limit, as for the workers
    rlimit mem{static_cast<rlim_t>(config.worker_memory_mb) << 20,
               static_cast<rlim_t>(config.worker_memory_mb) << 20};
    setrlimit(RLIMIT_AS, &mem);
  }
  rlimit cpu{60, 65};
  setrlimit(RLIMIT_CPU, &cpu);
  Json out;
  try {
    out = engines::inspect::to_json(
        engines::inspect::inspect_file(o.file, o.name.empty() ? o.file.filename().string() : o.name,
                                       {.max_pages = config.max_pages}));
  } catch (const core::Error& e) {
    out = {{"error", {{"status", e.status()}, {"code", e.code()}, {"message", e.what()}}}};
  } catch (const std::exception& e) {
    out = {{"error", {{"status", 400}, {"code", "INVALID_DOCUMENT"}, {"message", e.what()}}}};
  }
  std::cout << out.dump(-1, ' ', false, Json::error_handler_t::replace) << "\n";
  return 0;
}

}  // namespace paperd::app
