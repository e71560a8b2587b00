#include "app/cli.h"

int main(int argc, char** argv) {
  return paperd::app::run_cli(argc, argv);
}
