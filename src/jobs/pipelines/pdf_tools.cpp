#include "jobs/pipelines/pipelines.h"

namespace paperd::jobs {

// Nothing registered yet: this area has not landed.
void register_pdf_tool_pipelines(PipelineRegistry&, const core::Config&) {}

}  // namespace paperd::jobs
