#!/usr/bin/env bash
# bench/pdf_render.sh: rendering PDF pages to PNG at 150 dpi, paperd's pdf_convert against
# `mutool draw -r 150` (MuPDF's own command-line renderer) on the same 100-page PDF.
#
#   bench/pdf_render.sh [path/to/paperd]      (default: build/paperd)
#
# Rows:
#   mutool draw, one core              taskset -c 0 mutool draw -r 150 -o p%d.png in.pdf
#   paperd run, one core               taskset -c 0 paperd run workflow/pdf_convert (the worker's
#                                      code without a server: one render thread on one core)
#   paperd job via API, one core       paperd serve --workers 1 pinned to core 0: upload, one job
#                                      in the instant lane, 100 PNGs stored, all downloaded
#   paperd run, all cores              pages rendered in parallel threads (one MuPDF context each)
#   paperd job via API, all cores      as above, unpinned
# Ratios are paperd's time over mutool's on one core (goal: <= 1.1 on one core, < 1 with all
# cores). Knobs: BENCH_PAGES (100), BENCH_KEEP=1 keeps the temp dir. Needs mutool, python3, curl.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bench_paperd "${1:-}"
pages=${BENCH_PAGES:-100}
need_tools mutool curl taskset "$py"
bench_workdir render
bench_header "pdf_render benchmark"

# ---- input: N Letter pages of text, a table grid and a filled shape, written by hand --------------
awk -v n="$pages" 'BEGIN {
  for (p = 1; p <= n; p++) {
    for (i = 0; i < 40; i++)
      printf "BT /F1 10 Tf 60 %d Td (Page %d line %d: the quick brown fox jumps over the lazy dog, " \
        "invoices and letters become pictures.) Tj ET\n", 740 - i * 16, p, i + 1
    for (r = 0; r < 8; r++) printf "0.5 w 60 %d m 550 %d l S\n", 80 + r * 12, 80 + r * 12
    printf "0.2 0.4 0.8 rg 400 %d 120 60 re f\n\n", 20 + p % 40
  } }' | pdf_from_pages "$work/in.pdf"

count_png() { find "$1" -name '*.png' -size +1k | wc -l; }

# ---- mutool --------------------------------------------------------------------------------------
mkdir -p "$work/mutool"
taskset -c 0 mutool draw -q -r 150 -o "$work/mutool/warm%d.png" "$work/in.pdf" 1 >/dev/null 2>&1
t0=$(now)
taskset -c 0 mutool draw -q -r 150 -o "$work/mutool/p%d.png" "$work/in.pdf" >/dev/null 2>&1 ||
  die "mutool draw failed"
t1=$(now)
mutool_s=$(elapsed "$t0" "$t1")
mutool_n=$(($(count_png "$work/mutool") - 1))

# ---- paperd run ------------------------------------------------------------------------------------
run_paperd() {  # $1 = output dir, rest = command prefix (e.g. taskset -c 0)
  local out=$1
  shift
  mkdir -p "$out" "$work/rundata"
  "$@" env PAPERD_ACCESS_LOG=false "$paperd" run workflow/pdf_convert "$work/in.pdf" \
    -p target_format=png -p dpi=150 -o "$out" --data-dir "$work/rundata" \
    >"$out.json" 2>"$out.err" || die "paperd run failed: $(tail -3 "$out.err")"
}
t0=$(now)
run_paperd "$work/run1" taskset -c 0
t1=$(now)
run1_s=$(elapsed "$t0" "$t1")
run1_n=$(count_png "$work/run1")

t0=$(now)
run_paperd "$work/run2"
t1=$(now)
run2_s=$(elapsed "$t0" "$t1")
run2_n=$(count_png "$work/run2")

# ---- paperd serve, one job through the API ------------------------------------------------------------
api_job() {  # $1 = output dir, rest = command prefix for the server
  local out=$1
  shift
  mkdir -p "$out"
  start_server "$@" -- --workers 1
  local token
  token=$(system_key)
  # One small untimed job so the worker is up.
  curl -s -H "Authorization: Bearer $token" -F template=pdf_convert -F target_format=png \
    -F pages=1 -F dpi=10 -F priority=999 -F "file=@$work/in.pdf" \
    "$base/latest/job/add/workflow" >/dev/null
  t0=$(now)
  curl -s --fail-with-body -H "Authorization: Bearer $token" -F template=pdf_convert \
    -F target_format=png -F dpi=150 -F priority=999 -F client_wait=true -F "file=@$work/in.pdf" \
    "$base/latest/job/add/workflow" >"$work/answer.json" ||
    die "job failed: $(head -c 300 "$work/answer.json")"
  local job
  job=$(json 'd["job_id"]' "$work/answer.json")
  # The instant lane waits 40 s at most; poll when the answer came back 202.
  for _ in $(seq 1 1200); do
    json_test '"result" in d and d.get("job_status", "completed") == "completed"' \
      "$work/answer.json" && break
    sleep 0.1
    curl -s -H "Authorization: Bearer $token" "$base/latest/job/get/$job" >"$work/answer.json"
  done
  result_paths "$work/answer.json" >"$work/urls.txt" ||
    die "job failed: $(head -c 300 "$work/answer.json")"
  local i=0
  while read -r path; do
    i=$((i + 1))
    curl -s --fail -H "Authorization: Bearer $token" "$base$path" -o "$out/$i.png" ||
      die "download failed"
  done <"$work/urls.txt"
  t1=$(now)
  api_s=$(elapsed "$t0" "$t1")
  api_n=$(count_png "$out")
  stop_server
}
api_job "$work/api1" taskset -c 0
api1_s=$api_s
api1_n=$api_n
api_job "$work/api2"
api2_s=$api_s
api2_n=$api_n

# Same pictures on both sides: page 1 has the same size.
size_of() { "$py" -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); print("%dx%d" % struct.unpack(">II", d[16:24]))' "$1"; }
[ "$(size_of "$work/mutool/p1.png")" = "$(size_of "$work/run1/in_p1.png")" ] ||
  die "page sizes differ: mutool $(size_of "$work/mutool/p1.png"), paperd $(size_of "$work/run1/in_p1.png")"

mb() { du -sb --exclude='warm*' "$1" | awk '{printf "%.1f", $1 / 1e6}'; }
verdict() { awk -v r="$1" -v g="$2" 'BEGIN {print (r + 0 <= g) ? "PASS" : "MISS"}'; }
echo
echo "PDF → PNG at 150 dpi, $pages Letter pages ($(size_of "$work/mutool/p1.png") px each)"
printf '%-40s %6s %7s %9s %8s %s\n' "run" "pages" "PNG MB" "seconds" "ratio" "goal"
printf '%-40s %6s %7s %9s %8s\n' "mutool draw -r 150, one core" "$mutool_n" "$(mb "$work/mutool")" \
  "$mutool_s" "1.00"
r=$(ratio "$run1_s" "$mutool_s")
printf '%-40s %6s %7s %9s %8s %s\n' "paperd run, one core" "$run1_n" "$(mb "$work/run1")" \
  "$run1_s" "$r" "<= 1.1 $(verdict "$r" 1.1)"
r=$(ratio "$api1_s" "$mutool_s")
printf '%-40s %6s %7s %9s %8s %s\n' "paperd job via API, one core" "$api1_n" "$(mb "$work/api1")" \
  "$api1_s" "$r" "<= 1.1 $(verdict "$r" 1.1)"
r=$(ratio "$run2_s" "$mutool_s")
printf '%-40s %6s %7s %9s %8s %s\n' "paperd run, $(nproc) cores (parallel pages)" "$run2_n" \
  "$(mb "$work/run2")" "$run2_s" "$r" "< 1 $(verdict "$r" 0.99)"
r=$(ratio "$api2_s" "$mutool_s")
printf '%-40s %6s %7s %9s %8s %s\n' "paperd job via API, $(nproc) cores" "$api2_n" \
  "$(mb "$work/api2")" "$api2_s" "$r" "< 1 $(verdict "$r" 0.99)"
echo "(ratio = seconds / mutool's seconds; API rows include upload, storing and downloading)"
