#!/usr/bin/env bash
# bench/dms.sh [paperd]: the document store on a live server (its own `paperd serve`, temp data
# dir): upload throughput (1,000 small PDFs, 10 large ones) and full-text query p50/p95 on 10,000
# documents against a raw SQLite FTS5 query over the same text (bench/dms_bench.py), the ratio.
# Goal (issue 11): p95 < 20 ms and at most 1.5x raw FTS5.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bench_paperd "${1:-}"
need_tools "$py"
bench_workdir dms
bench_header "document store benchmark" timings
start_server
bench_token
"$py" "$repo/bench/dms_bench.py" "$base" "$token" "$work"
