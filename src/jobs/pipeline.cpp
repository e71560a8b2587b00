#include "jobs/pipeline.h"

#include "core/error.h"

namespace paperd::jobs {

void PipelineRegistry::add(Pipeline p) {
  if (pipelines_.count(p.name)) throw core::Error::internal("pipeline registered twice: " + p.name);
  std::string name = p.name;
  pipelines_.emplace(std::move(name), std::move(p));
}

const Pipeline* PipelineRegistry::find(const std::string& name) const {
  auto it = pipelines_.find(name);
  return it == pipelines_.end() ? nullptr : &it->second;
}

std::vector<const Pipeline*> PipelineRegistry::all() const {
  std::vector<const Pipeline*> out;
  for (auto& [name, p] : pipelines_) out.push_back(&p);
  return out;
}

}  // namespace paperd::jobs
