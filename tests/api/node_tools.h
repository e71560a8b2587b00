// Real Node.js clients for the e2e tests (newman, swagger-parser, the MCP SDK): installed with
// `npm ci` from the committed tests/e2e/package.json + package-lock.json into <build>/e2e, next to
// copies of the tests/e2e/*.mjs scripts, so a clean checkout needs only node and the registry.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace paperd::testing {

// <build>/e2e, the folder holding node_modules and the scripts.
std::filesystem::path e2e_dir();

// Installs node_modules when missing or when the lock file changed (under a file lock), and
// refreshes the scripts. Returns an empty string on success, else what went wrong.
std::string ensure_node_tools();

// Runs `node <script> <args...>` in e2e_dir(); returns the exit code, stdout+stderr in *output.
int run_node(const std::string& script, const std::vector<std::string>& args, std::string* output);

}  // namespace paperd::testing
