// The pipeline registry: a pipeline is a name (the job slug) with a cheap validate() that the API
// runs before accepting a job, and a run() that only ever executes inside a worker process (or
// `paperd run`). run() sees its inputs as files in a private temp dir, reports progress, checks
// for cancellation, and registers output files, which become download links.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "http/params.h"
#include "jobs/lanes.h"

namespace paperd::jobs {

struct InputFile {
  std::string field;
  std::string filename;
  std::string content_type;
  std::filesystem::path path;  // empty until the worker materializes it
  uint64_t size = 0;
  std::string source_url;  // set for inputs fetched by URL
  // Set instead of path when the bytes are in memory: in the API, an upload small enough to stay
  // there (validate() sees it here); in a worker, an input of a pipeline that takes its inputs in
  // memory (Pipeline::inputs_in_memory), decrypted once, without a scratch file.
  std::shared_ptr<const std::string> data;
};

// The bytes of an input, from memory or from its file.
std::shared_ptr<const std::string> input_bytes(const InputFile& in);

// Thrown by check_cancelled(); the worker decides whether it was a timeout or a shutdown.
struct Cancelled : std::exception {
  const char* what() const noexcept override { return "job cancelled"; }
};

class PipelineContext {
 public:
  virtual ~PipelineContext() = default;
  virtual const http::Params& params() const = 0;
  virtual const std::vector<InputFile>& inputs() const = 0;
  virtual const std::filesystem::path& temp_dir() const = 0;
  virtual void progress(int percent, const std::string& message = "") = 0;
  virtual bool cancelled() const = 0;
  void check_cancelled() const {
    if (cancelled()) throw Cancelled();
  }
  // Registers a produced file; returns the URL to place in the result (a download link).
  virtual std::string add_output(const std::filesystem::path& file, const std::string& filename,
                                 const std::string& content_type) = 0;
  // The same for bytes in memory; the default writes them to a file in temp_dir() first.
  virtual std::string add_output_bytes(std::string_view data, const std::string& filename,
                                       const std::string& content_type);
};

// One row of the public index served by a pipeline: its own MCP tool and docs entry, with the
// parameters that select it filled in (e.g. pdf_convert + target_format=docx = "Convert PDF to
// Word").
struct ToolVariant {
  std::string mcp_name;  // po_...
  std::string title;     // the index row's title
  std::string summary;
  Json fixed_params = Json::object();
  bool read_only = false;  // reads a stored result and runs no job (e.g. "Get OCR plain text")
};

struct Pipeline {
  // The slug in /job/add/{pipeline}, or "workflow/<template>" for a tool of the workflow pipeline.
  std::string name;
  std::string operation;  // the answer's "operation"
  std::string title;
  Lane default_lane = Lane::kNoSla;
  int64_t credits = 5;      // before the lane factor; at least 5 (CONTRACTS §2.0)
  int timeout_seconds = 0;  // 0 = the configured default
  bool needs_input = true;  // at least one file or URL
  // Stored inputs arrive as InputFile::data instead of scratch files, up to kMemoryInputBytes for
  // the job's inputs together (many small inputs: a file each costs more than reading it; the rest
  // stay files, so memory is bounded). run() must take either.
  bool inputs_in_memory = false;
  std::vector<http::Param> params;
  // Cheap checks in the API process; throws Error::invalid_request / job_config_invalid.
  std::function<void(const http::Params&, const std::vector<InputFile>&)> validate;
  std::function<Json(PipelineContext&)> run;
  // Index rows this pipeline serves; empty = one tool derived from name and title.
  std::vector<ToolVariant> tools;
  std::string category = "Workflow AI — Job Management";  // index category for docs
  std::string summary;
};

class PipelineRegistry {
 public:
  void add(Pipeline p);
  const Pipeline* find(const std::string& name) const;
  // The pipeline a job runs: the slug's own, or for `workflow` the template named by `template`
  // (or "idp" when idp_collection / idp_fields are given). nullptr for an unknown slug; an
  // unknown or missing template throws Error::job_config_invalid listing the available ones.
  const Pipeline* resolve(const std::string& slug, const http::Params& params) const;
  std::vector<const Pipeline*> all() const;

 private:
  std::map<std::string, Pipeline> pipelines_;
};

inline constexpr uint64_t kMemoryInputBytes = 64ull << 20;

// The URL scheme pipelines get from add_output() inside a worker; the API turns it into
// <base_url>/job/download/<token> when it answers.
inline constexpr std::string_view kDownloadUrlPrefix = "paperd://download/";

}  // namespace paperd::jobs
