#include "jobs/test_pipelines.h"

#include <csignal>
#include <thread>
#include <vector>

#include "core/error.h"
#include "core/fs.h"

namespace paperd::jobs {

void register_test_pipelines(PipelineRegistry& r) {
  // Copies every input to an output: proves uploads, blob storage and downloads end to end.
  r.add({.name = "spinetest___echo",
         .operation = "echo",
         .title = "Echo inputs (test)",
         .default_lane = Lane::kInstant,
         .run = [](PipelineContext& ctx) {
           Json files = Json::array();
           Json sizes = Json::array();
           for (const auto& in : ctx.inputs()) {
             files.push_back(ctx.add_output(in.path, in.filename, in.content_type));
             sizes.push_back(in.size);
           }
           return Json{{"files", files}, {"sizes", sizes}, {"params", ctx.params().raw()}};
         }});
  // Sleeps `seconds` (default 1) in small steps, reporting progress and honouring cancellation.
  r.add({.name = "spinetest___sleep",
         .operation = "sleep",
         .title = "Sleep (test)",
         .needs_input = false,
         .validate =
             [](const http::Params& p, const std::vector<InputFile>&) {
               double s = p.number("seconds", 1);
               if (s < 0 || s > 3600)
                 throw core::Error::invalid_request("field 'seconds' must be between 0 and 3600");
             },
         .run =
             [](PipelineContext& ctx) {
               double seconds = ctx.params().number("seconds", 1);
               int steps = std::max(1, static_cast<int>(seconds * 20));
               for (int i = 0; i < steps; ++i) {
                 ctx.check_cancelled();
                 std::this_thread::sleep_for(std::chrono::duration<double>(seconds / steps));
                 ctx.progress((i + 1) * 100 / steps, "sleeping");
               }
               if (ctx.params().has("marker"))
                 core::atomic_write_file(ctx.params().str("marker"), "done");
               return Json{{"slept_seconds", seconds}, {"tag", ctx.params().str("tag")}};
             }});
  // Dies of SIGSEGV, as a parser bug on a hostile file would.
  r.add({.name = "spinetest___crash",
         .operation = "crash",
         .title = "Crash (test)",
         .needs_input = false,
         .run = [](PipelineContext&) -> Json {
           std::raise(SIGSEGV);
           return nullptr;
         }});
  // Allocates until the worker's address-space limit stops it.
  r.add({.name = "spinetest___memory",
         .operation = "memory",
         .title = "Exhaust memory (test)",
         .needs_input = false,
         .run = [](PipelineContext&) -> Json {
           std::vector<std::unique_ptr<char[]>> hog;
           for (;;) {
             hog.push_back(std::make_unique<char[]>(64 << 20));
             std::fill_n(hog.back().get(), 64 << 20, 1);
           }
         }});
  // Fails with a client error, as a pipeline does on a bad document.
  r.add({.name = "spinetest___fail",
         .operation = "fail",
         .title = "Fail (test)",
         .needs_input = false,
         .run = [](PipelineContext&) -> Json {
           throw core::Error::invalid_request("the test pipeline rejects every input");
         }});
}

}  // namespace paperd::jobs
