#!/usr/bin/env python3
"""web-latency.py POLSEARCH INDEX [options] — latency, throughput and memory of `polsearch web`.

For each thread count of --threads (default 1,2) it starts `POLSEARCH web
-d INDEX --threads T` on a free loopback port and measures four pages with
1 and 8 concurrent clients (--clients):

  /api/search?q=Q     the JSON Lines of search --json
  /search?q=Q         the search page (results, facets, chips)
  /doc/ID?q=Q         the document view of Q's first result, Q marked
  /terms?t=T&by=year  the trend page (SVG chart and table)

Q runs over the bench queries (--queries; ../shared/bench/queries.txt
beside the repository; six policy terms when it is not there), T over those of them
that are policy-lexicon terms.  Each client is its own process with one
HTTP/1.1 connection (reopened when the server closes it), so the client's
Python does not share a GIL with the others.  The pages are measured in
interleaved rounds (--rounds; A B C D A B C D ...), and each row gives p50
and p95 of the latency, requests per second, the server's CPU time per
request (the sum over its threads of /proc/PID/task/*/schedstat, which
the machine's load disturbs less than the wall clock) and the load
average when the row was taken.

--wrk S: also requests per second of each page from wrk (Debian's wrk, C
and epoll: the client costs less than 8 Python processes), 8 connections
for S seconds, cycling over the page's URLs; p50 and p95 from wrk's own
latency record.  Skipped, with the reason, when wrk is not installed.

--per-query N: N requests of /api/search and of /search for each query
alone, one client, on the first server: which queries make the tail.

Then --rss requests (default 10,000) cycle over all four pages with 8
clients, and the server's RSS (VmRSS) is sampled every 1,000.  Nothing is
asserted: this is a benchmark (bench/README.md has the figures).
Run it under nice on a shared machine, and say the load (each row does).
"""
import argparse, glob, http.client, json, multiprocessing, os, shutil, socket, subprocess, sys, tempfile, time, urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
QFILE = os.path.join(HERE, "..", "..", "shared", "bench", "queries.txt")


def queries(path):
    """The bench queries of file path as (category, query), or six policy
    terms when it cannot be read (said on stderr)."""
    try:
        with open(path, encoding="utf-8") as f:
            return [tuple(l.rstrip("\n").split("\t", 1)) for l in f if l.strip() and not l.startswith("#")]
    except OSError as e:
        print("web-latency: %s; six policy terms instead" % e, file=sys.stderr)
        return [("policy", q) for q in ("专精特新", "高新技术企业", "知识产权质押", "科技型中小企业", "研发投入", "产学研")]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def fnv1a(path):
    """The document id of an indexed path (store_path_hash: 64-bit FNV-1a)."""
    h = 1469598103934665603
    for b in path.encode():
        h = ((h ^ b) * 0x100000001b3) & (2 ** 64 - 1)
    return "%016x" % h


def get(port, path):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    c.request("GET", path)
    r = c.getresponse()
    body = r.read()
    c.close()
    return r.status, body


def client(args):
    """One client: GET each path on one connection; the latencies in ms."""
    port, paths = args
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    out = []
    for p in paths:
        t = time.perf_counter()
        try:
            conn.request("GET", p)
            r = conn.getresponse()
            r.read()
            if r.status != 200:
                raise RuntimeError("%s: HTTP %d" % (p, r.status))
            if r.getheader("Connection", "").lower() == "close":
                conn.close()
        except (http.client.HTTPException, OSError):
            conn.close()                  # the server closed it first: once more on a new one
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            conn.request("GET", p)
            conn.getresponse().read()
        out.append((time.perf_counter() - t) * 1000)
    conn.close()
    return out


def cpu_s(pid):
    """The server's CPU seconds so far: the run time of all its threads
    (schedstat, nanoseconds; a thread that ended is not counted, and the
    server's threads live as long as it does)."""
    ns = 0
    for f in glob.glob("/proc/%d/task/*/schedstat" % pid):
        try:
            with open(f) as fh:
                ns += int(fh.read().split()[0])
        except (OSError, ValueError, IndexError):
            pass                      # a thread that ended meanwhile
    return ns / 1e9


def load():
    """The 1-minute load average, as a string."""
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def rss_kb(pid):
    """The server's VmRSS and VmHWM in kB."""
    v = {}
    with open("/proc/%d/status" % pid) as f:
        for l in f:
            if l.startswith(("VmRSS:", "VmHWM:")):
                v[l.split(":")[0]] = int(l.split()[1])
    return v["VmRSS"], v["VmHWM"]


def burst(pool, port, paths, clients):
    """GET paths with clients concurrent clients; (latencies, wall seconds)."""
    slices = [paths[i::clients] for i in range(clients)]
    t0 = time.perf_counter()
    lat = [x for part in pool.map(client, [(port, s) for s in slices]) for x in part]
    return lat, time.perf_counter() - t0


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(len(v) * p))]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("polsearch")
    ap.add_argument("index")
    ap.add_argument("--n", type=int, default=400, help="requests per page and client count (default 400)")
    ap.add_argument("--rounds", type=int, default=4, help="interleaved rounds (default 4)")
    ap.add_argument("--clients", default="1,8", help="client counts (default 1,8)")
    ap.add_argument("--threads", default="1,2", help="server thread counts, a server each (default 1,2)")
    ap.add_argument("--wrk", type=float, default=0, help="seconds of wrk per page, 8 connections (default 0: none)")
    ap.add_argument("--per-query", type=int, default=0, help="requests per query and page alone (default 0: none)")
    ap.add_argument("--rss", type=int, default=10000, help="requests of the RSS run (default 10000; 0: none)")
    ap.add_argument("--queries", default=QFILE, help="the bench queries (default ../shared/bench/queries.txt "
                                                   "beside the repository)")
    a = ap.parse_args()
    qs = queries(a.queries)
    for k, t in enumerate(int(x) for x in a.threads.split(",")):
        port = free_port()
        srv = subprocess.Popen([a.polsearch, "web", "-d", a.index, "--port", str(port), "--threads", str(t)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            for _ in range(300):
                try:
                    socket.create_connection(("127.0.0.1", port), 0.2).close()
                    break
                except OSError:
                    if srv.poll() is not None:
                        sys.exit("web-latency: the server stopped: " + srv.stderr.read().decode(errors="replace"))
                    time.sleep(0.1)
            run(a, qs, port, srv.pid, t, a.per_query if k == 0 else 0)
        finally:
            srv.terminate()
            srv.wait()


def page_urls(port, qs):
    """The URLs of each page for the queries qs: {page: [URL, ...]}."""
    enc = urllib.parse.quote
    pages = {"/api/search": ["/api/search?q=" + enc(q) for q in qs],
             "/search": ["/search?q=" + enc(q) for q in qs],
             "/doc": [], "/terms": []}
    # The document view of each query's first result, with its query marked.
    for q in qs:
        st, body = get(port, "/api/search?n=1&q=" + enc(q))
        if st == 200 and body.strip():
            f = json.loads(body.split(b"\n")[0])["file"]
            pages["/doc"].append("/doc/%s?q=%s" % (fnv1a(f), enc(q)))
    for q in qs:
        u = "/terms?by=year&t=" + enc(q)
        if get(port, u)[0] == 200:
            pages["/terms"].append(u)
    for k, v in pages.items():
        if not v:
            sys.exit("web-latency: no URL for %s" % k)
    return pages


# wrk's script: each request the next of the URLs in the file named by
# WRK_URLS; at the end the latency's p50 and p95 in a line of its own.
WRK_LUA = """
local urls, i = {}, 0
for l in io.lines(os.getenv("WRK_URLS")) do urls[#urls + 1] = l end
request = function()
  i = i % #urls + 1
  return wrk.format("GET", urls[i])
end
done = function(summary, latency, requests)
  io.write(string.format("wrk-result %d %.3f %.3f %.3f %d\\n", summary.requests, summary.duration / 1e6,
           latency:percentile(50) / 1000, latency:percentile(95) / 1000,
           summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
"""


def wrk_row(port, pid, page, urls, seconds, threads):
    """One row of wrk figures for page (8 connections, seconds long)."""
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "urls"), "w") as f:
            f.write("\n".join(urls) + "\n")
        with open(os.path.join(d, "cycle.lua"), "w") as f:
            f.write(WRK_LUA)
        l0, c0 = load(), cpu_s(pid)
        out = subprocess.run(["wrk", "-t1", "-c8", "-d%ds" % seconds, "-s", os.path.join(d, "cycle.lua"),
                              "http://127.0.0.1:%d" % port], env=dict(os.environ, WRK_URLS=os.path.join(d, "urls")),
                             capture_output=True, text=True).stdout
        cpu = cpu_s(pid) - c0
    res = [l.split() for l in out.splitlines() if l.startswith("wrk-result ")]
    if not res:
        print("%-12s wrk: no result: %s" % (page, out.strip().replace("\n", " | ")))
        return
    n, dur, p50, p95, errors = int(res[0][1]), float(res[0][2]), float(res[0][3]), float(res[0][4]), int(res[0][5])
    print("%-12s threads=%d wrk c=8 n=%-6d p50=%7.2f ms  p95=%7.2f ms  %6.0f req/s  server CPU %.2f ms/req"
          "  errors %d  load %s-%s" % (page, threads, n, p50, p95, n / dur, cpu * 1000 / max(n, 1), errors, l0, load()))


def per_query(pool, port, pid, qs, n):
    """Each query alone, n requests of /api/search and of /search, one client."""
    enc = urllib.parse.quote
    print("# each query alone: %d requests per page, one client; ms: p50 p95, server CPU per request" % n)
    print("# %-8s %-24s %9s %9s %9s   %9s %9s %9s  load" % ("category", "query", "api p50", "api p95", "api CPU",
                                                           "page p50", "page p95", "page CPU"))
    for cat, q in qs:
        row = []
        l0 = load()
        for path in ("/api/search?q=", "/search?q="):
            c0 = cpu_s(pid)
            lat, _ = burst(pool, port, [path + enc(q)] * n, 1)
            row += [pct(lat, 0.5), pct(lat, 0.95), (cpu_s(pid) - c0) * 1000 / n]
        print("  %-8s %-24s %9.2f %9.2f %9.2f   %9.2f %9.2f %9.2f  %s-%s" % ((cat, q) + tuple(row) + (l0, load())))


def run(a, qs, port, pid, threads, per_query_n):
    pages = page_urls(port, [q for _, q in qs])
    cold = 0
    for v in pages.values():          # warm the caches: each URL once (a cold one may time out)
        for u in v:
            try:
                cold += get(port, u)[0] != 200
            except (http.client.HTTPException, OSError):
                cold += 1
    if cold:
        print("# warm-up: %d URLs failed or timed out once (cold caches on a loaded machine)" % cold)
    print("# polsearch web --threads %d over %s, %d queries of %s; %s" % (threads, a.index, len(qs), a.queries,
          " ".join("%s %d URLs" % (k, len(v)) for k, v in pages.items())))
    print("# load: %s" % open("/proc/loadavg").read().strip())
    counts = [int(c) for c in a.clients.split(",")]
    with multiprocessing.Pool(max(counts + [8])) as pool:
        if per_query_n:
            per_query(pool, port, pid, qs, per_query_n)
        for c in counts:
            lat = {k: [] for k in pages}
            wall = {k: 0.0 for k in pages}
            cpu = {k: 0.0 for k in pages}
            loads = {k: [] for k in pages}
            per = max(1, a.n // a.rounds)
            for r in range(a.rounds):
                for k, v in pages.items():
                    paths = [v[(r * per + i) % len(v)] for i in range(per)]
                    loads[k].append(float(load()))
                    c0 = cpu_s(pid)
                    l, w = burst(pool, port, paths, c)
                    cpu[k] += cpu_s(pid) - c0
                    lat[k] += l
                    wall[k] += w
            for k in pages:
                n = len(lat[k])
                print("%-12s threads=%d clients=%d n=%-5d p50=%7.2f ms  p95=%7.2f ms  %6.0f req/s  server CPU %.2f ms/req"
                      "  load %.2f-%.2f" % (k, threads, c, n, pct(lat[k], 0.5), pct(lat[k], 0.95), n / wall[k],
                                           cpu[k] * 1000 / n, min(loads[k]), max(loads[k])))
        if a.wrk:
            if shutil.which("wrk"):
                for k, v in pages.items():
                    wrk_row(port, pid, k, v, a.wrk, threads)
            else:
                print("# wrk: not installed (apt-get install wrk), its rows are skipped")
        if a.rss:
            mix = [u for v in pages.values() for u in v]
            r0, _ = rss_kb(pid)
            print("# RSS: %d requests over all four pages, 8 clients; VmRSS after every 1000 (kB)" % a.rss)
            print("rss  threads=%d after 0: %d kB  load %s" % (threads, r0, load()))
            done = 0
            while done < a.rss:
                step = min(1000, a.rss - done)
                burst(pool, port, [mix[(done + i) % len(mix)] for i in range(step)], 8)
                done += step
                r, hwm = rss_kb(pid)
                print("rss  threads=%d after %d: %d kB (peak %d kB)  load %s" % (threads, done, r, hwm, load()))
    print("# load: %s" % open("/proc/loadavg").read().strip())


if __name__ == "__main__":
    main()
