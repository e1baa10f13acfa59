#!/bin/bash
# scale10.sh — the 1 GB scale run of issue 25: the 105 MB corpus ten times
# under new names, indexed and queried by ../shared/bench/run.sh with
# PEERS=polsearch, next to a run of the same binary on the 105 MB corpus.
#
#   bench/scale10.sh POLSEARCH [CORPUS [OUT]]
#
# CORPUS (default /work/bench-data/corpus) is linked ten times into
# OUT/corpus (default OUT /work/bench-data/x10): copy i of file F is the
# hard link OUT/corpus/x<i>_F (a copy when the link fails: another file
# system), so every paragraph occurs in ten files, as a corpus of copied
# policy text does.  The links are made once; a run that finds them reuses
# them.  Then run.sh runs on OUT/corpus into OUT/run-10x and on CORPUS
# into OUT/run-1x (REPS, default 5), and the two summaries are printed: index
# wall, CPU and MB/s, query p50 and p95, and the ratios the issue's targets
# are stated in (p50 at 10x <= 1.5x p50 at 1x; MB/s within 10 %).
# SKIP_1X=1 reuses OUT/run-1x when it holds a finished run.  The load
# average is printed before and after each run: compare runs of like load.
set -euo pipefail
[ $# -ge 1 ] || { sed -n '2,20p' "$0"; exit 2; }
ps=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
corpus=${2:-/work/bench-data/corpus}
out=${3:-/work/bench-data/x10}
here=$(cd "$(dirname "$0")" && pwd)
run=${RUN_SH:-$here/../../shared/bench/run.sh}
[ -x "$run" ] || run=/work/shared/bench/run.sh
[ -x "$ps" ] || { echo "scale10.sh: $ps: not executable" >&2; exit 2; }
[ -d "$corpus" ] || { echo "scale10.sh: $corpus: no such directory" >&2; exit 2; }

# The ten copies, made once (a partial set is rebuilt).
n=$(find "$corpus" -maxdepth 1 -type f | wc -l)
mkdir -p "$out"
if [ "$(find "$out/corpus" -maxdepth 1 -type f 2>/dev/null | wc -l)" != $((10 * n)) ]; then
    rm -rf "$out/corpus"
    mkdir -p "$out/corpus"
    python3 - "$corpus" "$out/corpus" <<'EOF'
import os, shutil, sys
src, dst = sys.argv[1], sys.argv[2]
names = sorted(n for n in os.listdir(src) if os.path.isfile(os.path.join(src, n)))
for i in range(10):
    for n in names:
        a, b = os.path.join(src, n), os.path.join(dst, 'x%d_%s' % (i, n))
        try:
            os.link(a, b)
        except OSError:              # another file system: a copy
            shutil.copyfile(a, b)
EOF
fi

load() { cut -d' ' -f1-3 /proc/loadavg; }
one_run() {   # one_run CORPUS DIR
    echo "scale10: $(date -u +%FT%TZ) run.sh $1 -> $2, load $(load)"
    PEERS=polsearch POLSEARCH=$ps REPS=${REPS:-5} "$run" "$1" "$2" > "$2.log" 2>&1
    echo "scale10: $(date -u +%FT%TZ) done, load $(load)"
}
mkdir -p "$out/run-1x" "$out/run-10x"
one_run "$out/corpus" "$out/run-10x"
if [ "${SKIP_1X:-0}" != 1 ] || [ ! -s "$out/run-1x/index.tsv" ]; then
    one_run "$corpus" "$out/run-1x"
fi

# The figures: index from index.tsv (peer wall user sys rss bytes status),
# queries from results.tsv (peer metric qid query rep value; ms).
summary() {   # summary DIR CORPUS
    local bytes
    bytes=$(find "$2" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
    awk -F'\t' -v b="$bytes" '$1=="polsearch" {printf "index: wall %.1f s, cpu %.1f s, %.2f MB/s (wall), %d MB on disk, %s\n", $2, $3+$4, b/1e6/$2, $6/1e6, $7}' "$1/index.tsv"
    awk -F'\t' '$1=="polsearch" && $2=="query_ms" {print $6}' "$1/results.tsv" | sort -g |
        awk '{v[NR]=$1} END {if (NR) printf "queries: %d runs, p50 %.1f ms, p95 %.1f ms\n", NR, v[int((NR+1)/2)], v[int(NR*0.95+0.999)]}'
}
echo "1x  ($corpus):"; summary "$out/run-1x" "$corpus"
echo "10x ($out/corpus):"; summary "$out/run-10x" "$out/corpus"
