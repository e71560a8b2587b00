// Pipelines that exist only to exercise the spine (sleep, crash, exhaust memory, fail, echo
// inputs back). Registered only with test_pipelines=true; never visible to users otherwise.
#pragma once

#include "jobs/pipeline.h"

namespace paperd::jobs {

void register_test_pipelines(PipelineRegistry& registry);

}  // namespace paperd::jobs
