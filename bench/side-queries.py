#!/usr/bin/python3
"""side-queries.py — the side-by-side query latencies, interleaved.

    bench/side-queries.py RESULTS_DIR [REPS]

RESULTS_DIR is an OUT_DIR of ../shared/bench/run.sh after a run (its idx/
holds every peer's index, kept by KEEP_INDEX=1).  Each query of
queries.txt is run REPS times (default 15) through each peer's own query
wrapper (peers/PEER-query.sh -n 10 INDEX QUERY, exactly as run.sh runs it),
the peers interleaved and their order rotated on every round, so that a
change of the machine's load falls on every peer alike.  run.sh times
each peer's queries in one block, minutes apart, so on a shared machine
its p50s compare different loads; this script's figures compare one.

Prints per peer: p50 and p95 of wall time over all timed runs, the median
CPU time (user+sys of the wrapper and its children, from wait4), and the
medians of the queries 月, 的 and 专精特新; then the load average before and
after.  Env: PEERS (default: every peer with an index), POLSEARCH (the
binary for the polsearch slot, as in run.sh), BENCH (../shared/bench).
"""
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.environ.get("BENCH") or os.path.join(HERE, "..", "..", "shared", "bench")
if not os.path.isdir(BENCH):
    BENCH = "/work/shared/bench"


def queries(path):
    """The (category, query) lines of queries.txt, comments dropped."""
    out = []
    with open(path, encoding="utf-8") as f:
        for ln in f:
            ln = ln.rstrip("\n")
            if not ln or ln.startswith("#") or "\t" not in ln:
                continue
            cat, q = ln.split("\t", 1)
            out.append((cat, q))
    return out


def run(cmd):
    """Wall seconds and CPU seconds (self and children) of one command."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode > 1:
        raise SystemExit(f"side-queries: {' '.join(cmd)}: exit {p.returncode}")
    return wall, ru.ru_utime + ru.ru_stime


def pct(vals, p):
    """The p-th percentile, nearest rank."""
    s = sorted(vals)
    k = max(0, min(len(s) - 1, int(round(p / 100.0 * len(s) + 0.5)) - 1))
    return s[k]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    res = sys.argv[1]
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    idx = os.path.join(res, "idx")
    peers = os.environ.get("PEERS", "").split() or [
        p for p in ("rg", "fts5", "groonga", "xapian", "polsearch")
        if os.path.isdir(os.path.join(idx, p))]
    qs = queries(os.path.join(BENCH, "queries.txt"))
    load0 = os.getloadavg()
    wall = {p: [] for p in peers}
    cpu = {p: [] for p in peers}
    perq = {(p, q): [] for p in peers for _, q in qs}
    rnd = 0
    for _, q in qs:
        for p in peers:                      # warm-up, untimed
            run([os.path.join(BENCH, "peers", p + "-query.sh"), "-n", "10",
                 os.path.join(idx, p), q])
        for _ in range(reps):
            order = peers[rnd % len(peers):] + peers[:rnd % len(peers)]
            rnd += 1
            for p in order:
                w, c = run([os.path.join(BENCH, "peers", p + "-query.sh"), "-n", "10",
                            os.path.join(idx, p), q])
                wall[p].append(w * 1000)
                cpu[p].append(c * 1000)
                perq[(p, q)].append(w * 1000)
    load1 = os.getloadavg()
    print(f"{len(qs)} queries x {reps} interleaved runs; load average "
          f"{load0[0]:.2f} before, {load1[0]:.2f} after\n")
    print("| peer | p50 ms | p95 ms | CPU median ms | 月 | 的 | 专精特新 |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for p in peers:
        med = {q: statistics.median(perq[(p, q)]) if perq.get((p, q)) else float("nan")
               for q in ("月", "的", "专精特新")}
        print(f"| {p} | {pct(wall[p], 50):.1f} | {pct(wall[p], 95):.1f} | "
              f"{statistics.median(cpu[p]):.1f} | {med['月']:.1f} | {med['的']:.1f} | "
              f"{med['专精特新']:.1f} |")


if __name__ == "__main__":
    main()
