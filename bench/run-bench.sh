#!/bin/bash
# run-bench.sh — polsearch's own figures on any corpus directory.
#
#   bench/run-bench.sh CORPUS_DIR [OUT_DIR]
#
# Builds the index with `-j 1` and with `-j 2` (fresh each time, --full),
# then times the queries against the -j 2 index.  Prints a markdown report
# (also written to OUT_DIR/report.md); indexes and logs stay in OUT_DIR
# (default: a new directory under /tmp).  See bench/README.md.
#
# Env: POLSEARCH  the binary (default: src/polsearch beside this folder)
#      QUERIES    "category<TAB>query" lines (default: ../shared/bench/queries.txt
#                 beside the project if present, else a built-in list)
#      REPS       timed runs per query after 1 warm-up (default 5)
#      JOBS       the -j values to index with (default "1 2")
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
CORPUS=${1:?usage: run-bench.sh CORPUS_DIR [OUT_DIR]}
OUT=${2:-$(mktemp -d /tmp/polsearch-bench.XXXXXX)}
PS=${POLSEARCH:-$TOP/src/polsearch}
REPS=${REPS:-5}
JOBS=${JOBS:-"1 2"}
PY=$(command -v python3)

[ -d "$CORPUS" ] || { echo "run-bench.sh: $CORPUS: not a directory" >&2; exit 2; }
[ -x "$PS" ] || { echo "run-bench.sh: $PS: no polsearch binary (build first or set POLSEARCH)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "run-bench.sh: /usr/bin/time (GNU time) is needed: apt-get install time" >&2; exit 2; }
mkdir -p "$OUT"

if [ -z "${QUERIES:-}" ]; then
    for q in "$TOP/../shared/bench/queries.txt" "$TOP/shared/bench/queries.txt"; do
        [ -f "$q" ] && { QUERIES=$q; break; }
    done
fi
if [ -z "${QUERIES:-}" ]; then
    QUERIES=$OUT/queries.txt
    printf '%s\n' 'policy	专精特新' 'policy	科技成果转化' '1char	的' '1char	企' \
        '2char	企业' '2char	创新' 'common	配置文件' 'phrase	加大全社会研发投入' \
        'phrase	软件包管理系统' 'mixed	Linux 内核' 'mixed	GNU' 'none	量子纠缠计算机' >"$QUERIES"
fi

RAW=$(find "$CORPUS" -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}')
FILES=$(find "$CORPUS" -type f | wc -l)

# index J: a fresh index built with -j J; prints "secs rss_kb size_bytes".
index() {
    local j=$1 idx=$OUT/idx-j$1
    rm -rf "$idx"
    /usr/bin/time -v -o "$OUT/index-j$j.time" "$PS" index -q --full -j "$j" -d "$idx" "$CORPUS" \
        >"$OUT/index-j$j.log" 2>&1 || { echo "run-bench.sh: indexing failed, see $OUT/index-j$j.log" >&2; exit 1; }
    local wall rss size
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$OUT/index-j$j.time" |
           awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$OUT/index-j$j.time")
    size=$(du -sb "$idx" | cut -f1)
    echo "$wall $rss $size"
}

{
echo "# polsearch on $CORPUS"
echo
echo "$FILES files, $RAW bytes ($(awk -v b="$RAW" 'BEGIN {printf "%.1f", b/1e6}') MB); $(nproc) CPUs;" \
     "polsearch $("$PS" --version 2>/dev/null | head -1 || echo '?'); $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "## Indexing (fresh index, --full)"
echo
echo "| -j | wall s | MB/s | speed-up | peak RSS MB (one process) | index MB | index / raw |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
} | tee "$OUT/report.md"

base=""
last_j=""
for j in $JOBS; do
    read -r wall rss size < <(index "$j")
    [ -z "$base" ] && base=$wall
    awk -v j="$j" -v w="$wall" -v r="$rss" -v s="$size" -v raw="$RAW" -v b="$base" 'BEGIN {
        printf "| %d | %.1f | %.2f | %.2fx | %.0f | %.0f | %.2f |\n",
               j, w, raw / 1e6 / w, b / w, r / 1024, s / 1e6, s / raw }' | tee -a "$OUT/report.md"
    last_j=$j
done

IDX=$OUT/idx-j$last_j
{
echo
echo "Peak RSS is GNU time's maximum resident set size: the largest single process;"
echo "with -j N the N workers run at once, so the total is up to N times that."
echo
echo "## Queries (index built with -j $last_j; 1 warm-up + $REPS runs each; wall time of one"
echo "\`polsearch search -n 10\` call, process start and database open included)"
echo
} | tee -a "$OUT/report.md"

"$PY" - "$PS" "$IDX" "$QUERIES" "$REPS" <<'PYEOF' | tee -a "$OUT/report.md"
import statistics, subprocess, sys, time
ps, idx, qfile, reps = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
queries = []
for line in open(qfile, encoding="utf-8"):
    line = line.rstrip("\n")
    if not line or line.startswith("#") or "\t" not in line:
        continue
    cat, q = line.split("\t", 1)
    queries.append((cat, q))

def pct(v, p):
    v = sorted(v)
    k = (len(v) - 1) * p
    lo = int(k)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)

def timed(args):
    t = time.perf_counter()
    r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - t) * 1000, r

rows, bycat, allv = [], {}, []
for cat, q in queries:
    for mode, extra in (("-n 10", []), ("-c", ["-c"])):
        args = [ps, "search", "-d", idx, "-n", "10"] + extra + ["--", q]
        timed(args)
        v, out = [], None
        for _ in range(reps):
            ms, r = timed(args)
            v.append(ms)
            out = r
        hits = out.stdout.decode("utf-8", "replace").strip().splitlines()
        shown = hits[-1] if mode == "-c" and hits else str(sum(1 for h in hits if h and not h.startswith(" ")))
        rows.append((cat, q, mode, statistics.median(v), pct(v, 0.95), shown))
        bycat.setdefault((cat, mode), []).extend(v)
        if mode == "-n 10":
            allv.extend(v)

print("| class | mode | p50 ms | p95 ms | p95/p50 |")
print("|---|---|---:|---:|---:|")
for (cat, mode), v in bycat.items():
    p50, p95 = statistics.median(v), pct(v, 0.95)
    print(f"| {cat} | {mode} | {p50:.1f} | {p95:.1f} | {p95 / p50:.2f} |")
if allv:
    p50, p95 = statistics.median(allv), pct(allv, 0.95)
    print(f"| **all** | -n 10 | **{p50:.1f}** | **{p95:.1f}** | {p95 / p50:.2f} |")
print()
print("<details><summary>per query</summary>")
print()
print("| class | query | mode | p50 ms | p95 ms | count (-c) |")
print("|---|---|---|---:|---:|---:|")
for cat, q, mode, p50, p95, shown in rows:
    print(f"| {cat} | {q} | {mode} | {p50:.1f} | {p95:.1f} | {shown if mode == '-c' else ''} |")
print()
print("</details>")
PYEOF
echo
echo "report: $OUT/report.md"
