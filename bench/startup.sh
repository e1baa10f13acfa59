#!/bin/bash
# startup.sh POLSEARCH [POLSEARCH2] — what a search costs before and around
# its first Xapian call (issue 25), part by part, in CPU milliseconds.
#
# For each binary, in interleaved rounds (A B A B ...; ROUNDS, default 7),
# `perf stat -r RUNS` (default 40) measures the task-clock of
#   true      /bin/true: the cost of any process (fork, exec, exit)
#   version   polsearch --version: + loading and relocating the libraries,
#             static initialisers, option parsing
#   plain     search -d IDX -n 10 --no-expand --no-boost Q: + opening the
#             index, reading the lexicon forms, one Xapian match, output
#   full      search -d IDX -n 10 Q: + lexicon expansion and the boosts
# and the script prints each part (the difference of two neighbours) as the
# median over the rounds, with the dynamic loader's own count from
# LD_DEBUG=statistics (cycles: loading objects, relocating) and the number
# of shared libraries loaded (ldd).  IDX defaults to an index of seeds/
# built with the first binary in a temporary folder; Q (env) defaults to
# 专精特新.  CPU time is what the shared machine does not distort much;
# say the load (printed at the end) beside the figures.
set -eu
[ $# -ge 1 ] || { echo "usage: $0 POLSEARCH [POLSEARCH2]" >&2; exit 2; }
command -v perf >/dev/null || { echo "$0: needs perf (Debian package linux-perf)" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
export POLSEARCH_LEXICON=${POLSEARCH_LEXICON:-$top/data/policy-terms.tsv}
ROUNDS=${ROUNDS:-7}
RUNS=${RUNS:-40}
Q=${Q:-专精特新}
bins=(); for b in "$@"; do bins+=("$(readlink -f "$b")"); done
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
IDX=${IDX:-}
if [ -z "$IDX" ]; then
    IDX=$work/idx
    "${bins[0]}" index -d "$IDX" "$top/seeds" >/dev/null 2>&1
fi
# ms ARGS...: task-clock per run in ms (perf stat's mean over RUNS runs).
ms() { perf stat -r "$RUNS" -x, -e task-clock "$@" 2>&1 >/dev/null | tail -1 | cut -d, -f1; }
for r in $(seq "$ROUNDS"); do
    for i in "${!bins[@]}"; do
        b=${bins[$i]}
        printf '%s\ttrue\t%s\n' "$i" "$(ms /bin/true)"
        printf '%s\tversion\t%s\n' "$i" "$(ms "$b" --version)"
        printf '%s\tplain\t%s\n' "$i" "$(ms "$b" search -d "$IDX" -n 10 --no-expand --no-boost "$Q")"
        printf '%s\tfull\t%s\n' "$i" "$(ms "$b" search -d "$IDX" -n 10 "$Q")"
        # The loader's own cycles (one run; the median over the rounds).
        LD_DEBUG=statistics "$b" --version 2>&1 >/dev/null |
            sed -n 's/.*total startup time in dynamic loader: *\([0-9]*\).*/\1/p;
                    s/.*time needed for relocation: *\([0-9]*\).*/\1/p;
                    s/.*time needed to load objects: *\([0-9]*\).*/\1/p' |
            paste -sd'\t' | sed "s/^/$i\tld\t/"
    done
done >"$work/raw.tsv"
for i in "${!bins[@]}"; do
    printf '%s\t%s\n' "$i" "$(ldd "${bins[$i]}" | grep -c '=>')"
done >"$work/libs.tsv"
python3 - "$work/raw.tsv" "$work/libs.tsv" "${bins[@]}" <<'EOF'
import statistics, sys
raw, libs, bins = sys.argv[1], sys.argv[2], sys.argv[3:]
v = {}
for line in open(raw):
    f = line.rstrip('\n').split('\t')
    v.setdefault((int(f[0]), f[1]), []).append([float(x) for x in f[2:]])
nlib = {int(a): b for a, b in (l.split() for l in open(libs))}
med = lambda k, j=0: statistics.median(x[j] for x in v[k])
print('| part (CPU ms per call, median of rounds) | ' + ' | '.join(bins) + ' |')
print('|---|' + '---:|' * len(bins))
rows = [('any process (`/bin/true`)', lambda i: med((i, 'true'))),
        ('libraries, relocations, initialisers, options (`--version` − true)',
         lambda i: med((i, 'version')) - med((i, 'true'))),
        ('open the index, lexicon forms, match, output (`--no-expand --no-boost` − `--version`)',
         lambda i: med((i, 'plain')) - med((i, 'version'))),
        ('lexicon expansion and boosts (search − `--no-expand --no-boost`)',
         lambda i: med((i, 'full')) - med((i, 'plain'))),
        ('**`--version` total**', lambda i: med((i, 'version'))),
        ('**search total**', lambda i: med((i, 'full')))]
for name, f in rows:
    print('| %s | %s |' % (name, ' | '.join('%.2f' % f(i) for i in range(len(bins)))))
print('| shared libraries loaded (ldd) | %s |' % ' | '.join(nlib[i] for i in range(len(bins))))
for j, name in ((0, 'loader total'), (2, 'loading objects'), (1, 'relocating')):
    print('| dynamic loader, %s (Mcycles, LD_DEBUG=statistics) | %s |' %
          (name, ' | '.join('%.2f' % (med((i, 'ld'), j) / 1e6) for i in range(len(bins)))))
EOF
echo
echo "rounds $ROUNDS x $RUNS runs, query $Q, index $IDX; $(uptime)"
