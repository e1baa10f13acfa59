#!/usr/bin/env python3
"""web-latency.py POLSEARCH INDEX [options] — latency and memory of `polsearch web`.

Starts `POLSEARCH web -d INDEX` on a free loopback port and measures four
pages with 1 and 8 concurrent clients (--clients):

  /api/search?q=Q     the JSON Lines of search --json
  /search?q=Q         the search page (results, facets, chips)
  /doc/ID?q=Q         the document view of Q's first result, Q marked
  /terms?t=T&by=year  the trend page (SVG chart and table)

Q runs over the bench queries (../shared/bench/queries.txt, beside the
repository; six policy terms when it is not there), T over those of them
that are policy-lexicon terms.  Each client is its own process with one
HTTP/1.1 connection (reopened when the server closes it), so the client's
Python does not share a GIL with the others.  The pages are measured in
interleaved rounds (--rounds; A B C D A B C D ...), and each row gives p50
and p95 of the latency, requests per second, and the server's CPU time
(user+sys from /proc/PID/stat) per request, which the machine's load
disturbs less than the wall clock.

Then --rss requests (default 10,000) cycle over all four pages with 8
clients, and the server's RSS (VmRSS) is sampled every 1,000.  Nothing is
asserted: this is a benchmark (bench/README.md has the figures).
Run it under nice on a shared machine, and say the load (uptime).
"""
import argparse, http.client, multiprocessing, os, socket, subprocess, sys, time, urllib.parse, json

HERE = os.path.dirname(os.path.abspath(__file__))
QFILE = os.path.join(HERE, "..", "..", "shared", "bench", "queries.txt")


def queries():
    """The bench queries as (category, query), or six policy terms."""
    try:
        with open(QFILE, encoding="utf-8") as f:
            return [tuple(l.rstrip("\n").split("\t", 1)) for l in f if l.strip() and not l.startswith("#")]
    except OSError:
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
    """The server's user+sys CPU seconds so far."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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
    ap.add_argument("--rss", type=int, default=10000, help="requests of the RSS run (default 10000; 0: none)")
    ap.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    a = ap.parse_args()

    port = a.port or free_port()
    srv = subprocess.Popen([a.polsearch, "web", "-d", a.index, "--port", str(port)],
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
        run(a, port, srv.pid)
    finally:
        srv.terminate()
        srv.wait()


def run(a, port, pid):
    qs = [q for _, q in queries()]
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
    for v in pages.values():          # warm the caches: each URL once
        for u in v:
            get(port, u)
    print("# polsearch web over %s; %s" % (a.index, " ".join("%s %d URLs" % (k, len(v)) for k, v in pages.items())))
    print("# load: %s" % open("/proc/loadavg").read().strip())
    counts = [int(c) for c in a.clients.split(",")]
    with multiprocessing.Pool(max(counts)) as pool:
        for c in counts:
            lat = {k: [] for k in pages}
            wall = {k: 0.0 for k in pages}
            cpu = {k: 0.0 for k in pages}
            per = max(1, a.n // a.rounds)
            for r in range(a.rounds):
                for k, v in pages.items():
                    paths = [v[(r * per + i) % len(v)] for i in range(per)]
                    c0 = cpu_s(pid)
                    l, w = burst(pool, port, paths, c)
                    cpu[k] += cpu_s(pid) - c0
                    lat[k] += l
                    wall[k] += w
            for k in pages:
                n = len(lat[k])
                print("%-12s clients=%d n=%-5d p50=%7.2f ms  p95=%7.2f ms  %6.0f req/s  server CPU %.2f ms/req"
                      % (k, c, n, pct(lat[k], 0.5), pct(lat[k], 0.95), n / wall[k], cpu[k] * 1000 / n))
        if a.rss:
            mix = [u for v in pages.values() for u in v]
            r0, _ = rss_kb(pid)
            print("# RSS: %d requests over all four pages, 8 clients; VmRSS after every 1000 (kB)" % a.rss)
            print("rss  after 0: %d kB" % r0)
            done = 0
            while done < a.rss:
                step = min(1000, a.rss - done)
                burst(pool, port, [mix[(done + i) % len(mix)] for i in range(step)], 8)
                done += step
                r, hwm = rss_kb(pid)
                print("rss  after %d: %d kB (peak %d kB)" % (done, r, hwm))
    print("# load: %s" % open("/proc/loadavg").read().strip())


if __name__ == "__main__":
    main()
