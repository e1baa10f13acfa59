#!/bin/bash
# code-table.sh — issue 24's coding figure on an existing index: the time
# (wall, user + system CPU) and peak memory of `code CODEBOOK` (rows) and
# `code --by region CODEBOOK` against the codebook's queries run one by one
# with `search -c` in one process (queries from stdin), REPS times each
# (default 3), with the load beside each figure; then the ratio of the
# best runs.  Also exports the whole index once (`export`, peak memory: it
# streams) when EXPORT=1.
#
#   bench/code-table.sh INDEX [CODEBOOK]
#
# Env: POLSEARCH  the binary (default: src/polsearch beside this folder)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PS=${POLSEARCH:-$(dirname "$HERE")/src/polsearch}
IDX=${1:?usage: code-table.sh INDEX [CODEBOOK]}
CB=${2:-$(dirname "$HERE")/data/codebook-rothwell-zegveld.tsv}
REPS=${REPS:-3}
[ -x /usr/bin/time ] || { echo "code-table.sh: /usr/bin/time (GNU time) is needed" >&2; exit 2; }
Q=$(mktemp) T=$(mktemp)
trap 'rm -f "$Q" "$T"' EXIT
# The codebook's queries (its QUERY column), one a line, as code runs them.
grep -v '^#' "$CB" | grep . | cut -f2 >"$Q"
echo "queries: $(wc -l <"$Q") ($CB); index: $IDX"
# run NAME CMD...: one timed run; prints NAME, wall, cpu, peak and the load.
run() {
    local name=$1; shift
    /usr/bin/time -o "$T" -f "%e %U %S %M" "$@" >/dev/null
    read -r wall user sys kb <"$T"
    printf '%-26s wall %6.2f s  cpu %6.2f s  peak %7d KB  load %s\n' "$name" "$wall" \
        "$(echo "$user + $sys" | bc)" "$kb" "$(cut -d' ' -f1 /proc/loadavg)"
    echo "$name $wall $(echo "$user + $sys" | bc)" >>"$T.all"
}
: >"$T.all"
for i in $(seq "$REPS"); do
    run "code (rows)" nice "$PS" code -d "$IDX" "$CB"
    run "code --by region" nice "$PS" code -d "$IDX" --by region "$CB"
    run "search -c, a query a line" nice "$PS" search -d "$IDX" -c - <"$Q"
done
# The best (least) wall and cpu of each, and code's over search -c's.
awk '{ n = $2 == "--by" ? $1 " " $2 " " $3 : $1 == "code" ? $1 " " $2 : "search";
       w = $(NF - 1); c = $NF; if (!(n in bw) || w < bw[n]) bw[n] = w; if (!(n in bc) || c < bc[n]) bc[n] = c }
     END { for (n in bw) if (n != "search")
               printf "%-18s best wall %.2f s = %.2fx search -c; best cpu %.2f s = %.2fx\n", n, bw[n],
                      bw[n] / bw["search"], bc[n], bc[n] / bc["search"] }' "$T.all" | sort
rm -f "$T.all"
# Instructions (callgrind: the same count whatever the machine's load), with CALLGRIND=1.
if [ "${CALLGRIND:-0}" = 1 ] && command -v valgrind >/dev/null; then
    ir() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
           sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'; }
    a=$(ir "$PS" code -d "$IDX" "$CB") b=$(ir "$PS" code -d "$IDX" --by region "$CB")
    c=$(ir "$PS" search -d "$IDX" -c - <"$Q")
    echo "instructions: code $a ($(echo "scale=2; $a / $c" | bc)x), code --by region $b" \
         "($(echo "scale=2; $b / $c" | bc)x), search -c $c"
fi
if [ "${EXPORT:-0}" = 1 ]; then
    run "export (every paragraph)" nice "$PS" export -d "$IDX"
    rm -f "$T.all"
fi
