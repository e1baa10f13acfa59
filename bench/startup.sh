#!/bin/bash
# startup.sh POLSEARCH [POLSEARCH2] — what a search costs before and around
# its first Xapian call (issue 25), part by part.
#
# 1. CPU milliseconds.  For each binary, in interleaved rounds (A B A B ...;
#    ROUNDS, default 7), `perf stat -r RUNS` (default 40) measures the
#    task-clock of
#      true      /bin/true: the cost of any process (fork, exec, exit)
#      version   polsearch --version: + loading and relocating the libraries,
#                static initialisers, option parsing
#      plain     search -d IDX -n 10 --no-expand --no-boost Q: + opening the
#                index, reading the lexicon forms, one Xapian match, output
#      full      search -d IDX -n 10 Q: + lexicon expansion and the boosts
#    and the script prints each part (the difference of two neighbours) as
#    the median over the rounds, with the dynamic loader's own count from
#    LD_DEBUG=statistics, the page faults of each call (perf stat; they do
#    not move with the load) and the shared libraries loaded (ldd).
# 2. Instructions (callgrind, one run of `search -d IDX -n 10 Q` per binary;
#    these counts repeat whatever the load), split by where they are spent:
#    the dynamic loader, static initialisers, libc's start and exit, option
#    parsing, opening the index, decoding the lexicon forms, building the
#    plan (query, expansion, boosts), the Xapian match, reading the
#    records, normalising the candidates, snippets and output, closing.  "before the match" is all that
#    comes before the first get_mset.  CALLGRIND=0 leaves this out.
# 3. With FTS5_DB=…/fts.db (the side-by-side bench's FTS5 index of the same
#    corpus): hyperfine -N, ROUNDS rounds of HRUNS (default 30) runs,
#    interleaved, of each binary's search and of the sqlite3 command the
#    bench's FTS5 peer runs for Q (../shared/bench/peers/fts5-query.sh):
#    wall, user and system ms, medians over the rounds.
#
# IDX defaults to an index of seeds/ built with the first binary in a
# temporary folder; Q (env) defaults to 专精特新.  CPU time and instruction
# counts are what the shared machine does not distort much; say the load
# (printed at the end) beside the figures.
set -eu
[ $# -ge 1 ] || { echo "usage: $0 POLSEARCH [POLSEARCH2]" >&2; exit 2; }
command -v perf >/dev/null || { echo "$0: needs perf (Debian package linux-perf)" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
export POLSEARCH_LEXICON=${POLSEARCH_LEXICON:-$top/data/policy-terms.tsv}
ROUNDS=${ROUNDS:-7}
RUNS=${RUNS:-40}
HRUNS=${HRUNS:-30}
CALLGRIND=${CALLGRIND:-1}
FTS5_DB=${FTS5_DB:-}
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
# faults ARGS...: page faults of one run (the mean of 5).
faults() { perf stat -r 5 -x, -e page-faults "$@" 2>&1 >/dev/null | tail -1 | cut -d, -f1; }
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
    b=${bins[$i]}
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$i" "$(ldd "$b" | grep -c '=>')" "$(faults /bin/true)" \
        "$(faults "$b" --version)" "$(faults "$b" search -d "$IDX" -n 10 --no-expand --no-boost "$Q")" \
        "$(faults "$b" search -d "$IDX" -n 10 "$Q")"
done >"$work/libs.tsv"
python3 - "$work/raw.tsv" "$work/libs.tsv" "${bins[@]}" <<'EOF'
import statistics, sys
raw, libs, bins = sys.argv[1], sys.argv[2], sys.argv[3:]
v = {}
for line in open(raw):
    f = line.rstrip('\n').split('\t')
    v.setdefault((int(f[0]), f[1]), []).append([float(x) for x in f[2:]])
lib = {int(l.split()[0]): l.split()[1:] for l in open(libs)}
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
print('| shared libraries loaded (ldd) | %s |' % ' | '.join(lib[i][0] for i in range(len(bins))))
for j, name in ((1, '/bin/true'), (2, '`--version`'), (3, 'search `--no-expand --no-boost`'), (4, 'search')):
    print('| page faults, %s | %s |' % (name, ' | '.join('%.0f' % float(lib[i][j]) for i in range(len(bins)))))
for j, name in ((0, 'loader total'), (2, 'loading objects'), (1, 'relocating')):
    print('| dynamic loader, %s (Mcycles, LD_DEBUG=statistics) | %s |' %
          (name, ' | '.join('%.2f' % (med((i, 'ld'), j) / 1e6) for i in range(len(bins)))))
EOF
if [ "$CALLGRIND" = 1 ] && command -v valgrind >/dev/null; then
    echo
    for i in "${!bins[@]}"; do
        valgrind --tool=callgrind --callgrind-out-file="$work/cg.$i" \
            "${bins[$i]}" search -d "$IDX" -n 10 "$Q" >/dev/null 2>&1
        callgrind_annotate --inclusive=yes --threshold=100 "$work/cg.$i" >"$work/cga.$i" 2>/dev/null
    done
    python3 - "$work" "${bins[@]}" <<'EOF'
import re, sys
work, bins = sys.argv[1], sys.argv[2:]
def parts(i):
    inc, total = {}, 0
    for line in open('%s/cga.%d' % (work, i)):
        m = re.match(r'\s*([\d,]+) \([ \d.]+%\)\s+(\S.*)$', line)
        if not m:
            continue
        n, what = int(m.group(1).replace(',', '')), m.group(2)
        if what.startswith('PROGRAM TOTALS'):
            total = n
            continue
        f = re.sub(r' \[.*\]$', '', what).split(':')[-1]
        inc[f] = max(inc.get(f, 0), n)
    g = lambda f: inc.get(f, 0)
    p = {'total': total, 'loader': g('_dl_start'), 'init': g('_dl_init'),
         'libc': g('(below main)') - g('main'), 'locale': g('setlocale'),
         'options': g('parse_search_opts'), 'open': g('store_open_some'),
         'forms': g('plan_load_forms'), 'plan': g('prepare'), 'match': g('plan_run'),
         'records': g('read_candidate'), 'check': g('norm_text_build_opt'),
         'output': g('deliver'), 'close': g('search_close')}
    p['other'] = total - sum(p[k] for k in p if k != 'total')
    p['before'] = total - sum(p[k] for k in ('match', 'records', 'check', 'output', 'close', 'libc'))
    return p
P = [parts(i) for i in range(len(bins))]
names = [('loader', 'dynamic loader: map, relocate (`_dl_start`)'),
         ('init', 'static initialisers (`_dl_init`)'),
         ('libc', "libc's start and exit, exit handlers"),
         ('locale', '`setlocale`'), ('options', 'option parsing'),
         ('open', 'open the index (`store_open_some`)'),
         ('forms', 'lexicon forms (`plan_load_forms`)'),
         ('plan', 'query, expansion, boosts (`prepare`)'),
         ('match', 'the Xapian match (`plan_run`)'),
         ('records', 'reading the records (`read_candidate`)'),
         ('check', 'normalising the candidates to check them (`norm_text_build_opt`)'),
         ('output', 'snippets and output (`deliver`)'),
         ('close', 'closing (`search_close`)'), ('other', 'the rest'),
         ('before', '**before the match** (all but match, records, check, output, close, exit)'),
         ('total', '**search total**')]
print('| part of `search -n 10` (M instructions, callgrind) | ' + ' | '.join(bins) + ' |')
print('|---|' + '---:|' * len(bins))
for k, name in names:
    print('| %s | %s |' % (name, ' | '.join('%.3f' % (p[k] / 1e6) for p in P)))
EOF
fi
if [ -n "$FTS5_DB" ]; then
    command -v hyperfine >/dev/null || { echo "$0: FTS5_DB needs hyperfine" >&2; exit 2; }
    echo
    # The FTS5 peer's command for Q (fts5-query.sh: three characters or more).
    sql="SELECT file, para, round(bm25(p),3), snippet(p, 2, '[', ']', '…', 16) FROM p WHERE p MATCH '\\\"$Q\\\"' ORDER BY bm25(p) LIMIT 10;"
    for r in $(seq "$ROUNDS"); do
        for i in "${!bins[@]}"; do
            hyperfine -N -w 3 -r "$HRUNS" --export-json "$work/h.$r.$i.json" \
                "${bins[$i]} search -d $IDX -n 10 $Q" >/dev/null 2>&1
        done
        hyperfine -N -w 3 -r "$HRUNS" --export-json "$work/h.$r.fts5.json" \
            "sqlite3 -separator \"	\" $FTS5_DB \"$sql\"" >/dev/null 2>&1
    done
    python3 - "$work" "$ROUNDS" "${bins[@]}" <<'EOF'
import json, statistics, sys
work, rounds, bins = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
def row(tag):
    w, u, s = [], [], []
    for r in range(1, rounds + 1):
        d = json.load(open('%s/h.%d.%s.json' % (work, r, tag)))['results'][0]
        w.append(d['median'] * 1e3); u.append(d['user'] * 1e3); s.append(d['system'] * 1e3)
    m = statistics.median
    return m(w), m(u), m(s), m([a + b for a, b in zip(u, s)])
print('| `-n 10` query (hyperfine -N, ms, median of rounds) | wall | user | sys | user+sys |')
print('|---|---:|---:|---:|---:|')
for i, b in enumerate(bins):
    print('| %s search | %.2f | %.2f | %.2f | %.2f |' % ((b,) + row(str(i))))
print('| sqlite3 (FTS5 peer) | %.2f | %.2f | %.2f | %.2f |' % row('fts5'))
EOF
fi
echo
echo "rounds $ROUNDS x $RUNS runs, query $Q, index $IDX; $(uptime)"
