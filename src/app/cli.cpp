#include "app/cli.h"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <iostream>

#include "app/commands.h"
#include "core/error.h"

namespace paperd::app {

namespace {

std::string settings_help() {
  std::string out = "\nSettings (config file key / environment variable, default):\n";
  for (const auto& s : core::settings())
    out += fmt::format(
        "  {:<22} {:<30} {}{}\n", s.key, core::env_name(s), s.help,
        std::string(s.default_value).empty() ? "" : fmt::format(" [{}]", s.default_value));
  return out;
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{"paperd: self-hosted document automation speaking the PaperOffice AI API"};
  app.require_subcommand(1);
  std::string config_file;
  app.add_option("--config", config_file, "JSON config file (also PAPERD_CONFIG)");

  // Flags that override settings, applied after the file and the environment.
  std::map<std::string, std::string> overrides;
  auto setting_flag = [&](CLI::App* cmd, const std::string& flag, const std::string& key,
                          const std::string& help) {
    cmd->add_option_function<std::string>(
        flag, [&overrides, key](const std::string& v) { overrides[key] = v; }, help);
  };

  auto* serve_cmd = app.add_subcommand("serve", "serve the HTTP API and supervise workers");
  setting_flag(serve_cmd, "--listen", "listen", "address:port [127.0.0.1:8080]");
  setting_flag(serve_cmd, "--data-dir", "data_dir", "data folder [./data]");
  setting_flag(serve_cmd, "--workers", "workers", "worker processes [cores]");
  bool test_pipelines = false;
  serve_cmd->add_flag("--test-pipelines", test_pipelines, "register the spine's test pipelines");
  ServeOptions serve_opts;
  serve_cmd->add_option("--port-file", serve_opts.port_file, "write the bound port here");
  serve_cmd->footer(settings_help());

  auto* worker_cmd = app.add_subcommand("worker", "run jobs from the queue (started by serve)");
  int worker_id = 0, notify_fd = -1, wake_fd = -1;
  worker_cmd->add_option("--id", worker_id, "worker slot number");
  worker_cmd->add_option("--notify-fd", notify_fd, "fd to report finished jobs on");
  worker_cmd->add_option("--wake-fd", wake_fd, "fd the supervisor wakes us on");
  setting_flag(worker_cmd, "--data-dir", "data_dir", "data folder");

  auto* run_cmd = app.add_subcommand("run", "run one pipeline on local files, without a server");
  RunOptions run_opts;
  run_cmd->add_option("pipeline", run_opts.pipeline, "pipeline name")->required();
  run_cmd->add_option("files", run_opts.files, "input files");
  run_cmd->add_option("--param,-p", run_opts.params, "parameter key=value (repeatable)");
  run_cmd->add_option("--out,-o", run_opts.out_dir, "where output files go [.]");
  setting_flag(run_cmd, "--data-dir", "data_dir", "data folder (for temp files)");
  run_cmd->add_flag("--test-pipelines", test_pipelines, "register the spine's test pipelines");

  auto* token_cmd = app.add_subcommand("token", "create, list or revoke API tokens");
  token_cmd->require_subcommand(1);
  setting_flag(token_cmd, "--data-dir", "data_dir", "data folder");
  TokenOptions tok;
  auto* create = token_cmd->add_subcommand("create", "create a token (printed once)");
  create->add_option("--kind", tok.kind, "sk | ut | gt | pk [ut]");
  create->add_option("--account", tok.account, "account name; created if missing [default]");
  create->add_option("--tier", tok.tier, "tier of a new account");
  create->add_option("--credits", tok.credits, "opening credits of a new account");
  create->add_option("--label", tok.label, "a note to recognise the token by");
  create->add_option("--group", tok.group,
                     "group tokens: the group whose workspaces the token reaches");
  create->add_option("--expires-in", tok.expires_in, "seconds until it expires");
  create->add_flag("--json", tok.json, "print JSON");
  auto* list = token_cmd->add_subcommand("list", "list tokens (never their secrets)");
  list->add_flag("--json", tok.json, "print JSON");
  auto* revoke = token_cmd->add_subcommand("revoke", "revoke a token by id");
  // `paperd token create --data-dir X` and `paperd token --data-dir X create` both work.
  for (auto* sub : {create, list, revoke}) sub->fallthrough();
  revoke->add_option("id", tok.token_id, "token id")->required();

  auto* doctor_cmd = app.add_subcommand("doctor", "which engines, languages and data are present");
  setting_flag(doctor_cmd, "--data-dir", "data_dir", "data folder");

  InspectOptions inspect_opts;
  auto* inspect_cmd =
      app.add_subcommand("inspect", "print a document's type, pages, metadata and text as JSON");
  inspect_cmd->add_option("file", inspect_opts.file, "the document");
  inspect_cmd->add_option("--name", inspect_opts.name, "its original file name");
  inspect_cmd->add_flag("--serve", inspect_opts.serve,
                        "read {file, name, timeout_ms} lines on stdin, answer one line each");

  auto* esign_cmd = app.add_subcommand(
      "esign", "e-signature work on one JSON request from stdin (run by the server)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  try {
    core::Config config = core::Config::load(config_file);
    for (auto& [k, v] : overrides) config.set(k, v);
    if (test_pipelines) config.test_pipelines = true;
    config.resolve_paths();
    if (*serve_cmd) return serve(config, serve_opts);
    if (*worker_cmd) return worker(config, worker_id, notify_fd, wake_fd);
    if (*run_cmd) return run_local(config, run_opts);
    if (*doctor_cmd) return doctor(config);
    if (*inspect_cmd) return inspect(config, inspect_opts);
    if (*esign_cmd) return esign(config);
    if (*token_cmd) {
      tok.action = *create ? "create" : *list ? "list" : "revoke";
      return token(config, tok);
    }
  } catch (const core::Error& e) {
    std::cerr << "paperd: " << e.code() << ": " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "paperd: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace paperd::app
