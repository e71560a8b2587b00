#!/usr/bin/env bash
# bench/scan.sh [paperd]: the whitepage_scan workflow against the standard tools on the same
# 12-page A4 scan (300 dpi: 8 text pages, 2 blank pages with scanner noise and an edge strip, a
# page with a QR code, a separator sheet with a PATCHT QR code), as a PDF and as a multi-page
# TIFF, in one run. Builds nothing; paperd defaults to build/paperd.
#
#   paperd:  paperd run workflow/whitepage_scan FILE -p detect_codes=true   (render, blank, codes)
#   tools:   mutool draw -r 200 (PDF only) + zbarimg per page + ImageMagick's black-pixel share
#            per page (the usual "blank if under 0.5 % black" script), two pages at a time.
#
# Prints wall seconds, the ratio tools/paperd (> 1: paperd is faster), and what each found
# (codes decoded; blank pages, of which 2 are truly blank).
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bench_paperd "${1:-}"
need_tools convert qrencode mutool qpdf zbarimg xargs bc "$py"
bench_workdir scan  # BENCH_KEEP=1 keeps the fixture and outputs.
cd "$work"

page() {  # page NAME [convert drawing args...]
  local name=$1
  shift
  convert -size 2480x3508 xc:white "$@" -colorspace Gray -density 300 -units PixelsPerInch "$name"
}
echo "making the fixture in $work ..." >&2
for i in 1 2 3 4 5 6 7 8; do
  page "p$i.png" -font DejaVu-Sans -pointsize 42 -annotate +250+400 \
    "Page $i: quarterly report, section $i" -annotate +250+480 "Lorem ipsum dolor sit amet $i" \
    -attenuate 0.1 +noise Impulse
done
for i in 1 2; do
  page "blank$i.png" -attenuate 0.2 +noise Impulse -fill 'gray(20%)' -draw 'rectangle 0,0 40,3508'
done
qrencode -s 10 -o qr.png 'https://example.com/invoice/4711'
qrencode -s 14 -o sep.png 'PATCHT'
page qrpage.png qr.png -geometry +1700+200 -composite -font DejaVu-Sans -pointsize 42 \
  -annotate +250+400 'Invoice 4711'
page seppage.png sep.png -geometry +900+1300 -composite
order=(p1.png p2.png qrpage.png p3.png blank1.png p4.png seppage.png p5.png p6.png blank2.png
  p7.png p8.png)
parts=()
for i in "${!order[@]}"; do
  mutool convert -O compress -o "part$i.pdf" "${order[$i]}"
  parts+=("part$i.pdf")
done
qpdf --empty --pages "${parts[@]}" -- scan.pdf
convert "${order[@]}" -compress lzw scan.tif

run_paperd() {  # file -> "seconds codes blanks"
  local t0 t1 out
  t0=$(now)
  out=$("$paperd" run workflow/whitepage_scan "$1" -p detect_codes=true --data-dir "$work/data" \
    -o "$work/out" 2>"$work/paperd.err") || { cat "$work/paperd.err" >&2; exit 1; }
  t1=$(now)
  printf '%s' "$out" | json '"%d %d" % (len(d["result"]["codes"]), len(d["result"]["blank_pages"]))' |
    { read -r c b; echo "$(echo "$t1 - $t0" | bc) $c $b"; }
}

tool_page() {  # one page image: "codes black_share"
  local codes black
  codes=$(zbarimg -q "$1" 2>/dev/null | grep -c . || true)
  black=$(convert "$1" -colorspace Gray -threshold 50% -format '%[fx:1-mean]' info:)
  echo "$codes $black"
}
export -f tool_page

run_tools() {  # file -> "seconds codes blanks"
  local t0 t1 pages
  t0=$(now)
  rm -rf tool && mkdir tool
  if [[ $1 == *.pdf ]]; then
    mutool draw -q -r 200 -c gray -o tool/p%03d.pgm "$1" 2>/dev/null
  else
    convert "$1" tool/p%03d.pgm
  fi
  pages=$(ls tool/*.pgm | xargs -P 2 -I{} bash -c 'tool_page {}')
  t1=$(now)
  echo "$(echo "$t1 - $t0" | bc) $(echo "$pages" | awk '{c+=$1; if ($2 < 0.005) b++} END {print c, b+0}')"
}

printf '\n%-10s %10s %10s %8s %14s %16s\n' case paperd_s tools_s ratio codes_p/t blank_p/t
for f in scan.pdf scan.tif; do
  read -r ps pc pb <<<"$(run_paperd "$f")"
  read -r ts tc tb <<<"$(run_tools "$f")"
  printf '%-10s %10.2f %10.2f %7.2fx %14s %16s\n' "$f" "$ps" "$ts" "$(echo "$ts / $ps" | bc -l)" \
    "$pc/$tc" "$pb/$tb (2 true)"
done
echo
echo "codes: 2 on the pages (a QR code and the PATCHT separator). ratio = tools / paperd."
