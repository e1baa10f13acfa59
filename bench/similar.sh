#!/bin/bash
# similar.sh POLSEARCH [INDEX] — issue 24 part 5: the time of `similar` for
# one paragraph and of `similar --pairs` over an index (default: the 105 MB
# bench corpus's index, /work/bench-data/idx-105, built by main's binary;
# read only).  Prints, with the machine's load (uptime) beside each figure:
#   1. one paragraph: for SAMPLE paragraphs (paragraph 3 of every 300th
#      file of the index's corpus), the CPU time (task-clock, perf stat,
#      5 runs each) of the whole process `similar -n 10 FILE:3`, its median
#      and largest, beside `search -n 10 企业` and `--version` (start-up);
#      CPU time rather than wall time: the machine is shared;
#   2. --pairs --min 0.6: wall time, CPU time and peak RSS (/usr/bin/time -v),
#      pairs found.
# PAIRS=0 skips the second part.  Runs under nice.
set -eu
[ $# -ge 1 ] || { echo "usage: $0 POLSEARCH [INDEX]" >&2; exit 2; }
bin=$(readlink -f "$1")
idx=${2:-/work/bench-data/idx-105}
corpus=${CORPUS:-/work/bench-data/corpus}
sample=${SAMPLE:-20}
# cpu_ms ARGS...: the median task-clock in ms of 5 runs of polsearch ARGS.
cpu_ms() {
    nice perf stat -r 5 -x, -e task-clock "$bin" "$@" 2>&1 >/dev/null | awk -F, '/task-clock/ { printf "%.1f", $1 }'
}
echo "load: $(uptime)"
echo "start-up (--version): $(cpu_ms --version) ms CPU"
echo "search -n 10 企业: $(cpu_ms search -d "$idx" -n 10 企业) ms CPU"
files=$(ls "$corpus" | awk -v n="$sample" 'NR % 300 == 1 && c++ < n')
times=()
for f in $files; do
    t=$(cpu_ms similar -d "$idx" -n 10 "$corpus/$f:3")
    times+=("$t")
    echo "similar -n 10 $f:3: $t ms CPU"
done
printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END { printf "similar, %d paragraphs: median %.1f ms CPU, largest %.1f ms CPU\n", NR, v[int((NR + 1) / 2)], v[NR] }'
echo "load: $(uptime)"
[ "${PAIRS:-1}" = 0 ] && exit 0
out=$(mktemp)
/usr/bin/time -v nice "$bin" similar -d "$idx" --pairs --min 0.6 >"$out" 2>"$out.time" || true
grep -E "Elapsed|User time|System time|Maximum resident|Exit status" "$out.time"
echo "pairs: $(($(wc -l <"$out") - 1))"
echo "load: $(uptime)"
rm -f "$out" "$out.time"
