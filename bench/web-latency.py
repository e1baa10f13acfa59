#!/usr/bin/env python3
"""web-latency.py PORT [N] [CLIENTS] — latency of a running `polsearch web`.

Asks /api/search and /search N times each (default 600) for the queries of
../shared/bench/queries.txt when it is there (else six policy terms), with
CLIENTS concurrent clients (default 1), and prints p50/p95 in ms and the
requests per second.  Start the server first: polsearch web -d INDEX --port PORT.
"""
import os, sys, time, urllib.parse, urllib.request
from concurrent.futures import ThreadPoolExecutor

port = int(sys.argv[1])
n = int(sys.argv[2]) if len(sys.argv) > 2 else 600
clients = int(sys.argv[3]) if len(sys.argv) > 3 else 1
qfile = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "bench", "queries.txt")
try:
    qs = [l.split("\t")[-1].strip() for l in open(qfile, encoding="utf-8") if l.strip() and not l.startswith("#")]
except OSError:
    qs = ["专精特新", "高企", "知识产权质押", "科技型企业", "研发投入", "企业"]

def one(url):
    t = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as r:
        r.read()
    return (time.perf_counter() - t) * 1000

for path in ("/api/search", "/search"):
    urls = ["http://127.0.0.1:%d%s?q=%s" % (port, path, urllib.parse.quote(qs[i % len(qs)])) for i in range(n)]
    t0 = time.perf_counter()
    with ThreadPoolExecutor(clients) as ex:
        lat = sorted(ex.map(one, urls))
    wall = time.perf_counter() - t0
    print("%-12s n=%d clients=%d p50=%.2f ms p95=%.2f ms %.0f req/s"
          % (path, n, clients, lat[n // 2], lat[int(n * 0.95)], n / wall))
