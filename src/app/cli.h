// The command line: serve, worker, run, token, doctor. Each subcommand is a function in its own
// file; this is the composition root's entry.
#pragma once

namespace paperd::app {

int run_cli(int argc, char** argv);

}  // namespace paperd::app
