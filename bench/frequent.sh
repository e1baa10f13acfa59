#!/bin/bash
# frequent.sh BIN[@INDEX] [BIN2[@INDEX2] ...] — direct query latency of frequent
# and rare terms (issue 25), polsearch against quest, measured by hyperfine
# with no shell and no wrapper script (-N): one process per call, start-up
# included, as a user's shell runs it.
#
#   INDEX   the polsearch index each BIN searches unless BIN@INDEX says
#           otherwise (default ../bench-data/idx-105 beside the project)
#   QUEST   an omindex database of the same corpus (../shared/bench/peers/
#           xapian-index.sh builds one; default ../bench-data/q25/quest-105);
#           quest is left out when it is not there or not installed
#   QUERIES the queries, space separated (default: 月 的 明月 配置文件 专精特新)
#   ROUNDS  rounds (default 5): each round is one hyperfine call over every
#           command, so the commands are interleaved round by round and the
#           machine's load falls on all of them alike
#   RUNS    timed runs of each command per round (default 6; 1 warm-up)
#   MODES   polsearch modes (default "-n 10" and "-c", comma separated)
#
# Prints a Markdown table: per query and command the median wall time over
# all ROUNDS x RUNS runs, and in brackets the median over the rounds of
# hyperfine's mean user+system CPU time, in ms; then the load (uptime).
# quest gets the bench's flags (peers/xapian-query.sh: -s none -o and
# -f default,cjk_ngram, XAPIAN_CJK_NGRAM=1) and -m 10.
set -eu
[ $# -ge 1 ] || { sed -n '2,25p' "$0" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "frequent.sh: hyperfine is missing (apt-get install hyperfine)" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
INDEX=${INDEX:-$top/../bench-data/idx-105}
QUEST=${QUEST:-$top/../bench-data/q25/quest-105}
ROUNDS=${ROUNDS:-5}
RUNS=${RUNS:-6}
MODES=${MODES:-"-n 10,-c"}
read -r -a queries <<<"${QUERIES:-月 的 明月 配置文件 专精特新}"
export POLSEARCH_LEXICON=${POLSEARCH_LEXICON:-$top/data/policy-terms.tsv}
export XAPIAN_CJK_NGRAM=1
IFS=, read -r -a modes <<<"$MODES"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

# The commands: one label and one command line per line of $work/cmds.
: >"$work/cmds"
for q in "${queries[@]}"; do
    for spec in "$@"; do
        bin=${spec%%@*}; idx=$INDEX; [ "$spec" != "$bin" ] && idx=${spec#*@}
        bin=$(readlink -f "$bin")
        [ -x "$bin" ] || { echo "frequent.sh: $bin is not a program" >&2; exit 2; }
        "$bin" search -d "$idx" -c "$q" >/dev/null 2>&1 || [ $? = 1 ] || { echo "frequent.sh: $bin cannot search $idx" >&2; exit 2; }
        for m in "${modes[@]}"; do
            printf '%s\t%s\t%s\n' "$q" "${spec%%@*} $m" \
                "$bin search -d $idx $m $q" >>"$work/cmds"
        done
    done
    if command -v quest >/dev/null && [ -d "$QUEST" ]; then
        printf '%s\t%s\t%s\n' "$q" "quest -m 10" \
            "quest -d $QUEST -s none -o and -f default,cjk_ngram -m 10 -- $q" >>"$work/cmds"
    fi
done
args=()
while IFS=$'\t' read -r _ _ c; do args+=("$c"); done <"$work/cmds"
for r in $(seq "$ROUNDS"); do
    nice hyperfine -N -i --warmup 1 --runs "$RUNS" --style none --export-json "$work/r$r.json" "${args[@]}" >/dev/null 2>&1
done
python3 - "$work" "$ROUNDS" <<'EOF'
import json, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
rows = [l.rstrip('\n').split('\t') for l in open(work + '/cmds', encoding='utf-8')]
wall = [[] for _ in rows]; cpu = [[] for _ in rows]
for r in range(1, rounds + 1):
    res = json.load(open('%s/r%d.json' % (work, r)))['results']
    for i, x in enumerate(res):
        wall[i] += x['times']
        cpu[i].append(x['user'] + x['system'])
labels = []
for q, label, _ in rows:
    if label not in labels:
        labels.append(label)
print('| query | ' + ' | '.join('`%s`' % l for l in labels) + ' |')
print('|---|' + '---:|' * len(labels))
cell = {}
for i, (q, label, _) in enumerate(rows):
    cell[q, label] = '%.1f (%.1f)' % (1000 * statistics.median(wall[i]), 1000 * statistics.median(cpu[i]))
for q in dict.fromkeys(r[0] for r in rows):
    print('| %s | ' % q + ' | '.join(cell.get((q, l), '') for l in labels) + ' |')
print()
print('wall ms, median of %d runs (%d rounds); (CPU ms: user+sys, median over the rounds)' % (len(wall[0]), rounds))
EOF
echo "load: $(uptime)"
