// Runs an engine's command-line tool (Ghostscript, LibreOffice, Chromium, Calibre, ...) as a child
// process with a timeout, bounded captured output and its own process group, so a hanging tool
// and everything it forked are killed together (ARCHITECTURE §5).
#pragma once

#include <spawn.h>
#include <sys/types.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace paperd::core {

struct ProcessOptions {
  std::vector<std::string> argv;                         // argv[0] is looked up in PATH
  std::vector<std::pair<std::string, std::string>> env;  // added to the inherited environment
  std::filesystem::path cwd;                             // empty = inherit
  int timeout_ms = 120000;
  size_t max_output = 1 << 20;  // per stream; the rest is dropped
  std::string stdin_data;
};

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;
  bool timed_out = false;
  std::string out, err;
  double ms = 0;
  bool ok() const { return exit_code == 0 && !timed_out; }
};

// Never throws for the child's failure (inspect the result); throws Error::internal when the
// process cannot be started at all (e.g. the tool is not installed), naming argv[0].
ProcessResult run_process(const ProcessOptions& options);

// The one way paperd starts a child: argv[0] looked up in PATH, in a new process group (killable
// as a whole), empty signal mask and default dispositions for the signals a server handles or
// ignores, the inherited environment plus env, and the caller's file actions (may be null).
// Returns the pid; throws Error::internal naming argv[0] when it cannot start.
pid_t spawn_process(const std::vector<std::string>& argv,
                    const std::vector<std::pair<std::string, std::string>>& env,
                    const posix_spawn_file_actions_t* actions);

}  // namespace paperd::core
