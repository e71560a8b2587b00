#!/usr/bin/env bash
# bench/search.sh [paperd] [--sizes N[,N...]] [--timed N] [--min-similarity X]: search quality
# and speed on a live server (its own `paperd serve`, temp data dir; bench/search_eval.py).
#   1. indexing throughput of a generated evaluation set (bench/search_corpus.py: 63 topics of
#      synonym pairs, 2,016 text documents, 3,254 pages): pages/s until full text finds all,
#      and until semantic search answers index_pending = 0. Goal: >= 50 pages/s.
#   2. nDCG@10 / recall@10 of 126 paraphrase and 126 keyword queries in mode fulltext,
#      semantic and hybrid. Goal: hybrid beats fulltext on paraphrases, no worse on keywords.
#   3. p50/p95 of each mode at --sizes chunks (default 10000; BENCH_SEARCH_SIZES) against raw
#      SQLite FTS5 on the same chunks, the ratios. Goal: fulltext and hybrid p95 < 20 ms.
# 100,000 chunks (about 10,200 documents, most of 10 pages): bench/search.sh --sizes 10000,100000
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bin=""
if [ $# -gt 0 ] && [[ $1 != -* ]]; then bin=$1; shift; fi
bench_paperd "$bin"
need_tools "$py"
bench_workdir search
bench_header "search quality and speed benchmark" timings
start_server
bench_token
"$py" "$repo/bench/search_eval.py" "$base" "$token" "$work" "$@"
