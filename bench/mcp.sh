#!/usr/bin/env bash
# bench/mcp.sh [paperd]: what the MCP server offers and what it costs, measured on a live server
# (its own `paperd serve` on an ephemeral loopback port, temp data dir, stopped on exit).
#
#   1. Endpoint coverage: the server's routes and pipeline tool variants (from its
#      /docs/openapi.json: paths, and x-pipeline-tools on the job route) against the 307 rows of
#      docs/api/endpoints.tsv. A row is covered when a route with its method and path exists
#      ({param} segments match {param} segments by position, whatever their names); a row on
#      /job/add/<slug> needs a tool variant with its exact title (when it is the only row of its
#      route, any variant of that slug). Then the rows still missing, by category.
#   2. tools/list per lane (/mcp, /dms, /cursor, /claude, /openai, /chatgpt, /grok, /mcp-full):
#      tools, pages, and the bytes of the whole paged list (the tools array, compact JSON: what a
#      client hands its model) and of the HTTP bodies.
#   3. tools/call vs REST on the same handler: paperd_bench mcp, N alternating rounds of
#      GET <route> and tools/call <tool> in one MCP session on one keep-alive connection;
#      p50, mean, the ratio and the added ms.
#
# Knobs: BENCH_MCP_REQUESTS (300), BENCH_MCP_ROWS=0 prints only the per-category counts of missing
# rows, BENCH_KEEP=1 keeps the temp dir. Needs curl, jq, python3 and build/bench/paperd_bench.
# Rate limits: the user token is on a tier "bench" (a tiers file of this run) whose limits the
# loop cannot reach, so no call is refused with 429; the limiter still runs on every call.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bench_paperd "${1:-}"
bench_tool=$(dirname "$paperd")/bench/paperd_bench
index=$repo/docs/api/endpoints.tsv
requests=${BENCH_MCP_REQUESTS:-300}

need_built "$bench_tool" paperd_bench
[ -s "$index" ] || die "$index is missing"
need_tools curl jq "$py"

bench_workdir mcp
bench_header "mcp benchmark" timings

# ---- the server ---------------------------------------------------------------------------------
cat >"$work/tiers.json" <<'EOF'
[{"name": "free", "monthly_credits": 1000, "per_second": 5, "per_minute": 30, "per_hour": 100,
  "per_day": 500},
 {"name": "bench", "monthly_credits": 100000000, "per_second": 1000000,
  "per_minute": 1000000, "per_hour": 10000000, "per_day": 100000000}]
EOF
export PAPERD_TIERS_FILE=$work/tiers.json
start_server --workers 1
token=$(create_token --kind ut --account mcp-bench --tier bench) ||
  die "token create failed: $(cat "$work/token.err")"
[[ $token == po_ut_* ]] || die "no po_ut_ token: $token $(cat "$work/token.err")"

# ---- 1. coverage ----------------------------------------------------------------------------------
curl -fsS "$base/latest/docs/openapi.json" -o "$work/openapi.json" || die "GET /docs/openapi.json failed"
echo
"$py" - "$work/openapi.json" "$index" "${BENCH_MCP_ROWS:-1}" <<'PY'
import collections, json, re, sys

doc = json.load(open(sys.argv[1]))
show_rows = sys.argv[3] != "0"
rows = []
with open(sys.argv[2], encoding="utf-8") as f:
    next(f)
    for line in f:
        cols = line.rstrip("\n").split("\t")
        if len(cols) >= 4:
            rows.append(dict(category=cols[0], title=cols[1], method=cols[2], path=cols[3]))

def shape(path):  # {any name} -> {} per segment: parameters match by position
    return re.sub(r"\{[^}]*\}", "{}", path)

routes = set()
variants = []
for path, item in doc["paths"].items():
    for method, op in item.items():
        routes.add((method.upper(), shape(path)))
        variants += op.get("x-pipeline-tools", [])
variant_rows = {(v["method"], v["path"], v["title"]) for v in variants}
variant_paths = {(v["method"], v["path"]) for v in variants}
per_route = collections.Counter((r["method"], r["path"]) for r in rows)

def covered(r):
    key = (r["method"], r["path"])
    if r["path"].startswith("/job/add/"):
        if per_route[key] == 1:
            return key in variant_paths
        return key + (r["title"],) in variant_rows
    return (r["method"], shape(r["path"])) in routes

missing = [r for r in rows if not covered(r)]
n = len(rows) - len(missing)
print("1. Endpoint coverage against docs/api/endpoints.tsv")
print("   served: %d routes (method + path), %d pipeline tool variants" % (len(routes), len(variants)))
print("   covered: %d of %d (%.1f %%)" % (n, len(rows), 100.0 * n / len(rows)))
by_cat = collections.OrderedDict()
for r in sorted(rows, key=lambda r: r["category"]):
    by_cat.setdefault(r["category"], [0, []])
    by_cat[r["category"]][0] += 1
for r in missing:
    by_cat[r["category"]][1].append(r)
print("   missing by category (missing / rows):")
for cat, (total, miss) in by_cat.items():
    if not miss:
        continue
    print("   %-44s %3d / %3d" % (cat, len(miss), total))
    if show_rows:
        for r in miss:
            print("       %-6s %-58s %s" % (r["method"], r["path"], r["title"]))
full = [cat for cat, (total, miss) in by_cat.items() if not miss]
print("   fully covered: " + (", ".join(full) if full else "none"))
PY

# ---- 2. tools/list per lane -----------------------------------------------------------------------
rpc() {  # lane body -> response body on stdout
  curl -sS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -H 'MCP-Protocol-Version: 2025-06-18' --data-binary "$2" "$base$1"
}
echo
echo "2. tools/list per lane (all pages; bytes of the tools array as compact JSON, and of the HTTP bodies)"
printf '   %-10s %6s %6s %12s %12s\n' lane tools pages "tools bytes" "body bytes"
for lane in /mcp /dms /cursor /claude /openai /chatgpt /grok /mcp-full; do
  : >"$work/tools.jsonl"
  cursor=""
  pages=0
  body_bytes=0
  while :; do
    if [ -z "$cursor" ]; then
      params='{}'
    else
      params=$(jq -cn --arg c "$cursor" '{cursor: $c}')
    fi
    rpc "$lane" "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":$params}" \
      >"$work/page.json"
    jq -e '.result.tools' "$work/page.json" >/dev/null ||
      die "tools/list on $lane failed: $(head -c 300 "$work/page.json")"
    pages=$((pages + 1))
    body_bytes=$((body_bytes + $(stat -c %s "$work/page.json")))
    jq -c '.result.tools[]' "$work/page.json" >>"$work/tools.jsonl"
    cursor=$(jq -r '.result.nextCursor // empty' "$work/page.json")
    [ -n "$cursor" ] || break
    [ "$pages" -lt 1000 ] || die "tools/list on $lane does not end"
  done
  count=$(wc -l <"$work/tools.jsonl")
  bytes=$(jq -cs . "$work/tools.jsonl" | tr -d '\n' | wc -c)
  printf '   %-10s %6d %6d %12d %12d\n' "$lane" "$count" "$pages" "$bytes" "$body_bytes"
done

# ---- 3. tools/call vs REST ------------------------------------------------------------------------
echo
echo "3. tools/call vs REST, same handler: $requests alternating rounds, one MCP session, one keep-alive connection"
printf '   %-44s %9s %9s %9s %9s\n' "" "p50 ms" "mean ms" "p99 ms" "failed"
for pair in "/latest/billing/pricing/tiers po_billing_pricing_tiers_list" \
  "/health po_health_get"; do
  read -r rest_path tool <<<"$pair"
  out=$work/call-$tool.out
  if ! "$bench_tool" mcp --port "$port" --token "$token" --lane /mcp --rest-path "$rest_path" \
    --tool "$tool" --requests "$requests" >"$out" 2>"$work/call.err"; then
    echo "   $tool: paperd_bench failed: $(tail -2 "$work/call.err") $(grep first_failure "$out" || true)"
    continue
  fi
  v() { awk -v k="$1" '$1 == k {print $2}' "$out"; }
  printf '   %-44s %9.3f %9.3f %9.3f %9s\n' "REST GET $rest_path" "$(v rest_p50_ms)" \
    "$(v rest_mean_ms)" "$(v rest_p99_ms)" "$(v failures)"
  printf '   %-44s %9.3f %9.3f %9.3f\n' "MCP tools/call $tool" "$(v mcp_p50_ms)" \
    "$(v mcp_mean_ms)" "$(v mcp_p99_ms)"
  awk -v a="$(v mcp_p50_ms)" -v b="$(v rest_p50_ms)" -v am="$(v mcp_mean_ms)" \
    -v bm="$(v rest_mean_ms)" 'BEGIN {
      printf "   %-44s %8.2fx %8.2fx   added %.3f ms (p50), %.3f ms (mean)\n",
        "MCP / REST", (b > 0 ? a / b : 0), (bm > 0 ? am / bm : 0), a - b, am - bm }'
done
