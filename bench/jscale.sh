#!/bin/bash
# jscale.sh [CORPUS] — how `polsearch index -j N` scales, and where its
# serial parts are (issue 25).
#
# Runs `polsearch index --full` of CORPUS (default the 10 MB subset) under
# each CONFIGS entry "CPUS:JOBS" (default "0:1 0,1:1 0:2 0,1:2": taskset's
# CPU list and -j), under `strace -f --seccomp-bpf -e trace=process` (only
# fork/exec/exit are traced), and splits each run into
#   walk     start -> the first shard worker forked (the parent's walk)
#   workers  -> the last worker's exit (each worker's CPU from its SIGCHLD)
#   merge    -> the end (compacting the shards into one, text chunks in a
#            child at the same time, the swap into place)
# with the whole run's wall and CPU from GNU time.  With -j 1 and no
# progress display the shard is written in the parent (no worker), so only
# the total and the compaction's time (the last fork -> the end) show.
# Then the arithmetic for 8 and 32 cores: T(N) = walk + merge + workers'
# CPU / N (Amdahl, with every worker on its own core and no memory or disk
# limit), from the -j 2 run on 2 CPUs.
# POLSEARCH (default src/polsearch) is the binary; OUT keeps the traces.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=$(readlink -f "${1:-$top/../bench-data/corpus-10m}")
CONFIGS=${CONFIGS:-0:1 0,1:1 0:2 0,1:2}
BIN=$(readlink -f "${POLSEARCH:-$top/src/polsearch}")
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"
export POLSEARCH_LEXICON=${POLSEARCH_LEXICON:-$top/data/policy-terms.tsv}
for c in $CONFIGS; do
    cpus=${c%%:*} jobs=${c##*:} tag=${c//[,:]/_}
    rm -rf "$OUT/idx"
    # GNU time inside strace: strace's own CPU is not counted.
    taskset -c "$cpus" nice strace -f --seccomp-bpf -e trace=process -ttt -o "$OUT/trace-$tag" \
        /usr/bin/time -f '%e %U %S' -o "$OUT/time-$tag" \
        "$BIN" index --full -j "$jobs" -d "$OUT/idx" "$CORPUS" >/dev/null 2>&1
done
python3 - "$OUT" "$CORPUS" $CONFIGS <<'EOF'
import os, re, sys
out, corpus, configs = sys.argv[1], sys.argv[2], sys.argv[3:]
raw = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(corpus) for f in fs) / 1e6
print('| taskset CPUs | -j | wall s | CPU s | MB/s | walk s | workers s (wall) | workers CPU s (each) | merge s (wall) |')
print('|---|---:|---:|---:|---:|---:|---:|---:|---:|')
model = None
for c in configs:
    cpus, jobs = c.split(':')
    tag = c.replace(',', '_').replace(':', '_')
    wall, user, sys_ = map(float, open(os.path.join(out, 'time-' + tag)).read().split())
    lines = open(os.path.join(out, 'trace-' + tag)).read().splitlines()
    ts = lambda l: float(l.split()[1])
    # The first line is GNU time's exec; the program is its first child.
    root = re.search(r'= (\d+)$', next(l for l in lines if 'clone(' in l)).group(1)
    lines = [l for l in lines if not l.startswith(lines[0].split()[0] + ' ')]
    t0, tend = ts(lines[0]), ts(lines[-1])
    forks = [(ts(l), re.search(r'= (\d+)$', l).group(1)) for l in lines
             if l.startswith(root + ' ') and 'clone(' in l and re.search(r'= \d+$', l)]
    exits = {l.split()[0]: ts(l) for l in lines if '+++ exited' in l}
    cpu = {}
    for l in lines:
        m = re.search(r'si_pid=(\d+).*si_utime=(\d+).*si_stime=(\d+)', l)
        if m:
            cpu[m.group(1)] = (int(m.group(2)) + int(m.group(3))) / 100.0
    # The workers are the first forks whose CPU is more than a second's
    # tenth (the compaction child and the rm -rf children come later).
    workers = [p for _, p in forks[:int(jobs)] if cpu.get(p, 0) > 0.1] if int(jobs) > 1 else []
    if workers:
        walk = forks[0][0] - t0
        wend = max(exits[p] for p in workers)
        merge = tend - wend
        wcpu = [cpu[p] for p in workers]
        row = (walk, wend - forks[0][0], '%.1f (%s)' % (sum(wcpu), ', '.join('%.1f' % x for x in wcpu)), merge)
        if cpus == '0,1' and int(jobs) == 2:
            model = (walk, merge, sum(wcpu), user + sys_ - sum(wcpu))
    else:
        last = forks[-1][0] if forks else tend
        row = (None, None, '-', None)
    fmt = lambda x: '-' if x is None else '%.2f' % x if isinstance(x, float) else x
    print('| %s | %s | %.1f | %.1f | %.2f | %s | %s | %s | %s |' % (
        cpus, jobs, wall, user + sys_, raw / wall, fmt(row[0]), fmt(row[1]), row[2], fmt(row[3])))
if model:
    walk, merge, par, other = model
    print('\nAmdahl from the -j 2 run on 2 CPUs: serial walk %.2f s + merge %.2f s (wall; %.1f s CPU outside the '
          'workers), parallel %.1f s CPU of workers' % (walk, merge, other, par))
    for n in (1, 2, 8, 32):
        t = walk + merge + par / n
        print('  %2d cores, -j %2d: %.1f s, %.2f MB/s, serial share %.0f%%' % (
            n, n, t, raw / t, 100 * (walk + merge) / t))
EOF
echo "corpus $CORPUS ($(du -sh "$CORPUS" | cut -f1)); $(uptime)"
