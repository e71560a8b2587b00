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

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
paperd=${1:-$repo/build/paperd}
pages=${BENCH_PAGES:-100}
py=/usr/bin/python3

die() {
  echo "bench/pdf_render.sh: $*" >&2
  exit 2
}
for tool in mutool curl taskset "$py"; do
  command -v "$tool" >/dev/null || die "'$tool' not found; run scripts/install-deps"
done
[ -x "$paperd" ] || die "$paperd is not built (ninja -C build paperd)"
paperd=$(cd "$(dirname "$paperd")" && pwd)/$(basename "$paperd")

work=$(mktemp -d -t paperd-bench-render.XXXXXX)
paperd_pid=""
stop_server() {
  if [ -n "$paperd_pid" ] && kill -0 "$paperd_pid" 2>/dev/null; then
    kill -TERM "$paperd_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$paperd_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$paperd_pid" 2>/dev/null || true
    wait "$paperd_pid" 2>/dev/null || true
  fi
  paperd_pid=""
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_server
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", b - a}'; }

echo "pdf_render benchmark: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
if awk -v l="$(cut -d' ' -f1 /proc/loadavg)" -v n="$(nproc)" 'BEGIN {exit !(l > n / 2)}'; then
  echo "WARNING: this machine is busy (1-min load above half its cores): figures will be noisy"
fi

# ---- input: N Letter pages of text, a table grid and a filled shape, written by hand --------------
"$py" - "$work/in.pdf" "$pages" <<'PY'
import sys, zlib
out, n = sys.argv[1], int(sys.argv[2])
objs = [None, None, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
kids = []
for p in range(1, n + 1):
    c = []
    for i in range(40):
        y = 740 - i * 16
        c.append("BT /F1 10 Tf 60 %d Td (Page %d line %d: the quick brown fox jumps over the lazy dog, "
                 "invoices and letters become pictures.) Tj ET" % (y, p, i + 1))
    for r in range(8):
        c.append("0.5 w 60 %d m 550 %d l S" % (80 + r * 12, 80 + r * 12))
    c.append("0.2 0.4 0.8 rg 400 %d 120 60 re f" % (20 + p % 40))
    data = zlib.compress("\n".join(c).encode())
    objs.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream")
    content_id = len(objs)
    objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % content_id)
    kids.append(len(objs))
objs[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
objs[1] = b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids) + b"] /Count %d >>" % n
pdf = bytearray(b"%PDF-1.4\n")
offs = []
for i, o in enumerate(objs):
    offs.append(len(pdf))
    pdf += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
x = len(pdf)
pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
for o in offs:
    pdf += b"%010d 00000 n \n" % o
pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
open(out, "wb").write(pdf)
PY

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
  rm -rf "$work/data" "$work/paperd.port"
  "$@" env PAPERD_ACCESS_LOG=false "$paperd" serve --listen 127.0.0.1:0 --data-dir "$work/data" \
    --port-file "$work/paperd.port" --workers 1 >"$work/paperd.out" 2>"$work/paperd.err" &
  paperd_pid=$!
  for _ in $(seq 1 300); do
    [ -s "$work/paperd.port" ] && break
    kill -0 "$paperd_pid" 2>/dev/null || die "paperd exited at start: $(tail -3 "$work/paperd.err")"
    sleep 0.1
  done
  [ -s "$work/paperd.port" ] || die "paperd wrote no port file"
  local base="http://127.0.0.1:$(cat "$work/paperd.port")"
  local token
  token=$(awk '/system key/ {print $NF; exit}' "$work/paperd.out")
  [ -n "$token" ] || die "no system key printed by paperd serve"
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
  job=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["job_id"])' "$work/answer.json")
  # The instant lane waits 40 s at most; poll when the answer came back 202.
  for _ in $(seq 1 1200); do
    "$py" -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if "result" in j and j.get("job_status", "completed") == "completed" else 1)' \
      "$work/answer.json" && break
    sleep 0.1
    curl -s -H "Authorization: Bearer $token" "$base/latest/job/get/$job" >"$work/answer.json"
  done
  "$py" -c '
import json, sys, urllib.parse
for u in json.load(open(sys.argv[1]))["result"]["files"]: print(urllib.parse.urlsplit(u).path)' \
    "$work/answer.json" >"$work/urls.txt"
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
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}'; }
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
