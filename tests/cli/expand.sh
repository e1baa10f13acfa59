#!/bin/bash
# expand.sh — a query whose lexicon term expands to several forms, on a
# sharded index of some 20,000 paragraphs.  Xapian 1.4.22's OP_MAX read
# freed memory there and `search -n 10 小巨人` died (SIGSEGV); the planner
# now ORs a clause's forms.  The corpus is the seeds' sentences shuffled
# into 2,000 files (a fixed random seed, so the run is the same each time).
. "$(dirname "$0")/lib.sh"
D=$TMP/shuffled
"$PY" - "$SEEDS" "$D" <<'PYEOF'
import glob, os, random, re, sys
seeds, out = sys.argv[1:3]
os.makedirs(out)
sents = []
for f in sorted(glob.glob(os.path.join(seeds, '*.txt'))):
    sents += [s + '。' for s in re.split('。', open(f, encoding='utf-8').read()) if len(s) > 10]
rng = random.Random(1)
for i in range(2000):
    paras = ['\n'.join(rng.sample(sents, 3)) for _ in range(10)]
    with open(os.path.join(out, 'f%04d.txt' % i), 'w', encoding='utf-8') as fh:
        fh.write('\n\n'.join(paras))
PYEOF
run_ps "$TMP/o" "$TMP/e" index -q -j 2 -d "$TMP/idx" "$D"
check_eq "index the 2,000 shuffled files in two shards: exit 0" 0 "$RC"
for q in 小巨人 专精特新 高企; do
    run_ps "$TMP/o" "$TMP/e" search -d "$TMP/idx" -n 10 "$q"
    check_eq "search -n 10 $q (expanded forms, two shards): exit 0" 0 "$RC"
    n=$(grep -c '^/' "$TMP/o")
    check_eq "search -n 10 $q: ten results" 10 "$n"
done
finish
