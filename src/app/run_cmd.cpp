// `paperd run <pipeline> FILE...`: the same pipeline code as the workers, on local files, with a
// progress bar on a terminal and the result as JSON on stdout. No server, no database.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "app/commands.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/fs.h"

namespace paperd::app {

namespace {

class LocalContext : public jobs::PipelineContext {
 public:
  LocalContext(http::Params params, std::vector<jobs::InputFile> inputs, std::filesystem::path temp,
               std::filesystem::path out)
      : params_(std::move(params)),
        inputs_(std::move(inputs)),
        temp_(std::move(temp)),
        out_(std::move(out)),
        tty_(::isatty(2)) {}

  const http::Params& params() const override { return params_; }
  const std::vector<jobs::InputFile>& inputs() const override { return inputs_; }
  const std::filesystem::path& temp_dir() const override { return temp_; }
  bool cancelled() const override { return false; }
  void progress(int percent, const std::string& message) override {
    if (!tty_) return;
    int filled = percent * 30 / 100;
    std::fprintf(stderr, "\r[%-30s] %3d%% %-40.40s", std::string(filled, '#').c_str(), percent,
                 message.c_str());
    std::fflush(stderr);
  }
  std::string add_output(const std::filesystem::path& file, const std::string& filename,
                         const std::string&) override {
    std::filesystem::create_directories(out_);
    std::filesystem::path dest = out_ / std::filesystem::path(filename).filename();
    std::filesystem::copy_file(file, dest, std::filesystem::copy_options::overwrite_existing);
    return dest.string();
  }
  std::string add_output_bytes(std::string_view data, const std::string& filename,
                               const std::string&) override {
    std::filesystem::create_directories(out_);
    std::filesystem::path dest = out_ / std::filesystem::path(filename).filename();
    std::ofstream file(dest, std::ios::binary | std::ios::trunc);
    file.write(data.data(), static_cast<std::streamsize>(data.size()));
    if (!file) throw core::Error::internal("cannot write " + dest.string());
    return dest.string();
  }
  void done() {
    if (tty_) std::fprintf(stderr, "\n");
  }

 private:
  http::Params params_;
  std::vector<jobs::InputFile> inputs_;
  std::filesystem::path temp_, out_;
  bool tty_;
};

}  // namespace

int run_local(core::Config& config, const RunOptions& o) {
  setup_logging(config);
  jobs::PipelineRegistry registry;
  register_pipelines(registry, config);
  const jobs::Pipeline* p = registry.find(o.pipeline);
  if (!p) throw core::Error::job_config_invalid("unknown pipeline '" + o.pipeline + "'");

  http::Params params;
  for (const auto& kv : o.params) {
    auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0)
      throw core::Error::invalid_request("--param needs key=value, got '" + kv + "'");
    params.set(kv.substr(0, eq), kv.substr(eq + 1));
  }
  params.apply_schema(p->params);
  std::vector<jobs::InputFile> inputs;
  for (size_t i = 0; i < o.files.size(); ++i) {
    const auto& f = o.files[i];
    if (!std::filesystem::is_regular_file(f))
      throw core::Error::invalid_request("input '" + f.string() + "' is not a readable file");
    inputs.push_back({i == 0 ? "file" : "file_" + std::to_string(i + 1), f.filename().string(),
                      "application/octet-stream", std::filesystem::absolute(f),
                      std::filesystem::file_size(f), ""});
  }
  if (p->needs_input && inputs.empty())
    throw core::Error::invalid_request("pipeline '" + o.pipeline + "' needs an input file");
  if (p->validate) p->validate(params, inputs);

  core::TempDir temp(std::filesystem::temp_directory_path(), "paperd-run-");
  LocalContext ctx(params, inputs, temp.path(), o.out_dir);
  core::Stopwatch watch;
  Json result = p->run(ctx);
  ctx.done();
  std::cout << Json{{"status", "success"},
                    {"pipeline", p->name},
                    {"operation", p->operation},
                    {"processing_time", core::format_ms(watch.elapsed_ms())},
                    {"result", result}}
                   .dump(2)
            << "\n";
  return 0;
}

int doctor(core::Config& config) {
  Json report = {{"data_dir", config.data_dir.string()},
                 {"database", config.db_file().string()},
                 {"workers", config.effective_workers()}};
  jobs::PipelineRegistry registry;
  register_pipelines(registry, config);
  Json pipelines = Json::array();
  for (auto* p : registry.all()) pipelines.push_back(p->name);
  report["pipelines"] = pipelines;
  report["engines"] = Json::object();  // each engine area reports itself here as it lands
  std::cout << report.dump(2) << "\n";
  return 0;
}

}  // namespace paperd::app
