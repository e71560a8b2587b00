#!/usr/bin/env bash
# bench/converters.sh: office → PDF throughput, paperd's warm LibreOffice pool against the
# standard way of calling LibreOffice (`soffice --headless --convert-to pdf`, one call per file).
#
#   bench/converters.sh [path/to/paperd]      (default: build/paperd)
#
# Both sides convert the same 20 DOCX files (made here, several pages each) on one worker.
#   soffice    one process per file, with an already-created profile (the first call, which
#              creates it, is not timed), so each call pays LibreOffice's start and nothing more.
#   paperd     `paperd serve --workers 1`: (a) 20 jobs, one file each, end to end through the API
#              (upload, job in the instant lane, download of the PDF); (b) one job with 20 files.
#              One job runs first, untimed, so the pool is warm, as it is on a running server.
# Prints a table with files/s and the ratio to soffice (goal: >= 3x). Knobs: BENCH_FILES (20),
# BENCH_KEEP=1 keeps the temp dir. Needs soffice, python3-uno, curl, python3, pdftotext.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bench_paperd "${1:-}"
files=${BENCH_FILES:-20}
need_tools soffice curl pdftotext pdfinfo "$py"
bench_workdir conv
bench_header "converters benchmark"

# ---- inputs: N DOCX files of a few pages, zipped by hand ------------------------------------
mkdir -p "$work/in"
"$py" - "$work/in" "$files" <<'PY'
import sys, zipfile
out, n = sys.argv[1], int(sys.argv[2])
ct = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
for i in range(1, n + 1):
    paras = ''.join('<w:p><w:r><w:t>Document %d, paragraph %d: the quick brown fox jumps over the lazy dog '
                    'while the converters benchmark measures how fast office files become PDFs.</w:t></w:r></w:p>' % (i, p)
                    for p in range(1, 121))
    doc = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
           '<w:p><w:r><w:t>Benchmark document %d</w:t></w:r></w:p>%s</w:body></w:document>' % (i, paras))
    with zipfile.ZipFile('%s/doc%02d.docx' % (out, i), 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('[Content_Types].xml', ct)
        z.writestr('_rels/.rels', rels)
        z.writestr('word/document.xml', doc)
PY

# ---- soffice, one call per file -----------------------------------------------------------------
profile="file://$work/soffice-profile"
mkdir -p "$work/soffice-out" "$work/warm"
cp "$work/in/doc01.docx" "$work/warm/warmup.docx"
soffice "-env:UserInstallation=$profile" --headless --convert-to pdf --outdir "$work/warm" \
  "$work/warm/warmup.docx" >/dev/null 2>&1 || die "soffice failed on the warm-up file"
t0=$(now)
for f in "$work"/in/*.docx; do
  soffice "-env:UserInstallation=$profile" --headless --convert-to pdf \
    --outdir "$work/soffice-out" "$f" >/dev/null 2>&1 || die "soffice failed on $f"
done
t1=$(now)
soffice_s=$(elapsed "$t0" "$t1")
soffice_n=$(find "$work/soffice-out" -name '*.pdf' | wc -l)

# ---- paperd ------------------------------------------------------------------------------------
PAPERD_OFFICE_POOL_SIZE=1 start_server --workers 1
bench_token

# Posts one office_to_pdf job with the given files; prints the answer's download paths.
post_job() {
  local args=(-s --fail-with-body -H "Authorization: Bearer $token" -F template=office_to_pdf
    -F priority=999)
  local i=1
  for f in "$@"; do
    args+=(-F "file_$i=@$f")
    i=$((i + 1))
  done
  curl "${args[@]}" "$base/latest/job/add/workflow" >"$work/answer.json" ||
    die "job failed: $(head -c 300 "$work/answer.json")"
  result_paths "$work/answer.json" || die "no inline result: $(head -c 300 "$work/answer.json")"
}

# Downloads one result (with the token: visitors are rate limited).
fetch() {
  local code
  code=$(curl -s -H "Authorization: Bearer $token" -o "$2" -w '%{http_code}' "$base$1") || true
  [ "$code" = 200 ] || die "download of $1 answered HTTP $code: $(head -c 200 "$2")"
}

mkdir -p "$work/paperd-out" "$work/paperd-batch"
post_job "$work/warm/warmup.docx" >/dev/null  # starts the worker's LibreOffice

t0=$(now)
n=0
for f in "$work"/in/*.docx; do
  n=$((n + 1))
  for p in $(post_job "$f"); do
    fetch "$p" "$work/paperd-out/$n.pdf"
  done
done
t1=$(now)
jobs_s=$(elapsed "$t0" "$t1")
jobs_n=$(find "$work/paperd-out" -name '*.pdf' -size +1k | wc -l)

t0=$(now)
n=0
for p in $(post_job "$work"/in/*.docx); do
  n=$((n + 1))
  fetch "$p" "$work/paperd-batch/$n.pdf"
done
t1=$(now)
batch_s=$(elapsed "$t0" "$t1")
batch_n=$(find "$work/paperd-batch" -name '*.pdf' -size +1k | wc -l)

# Same content on both sides.
last=$(printf '%02d' "$files")
pdftotext "$work/paperd-out/$files.pdf" - | grep "Benchmark document $files\b" >/dev/null ||
  die "paperd's last PDF does not hold its text"
pdftotext "$work/soffice-out/doc$last.pdf" - | grep "Benchmark document $files\b" >/dev/null ||
  die "soffice's last PDF does not hold its text"
pages=$(pdfinfo "$work/paperd-out/1.pdf" | awk '/^Pages:/ {print $2}')

rate() { awk -v n="$1" -v s="$2" 'BEGIN {printf "%.2f", (s > 0) ? n / s : 0}'; }
verdict() { awk -v r="$1" 'BEGIN {print (r + 0 >= 3) ? "PASS" : "MISS"}'; }

soffice_rate=$(rate "$soffice_n" "$soffice_s")
jobs_rate=$(rate "$jobs_n" "$jobs_s")
batch_rate=$(rate "$batch_n" "$batch_s")
echo
echo "office → PDF, $files DOCX files of $pages pages each, one worker / one process at a time"
printf '%-46s %6s %9s %9s %8s %s\n' "run" "files" "seconds" "files/s" "ratio" "goal >= 3x"
printf '%-46s %6s %9s %9s %8s\n' "soffice --convert-to pdf, one call per file" "$soffice_n" \
  "$soffice_s" "$soffice_rate" "1.00x"
r=$(ratio "$jobs_rate" "$soffice_rate" "%.2fx")
printf '%-46s %6s %9s %9s %8s %s\n' "paperd, one job per file (upload+job+download)" "$jobs_n" \
  "$jobs_s" "$jobs_rate" "$r" "$(verdict "${r%x}")"
r=$(ratio "$batch_rate" "$soffice_rate" "%.2fx")
printf '%-46s %6s %9s %9s %8s %s\n' "paperd, one job with all files" "$batch_n" "$batch_s" \
  "$batch_rate" "$r" "$(verdict "${r%x}")"
