#!/usr/bin/python3
"""bench/api_client.py: one API job end to end, timed inside one client process.

    api_client.py BASE TOKEN PIPELINE OUTDIR [--zip | --urls] NAME=VALUE ... NAME=@FILE ...

Posts a job to BASE/latest/job/add/PIPELINE (multipart: NAME=VALUE fields, NAME=@FILE uploads),
waits for it (the instant lane answers inline; otherwise it polls job/get), then downloads every
result file into OUTDIR (1.pdf, 2.pdf, ...), or with --zip only result.archive_url (all.zip), over
the same kept-alive connection. Prints one JSON line: seconds (from before the inputs are read to
after the last byte is written), post_seconds (upload and job), download_seconds, files.
With --urls nothing is downloaded: the result files' URL paths go to OUTDIR/urls.txt, for a
compiled client (paperd_bench fetch) to download.

Uploads stream from disk in 1 MB pieces, as curl -F does (reading a 58 MB file into one bytes
object costs Python 0.39 s of page faults before the first byte is sent).
A client of the API does this in-process; timing it from a shell script would add the starts of
curl, python and date processes, which are the script's cost, not the API's.
"""
import http.client
import json
import os
import sys
import time
import urllib.parse
import uuid


def multipart(fields):
    """The body as pieces (bytes, or a path streamed from disk as curl -F does) and its length."""
    boundary = uuid.uuid4().hex
    parts, length = [], 0
    for name, value in fields:
        if value.startswith("@"):
            path = value[1:]
            head = ('--%s\r\nContent-Disposition: form-data; name="%s"; filename="%s"\r\n'
                    "Content-Type: application/pdf\r\n\r\n" % (boundary, name, os.path.basename(path)))
            data, size = path, os.path.getsize(path)
        else:
            data = value.encode()
            head = '--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n' % (boundary, name)
            size = len(data)
        parts += [head.encode(), data, b"\r\n"]
        length += len(head.encode()) + size + 2
    tail = ("--%s--\r\n" % boundary).encode()
    parts.append(tail)
    return parts, length + len(tail), "multipart/form-data; boundary=" + boundary


def stream(parts):
    for p in parts:
        if isinstance(p, bytes):
            yield p
            continue
        with open(p, "rb") as f:
            while chunk := f.read(1 << 20):
                yield chunk


def main():
    base, token, pipeline, out = sys.argv[1:5]
    args = sys.argv[5:]
    want_zip = "--zip" in args
    only_urls = "--urls" in args
    fields = [a.split("=", 1) for a in args if a not in ("--zip", "--urls")]
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port)
    auth = {"Authorization": "Bearer " + token}

    def request(method, path, body=None, headers=None):
        conn.request(method, path, body, {**auth, **(headers or {})})
        r = conn.getresponse()
        return r.status, r.read()

    t0 = time.perf_counter()
    parts, length, ctype = multipart(fields)
    status, raw = request("POST", "/latest/job/add/" + pipeline, stream(parts),
                          {"Content-Type": ctype, "Content-Length": str(length)})
    answer = json.loads(raw)
    while answer.get("job_status") not in ("completed", "failed") and answer.get("status") != "error":
        time.sleep(0.02)
        status, raw = request("GET", "/latest/job/get/" + answer["job_id"])
        answer = json.loads(raw)
    t1 = time.perf_counter()
    if answer.get("job_status") != "completed":
        sys.exit("job failed: " + raw.decode(errors="replace")[:400])
    result = answer["result"]
    urls = [result["archive_url"]] if want_zip else result["files"]
    if only_urls:
        with open(os.path.join(out, "urls.txt"), "w") as f:
            f.writelines(urllib.parse.urlsplit(u).path + "\n" for u in urls)
        urls = []
    for i, u in enumerate(urls):
        status, data = request("GET", urllib.parse.urlsplit(u).path)
        if status != 200:
            sys.exit("download %s answered %d" % (u, status))
        name = "all.zip" if want_zip else "%d.pdf" % (i + 1)
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    t2 = time.perf_counter()
    print(json.dumps({"seconds": t2 - t0, "post_seconds": t1 - t0, "download_seconds": t2 - t1,
                      "files": len(urls)}))


if __name__ == "__main__":
    main()
