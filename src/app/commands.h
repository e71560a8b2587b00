// The subcommands, each in its own file, all taking the loaded configuration.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/config.h"
#include "jobs/pipeline.h"

namespace paperd::app {

struct ServeOptions {
  std::filesystem::path port_file;  // written with the bound port (tests use port 0)
};
int serve(core::Config& config, const ServeOptions& options);
int worker(core::Config& config, int id, int notify_fd, int wake_fd);

struct RunOptions {
  std::string pipeline;
  std::vector<std::filesystem::path> files;
  std::vector<std::string> params;  // k=v
  std::filesystem::path out_dir = ".";
};
int run_local(core::Config& config, const RunOptions& options);

struct TokenOptions {
  std::string action;  // create | list | revoke
  std::string kind = "ut";
  std::string account = "default";
  std::string tier;
  std::optional<int64_t> credits;
  std::string label;
  std::string group;  // gt tokens: the workspace group they reach
  int64_t expires_in = 0;
  int64_t token_id = 0;
  bool json = false;
};
int token(core::Config& config, const TokenOptions& options);
int doctor(core::Config& config);

struct InspectOptions {
  std::filesystem::path file;
  std::string name;    // the client's file name, for messages and text/csv
  bool serve = false;  // answer a stream of requests on stdin (services/dms/inspector_pool)
};
int inspect(core::Config& config, const InspectOptions& options);
// The e-signature work (sign, verify, render, certificate) on one JSON request from stdin, in a
// child of the server (services/esign/esign_runner).
int esign(core::Config& config);

// Shared by serve, worker and run: the same pipelines everywhere.
void register_pipelines(jobs::PipelineRegistry& registry, const core::Config& config);
void setup_logging(const core::Config& config);
void prepare_data_dir(const core::Config& config);

}  // namespace paperd::app
