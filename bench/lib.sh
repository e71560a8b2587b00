# bench/lib.sh: what the benchmark scripts share. Sourced, not run: each script does
#   set -euo pipefail
#   . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# It sets repo (the checkout), py (/usr/bin/python3) and bench_name (bench/<script>, the prefix of
# the script's messages), and offers:
#   die MSG                     MSG on stderr, exit 2 (the benchmark cannot run)
#   need_tools TOOL...          dies naming the first TOOL that is not on PATH
#   need_built FILE [TARGETS]   dies unless FILE is executable (hint: ninja -C build TARGETS)
#   bench_paperd [PATH]         sets paperd: PATH (default build/paperd), built, made absolute
#   bench_workdir TAG           sets work: a temp dir, removed on exit unless BENCH_KEEP=1; the exit
#                               trap runs the script's bench_at_exit (if any), then stop_server
#   loadavg; warn_if_busy [NOUN]; bench_header TITLE [NOUN]   load average and the busy warning
#   now; elapsed T0 T1 (%.2f s); ratio A B [FORMAT] (A / B, %.2f; n/a when B is 0)
#   start_server [PREFIX... --] [OPTION...]   `paperd serve` on an ephemeral loopback port with a
#                               fresh $work/data (its env: PAPERD_ACCESS_LOG=false and the caller's);
#                               waits for the port file; sets paperd_pid, port, base
#   stop_server; stop_pid PID GRACE_S        TERM, then KILL (and its children) after the grace
#   system_key                  the bootstrap system key the server printed
#   create_token OPTION...      `paperd token create OPTION...` on $work/data; prints the token
#   bench_token                 sets token: an sk token on an enterprise account (not rate
#                               limited), else the bootstrap system key
#   json EXPR [FILE]            prints the Python expression EXPR of the JSON document d (FILE or
#                               stdin); json_test EXPR [FILE] succeeds when EXPR is true
#   pdf_from_pages OUT          writes a PDF of Letter pages (Helvetica as /F1) to OUT, one page
#                               a content stream read from stdin, streams separated by empty lines
#   result_paths FILE           the URL path of each file of a job answer's result; fails when
#                               the answer (FILE) holds no result or an error
# shellcheck shell=bash disable=SC2034  # the variables set here are the scripts'

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  echo "bench/lib.sh is sourced by the bench scripts, not run" >&2
  exit 2
fi

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
py=/usr/bin/python3
bench_name=bench/$(basename "$0")
paperd_pid=""

die() {
  echo "$bench_name: $*" >&2
  exit 2
}

need_tools() {
  local t
  for t in "$@"; do
    command -v "$t" >/dev/null || die "'$t' not found (scripts/install-deps bench)"
  done
}

need_built() { [ -x "$1" ] || die "$1 is not built (ninja -C build ${2:-$(basename "$1")})"; }

bench_paperd() {
  paperd=${1:-$repo/build/paperd}
  need_built "$paperd" paperd
  paperd=$(realpath "$paperd")
}

bench_workdir() {
  work=$(mktemp -d -t "paperd-bench-$1.XXXXXX")
  trap bench_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# shellcheck disable=SC2317  # invoked by the EXIT trap
bench_cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if declare -F bench_at_exit >/dev/null; then bench_at_exit; fi
  stop_server
  if [ "${BENCH_KEEP:-0}" != 0 ]; then echo "$bench_name: kept $work" >&2; else rm -rf "$work"; fi
  exit "$rc"
}

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

warn_if_busy() {
  if awk -v l="$(cut -d' ' -f1 /proc/loadavg)" -v n="$(nproc)" 'BEGIN {exit !(l > n / 2)}'; then
    echo "WARNING: this machine is busy (1-min load above half its cores): ${1:-figures} will be noisy"
  fi
}

bench_header() {
  echo "$1: $(nproc) cores, load average $(loadavg)"
  warn_if_busy "${2:-figures}"
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", b - a}'; }
ratio() { awk -v a="$1" -v b="$2" -v f="${3:-%.2f}" 'BEGIN {if (b > 0) printf f, a / b; else print "n/a"}'; }

start_server() {
  local prefix=() a i
  for a in "$@"; do
    [ "$a" = -- ] || continue
    while [ "$1" != -- ]; do prefix+=("$1"); shift; done
    shift
    break
  done
  rm -rf "$work/data" "$work/paperd.port"
  "${prefix[@]}" env PAPERD_ACCESS_LOG=false "$paperd" serve --listen 127.0.0.1:0 \
    --data-dir "$work/data" --port-file "$work/paperd.port" "$@" \
    >"$work/paperd.out" 2>"$work/paperd.err" &
  paperd_pid=$!
  for ((i = 0; i < 300; i++)); do
    [ -s "$work/paperd.port" ] && break
    kill -0 "$paperd_pid" 2>/dev/null || die "paperd exited at start: $(tail -5 "$work/paperd.err")"
    sleep 0.1
  done
  [ -s "$work/paperd.port" ] || die "paperd wrote no port file in 30 s"
  port=$(cat "$work/paperd.port")
  base=http://127.0.0.1:$port
}

# The children are looked up first: a worker the server leaves behind is killed by its pid.
stop_pid() {
  local pid=$1 grace=$2 kids k i
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  kids=$(pgrep -P "$pid" 2>/dev/null || true)
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for k in $kids; do kill -KILL "$k" 2>/dev/null || true; done
}

stop_server() {
  stop_pid "$paperd_pid" 15
  paperd_pid=""
}

system_key() {
  local key
  key=$(awk '/system key/ {print $NF; exit}' "$work/paperd.out")
  [ -n "$key" ] || die "no system key printed by paperd serve"
  echo "$key"
}

create_token() {
  local out
  out=$(PAPERD_ACCESS_LOG=false "$paperd" token create --data-dir "$work/data" "$@" \
    2>>"$work/token.err") || return 1
  printf '%s\n' "$out" | awk 'NF {t = $NF} END {print t}'
}

bench_token() {
  token=$(create_token --kind sk --account bench --tier enterprise) || token=""
  if [ -z "$token" ]; then
    echo "$bench_name: 'paperd token create' failed ($(tail -1 "$work/token.err" 2>/dev/null));" \
      "using the bootstrap system key" >&2
    token=$(system_key)
  fi
}

json() {
  "$py" -c 'import json, sys
d = json.load(open(sys.argv[2]) if len(sys.argv) > 2 else sys.stdin)
print(eval(sys.argv[1]))' "$@"
}

json_test() { [ "$(json "bool($1)" "${@:2}")" = True ]; }

pdf_from_pages() {
  "$py" -c 'import sys, zlib
objs = [None, None, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
kids = []
for c in sys.stdin.read().split("\n\n"):
    if not c.strip():
        continue
    data = zlib.compress(c.strip("\n").encode())
    objs.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream")
    objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % len(objs))
    kids.append(len(objs))
objs[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
objs[1] = b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids) + b"] /Count %d >>" % len(kids)
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
open(sys.argv[1], "wb").write(pdf)' "$1"
}

result_paths() {
  "$py" -c 'import json, sys, urllib.parse
j = json.load(open(sys.argv[1]))
if j.get("status") == "error" or "result" not in j: sys.exit(1)
for u in j["result"]["files"]: print(urllib.parse.urlsplit(u).path)' "$1"
}
