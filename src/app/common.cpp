// Set-up shared by every subcommand: logging, the data folder, the pipeline registry.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include "app/commands.h"
#include "jobs/pipelines/pipelines.h"
#include "jobs/test_pipelines.h"

namespace paperd::app {

void setup_logging(const core::Config& config) {
  auto logger = spdlog::stderr_color_mt("paperd");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [%P] %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(config.log_level));
}

void prepare_data_dir(const core::Config& config) {
  std::filesystem::create_directories(config.data_dir);
  ::chmod(config.data_dir.c_str(), 0700);
  std::filesystem::create_directories(config.tmp_dir());
  std::filesystem::create_directories(config.blob_dir());
}

void register_pipelines(jobs::PipelineRegistry& registry, const core::Config& config) {
  jobs::register_pdf_tool_pipelines(registry, config);
  jobs::register_pdf_render_pipelines(registry, config);
  jobs::register_converter_pipelines(registry, config);
  jobs::register_ocr_pipelines(registry, config);
  jobs::register_scan_pipelines(registry, config);
  if (config.test_pipelines) jobs::register_test_pipelines(registry);
}

}  // namespace paperd::app
