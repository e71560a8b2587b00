#!/usr/bin/python3
"""bench/search_eval.py: search quality and speed of a live server, over kept-alive connections.

    search_eval.py BASE TOKEN WORKDIR [--sizes N[,N...]] [--timed N] [--min-similarity X]
                                      [--index-timeout S]

1. Indexing: the evaluation set of bench/search_corpus.py (2,016 text documents, 3,254 pages,
   5,270 chunks = pages + one name/meta chunk per document) goes into one workspace through
   POST /documents/document-put (multipart, 25 files a request, as a bulk import would):
   pages/s until full text finds every document (upload + full-text index, one transaction per
   upload), and pages/s until semantic search answers index_pending = 0 (the background
   embedding, timed from the first upload). Goal (issue 16): >= 50 pages/s.
2. Quality: the 252 queries (126 paraphrase, 126 keyword) in mode fulltext, semantic and hybrid
   (POST /documents/document-search, limit 10, the server's default min_similarity and
   semantic_weight): nDCG@10 (gain 2^grade - 1: the target 3, another document of the topic 1),
   recall@10 = |relevant in the top 10| / min(10, |relevant|) with relevant = grade >= 1, the
   target in the top 10, and MRR@10 of the target. Goal (issue 16): hybrid beats fulltext on
   paraphrase queries (nDCG@10) and is no worse on keyword queries.
3. Speed, at each size of --sizes (chunks; default 10000): the store is filled up to that many
   chunks with more generated documents of the same topics (--fill-pages 10 pages each, so
   100,000 chunks are about 10,200 documents), their indexing measured as in 1; then --timed
   (300) keyword queries of stored documents' own words (half client name + concept word, few
   hits; half concept word + context word, many), after 20 warm-up ones, in each mode (limit 20)
   against the same queries on a raw SQLite FTS5 table of the same chunks (python's sqlite3,
   unicode61 remove_diacritics 2, `... MATCH ? ORDER BY bm25(t) LIMIT 20` with a snippet, as
   bench/dms_bench.py does): p50/p95 and the ratios. Goal (issue 16): fulltext and hybrid
   p95 < 20 ms at 10,000 documents. The quality figures are measured again at every size.
A semantic index that stops making progress (index_pending without a new low for --stall
seconds) is reported as unfinished and the rest is measured on the partial index.
Prints tables, then one JSON line of every figure.
"""
import argparse
import http.client
import json
import math
import os
import random
import sqlite3
import sys
import time
import urllib.parse
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import search_corpus  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("base")
ap.add_argument("token")
ap.add_argument("work")
ap.add_argument("--sizes", default=os.environ.get("BENCH_SEARCH_SIZES", "10000"),
                help="chunk counts to measure latency at, comma-separated (10000)")
ap.add_argument("--timed", type=int, default=int(os.environ.get("BENCH_SEARCH_TIMED", "300")))
ap.add_argument("--min-similarity", type=float, default=None,
                help="passed to semantic and hybrid (default: the server's)")
ap.add_argument("--index-timeout", type=float, default=3600,
                help="seconds to wait for index_pending = 0 at one stage (3600)")
ap.add_argument("--stall", type=float, default=None,
                help="give up waiting for index_pending = 0 when it has not reached a new low "
                     "for this many seconds (default: 120, or one per 100 chunks if more)")
ap.add_argument("--topics", type=int, default=None,
                help="only the first N topics of the evaluation set (quick trials; all 63)")
ap.add_argument("--fill-pages", type=int, default=10,
                help="pages of each document that fills the store up to a size (10)")
args = ap.parse_args()
sizes = sorted(int(s) for s in args.sizes.split(",") if s.strip())

url = urllib.parse.urlparse(args.base)
auth = {"Authorization": "Bearer " + args.token}
MODES = ("fulltext", "semantic", "hybrid")
BATCH = 25


class Client:
    def __init__(self):
        self.conn = http.client.HTTPConnection(url.hostname, url.port, timeout=600)

    def call(self, method, path, body=None, headers=None, prefix="/latest"):
        h = {**auth, **(headers or {})}
        for attempt in range(2):
            try:
                self.conn.request(method, prefix + path, body=body, headers=h)
                r = self.conn.getresponse()
                data = r.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # An idle kept-alive connection the server closed: the request was not read.
                self.conn.close()
                self.conn = http.client.HTTPConnection(url.hostname, url.port, timeout=600)
                if attempt:
                    raise
        if r.status != 200:
            raise SystemExit("%s %s: %d %s" % (method, path, r.status, data[:300]))
        return json.loads(data) if data else None

    def search(self, ws, mode, query, limit=10, **extra):
        body = {"workspace_id": ws, "query": query, "mode": mode, "limit": limit}
        if mode != "fulltext" and args.min_similarity is not None:
            body["min_similarity"] = args.min_similarity
        body.update(extra)
        return self.call("POST", "/documents/document-search", json.dumps(body),
                         {"Content-Type": "application/json"})

    def put_many(self, ws, files):
        b = uuid.uuid4().hex.encode()
        parts = [b"--%s\r\nContent-Disposition: form-data; name=\"workspace_id\"\r\n\r\n%d\r\n"
                 % (b, ws)]
        for name, data in files:
            parts.append(b"--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\""
                         b"\r\nContent-Type: text/plain\r\n\r\n" % (b, name.encode()) + data +
                         b"\r\n")
        parts.append(b"--%s--\r\n" % b)
        return self.call("POST", "/documents/document-put", b"".join(parts),
                         {"Content-Type": "multipart/form-data; boundary=" + b.decode()})


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p))] if xs else float("nan")


def log(msg):
    print("bench/search: " + msg, file=sys.stderr, flush=True)


api = Client()
gen = search_corpus.Generator(topics=args.topics)
docs, queries = gen.corpus()
ws = api.call("POST", "/documents/workspace-create", json.dumps({"name": "search-eval"}),
              {"Content-Type": "application/json"})["workspace"]["id"]

topic_of = []       # doc index -> topic
doc_of_pofid = {}   # pofid -> doc index
timed_pool = []     # keyword queries of stored documents (the latency runs)
n_pages = 0

raw_path = os.path.join(args.work, "raw_fts5.db")
raw = sqlite3.connect(raw_path)
raw.execute("PRAGMA journal_mode = WAL")
raw.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize='unicode61 remove_diacritics 2')")


def pending(ws_id):
    return api.search(ws_id, "semantic", "status", limit=1)["index_pending"]


def upload_stage(label, doc_iter, expected_docs):
    """Uploads the documents, times full text and the semantic index; returns the stage's row."""
    global n_pages
    pages0, docs0 = n_pages, len(topic_of)
    t0 = time.perf_counter()
    batch, last_poll, polls = [], t0, []
    last_report = t0

    def flush():
        r = api.put_many(ws, [(d.name, "\f".join(d.pages).encode()) for d in batch])
        by_name = {x.get("filename", x.get("file_name")): x.get("pofid")
                   for x in r.get("results", [])}
        raw_rows = []
        for d in batch:
            pofid = by_name.get(d.name)
            if pofid is None:
                raise SystemExit("document-put: no pofid for %s in %s" % (d.name, str(r)[:300]))
            doc_of_pofid[pofid] = d.index
            raw_rows.append((d.index * 100000, d.name))
            raw_rows += [(d.index * 100000 + p + 1, text) for p, text in enumerate(d.pages)]
            d.pages = None  # the large sizes are not kept in memory
        raw.executemany("INSERT INTO t (rowid, body) VALUES (?, ?)", raw_rows)
        batch.clear()

    for d in doc_iter:
        assert d.index == len(topic_of), (d.index, len(topic_of))
        topic_of.append(d.topic)
        n_pages += len(d.pages)
        timed_pool.append(d.timed_query)
        batch.append(d)
        if len(batch) == BATCH:
            flush()
        now = time.perf_counter()
        if now - last_report > 30:
            log("%s: %d/%d documents uploaded (%.0f s)" % (
                label, len(topic_of) - docs0, expected_docs, now - t0))
            last_report = now
    if batch:
        flush()
    raw.commit()
    t_upload = time.perf_counter() - t0
    n_docs = len(topic_of)
    while api.search(ws, "fulltext", "txt", limit=1)["total"] < n_docs:
        if time.perf_counter() - t0 > args.index_timeout:
            raise SystemExit("full text does not find all %d documents" % n_docs)
        time.sleep(0.1)
    t_fulltext = time.perf_counter() - t0
    log("%s: uploaded %d documents (%d pages) in %.1f s; waiting for the semantic index" % (
        label, n_docs - docs0, n_pages - pages0, t_upload))
    low, low_at, done = None, time.perf_counter(), True
    stall = args.stall or max(120.0, (n_pages + n_docs) / 100)
    while True:
        left = pending(ws)
        now = time.perf_counter()
        if left == 0:
            break
        if low is None or left < low:
            low, low_at = left, now
        if now - low_at > stall or now - t0 > args.index_timeout:
            # Measured as it is: the quality and latency figures below are of a partial index
            # (vectors of older model versions stay searchable).
            log("%s: GAVE UP waiting: index_pending %d, no new low for %.0f s (%.0f s in all)" % (
                label, left, now - low_at, now - t0))
            done = False
            break
        if now - last_report > 30:
            log("%s: index_pending %d (%.0f s)" % (label, left, now - t0))
            last_report = now
        time.sleep(0.5)
    t_semantic = time.perf_counter() - t0
    pages = n_pages - pages0
    return {"stage": label, "documents": n_docs - docs0, "pages": pages,
            "chunks": pages + n_docs - docs0, "total_documents": n_docs,
            "total_chunks": n_pages + n_docs, "upload_s": round(t_upload, 2),
            "fulltext_s": round(t_fulltext, 2), "fulltext_pages_per_s": round(pages / t_fulltext, 1),
            "semantic_done": done, "semantic_pending_left": left, "stall_s": stall,
            "semantic_s": round(t_semantic, 2),
            "semantic_tail_s": round(t_semantic - t_upload, 2),
            "semantic_pages_per_s": round(pages / t_semantic, 1),
            "semantic_chunks_per_s": round((pages + n_docs - docs0) / t_semantic, 1)}


def evaluate():
    """Quality of the 252 queries per mode and kind; also the paraphrase leak check."""
    topic_size = {}
    for t in topic_of:
        topic_size[t] = topic_size.get(t, 0) + 1
    out = {}
    for mode in MODES:
        for kind in ("paraphrase", "keyword"):
            out[(mode, kind)] = {"ndcg": [], "recall": [], "hit": [], "rr": [], "empty": 0}
    for q in queries:
        n_rel = topic_size[q.topic]  # the target and the rest of its topic
        ideal = 3 + sum(1 / math.log2(i + 2) for i in range(1, min(10, n_rel)))
        for mode in MODES:
            r = api.search(ws, mode, q.text, limit=10)
            got = [doc_of_pofid.get(x["pofid"]) for x in r["results"]]
            dcg, rel, rr = 0.0, 0, 0.0
            for i, d in enumerate(got[:10]):
                g = 0 if d is None else search_corpus.grade(q, d, topic_of[d])
                dcg += (2 ** g - 1) / math.log2(i + 2)
                rel += g >= 1
                if g == 2 and not rr:
                    rr = 1 / (i + 1)
            m = out[(mode, q.kind)]
            m["ndcg"].append(dcg / ideal)
            m["recall"].append(rel / min(10, n_rel))
            m["hit"].append(1 if rr else 0)
            m["rr"].append(rr)
            m["empty"] += not got
    mean = lambda xs: sum(xs) / len(xs) if xs else 0.0  # noqa: E731
    return {"%s/%s" % k: {"queries": len(v["ndcg"]), "ndcg10": round(mean(v["ndcg"]), 4),
                          "recall10": round(mean(v["recall"]), 4),
                          "target10": round(mean(v["hit"]), 4), "mrr10": round(mean(v["rr"]), 4),
                          "no_results": v["empty"]} for k, v in out.items()}


def leak_check():
    """Paraphrase queries whose target full text finds with either word alone (should be 0)."""
    leaks, unchecked = 0, 0
    for q in queries:
        if q.kind != "paraphrase":
            continue
        r = api.search(ws, "fulltext", " OR ".join(q.text.split()), limit=100)
        if any(doc_of_pofid.get(x["pofid"]) == q.target for x in r["results"]):
            leaks += 1
        elif r["total"] > 100:
            unchecked += 1
    return leaks, unchecked


def latency(rng):
    # Half selective (client + concept word: the document and few others), half broad (concept
    # word + context word: most documents about the concept).
    qs = [timed_pool[rng.randrange(len(timed_pool))][i % 2] for i in range(args.timed + 20)]
    times = {m: [] for m in MODES + ("raw_fts5", "http_floor")}
    hits = {m: 0 for m in MODES + ("raw_fts5",)}
    for i, q in enumerate(qs):
        warm = i < 20
        for mode in MODES:
            t0 = time.perf_counter()
            r = api.search(ws, mode, q, limit=20)
            ms = (time.perf_counter() - t0) * 1000
            if not warm:
                times[mode].append(ms)
                hits[mode] += len(r["results"])
        expr = " AND ".join('"%s"' % w for w in q.split())
        t0 = time.perf_counter()
        rows = raw.execute("SELECT rowid, snippet(t, 0, '<mark>', '</mark>', '…', 16) FROM t "
                           "WHERE t MATCH ? ORDER BY bm25(t) LIMIT 20", (expr,)).fetchall()
        ms = (time.perf_counter() - t0) * 1000
        if not warm:
            times["raw_fts5"].append(ms)
            hits["raw_fts5"] += len(rows)
    for _ in range(args.timed):
        t0 = time.perf_counter()
        api.call("GET", "/health", prefix="")
        times["http_floor"].append((time.perf_counter() - t0) * 1000)
    return {m: {"p50_ms": round(pct(v, .5), 2), "p95_ms": round(pct(v, .95), 2),
                "mean_results": round(hits[m] / len(v), 1) if m in hits else None}
            for m, v in times.items()}


# ---- run -----------------------------------------------------------------------------------------

t_start = time.perf_counter()
stages, quality, speed = [], {}, {}
log("uploading the evaluation set: %d documents" % len(docs))
stages.append(upload_stage("evaluation set", iter(docs), len(docs)))
del docs
log("evaluating %d queries x %d modes" % (len(queries), len(MODES)))
quality[stages[-1]["total_chunks"]] = evaluate()
leaks, unchecked = leak_check()
rng = random.Random(search_corpus.SEED + 7)
for size in sizes:
    have = n_pages + len(topic_of)
    if size > have:
        per_doc = args.fill_pages
        count = math.ceil((size - have) / (per_doc + 1))
        log("filling up to %d chunks: %d documents of %d page(s)" % (size, count, per_doc))
        stages.append(upload_stage("to %d chunks" % size,
                                   gen.extra(len(topic_of), count, per_doc), count))
        quality[stages[-1]["total_chunks"]] = evaluate()
    log("timing %d queries per mode at %d chunks" % (args.timed, n_pages + len(topic_of)))
    speed[n_pages + len(topic_of)] = {"documents": len(topic_of), **latency(rng)}
raw.close()
elapsed = time.perf_counter() - t_start

# ---- report --------------------------------------------------------------------------------------

LINE = "-" * 100


def verdict(ok):
    return "PASS" if ok else "MISS"


print(LINE)
print("1. Indexing throughput (text/plain uploads, %d files per request; pages = extracted text "
      "pages)" % BATCH)
print(LINE)
print("   %-16s %7s %7s %7s  %9s %11s  %10s %9s %11s" % (
    "stage", "docs", "pages", "chunks", "upload s", "+FT pages/s", "semantic s", "(tail s)",
    "sem pages/s"))
for s in stages:
    print("   %-16s %7d %7d %7d  %9.1f %11.1f  %10.1f %9.1f %11s" % (
        s["stage"], s["documents"], s["pages"], s["chunks"], s["fulltext_s"],
        s["fulltext_pages_per_s"], s["semantic_s"], s["semantic_tail_s"],
        "%.1f" % s["semantic_pages_per_s"] if s["semantic_done"] else "unfinished"))
for s in stages:
    if not s["semantic_done"]:
        print("   %s: the semantic index did NOT finish: index_pending still %d of %d chunks when "
              "the wait gave up (no new low for %.0f s); what follows is measured on that "
              "partial index" % (s["stage"], s["semantic_pending_left"], s["total_chunks"],
                                 s["stall_s"]))
print("   semantic s: from the first upload until index_pending = 0 (embedding runs in the "
      "background while uploads go on); tail: after the last upload")
s0 = stages[0]
for s in stages:
    print("   goal >= 50 pages/s (%s): upload + full text %.1f pages/s %s; semantic index %s %s" % (
        s["stage"], s["fulltext_pages_per_s"], verdict(s["fulltext_pages_per_s"] >= 50),
        "%.1f pages/s" % s["semantic_pages_per_s"] if s["semantic_done"] else "unfinished",
        verdict(s["semantic_done"] and s["semantic_pages_per_s"] >= 50)))

first = min(quality)
q0 = quality[first]
print(LINE)
print("2. Quality: %d queries on the evaluation set (%d topics, %d documents, %d chunks), top 10"
      % (len(queries), gen.n_topics, s0["documents"], first))
if not s0["semantic_done"]:
    print("   !! semantic index unfinished (%d of %d chunks pending): semantic and hybrid figures "
          "are of a partial index" % (s0["semantic_pending_left"], s0["total_chunks"]))
print(LINE)
print("   %-10s %-9s %8s %9s %9s %7s %11s" % ("queries", "mode", "nDCG@10", "recall@10",
                                              "target@10", "MRR@10", "no results"))
for kind in ("paraphrase", "keyword"):
    for mode in MODES:
        m = q0["%s/%s" % (mode, kind)]
        print("   %-10s %-9s %8.3f %9.3f %9.3f %7.3f %6d/%d" % (
            kind, mode, m["ndcg10"], m["recall10"], m["target10"], m["mrr10"], m["no_results"],
            m["queries"]))
print("   recall@10 = |grade >= 1 in the top 10| / min(10, |grade >= 1|); target@10: the grade-2 "
      "document in the top 10")
print("   paraphrase targets that full text finds with either query word alone: %d (should be 0)%s"
      % (leaks, "; %d not checkable (over 100 hits)" % unchecked if unchecked else ""))


def goal_met(q):
    hp, fp = q["hybrid/paraphrase"]["ndcg10"], q["fulltext/paraphrase"]["ndcg10"]
    hk, fk = q["hybrid/keyword"]["ndcg10"], q["fulltext/keyword"]["ndcg10"]
    return hp > fp and hk >= fk, hp, fp, hk, fk


ok, hp, fp, hk, fk = goal_met(q0)
print("   hybrid / fulltext nDCG@10: paraphrase %.3f / %.3f = %s, keyword %.3f / %.3f = %s" % (
    hp, fp, "%.2fx" % (hp / fp) if fp else "n/a", hk, fk, "%.2fx" % (hk / fk) if fk else "n/a"))
print("   goal: hybrid beats fulltext on paraphrase queries and is no worse on keyword queries: %s"
      % ("MET" if ok else "NOT MET"))
for chunks in sorted(quality)[1:]:
    q = quality[chunks]
    ok2, hp, fp, hk, fk = goal_met(q)
    print("   at %d chunks (more documents of the same topics): nDCG@10 paraphrase ft %.3f "
          "sem %.3f hyb %.3f; keyword ft %.3f sem %.3f hyb %.3f: %s" % (
              chunks, fp, q["semantic/paraphrase"]["ndcg10"], hp, fk,
              q["semantic/keyword"]["ndcg10"], hk, "MET" if ok2 else "NOT MET"))

print(LINE)
print("3. Latency: %d keyword queries per mode (after 20 warm-up; half client + concept word, "
      "half concept + context word), limit 20, one kept-alive connection" % args.timed)
print(LINE)
for chunks in sorted(speed):
    sp = speed[chunks]
    raw_m = sp["raw_fts5"]
    st = [s for s in stages if s["total_chunks"] <= chunks][-1]
    print("   %d chunks, %d documents%s" % (
        chunks, sp["documents"], "" if st["semantic_done"] else
        "  !! semantic index unfinished (%d chunks pending): semantic and hybrid scan only the "
        "vectors there are" % st["semantic_pending_left"]))
    print("   %-28s %9s %9s %10s %10s %12s" % ("", "p50 ms", "p95 ms", "p50/raw", "p95/raw",
                                               "results/q"))
    for m in MODES + ("raw_fts5", "http_floor"):
        v = sp[m]
        label = {"raw_fts5": "raw SQLite FTS5 (in process)", "http_floor": "GET /health (floor)"}.get(
            m, "paperd " + m)
        rat = "" if m in ("raw_fts5", "http_floor") else "%9.1fx %9.1fx" % (
            v["p50_ms"] / max(raw_m["p50_ms"], 1e-9), v["p95_ms"] / max(raw_m["p95_ms"], 1e-9))
        print("   %-28s %9.2f %9.2f %21s %12s" % (label, v["p50_ms"], v["p95_ms"], rat,
                                                  "" if v["mean_results"] is None else
                                                  "%.1f" % v["mean_results"]))
    for m in ("fulltext", "hybrid"):
        print("   ratio %s/raw FTS5: p50 %.2f, p95 %.2f;  goal p95 < 20 ms (%d documents): %s" % (
            m, sp[m]["p50_ms"] / max(raw_m["p50_ms"], 1e-9),
            sp[m]["p95_ms"] / max(raw_m["p95_ms"], 1e-9), sp["documents"],
            verdict(sp[m]["p95_ms"] < 20)))
print(LINE)
print("total %.0f s" % elapsed)
print(json.dumps({"stages": stages,
                  "quality": {str(k): v for k, v in quality.items()},
                  "paraphrase_leaks": leaks,
                  "latency": {str(k): v for k, v in speed.items()},
                  "seconds": round(elapsed, 1)}))
