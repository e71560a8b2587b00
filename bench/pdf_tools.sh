#!/usr/bin/env bash
# bench/pdf_tools.sh: paperd's qpdf/Ghostscript PDF tools against the standard tools, same inputs,
# one run.
#
#   bench/pdf_tools.sh [path/to/paperd]      (default: build/paperd)
#
# Rows:
#   merge   100 PDFs x 10 pages     qpdf --empty --pages f1 ... f100 -- out.pdf
#                                   vs paperd run workflow/pdf_merge (engine, no server)
#                                   vs API end to end: upload 100 files, job at priority 999,
#                                      download the merged PDF
#   split   one 500-page PDF        qpdf --split-pages in.pdf out-%d.pdf
#                                   vs paperd run workflow/pdf_split (every page)
#                                   vs API end to end: upload, job, download all 500 files
#                                   vs API end to end: upload, job, download result.archive_url
#                                      (one ZIP of the 500 files)
#   compress image-heavy PDF        gs -sDEVICE=pdfwrite -dPDFSETTINGS=/ebook (time and size)
#                                   vs paperd pdf_compress compression=high (run and API)
# API rows: wall time from before the POST to after the last download, less the script's own JSON
# parsing; "of which HTTP" sums curl's time_total of those calls (what paperd and the wire take,
# without the curl, date and awk processes the script starts; the tools' rows include their own
# process start). Ratios are paperd's time (or size) over the standard tool's. Goals (issue 3): merge and split
# <= 1.2x qpdf end to end; compress no slower than gs at no larger size.
# Knobs: BENCH_KEEP=1 keeps the temp dir. Needs qpdf, gs, convert, curl, python3.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bench_paperd "${1:-}"
need_tools qpdf gs convert curl "$py"
bench_workdir pdftools
size() { stat -c %s "$1"; }
bench_header "pdf_tools benchmark"

# ---- inputs: text PDFs written by hand (each page its own text), and photos --------------------
mkpdf() {  # $1 = output, $2 = pages, $3 = label
  awk -v n="$2" -v label="$3" 'BEGIN {
    for (p = 1; p <= n; p++) {
      for (i = 0; i < 40; i++)
        printf "BT /F1 10 Tf 60 %d Td (%s page %d line %d: the quick brown fox jumps over the lazy dog.) Tj ET\n",
          740 - i * 16, label, p, i + 1
      print ""
    } }' | pdf_from_pages "$1"
}
mkdir -p "$work/merge_in"
for i in $(seq 1 100); do mkpdf "$work/merge_in/f$i.pdf" 10 "File $i"; done
mkpdf "$work/book.pdf" 500 "Book"
mkdir -p "$work/photos"
for i in 1 2 3 4 5 6; do
  convert -size 1800x2400 "plasma:fractal" -seed "$i" -density 300 -units PixelsPerInch \
    -quality 92 "$work/photos/p$i.jpg"
done
mkdir -p "$work/rundata" "$work/imgpdf"
"$paperd" run workflow/image_to_pdf "$work"/photos/p*.jpg -p output_filename=photos.pdf \
  -o "$work/imgpdf" --data-dir "$work/rundata" >/dev/null 2>"$work/imgpdf.err" ||
  die "making the image PDF failed: $(tail -3 "$work/imgpdf.err")"
photos="$work/imgpdf/photos.pdf"

# ---- the server ---------------------------------------------------------------------------------
start_warm_server() {
  start_server --workers 1
  token=$(system_key)
  # One small untimed job so the worker is up and warm.
  curl -s -H "Authorization: Bearer $token" -F template=pdf_rotate -F priority=999 \
    -F "file=@$work/merge_in/f1.pdf" "$base/latest/job/add/workflow" >/dev/null
}

# Runs a command of the harness's own (JSON parsing in a fresh python3, ~50-80 ms a start) and
# adds its time to harness_s, which api_job takes off its span: a client parses JSON in-process.
harness_s=0
harness() {
  local a rc=0
  a=$(now)
  "$@" || rc=$?
  harness_s=$(awk -v h="$harness_s" -v a="$a" -v b="$(now)" 'BEGIN {printf "%.4f", h + b - a}')
  return "$rc"
}

# POST a workflow job at priority 999 (curl -F arguments after the template), wait for the result,
# download every file into $out (with --zip first: the job's archive_url into $out/all.zip); sets
# api_s (seconds from the POST to the last byte downloaded, less the harness's own JSON parsing)
# and api_files.
api_job() {
  local zip=0
  if [ "$1" = --zip ]; then
    zip=1
    shift
  fi
  local tmpl=$1 out=$2
  shift 2
  mkdir -p "$out"
  local t0 t1
  harness_s=0
  t0=$(now)
  # curl's own time_total of every HTTP call is kept too: the time on the wire and in paperd,
  # without the processes this script starts around them.
  curl -s -o "$work/answer.json" -w '%{time_total}\n' -H "Authorization: Bearer $token" \
    -F "template=$tmpl" -F priority=999 "$@" "$base/latest/job/add/workflow" >"$work/http.times"
  local job
  harness json 'd.get("job_id", "")' "$work/answer.json" >"$work/job_id"
  job=$(cat "$work/job_id")
  [ -n "$job" ] || die "$tmpl was refused: $(head -c 300 "$work/answer.json")"
  for _ in $(seq 1 3000); do
    harness json_test 'd.get("job_status") in ("completed", "failed") or d.get("status") == "error"' \
      "$work/answer.json" && break
    sleep 0.05
    curl -s -o "$work/answer.json" -w '%{time_total}\n' -H "Authorization: Bearer $token" \
      "$base/latest/job/get/$job" >>"$work/http.times"
  done
  harness "$py" - "$work/answer.json" "$base" "$out" "$zip" >"$work/curl.cfg" <<'PY' || die "$tmpl failed: $(head -c 400 "$work/answer.json")"
import json, sys, urllib.parse
j = json.load(open(sys.argv[1]))
if j.get("job_status") != "completed":
    sys.exit(1)
if sys.argv[4] == "1":
    print('url = "%s%s"' % (sys.argv[2], urllib.parse.urlsplit(j["result"]["archive_url"]).path))
    print('output = "%s/all.zip"' % sys.argv[3])
    sys.exit(0)
for i, u in enumerate(j["result"]["files"]):
    print('url = "%s%s"' % (sys.argv[2], urllib.parse.urlsplit(u).path))
    print('output = "%s/%d.pdf"' % (sys.argv[3], i + 1))
PY
  # One curl process, one kept-alive connection for all downloads.
  curl -s --fail -w '%{time_total}\n' -H "Authorization: Bearer $token" -K "$work/curl.cfg" \
    >>"$work/http.times" || die "download failed"
  t1=$(now)
  api_s=$(awk -v a="$t0" -v b="$t1" -v h="$harness_s" 'BEGIN {printf "%.2f", b - a - h}')
  api_http_s=$(awk '{t += $1} END {printf "%.2f", t}' "$work/http.times")
  api_harness_s=$harness_s
  api_files=$(find "$out" -name '*.pdf' | wc -l)
}

run_job() {  # $1 = pipeline, $2 = out dir, rest = files and -p params; sets run_s
  local pipeline=$1 out=$2
  shift 2
  mkdir -p "$out"
  local t0 t1
  t0=$(now)
  "$paperd" run "$pipeline" "$@" -o "$out" --data-dir "$work/rundata" >"$out.json" \
    2>"$out.err" || die "paperd run $pipeline failed: $(tail -3 "$out.err")"
  t1=$(now)
  run_s=$(elapsed "$t0" "$t1")
}

start_warm_server

# ---- merge ---------------------------------------------------------------------------------------
merge_files=()
for i in $(seq 1 100); do merge_files+=("$work/merge_in/f$i.pdf"); done
qpdf --empty --pages "${merge_files[@]}" -- "$work/warm.pdf"
t0=$(now)
qpdf --empty --pages "${merge_files[@]}" -- "$work/qpdf_merged.pdf"
t1=$(now)
qpdf_merge_s=$(elapsed "$t0" "$t1")
run_job workflow/pdf_merge "$work/run_merge" "${merge_files[@]}"
run_merge_s=$run_s
form=()
for i in $(seq 1 100); do form+=(-F "file_$i=@$work/merge_in/f$i.pdf"); done
api_job pdf_merge "$work/api_merge" "${form[@]}"
api_merge_s=$api_s
api_merge_http_s=$api_http_s
api_merge_harness_s=$api_harness_s
[ "$(qpdf --show-npages "$work/api_merge/1.pdf")" = 1000 ] || die "merged PDF has the wrong page count"
qpdf --check "$work/api_merge/1.pdf" >/dev/null || die "merged PDF fails qpdf --check"

# ---- split ---------------------------------------------------------------------------------------
mkdir -p "$work/qpdf_split"
t0=$(now)
qpdf --split-pages "$work/book.pdf" "$work/qpdf_split/out-%d.pdf"
t1=$(now)
qpdf_split_s=$(elapsed "$t0" "$t1")
run_job workflow/pdf_split "$work/run_split" "$work/book.pdf"
run_split_s=$run_s
api_job pdf_split "$work/api_split" -F "file=@$work/book.pdf"
api_split_s=$api_s
api_split_http_s=$api_http_s
api_split_harness_s=$api_harness_s
[ "$api_files" = 500 ] || die "split gave $api_files files, not 500"
api_job --zip pdf_split "$work/api_split_zip" -F "file=@$work/book.pdf"
api_split_zip_s=$api_s
api_split_zip_http_s=$api_http_s
api_split_zip_harness_s=$api_harness_s
zip_entries=$("$py" -c 'import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None, "bad CRC"
print(sum(n.endswith(".pdf") for n in z.namelist()))' "$work/api_split_zip/all.zip") ||
  die "the split's archive is not a sound ZIP"
[ "$zip_entries" = 500 ] || die "the split's archive has $zip_entries PDFs, not 500"

# ---- compress ------------------------------------------------------------------------------------
t0=$(now)
gs -q -dBATCH -dNOPAUSE -dSAFER -sDEVICE=pdfwrite -dPDFSETTINGS=/ebook \
  -sOutputFile="$work/gs_ebook.pdf" "$photos"
t1=$(now)
gs_s=$(elapsed "$t0" "$t1")
gs_size=$(size "$work/gs_ebook.pdf")
run_job workflow/pdf_compress "$work/run_compress" "$photos" -p compression=high
run_compress_s=$run_s
run_compress_size=$(size "$(find "$work/run_compress" -name '*.pdf' | head -1)")
api_job pdf_compress "$work/api_compress" -F compression=high -F "file=@$photos"
api_compress_s=$api_s
api_compress_http_s=$api_http_s
api_compress_size=$(size "$work/api_compress/1.pdf")
stop_server

# ---- table -----------------------------------------------------------------------------------------
echo
printf '%-34s %10s %12s %8s\n' "task" "seconds" "bytes" "ratio"
printf '%-34s %10s %12s %8s\n' "merge 100x10 pages: qpdf --pages" "$qpdf_merge_s" \
  "$(size "$work/qpdf_merged.pdf")" "1.00"
printf '%-34s %10s %12s %8s\n' "  paperd run pdf_merge" "$run_merge_s" \
  "$(size "$work/run_merge/merged.pdf")" "$(ratio "$run_merge_s" "$qpdf_merge_s")"
printf '%-34s %10s %12s %8s\n' "  paperd API (upload+job+download)" "$api_merge_s" \
  "$(size "$work/api_merge/1.pdf")" "$(ratio "$api_merge_s" "$qpdf_merge_s")"
printf '%-34s %10s %12s %8s\n' "    of which HTTP (curl time_total)" "$api_merge_http_s" "" \
  "$(ratio "$api_merge_http_s" "$qpdf_merge_s")"
printf '%-34s %10s %12s %8s\n' "split 500 pages: qpdf --split-pages" "$qpdf_split_s" "" "1.00"
printf '%-34s %10s %12s %8s\n' "  paperd run pdf_split" "$run_split_s" "" \
  "$(ratio "$run_split_s" "$qpdf_split_s")"
printf '%-34s %10s %12s %8s\n' "  paperd API (upload+job+500 dl)" "$api_split_s" "" \
  "$(ratio "$api_split_s" "$qpdf_split_s")"
printf '%-34s %10s %12s %8s\n' "    of which HTTP (curl time_total)" "$api_split_http_s" "" \
  "$(ratio "$api_split_http_s" "$qpdf_split_s")"
printf '%-34s %10s %12s %8s\n' "  paperd API (upload+job+zip)" "$api_split_zip_s" \
  "$(size "$work/api_split_zip/all.zip")" "$(ratio "$api_split_zip_s" "$qpdf_split_s")"
printf '%-34s %10s %12s %8s\n' "    of which HTTP (curl time_total)" "$api_split_zip_http_s" "" \
  "$(ratio "$api_split_zip_http_s" "$qpdf_split_s")"
printf '%-34s %10s %12s %8s\n' "compress $(size "$photos") B: gs /ebook" "$gs_s" "$gs_size" "1.00"
printf '%-34s %10s %12s %8s\n' "  paperd run compression=high" "$run_compress_s" \
  "$run_compress_size" "$(ratio "$run_compress_s" "$gs_s")"
printf '%-34s %10s %12s %8s\n' "  paperd API compression=high" "$api_compress_s" \
  "$api_compress_size" "$(ratio "$api_compress_s" "$gs_s")"
printf '%-34s %10s %12s %8s\n' "    of which HTTP (curl time_total)" "$api_compress_http_s" "" \
  "$(ratio "$api_compress_http_s" "$gs_s")"
echo "  size ratio (paperd / gs): $(ratio "$api_compress_size" "$gs_size")"
echo "API rows leave out the harness's own JSON parsing (python3 starts): merge" \
  "${api_merge_harness_s}s, split ${api_split_harness_s}s, split+zip ${api_split_zip_harness_s}s"
