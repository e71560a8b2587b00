#!/usr/bin/python3
"""bench/webhooks_bench.py: webhook deliveries measured at a receiver on loopback.

    webhooks_bench.py BASE TOKEN

The receiver (ThreadingHTTPServer, answers 200 at once) notes when each delivery arrives.
1. Throughput: a subscription to workspace.created is paused, BENCH_WH_EVENTS (2000) workspaces
   are created (one event each, queued as pending deliveries), the subscription is resumed, and
   the time from the resume to the last delivery gives events/s.
2. Latency: BENCH_WH_JOBS (50) sleep jobs (seconds=0), one at a time on an idle queue; for each,
   the job.completed delivery's arrival minus the job's finished_at_ms (same clock): p50/p95.
Prints one JSON line.
"""
import http.client
import http.server
import json
import os
import statistics
import sys
import threading
import time
import urllib.parse

base, token = sys.argv[1], sys.argv[2]
url = urllib.parse.urlparse(base)
auth = {"Authorization": "Bearer " + token}
events = int(os.environ.get("BENCH_WH_EVENTS", "2000"))
jobs = int(os.environ.get("BENCH_WH_JOBS", "50"))

arrivals = {}  # event_id -> (arrival unix seconds, body)
lock = threading.Lock()
cond = threading.Condition(lock)


class Receiver(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        t = time.time()
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")
        with cond:
            arrivals.setdefault(body["event_id"], (t, body))
            cond.notify_all()

    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256


rx = Server(("127.0.0.1", 0), Receiver)
threading.Thread(target=rx.serve_forever, daemon=True).start()
hook = "http://127.0.0.1:%d/hook" % rx.server_address[1]
conn = http.client.HTTPConnection(url.hostname, url.port)


def call(method, path, body=None, form=False):
    headers = dict(auth)
    data = None
    if body is not None:
        if form:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        else:
            data = json.dumps(body)
            headers["Content-Type"] = "application/json"
    global conn
    for attempt in range(2):
        try:
            conn.request(method, "/latest" + path, body=data, headers=headers)
            r = conn.getresponse()
            out = r.read()
            break
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            # A kept-alive connection the server closed while the bench waited: not read.
            conn.close()
            conn = http.client.HTTPConnection(url.hostname, url.port)
            if attempt:
                raise
    if r.status not in (200, 202):
        raise SystemExit("%s %s: %d %s" % (method, path, r.status, out[:300]))
    return json.loads(out)


def wait_for(pred, timeout):
    deadline = time.time() + timeout
    with cond:
        while not pred():
            left = deadline - time.time()
            if left <= 0:
                raise SystemExit("timed out waiting for deliveries (%d arrived)" % len(arrivals))
            cond.wait(left)


# 1. Throughput.
sub = call("POST", "/webhooks/subscribe",
           {"name": "throughput", "url": hook, "events": ["workspace.created"]})["subscription_id"]
call("POST", "/webhooks/update", {"subscription_id": sub, "status": "paused"})
for i in range(events):
    call("POST", "/documents/workspace-create", {"name": "bench-%d" % i})
# The dispatcher turns the events into pending deliveries; wait until all of them are there.
deadline = time.time() + 120
while call("GET", "/webhooks/deliveries?state=pending&per_page=1")["total"] < events:
    if time.time() > deadline:
        raise SystemExit("the backlog did not build up")
    time.sleep(0.05)
t0 = time.time()
call("POST", "/webhooks/update", {"subscription_id": sub, "status": "active"})
wait_for(lambda: len(arrivals) >= events, 300)
t1 = max(t for t, _ in arrivals.values())
throughput = events / (t1 - t0)
call("POST", "/webhooks/delete", {"subscription_id": sub})

# 2. Latency from job completion to delivery start, idle queue.
call("POST", "/webhooks/subscribe", {"name": "latency", "url": hook, "events": ["job.completed"]})
lat = []
for i in range(jobs):
    job = call("POST", "/job/add/spinetest___sleep", {"seconds": "0", "priority": "500"},
               form=True)["job_id"]

    def arrived():
        return any(b.get("job_id") == job for _, b in arrivals.values())

    wait_for(arrived, 60)
    with lock:
        t, body = next((t, b) for t, b in arrivals.values() if b.get("job_id") == job)
    lat.append(t * 1000 - body["data"]["finished_at_ms"])
    time.sleep(0.1)  # idle again before the next job
lat.sort()
p50 = statistics.median(lat)
p95 = lat[min(len(lat) - 1, int(round(0.95 * (len(lat) - 1))))]
print("webhooks: %d deliveries in %.2f s = %.0f events/s; job completion -> delivery p50 %.1f ms, "
      "p95 %.1f ms (goal p95 < 100 ms)" % (events, t1 - t0, throughput, p50, p95))
print(json.dumps({"bench": "webhooks", "events": events, "throughput_events_per_s": round(throughput, 1),
                  "latency_jobs": jobs, "latency_p50_ms": round(p50, 1),
                  "latency_p95_ms": round(p95, 1), "latency_max_ms": round(lat[-1], 1)}))
