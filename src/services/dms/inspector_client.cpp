#include "services/dms/inspector_client.h"

#include "core/error.h"
#include "core/subprocess.h"

namespace paperd::services::dms {

engines::inspect::Inspection inspect_upload(const std::filesystem::path& file,
                                            const std::string& name, int timeout_ms) {
  static const std::string exe = std::filesystem::read_symlink("/proc/self/exe").string();
  core::ProcessOptions o;
  o.argv = {exe, "inspect", file.string(), "--name", name};
  o.timeout_ms = timeout_ms;
  o.max_output = 64u << 20;
  core::ProcessResult r = core::run_process(o);
  if (r.timed_out)
    throw core::Error(
        400, "INVALID_DOCUMENT",
        "'" + name + "' could not be read within " + std::to_string(timeout_ms / 1000) + " s");
  Json j = r.ok() ? Json::parse(r.out, nullptr, false) : Json(nullptr);
  if (!r.ok() || j.is_discarded() || !j.is_object())
    throw core::Error(400, "INVALID_DOCUMENT",
                      "'" + name + "' could not be read: the document reader " +
                          (r.signal ? "was killed by signal " + std::to_string(r.signal)
                                    : "failed (exit " + std::to_string(r.exit_code) + ")") +
                          " on it");
  if (j.contains("error")) {
    const Json& e = j["error"];
    throw core::Error(e.value("status", 400), e.value("code", "INVALID_DOCUMENT"),
                      e.value("message", "the document cannot be read"));
  }
  return engines::inspect::from_json(j);
}

}  // namespace paperd::services::dms
