#!/usr/bin/python3
"""bench/dms_bench.py: the document store measured from outside, over one kept-alive connection.

    dms_bench.py BASE TOKEN WORKDIR

1. Upload throughput: 1,000 small one-page PDFs and 10 large PDFs (200 pages of text each) through
   POST /documents/document-put: documents/s and MB/s.
2. Full-text queries on 10,000 documents (the 1,010 above plus text documents up to 10,000, each
   60 words of a 5,000-word vocabulary): p50/p95 of GET /documents/document-search (HTTP
   included) against the same queries on a raw SQLite FTS5 table of the same texts
   (`SELECT rowid ... MATCH ? ORDER BY rank LIMIT 20`, python's sqlite3, same machine); the ratio.
Prints one JSON line. Knobs: BENCH_DMS_SMALL (1000), BENCH_DMS_DOCS (10000); the text documents
that fill the store up to BENCH_DMS_DOCS go in 50 files per request, as a bulk import would.
"""
import http.client
import json
import os
import random
import sqlite3
import sys
import time
import urllib.parse
import uuid
import zlib

base, token, work = sys.argv[1], sys.argv[2], sys.argv[3]
url = urllib.parse.urlparse(base)
conn = http.client.HTTPConnection(url.hostname, url.port)
auth = {"Authorization": "Bearer " + token}
rng = random.Random(42)
vocab = ["w%04d%s" % (i, "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(4)))
         for i in range(5000)]


def call(method, path, body=None, headers=None):
    global conn
    try:
        conn.request(method, "/latest" + path, body=body, headers={**auth, **(headers or {})})
        r = conn.getresponse()
    except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
        # The server closes a connection idle for its keep-alive timeout (while this script builds
        # the next fixtures); the request was not read, so it is sent again on a new one.
        conn.close()
        conn = http.client.HTTPConnection(url.hostname, url.port)
        conn.request(method, "/latest" + path, body=body, headers={**auth, **(headers or {})})
        r = conn.getresponse()
    data = r.read()
    if r.status != 200:
        raise SystemExit("%s %s: %d %s" % (method, path, r.status, data[:300]))
    return json.loads(data)


def pdf(pages):
    objs = [None, None, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for text in pages:
        lines = b"".join(b"(%s) Tj T* " % l.encode() for l in text)
        data = zlib.compress(b"BT /F1 10 Tf 12 TL 50 750 Td " + lines + b"ET")
        objs.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream")
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % len(objs))
        kids.append(len(objs))
    objs[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objs[1] = b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids) + b"] /Count %d >>" % len(kids)
    out, offs = bytearray(b"%PDF-1.4\n"), []
    for i, o in enumerate(objs):
        offs.append(len(out))
        out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
    x = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offs:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
    return bytes(out)


def words(n):
    # Zipf-like: low-numbered words are common.
    return [vocab[min(int(rng.paretovariate(1.1)) - 1, len(vocab) - 1)] if rng.random() < 0.7
            else rng.choice(vocab) for _ in range(n)]


def put(ws, name, data):
    return put_many(ws, [(name, data)])


def put_many(ws, files):
    b = uuid.uuid4().hex
    body = b"--%s\r\nContent-Disposition: form-data; name=\"workspace_id\"\r\n\r\n%d\r\n" % (b.encode(), ws)
    for name, data in files:
        body += (b"--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
                 b"Content-Type: application/octet-stream\r\n\r\n" % (b.encode(), name.encode()) + data + b"\r\n")
    body += b"--%s--\r\n" % b.encode()
    return call("POST", "/documents/document-put", body,
                {"Content-Type": "multipart/form-data; boundary=" + b})


ws = call("POST", "/documents/workspace-create", json.dumps({"name": "bench"}),
          {"Content-Type": "application/json"})["workspace"]["id"]
n_small = int(os.environ.get("BENCH_DMS_SMALL", "1000"))
n_docs = int(os.environ.get("BENCH_DMS_DOCS", "10000"))
texts = []
small = []
for i in range(n_small):
    t = words(60)
    texts.append(" ".join(t))
    small.append(pdf([[" ".join(t[k:k + 10]) for k in range(0, 60, 10)]]))
t0 = time.perf_counter()
for i, d in enumerate(small):
    put(ws, "small%04d.pdf" % i, d)
t_small = time.perf_counter() - t0
large = []
for i in range(10):
    pages, page_texts = [], []
    for p in range(200):
        lines = [" ".join(words(10)) for _ in range(50)]
        pages.append(lines)
        page_texts.append(" ".join(lines))
    texts.append(" ".join(page_texts))
    large.append(pdf(pages))
t0 = time.perf_counter()
for i, d in enumerate(large):
    put(ws, "large%02d.pdf" % i, d)
t_large = time.perf_counter() - t0
batch = []
for i in range(len(texts), n_docs):
    t = " ".join(words(60))
    texts.append(t)
    batch.append(("doc%05d.txt" % i, t.encode() + b"\n"))
    if len(batch) == 50 or i == n_docs - 1:
        put_many(ws, batch)
        batch = []

raw = sqlite3.connect(":memory:")
raw.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize='unicode61 remove_diacritics 2')")
raw.executemany("INSERT INTO t (rowid, body) VALUES (?, ?)", enumerate(texts, 1))
raw.commit()
queries = []
for _ in range(300):
    q = [rng.choice(vocab[:400])] + ([rng.choice(vocab[:2000])] if rng.random() < 0.5 else [])
    queries.append(" ".join(q))


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p))]


api_ms, raw_ms = [], []
for q in queries:
    t0 = time.perf_counter()
    call("GET", "/documents/document-search?" + urllib.parse.urlencode(
        {"workspace_id": ws, "q": q, "limit": 20}))
    api_ms.append((time.perf_counter() - t0) * 1000)
    expr = " AND ".join('"%s"' % w for w in q.split())
    t0 = time.perf_counter()
    raw.execute("SELECT rowid, snippet(t, 0, '<mark>', '</mark>', '…', 16) FROM t WHERE t MATCH ? "
                "ORDER BY rank LIMIT 20", (expr,)).fetchall()
    raw_ms.append((time.perf_counter() - t0) * 1000)
# The floor any answer pays here (HTTP on loopback, the server's request path): GET /health.
floor_ms = []
for _ in range(300):
    t0 = time.perf_counter()
    conn.request("GET", "/health")
    conn.getresponse().read()
    floor_ms.append((time.perf_counter() - t0) * 1000)
small_mb = sum(map(len, small)) / 1e6
large_mb = sum(map(len, large)) / 1e6
print(json.dumps({
    "small_pdfs": {"count": n_small, "seconds": round(t_small, 2), "docs_per_s": round(n_small / t_small, 1),
                   "mb_per_s": round(small_mb / t_small, 2)},
    "large_pdfs": {"count": 10, "pages_each": 200, "mb": round(large_mb, 1), "seconds": round(t_large, 2),
                   "docs_per_s": round(10 / t_large, 2), "mb_per_s": round(large_mb / t_large, 2)},
    "search": {"documents": len(texts), "http_floor_p50_ms": round(pct(floor_ms, .5), 2), "api_p50_ms": round(pct(api_ms, .5), 2), "api_p95_ms": round(pct(api_ms, .95), 2),
                   "raw_fts5_p50_ms": round(pct(raw_ms, .5), 2), "raw_fts5_p95_ms": round(pct(raw_ms, .95), 2),
                   "ratio_p50": round(pct(api_ms, .5) / max(pct(raw_ms, .5), 1e-9), 2),
                   "ratio_p95": round(pct(api_ms, .95) / max(pct(raw_ms, .95), 1e-9), 2)}}))
