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
#                                      (a Python http.client, and a compiled client: upload+job
#                                      from the Python client, then paperd_bench fetch downloading
#                                      the 500 parts one by one over one kept-alive connection)
#                                   vs API end to end: upload, job, download result.archive_url
#                                      (one ZIP of the 500 files)
#   compress image-heavy PDF        gs -sDEVICE=pdfwrite -dPDFSETTINGS=/ebook (time and size)
#                                   vs paperd pdf_compress compression=high (run and API)
#            20 noisy RGB photos    the same, on 20 pages of 1200x900 noisy photos (Flate, ~38 MB)
# API rows: one client process (bench/api_client.py) from reading the inputs to the last byte
# downloaded, timed inside it; "of which upload+job" stops at the job's answer. The tools' and
# `paperd run` rows include their process start. Every row is the median of BENCH_RUNS runs (5).
# Ratios are paperd's time (or size) over the standard tool's. Goals (issue 3): merge and split
# <= 1.2x qpdf end to end; compress no slower than gs at no larger size.
# Knobs: BENCH_KEEP=1 keeps the temp dir, BENCH_RUNS=N runs per row. Needs qpdf, gs, convert, curl, python3.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bench_paperd "${1:-}"
bench_tool=$(dirname "$paperd")/bench/paperd_bench
need_built "$bench_tool" paperd_bench
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
# The issue's image-heavy case: 20 pages of 1200x900 RGB photos with noise, Flate-coded (PNG in,
# so the PDF carries them losslessly; about 38 MB).
mkdir -p "$work/noisy"
for i in $(seq 1 20); do
  convert -seed "$i" -size 1200x900 "plasma:fractal" -attenuate 0.6 +noise Gaussian -alpha off \
    -depth 8 -type TrueColor -density 150 -units PixelsPerInch "PNG24:$work/noisy/n$(printf %02d "$i").png"
done
"$paperd" run workflow/image_to_pdf "$work"/noisy/n*.png -p output_filename=noisy.pdf \
  -o "$work/imgpdf" --data-dir "$work/rundata" >/dev/null 2>"$work/imgpdf.err" ||
  die "making the noisy image PDF failed: $(tail -3 "$work/imgpdf.err")"
noisy="$work/imgpdf/noisy.pdf"

# ---- the server ---------------------------------------------------------------------------------
start_warm_server() {
  # The noisy photo PDF is over the default 50 MB upload limit.
  start_server env PAPERD_MAX_UPLOAD_MB=100 -- --workers 1
  token=$(system_key)
  # One small untimed job so the worker is up and warm.
  curl -s -H "Authorization: Bearer $token" -F template=pdf_rotate -F priority=999 \
    -F "file=@$work/merge_in/f1.pdf" "$base/latest/job/add/workflow" >/dev/null
}

# Every row is the median of $runs runs; outputs go to fresh directories each run (creating 500
# files costs more than overwriting them).
runs=${BENCH_RUNS:-5}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {printf "%.3f", a[int((NR + 1) / 2)]}'; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.4f", b - a}'; }

# tool_median OUT_DIR CMD...: runs CMD (which writes into OUT_DIR) $runs times; sets tool_s.
tool_median() {
  local out=$1 t0 t1 times=()
  shift
  for ((r = 0; r < runs; r++)); do
    rm -rf "$out" && mkdir -p "$out"
    t0=$(now)
    "$@" >/dev/null
    t1=$(now)
    times+=("$(secs "$t0" "$t1")")
  done
  tool_s=$(median "${times[@]}")
}

# api_job [--zip] TEMPLATE OUT_DIR FIELD...: a workflow job at priority 999 through
# bench/api_client.py (one client process: upload, wait, download over one kept-alive connection,
# timed inside it; FIELD = NAME=VALUE or NAME=@FILE), $runs times. With --zip it downloads
# result.archive_url instead of every file. Sets api_s (the client's whole time), api_post_s
# (upload and job) and api_files (files in OUT_DIR after the last run).
api_job() {
  local zip=() totals=() posts=() fetch="" fetched
  if [ "$1" = --zip ]; then
    zip=(--zip)
    shift
  elif [ "$1" = --fetch ]; then  # the files downloaded by paperd_bench fetch
    zip=(--urls)
    fetch=1
    shift
  fi
  local tmpl=$1 out=$2
  shift 2
  for ((r = 0; r < runs; r++)); do
    rm -rf "$out" && mkdir -p "$out"
    "$py" "$repo/bench/api_client.py" "$base" "$token" workflow "$out" "${zip[@]}" \
      "template=$tmpl" priority=999 "$@" >"$work/client.json" || die "$tmpl through the API failed"
    posts+=("$(json '"%.4f" % d["post_seconds"]' "$work/client.json")")
    if [ -n "$fetch" ]; then
      "$bench_tool" fetch --port "$port" --token "$token" --urls "$out/urls.txt" \
        --out-dir "$out" >"$work/fetch.txt" || die "$tmpl: paperd_bench fetch failed"
      rm "$out/urls.txt"
      fetched=$(awk '$1 == "seconds" {print $2}' "$work/fetch.txt")
      totals+=("$(secs 0 "$(awk -v a="${posts[-1]}" -v b="$fetched" 'BEGIN {print a + b}')")")
    else
      totals+=("$(json '"%.4f" % d["seconds"]' "$work/client.json")")
    fi
  done
  api_s=$(median "${totals[@]}")
  api_post_s=$(median "${posts[@]}")
  api_files=$(find "$out" -type f | wc -l)
}

# run_job PIPELINE OUT_DIR ARG...: `paperd run` (no server), $runs times; sets run_s.
run_job() {
  local pipeline=$1 out=$2
  shift 2
  tool_median "$out" "$paperd" run "$pipeline" "$@" -o "$out" --data-dir "$work/rundata"
  run_s=$tool_s
}

start_warm_server

# ---- merge ---------------------------------------------------------------------------------------
merge_files=()
for i in $(seq 1 100); do merge_files+=("$work/merge_in/f$i.pdf"); done
qpdf --empty --pages "${merge_files[@]}" -- "$work/warm.pdf"
tool_median "$work/qpdf_merge" qpdf --empty --pages "${merge_files[@]}" -- "$work/qpdf_merge/out.pdf"
qpdf_merge_s=$tool_s
run_job workflow/pdf_merge "$work/run_merge" "${merge_files[@]}"
run_merge_s=$run_s
form=()
for i in $(seq 1 100); do form+=("file_$i=@$work/merge_in/f$i.pdf"); done
api_job pdf_merge "$work/api_merge" "${form[@]}"
api_merge_s=$api_s
api_merge_post_s=$api_post_s
[ "$(qpdf --show-npages "$work/api_merge/1.pdf")" = 1000 ] || die "merged PDF has the wrong page count"
qpdf --check "$work/api_merge/1.pdf" >/dev/null || die "merged PDF fails qpdf --check"

# ---- split ---------------------------------------------------------------------------------------
tool_median "$work/qpdf_split" qpdf --split-pages "$work/book.pdf" "$work/qpdf_split/out-%d.pdf"
qpdf_split_s=$tool_s
run_job workflow/pdf_split "$work/run_split" "$work/book.pdf"
run_split_s=$run_s
api_job pdf_split "$work/api_split" "file=@$work/book.pdf"
api_split_s=$api_s
api_split_post_s=$api_post_s
[ "$api_files" = 500 ] || die "split gave $api_files files, not 500"
api_job --fetch pdf_split "$work/api_split_fetch" "file=@$work/book.pdf"
api_split_fetch_s=$api_s
[ "$api_files" = 500 ] || die "split (compiled client) gave $api_files files, not 500"
api_job --zip pdf_split "$work/api_split_zip" "file=@$work/book.pdf"
api_split_zip_s=$api_s
zip_entries=$("$py" -c 'import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None, "bad CRC"
print(sum(n.endswith(".pdf") for n in z.namelist()))' "$work/api_split_zip/all.zip") ||
  die "the split's archive is not a sound ZIP"
[ "$zip_entries" = 500 ] || die "the split's archive has $zip_entries PDFs, not 500"

# ---- compress ------------------------------------------------------------------------------------
tool_median "$work/gs" gs -q -dBATCH -dNOPAUSE -dSAFER -sDEVICE=pdfwrite -dPDFSETTINGS=/ebook \
  -sOutputFile="$work/gs/ebook.pdf" "$photos"
gs_s=$tool_s
gs_size=$(size "$work/gs/ebook.pdf")
run_job workflow/pdf_compress "$work/run_compress" "$photos" -p compression=high
run_compress_s=$run_s
run_compress_size=$(size "$(find "$work/run_compress" -name '*.pdf' | head -1)")
api_job pdf_compress "$work/api_compress" compression=high "file=@$photos"
api_compress_s=$api_s
api_compress_post_s=$api_post_s
api_compress_size=$(size "$work/api_compress/1.pdf")
tool_median "$work/gs_noisy" gs -q -dBATCH -dNOPAUSE -dSAFER -sDEVICE=pdfwrite \
  -dPDFSETTINGS=/ebook -sOutputFile="$work/gs_noisy/ebook.pdf" "$noisy"
gs_noisy_s=$tool_s
gs_noisy_size=$(size "$work/gs_noisy/ebook.pdf")
api_job pdf_compress "$work/api_noisy" compression=high "file=@$noisy"
api_noisy_s=$api_s
api_noisy_size=$(size "$work/api_noisy/1.pdf")
stop_server

# ---- table -----------------------------------------------------------------------------------------
echo
printf '%-34s %10s %12s %8s\n' "task" "seconds" "bytes" "ratio"
printf '%-34s %10s %12s %8s\n' "merge 100x10 pages: qpdf --pages" "$qpdf_merge_s" \
  "$(size "$work/qpdf_merge/out.pdf")" "1.00"
printf '%-34s %10s %12s %8s\n' "  paperd run pdf_merge" "$run_merge_s" \
  "$(size "$work/run_merge/merged.pdf")" "$(ratio "$run_merge_s" "$qpdf_merge_s")"
printf '%-34s %10s %12s %8s\n' "  paperd API (upload+job+download)" "$api_merge_s" \
  "$(size "$work/api_merge/1.pdf")" "$(ratio "$api_merge_s" "$qpdf_merge_s")"
printf '%-34s %10s %12s %8s\n' "    of which upload+job" "$api_merge_post_s" "" \
  "$(ratio "$api_merge_post_s" "$qpdf_merge_s")"
printf '%-34s %10s %12s %8s\n' "split 500 pages: qpdf --split-pages" "$qpdf_split_s" "" "1.00"
printf '%-34s %10s %12s %8s\n' "  paperd run pdf_split" "$run_split_s" "" \
  "$(ratio "$run_split_s" "$qpdf_split_s")"
printf '%-34s %10s %12s %8s\n' "  paperd API (upload+job+500 dl)" "$api_split_s" "" \
  "$(ratio "$api_split_s" "$qpdf_split_s")"
printf '%-34s %10s %12s %8s\n' "    of which upload+job" "$api_split_post_s" "" \
  "$(ratio "$api_split_post_s" "$qpdf_split_s")"
printf '%-34s %10s %12s %8s\n' "  same, 500 dl by a compiled client" "$api_split_fetch_s" "" \
  "$(ratio "$api_split_fetch_s" "$qpdf_split_s")"
printf '%-34s %10s %12s %8s\n' "  paperd API (upload+job+zip)" "$api_split_zip_s" \
  "$(size "$work/api_split_zip/all.zip")" "$(ratio "$api_split_zip_s" "$qpdf_split_s")"
printf '%-34s %10s %12s %8s\n' "compress $(size "$photos") B: gs /ebook" "$gs_s" "$gs_size" "1.00"
printf '%-34s %10s %12s %8s\n' "  paperd run compression=high" "$run_compress_s" \
  "$run_compress_size" "$(ratio "$run_compress_s" "$gs_s")"
printf '%-34s %10s %12s %8s\n' "  paperd API compression=high" "$api_compress_s" \
  "$api_compress_size" "$(ratio "$api_compress_s" "$gs_s")"
printf '%-34s %10s %12s %8s\n' "    of which upload+job" "$api_compress_post_s" "" \
  "$(ratio "$api_compress_post_s" "$gs_s")"
echo "  size ratio (paperd / gs): $(ratio "$api_compress_size" "$gs_size")"
printf '%-34s %10s %12s %8s\n' "compress $(size "$noisy") B noisy: gs" "$gs_noisy_s" \
  "$gs_noisy_size" "1.00"
printf '%-34s %10s %12s %8s\n' "  paperd API compression=high" "$api_noisy_s" \
  "$api_noisy_size" "$(ratio "$api_noisy_s" "$gs_noisy_s")"
echo "  size ratio (paperd / gs): $(ratio "$api_noisy_size" "$gs_noisy_size")"
