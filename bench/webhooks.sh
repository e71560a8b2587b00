#!/usr/bin/env bash
# bench/webhooks.sh [paperd]: webhook deliveries on a live server (its own `paperd serve`, temp
# data dir) to a fast receiver on loopback (bench/webhooks_bench.py): delivery throughput
# (events/s: a backlog built while the subscription is paused, drained once it is resumed) and
# the added latency from a job's completion (its finished_at_ms) to the receiver's first byte of
# its job.completed delivery, p50/p95 over one job at a time on an idle queue.
# Goal (issue 12): p95 < 100 ms.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bench_paperd "${1:-}"
need_tools "$py"
bench_workdir webhooks
bench_header "webhook delivery benchmark" timings
start_server env PAPERD_OUTBOUND_ALLOW=127.0.0.1 PAPERD_WEBHOOK_CONCURRENCY="${BENCH_WH_CONCURRENCY:-8}" -- \
  --workers 2 --test-pipelines
bench_token
"$py" "$repo/bench/webhooks_bench.py" "$base" "$token"
