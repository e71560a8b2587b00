#!/usr/bin/env bash
# bench/esign.sh: the server-side cost of a PAdES signature (engines/sign) on a 10-page PDF:
# signatures per second and the bytes each signature adds, RSA-2048 and P-256
# (build/bench/paperd_esign_bench; no server, no standard tool to compare with: the figure is
# absolute).
#
#   bench/esign.sh [path/to/paperd]      (default: build/paperd)
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bench_paperd "${1:-}"
tool=$(dirname "$paperd")/bench/paperd_esign_bench
need_built "$tool" paperd_esign_bench
bench_workdir esign
bench_header "e-signature benchmark"
for key in rsa p256; do
  echo "key $key:"
  "$tool" --key "$key" --keep "$work/$key" | sed 's/^/  /'
done
