#include "jobs/pipeline.h"

#include <atomic>
#include <fstream>

#include "core/error.h"
#include "core/fs.h"

namespace paperd::jobs {

std::shared_ptr<const std::string> input_bytes(const InputFile& in) {
  if (in.data) return in.data;
  return std::make_shared<const std::string>(core::read_file(in.path));
}

std::string PipelineContext::add_output_bytes(std::string_view data, const std::string& filename,
                                              const std::string& content_type) {
  static std::atomic<uint64_t> counter{0};
  std::filesystem::path dir = temp_dir() / "output-bytes";
  std::filesystem::create_directories(dir);
  std::filesystem::path file = dir / std::to_string(counter++);
  {
    std::ofstream out(file, std::ios::binary);  // scratch: add_output copies it
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    if (!out) throw core::Error::internal("cannot write " + file.string());
  }
  return add_output(file, filename, content_type);
}

void PipelineRegistry::add(Pipeline p) {
  if (pipelines_.count(p.name)) throw core::Error::internal("pipeline registered twice: " + p.name);
  std::string name = p.name;
  pipelines_.emplace(std::move(name), std::move(p));
}

const Pipeline* PipelineRegistry::find(const std::string& name) const {
  auto it = pipelines_.find(name);
  return it == pipelines_.end() ? nullptr : &it->second;
}

const Pipeline* PipelineRegistry::resolve(const std::string& slug,
                                          const http::Params& params) const {
  if (slug != "workflow") return find(slug);
  std::string name = params.str("template");
  if (name.empty() && (params.has("idp_collection") || params.has("idp_fields"))) name = "idp";
  const Pipeline* p = name.empty() ? nullptr : find("workflow/" + name);
  if (p) return p;
  std::string known;
  for (auto& [key, pipeline] : pipelines_)
    if (key.starts_with("workflow/")) known += (known.empty() ? "" : ", ") + key.substr(9);
  throw core::Error::job_config_invalid(
      (name.empty() ? std::string("the workflow pipeline needs 'template'")
                    : "unknown workflow template '" + name + "'") +
      (known.empty() ? "; none are installed" : "; available: " + known));
}

std::vector<const Pipeline*> PipelineRegistry::all() const {
  std::vector<const Pipeline*> out;
  for (auto& [name, p] : pipelines_) out.push_back(&p);
  return out;
}

}  // namespace paperd::jobs
