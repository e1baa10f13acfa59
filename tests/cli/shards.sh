#!/bin/bash
# shards.sh — scale out: indexing with -j N, compaction, incremental runs on a
# sharded index, several indexes at once (-d A -d B, POLSEARCH_INDEX=A:B),
# remote indexes (polsearch serve + -d tcp://), a server that dies or stops
# answering, and where serve listens.  Servers run on 127.0.0.1 only (except
# the one --listen 0.0.0.0 check), on ports found free at run time, and are
# killed when the script exits.
. "$(dirname "$0")/lib.sh"
# The interpreter itself, not a shim in front of it (a pyenv shim costs ~1 s a
# call); it runs with -S -E (no site module), which halves its start-up.
PY=$("$PY" -c 'import sys; print(sys.executable)' 2>/dev/null) || PY=python3
[ -n "$PY" ] || PY=python3

# --- helpers -------------------------------------------------------------------

# The comparisons, in one Python script: each mode prints "# ..." lines saying
# what differs and exits 1 when it does.
cat >"$TMP/cmp.py" <<'PYEOF'
import json, math, sys

def load(path):
    out = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            if line.strip():
                out.append(json.loads(line))
    return out

def key(o):
    return (o['file'], o['paragraph'])

# Relative tolerance of score comparisons: 1e-6, or 2% in the *_est modes.
REL = [1e-6]

def close(a, b):
    # REL relative; the JSON prints 4 decimals, so one unit in the last
    # printed place is allowed for values that round either way.
    return abs(a - b) <= REL[0] * max(abs(a), abs(b)) + 1.0001e-4

def say(*a):
    for line in ' '.join(str(x) for x in a).splitlines():
        print('# ' + line)

def cmp_sets(a, b, na, nb):
    ka, kb = [key(o) for o in a], [key(o) for o in b]
    ok = True
    if len(set(ka)) != len(ka) or len(set(kb)) != len(kb):
        say('duplicate (file, paragraph) in the results:',
            len(ka) - len(set(ka)), 'in', na, len(kb) - len(set(kb)), 'in', nb)
        ok = False
    sa, sb = set(ka), set(kb)
    if sa != sb:
        say('result sets differ: %d in %s, %d in %s' % (len(sa), na, len(sb), nb))
        say('  only in %s: %s' % (na, sorted(sa - sb)[:3]))
        say('  only in %s: %s' % (nb, sorted(sb - sa)[:3]))
        ok = False
    return ok

def cmp_scores(a, b, na, nb):
    da = {key(o): o for o in a}
    db = {key(o): o for o in b}
    bad = [(k, da[k]['score'], db[k]['score']) for k in sorted(set(da) & set(db))
           if not close(da[k]['score'], db[k]['score'])]
    if bad:
        say('%d scores differ (%s vs %s), e.g. %s' % (len(bad), na, nb, bad[:3]))
        return False
    return True

def cmp_fields(a, b, na, nb, fields):
    da = {key(o): o for o in a}
    db = {key(o): o for o in b}
    ok = True
    for f in fields:
        bad = [k for k in sorted(set(da) & set(db)) if da[k].get(f) != db[k].get(f)]
        if bad:
            k = bad[0]
            say('field %s differs in %d results, e.g. %s: %r vs %r'
                % (f, len(bad), k, da[k].get(f), db[k].get(f)))
            ok = False
    ex = [k for k in sorted(set(da) & set(db)) if 'explain' in da[k] or 'explain' in db[k]]
    for k in ex:
        ea, eb = da[k].get('explain'), db[k].get('explain')
        if not isinstance(ea, dict) or not isinstance(eb, dict) or set(ea) != set(eb) \
           or any(abs(ea[p] - eb[p]) > 1.0001e-3 for p in ea):
            say('explain differs for %s: %r vs %r' % (k, ea, eb))
            ok = False
            break
    return ok

def cmp_top(a, b, na, nb):
    """Same top-N ordering, ties aside: the same scores (to 3 decimals) in
    the same order, and at every score the same paragraphs, except for the
    last score group, which the cut-off may split differently."""
    if len(a) != len(b):
        say('top lists have different lengths: %d vs %d' % (len(a), len(b)))
        return False
    ra = [round(o['score'], 3) for o in a]
    rb = [round(o['score'], 3) for o in b]
    if any(not close(x, y) and abs(x - y) > 1.0001e-3 for x, y in zip(ra, rb)):
        say('top scores differ: %s vs %s' % (ra, rb))
        return False
    if REL[0] > 1e-6:
        return True                 # estimated weights: near-ties may swap
    def groups(lst):
        g = []
        for o in lst:
            s = round(o['score'], 3)
            if g and abs(g[-1][0] - s) <= 1.0001e-3:
                g[-1][1].add(key(o))
            else:
                g.append((s, {key(o)}))
        return g
    ga, gb = groups(a), groups(b)
    if len(ga) != len(gb):
        say('top score groups differ: %d vs %d' % (len(ga), len(gb)))
        return False
    for i, ((s, x), (_, y)) in enumerate(zip(ga, gb)):
        if i == len(ga) - 1:
            break
        if x != y:
            say('at score %s the top lists differ: %s vs %s' % (s, sorted(x)[:3], sorted(y)[:3]))
            return False
    return True

mode = sys.argv[1]
if mode.endswith('_est'):         # a lone CJK character's weight is Xapian's
    REL[0] = 0.02                 # estimate (tokenize.h), per shard layout
    mode = mode[:-4]
if mode == 'same':               # same result set, same scores
    a, b = load(sys.argv[2]), load(sys.argv[3])
    if not a and not b:
        say('both result lists are empty')
        sys.exit(1)
    ok = cmp_sets(a, b, sys.argv[2], sys.argv[3]) & cmp_scores(a, b, sys.argv[2], sys.argv[3])
    sys.exit(0 if ok else 1)
elif mode == 'top':              # same top-N ordering and scores
    a, b = load(sys.argv[2]), load(sys.argv[3])
    if not a:
        say('empty top list')
        sys.exit(1)
    ok = cmp_top(a, b, sys.argv[2], sys.argv[3]) & cmp_scores(a, b, sys.argv[2], sys.argv[3])
    sys.exit(0 if ok else 1)
elif mode == 'sametop':          # sametop ALL_A ALL_B TOP_A TOP_B: 'same' and 'top'
    a, b = load(sys.argv[2]), load(sys.argv[3])
    ta, tb = load(sys.argv[4]), load(sys.argv[5])
    if not a or not ta:
        say('empty result list')
        sys.exit(1)
    ok = cmp_sets(a, b, sys.argv[2], sys.argv[3]) & cmp_scores(a, b, sys.argv[2], sys.argv[3])
    ok &= cmp_top(ta, tb, sys.argv[4], sys.argv[5]) & cmp_scores(ta, tb, sys.argv[4], sys.argv[5])
    sys.exit(0 if ok else 1)
elif mode == 'full':             # as 'same', and the shown fields are equal
    a, b = load(sys.argv[2]), load(sys.argv[3])
    if not a and not b:
        say('both result lists are empty')
        sys.exit(1)
    ok = cmp_sets(a, b, sys.argv[2], sys.argv[3]) & cmp_scores(a, b, sys.argv[2], sys.argv[3])
    ok &= cmp_fields(a, b, sys.argv[2], sys.argv[3],
                     ('snippet', 'matches', 'text', 'title', 'date', 'issuer', 'snippet_matches'))
    sys.exit(0 if ok else 1)
elif mode == 'source':           # source FILE PREFIX=SOURCE...
    rules = [r.split('=', 1) for r in sys.argv[3:]]
    rs = load(sys.argv[2])
    if not rs:
        say('no results')
        sys.exit(1)
    bad = []
    for o in rs:
        want = [s for p, s in rules if o['file'].startswith(p)]
        if not want or o.get('source') != want[0]:
            bad.append((o['file'], o['paragraph'], o.get('source'), want[0] if want else None))
    if bad:
        say('%d of %d results name the wrong source (file, paragraph, source, expected), e.g.'
            % (len(bad), len(rs)))
        for b in bad[:3]:
            say('  %r' % (b,))
        sys.exit(1)
    sys.exit(0)
elif mode == 'year':             # year FILE YYYY: every result dated in that year
    rs = load(sys.argv[2])
    bad = [o for o in rs if not str(o.get('date', '')).startswith(sys.argv[3] + '-')]
    if not rs or bad:
        say('%d results, %d not dated %s' % (len(rs), len(bad), sys.argv[3]))
        sys.exit(1)
    sys.exit(0)
sys.exit(2)
PYEOF
cmpj() { "$PY" -S -E "$TMP/cmp.py" "$@"; }

# query_args Q: the words of Q in the array QA (no globbing).
# A lone character's weight is Xapian's estimate, which depends on how the
# documents are split into databases (tokenize.h): between layouts its
# scores differ by a little, and so may which of a paragraph's copies
# ranks first, so it is compared uncollapsed, its scores within 2 %
# (cmp.py's *_est modes).
query_args() { set -f; QA=($1); set +f; [ "$1" = 企 ] && QA=(--no-collapse "${QA[@]}"); }
# The cmp.py mode for query $1: $2, or its _est form for a lone character.
cmp_mode() { if [ "$1" = 企 ]; then echo "${2}_est"; else echo "$2"; fi; }
# sj OUT ARGS...: polsearch search ARGS --json into OUT (stderr to OUT.err),
# never longer than 30 s; sets RC.
sj() {
    local o=$1; shift
    timeout 30 "$POLSEARCH" search "$@" >"$o" 2>"$o.err"
    RC=$?
}
# stat_field INDEX FIELD...: the fields of stats --json, separated by spaces.
stat_field() {
    local d=$1
    shift
    "$POLSEARCH" stats -d "$d" --json 2>/dev/null | "$PY" -S -E -c '
import json, sys
o = json.load(sys.stdin)
print(" ".join(str(o.get(k)) for k in sys.argv[1:]))' "$@" 2>/dev/null
}
# count ARGS...: polsearch search -c ARGS (prints the count, empty on trouble)
count() { timeout 30 "$POLSEARCH" search -c "$@" 2>/dev/null; }

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

T0=$(now_ms)

# --- the corpus -----------------------------------------------------------------
# The 5 seeds and 40 files made of seed paragraphs, each with its own marker
# word 鹦鹉螺XY in one paragraph, a date (2021..2024), filler that makes most
# paragraph lengths distinct, and in every fifth file the Latin word hydrogen.
GEN=$TMP/gen
"$PY" - "$SEEDS" "$GEN" <<'PYEOF'
import os, random, sys
seeds, out = sys.argv[1], sys.argv[2]
paras = []
for name in sorted(os.listdir(seeds)):
    for line in open(os.path.join(seeds, name), encoding='utf-8'):
        line = line.strip()
        if 20 <= len(line) <= 400 and not any(
                w in line for w in ('日期', '索引', '索 引', '发布机构', '当前位置', '字号')):
            paras.append(line)
rng = random.Random(20240716)
pool = '金木水火土风雷山泽天'
fill = '甲乙丙丁戊己庚辛壬癸'
os.makedirs(out)
for i in range(40):
    marker = '鹦鹉螺' + pool[i // 10] + pool[i % 10]
    year = 2021 + i % 4
    body = ['关于第%d号建议的答复' % (100 + i),
            '发布日期:%d-%02d-%02d' % (year, 1 + i % 12, 1 + i % 28)]
    ps = rng.sample(paras, rng.randint(4, 9))
    ps = [p + '(' + ''.join(rng.choice(fill) for _ in range(rng.randint(0, 12))) + ')' for p in ps]
    k = rng.randrange(len(ps))
    ps[k] = '本件标记' + marker + ',' + ps[k]
    if i % 5 == 0:
        ps.append('推动Hydrogen能源与hydrogen产业链示范应用' + '。HYDROGEN' * (i // 5))
    if i == 7:
        ps.append('旧稿段落:本段只在旧稿中出现。')
    body += ps
    with open(os.path.join(out, 'gen%02d.txt' % i), 'w', encoding='utf-8') as f:
        f.write('\n\n'.join(body) + '\n')
PYEOF
check_eq "generated 40 corpus files" 40 "$(ls "$GEN" 2>/dev/null | wc -l | tr -d ' ')"
CORPUS=$TMP/corpus
mkdir -p "$CORPUS"
cp "$SEEDS"/* "$GEN"/* "$CORPUS"/
chmod u+w "$CORPUS"/*

QUERIES=("专精特新" "企业" "研发投入" "高企" "科技型中小企业 -小巨人" "鹦鹉螺" "鹦鹉螺金水"
         "企" "hydrogen" "瞪羚企业 OR 独角兽")

# --- 1. -j 1, -j 2, -j 4 give the same answers; so does the compacted index ----
# A new build ends with its shards merged into one; with --no-compact they
# stay (idx2s, idx4s: the sharded indexes of the incremental runs below).
for j in 1 2 4; do
    run_ps "$TMP/o" "$TMP/e" index -q -d "$TMP/idx$j" -j "$j" "$CORPUS"
    check_eq "index -j $j: exit 0" 0 "$RC"
    [ "$RC" = 0 ] || sed -n '1,3s/^/# /p' "$TMP/e"
    check_eq "index -j $j: stats shows 1 shard (merged at the end)" 1 "$(stat_field "$TMP/idx$j" shards)"
done
for j in 2 4; do
    run_ps "$TMP/o" "$TMP/e" index -q -d "$TMP/idx${j}s" -j "$j" --no-compact "$CORPUS"
    check_eq "index -j $j --no-compact: exit 0" 0 "$RC"
    check_eq "index -j $j --no-compact: stats shows $j shards" "$j" "$(stat_field "$TMP/idx${j}s" shards)"
done
read -r FILES1 PARAS1 <<<"$(stat_field "$TMP/idx1" files paragraphs)"
check_eq "index -j 1: 45 files" 45 "$FILES1"
for j in 2 4 2s 4s; do
    check_eq "-j $j: same number of files and paragraphs as -j 1" "$FILES1 $PARAS1" \
        "$(stat_field "$TMP/idx$j" files paragraphs)"
done

# compare_indexes LABEL BASE OTHER...: every query, --all and top 10 (the
# base's answers are kept, in $TMP/qN.BASENAME.*, for the next call).
compare_indexes() {
    local label=$1 base=$2 other q i=0 bn
    shift 2
    bn=$(basename "$base")
    for q in "${QUERIES[@]}"; do
        i=$((i + 1))
        query_args "$q"
        if [ ! -e "$TMP/q$i.$bn.all" ]; then
            sj "$TMP/q$i.$bn.all" -d "$base" --all --json "${QA[@]}"
            sj "$TMP/q$i.$bn.top" -d "$base" --json "${QA[@]}"
        fi
        for other in "$@"; do
            sj "$TMP/q$i.o.all" -d "$other" --all --json "${QA[@]}"
            sj "$TMP/q$i.o.top" -d "$other" --json "${QA[@]}"
            # A lone character is a synonym of the bigrams it begins, whose
            # document frequency Xapian estimates in each shard: its scores
            # may differ by a little between layouts, its results may not.
            mode=$(cmp_mode "$q" sametop)
            check "$label $(basename "$other") vs $(basename "$base") '$q': same results (--all), top-10 order and scores" \
                cmpj "$mode" "$TMP/q$i.$bn.all" "$TMP/q$i.o.all" "$TMP/q$i.$bn.top" "$TMP/q$i.o.top"
        done
    done
}
compare_indexes "-j:" "$TMP/idx1" "$TMP/idx2" "$TMP/idx4" "$TMP/idx2s" "$TMP/idx4s"
# The queries are not vacuous: every one has results.
nores=""
i=0
for q in "${QUERIES[@]}"; do
    i=$((i + 1))
    [ -s "$TMP/q$i.idx1.all" ] || nores="$nores '$q'"
done
check_eq "every comparison query has results" "" "$nores"
check_eq "the marker query matches 40 paragraphs" 40 "$(count -d "$TMP/idx1" 鹦鹉螺)"
check_eq "the Latin word matches case-insensitively in 8 paragraphs" 8 "$(count -d "$TMP/idx4" hydrogen)"

run_ps "$TMP/o" "$TMP/e" compact -d "$TMP/idx4s"
check_eq "compact -d idx4s: exit 0" 0 "$RC"
check "compact -d idx4s: says 4 shards were merged" grep -q "4 shards compacted into one" "$TMP/e"
check_eq "after compact: stats shards 1" 1 "$(stat_field "$TMP/idx4s" shards)"
check_eq "after compact: same files and paragraphs" "$FILES1 $PARAS1" \
    "$(stat_field "$TMP/idx4s" files paragraphs)"
compare_indexes "compacted:" "$TMP/idx1" "$TMP/idx4s"

# --- 2. incremental runs on a sharded and on a compacted index ------------------
# gen07 loses its old paragraph for a new one; gen11, gen23, gen35 gain one.
"$PY" - "$CORPUS" <<'PYEOF'
import sys
d = sys.argv[1]
p = d + '/gen07.txt'
t = open(p, encoding='utf-8').read()
assert '旧稿段落' in t
open(p, 'w', encoding='utf-8').write(t.replace('旧稿段落:本段只在旧稿中出现。', '新稿段落:修订以后换成了这一段新的内容。'))
for n in ('11', '23', '35'):
    with open(d + '/gen%s.txt' % n, 'a', encoding='utf-8') as f:
        f.write('\n修订说明:本件已修订。\n')
PYEOF
for idx in idx2s idx4s; do
    read -r before_files before_paras before_shards <<<"$(stat_field "$TMP/$idx" files paragraphs shards)"
    run_ps "$TMP/o" "$TMP/e" index -d "$TMP/$idx" -j 2 "$CORPUS"
    check_eq "$idx ($before_shards shards): incremental -j 2: exit 0" 0 "$RC"
    check "$idx: the run re-indexes exactly the 4 changed files" \
        grep -q "4 files indexed (0 new, 4 changed), 41 unchanged, 0 removed" "$TMP/e"
    grep -q "4 files indexed (0 new, 4 changed)" "$TMP/e" || sed -n '1,3s/^/# /p' "$TMP/e"
    check_eq "$idx: the new paragraph is found once" 1 "$(count -d "$TMP/$idx" 新稿段落)"
    check_eq "$idx: the old paragraph is gone" 0 "$(count -d "$TMP/$idx" 旧稿段落)"
    check_eq "$idx: the appended paragraphs are found once each" 3 "$(count -d "$TMP/$idx" 修订说明)"
    for m in 鹦鹉螺金山 鹦鹉螺木木 鹦鹉螺水火 鹦鹉螺火风; do
        check_eq "$idx: marker $m of a changed file: -c is 1 (no duplicate)" 1 "$(count -d "$TMP/$idx" "$m")"
    done
    check_eq "$idx: all 40 markers once each" 40 "$(count -d "$TMP/$idx" 鹦鹉螺)"
    check_eq "$idx: same files, 3 more paragraphs" "$before_files $((before_paras + 3))" \
        "$(stat_field "$TMP/$idx" files paragraphs)"
    check_eq "$idx: the incremental run keeps the shard count" "$before_shards" "$(stat_field "$TMP/$idx" shards)"
done
for q in 修订说明 企业 "鹦鹉螺"; do
    sj "$TMP/inc2" -d "$TMP/idx2s" --all --json "$q"
    sj "$TMP/inc4" -d "$TMP/idx4s" --all --json "$q"
    check "after the incremental runs: sharded idx2s and compacted idx4s agree on '$q'" cmpj same "$TMP/inc2" "$TMP/inc4"
done

# --- 3. several indexes at once ---------------------------------------------------
# split/a: the seeds and gen00..19 (A, 2 shards); split/b: gen20..39 (B, 1 shard);
# ALL: both folders in one index.  Every index can be served as built; A
# is built with --servable, which old scripts pass and which has no effect,
# and with --no-compact, so it keeps its 2 shards.
SA=$TMP/split/a
SB=$TMP/split/b
mkdir -p "$SA" "$SB"
cp "$SEEDS"/* "$SA"/
for n in $(seq -w 0 19); do cp "$GEN/gen$n.txt" "$SA"/; done
for n in $(seq 20 39); do cp "$GEN/gen$n.txt" "$SB"/; done
A=$TMP/A
B=$TMP/B
ALL=$TMP/ALL
run_ps "$TMP/o" "$TMP/e" index -q -d "$A" -j 2 --no-compact --servable "$SA"
check_eq "index A (-j 2): exit 0" 0 "$RC"
run_ps "$TMP/o" "$TMP/e" index -q -d "$B" "$SB"
check_eq "index B: exit 0" 0 "$RC"
run_ps "$TMP/o" "$TMP/e" index -q -d "$ALL" "$SA" "$SB"
check_eq "index ALL (both folders): exit 0" 0 "$RC"

i=0
for q in "${QUERIES[@]}"; do
    i=$((i + 1))
    query_args "$q"
    sj "$TMP/m$i.all" -d "$ALL" --all --json "${QA[@]}"
    sj "$TMP/m$i.ab" -d "$A" -d "$B" --all --json "${QA[@]}"
    check_eq "-d A -d B '$q': exit 0" 0 "$RC"
    [ "$RC" = 0 ] || sed -n '1,2s/^/# /p' "$TMP/m$i.ab.err"
    check "-d A -d B '$q': same results and scores as one index" cmpj "$(cmp_mode "$q" same)" "$TMP/m$i.all" "$TMP/m$i.ab"
    if [ "$i" -le 3 ]; then
        POLSEARCH_INDEX="$A:$B" timeout 30 "$POLSEARCH" search --all --json "${QA[@]}" \
            >"$TMP/m$i.env" 2>"$TMP/m$i.env.err"
        RC=$?
        check_eq "POLSEARCH_INDEX=A:B '$q': exit 0" 0 "$RC"
        [ "$RC" = 0 ] || sed -n '1,2s/^/# /p' "$TMP/m$i.env.err"
        check "POLSEARCH_INDEX=A:B '$q': same results and scores as one index" \
            cmpj same "$TMP/m$i.all" "$TMP/m$i.env"
    fi
done
check "-d A -d B: every result's source names its index (A has 2 shards, B 1)" \
    cmpj source "$TMP/m1.ab" "$SA/=$A" "$SB/=$B"
check "-d A -d B: sources right for a query matching both folders (鹦鹉螺)" \
    cmpj source "$TMP/m6.ab" "$SA/=$A" "$SB/=$B"
check_eq "-d A -d B -c equals one index's -c (企业)" "$(count -d "$ALL" 企业)" "$(count -d "$A" -d "$B" 企业)"
timeout 30 "$POLSEARCH" search -d "$ALL" -l 鹦鹉螺 2>/dev/null | sort >"$TMP/l.all"
timeout 30 "$POLSEARCH" search -d "$A" -d "$B" -l 鹦鹉螺 2>/dev/null | sort >"$TMP/l.ab"
check "-d A -d B -l lists the same 40 files as one index" \
    sh -c "cmp -s '$TMP/l.all' '$TMP/l.ab' && test \$(wc -l <'$TMP/l.ab') -eq 40"

# --- 4. remote indexes ------------------------------------------------------------
PA=$(pick_port)
PB=$(pick_port "$PA")
if [ -z "$PA" ] || [ -z "$PB" ]; then
    not_ok "no free TCP ports found: the remote checks cannot run"
    finish
    exit 1
fi
start_server A "$PA" -d "$A"
check "serve -d A --port $PA: listening" test $? = 0
start_server B "$PB" -d "$B"
check "serve -d B --port $PB: listening" test $? = 0
PALL=$(pick_port "$PA" "$PB")
start_server ALL "$PALL" -d "$ALL"
check "serve -d ALL (a default index, one database for both folders): listening" test $? = 0
sj "$TMP/rall" -d "tcp://127.0.0.1:$PALL" --all --json 鹦鹉螺
sj "$TMP/lall" -d "$ALL" --all --json 鹦鹉螺
check "serve -d ALL: remote results, scores and snippets are the local ones (鹦鹉螺)" \
    sh -c "test -s '$TMP/lall' && cmp -s '$TMP/lall' '$TMP/rall'"
run_ps "$TMP/o" "$TMP/e" serve -d "$TMP/no-such-index" --port "$PB"
check_eq "serve of a directory that is no index: exit 2" 2 "$RC"
check "serve of a directory that is no index: says so" grep -q "^polsearch: .*no-such-index.*no index" "$TMP/e"
check "serve's start-up line says read-only and the address" \
    grep -q "read-only.*tcp://127\.0\.0\.1:$PA" "$TMP/A.err"
RA=tcp://127.0.0.1:$PA
RB=tcp://127.0.0.1:$PB

i=0
for q in "${QUERIES[@]}"; do
    i=$((i + 1))
    query_args "$q"
    sj "$TMP/r$i" -d "$RA" -d "$RB" --all --json "${QA[@]}"
    check_eq "remote '$q': exit 0" 0 "$RC"
    [ "$RC" = 0 ] || sed -n '1,2s/^/# /p' "$TMP/r$i.err"
    check "remote '$q': same results, scores, snippets and matches as the local index" \
        cmpj "$(cmp_mode "$q" full)" "$TMP/m$i.all" "$TMP/r$i"
done
check "remote: every result's source names its server" cmpj source "$TMP/r6" "$SA/=$RA" "$SB/=$RB"
for q in 企业 鹦鹉螺 高企; do
    check_eq "remote -c '$q' = local -c" "$(count -d "$ALL" "$q")" "$(count --timeout 5000 -d "$RA" -d "$RB" "$q")"
done
timeout 30 "$POLSEARCH" search -d "$RA" -d "$RB" -l 鹦鹉螺 2>/dev/null | sort >"$TMP/l.r"
check "remote -l lists the same files as local" \
    sh -c "cmp -s '$TMP/l.all' '$TMP/l.r' && test -s '$TMP/l.r'"
sj "$TMP/y.l" -d "$ALL" --all --json --year 2023 鹦鹉螺
sj "$TMP/y.r" -d "$RA" -d "$RB" --all --json --year 2023 鹦鹉螺
check "--year 2023 locally: the 10 markers of 2023, all dated 2023" \
    sh -c "test \$(wc -l <'$TMP/y.l') -eq 10 && \"$PY\" -S -E '$TMP/cmp.py' year '$TMP/y.l' 2023"
check "--year 2023 remotely: the same results as locally" cmpj full "$TMP/y.l" "$TMP/y.r"
sj "$TMP/x.l" -d "$ALL" --all --json --explain 专精特新
sj "$TMP/x.r" -d "$RA" -d "$RB" --all --json --explain 专精特新
check "--explain remotely: the same parts as locally" cmpj full "$TMP/x.l" "$TMP/x.r"
sj "$TMP/s.l" -d "$ALL" --all --json 高企
sj "$TMP/s.r" -d "$RA" -d "$RB" --all --json 高企
check "synonym expansion (高企) remotely: the same results as locally" cmpj full "$TMP/s.l" "$TMP/s.r"
check "synonym expansion happens remotely (高企 finds more than --no-expand)" \
    test "$(count -d "$RA" -d "$RB" 高企)" -gt "$(count -d "$RA" -d "$RB" --no-expand 高企)"
sj "$TMP/mix" -d "$A" -d "$RB" --all --json 企业
check "a local and a remote index together: the same as one index" cmpj same "$TMP/m2.all" "$TMP/mix"

# --- 5. a server that stops answering, then dies -----------------------------------
sj "$TMP/pA" -d "$A" --all --json 企业
if [ -n "${PID_B:-}" ]; then
    kill -STOP "$PID_B"
    t=$(now_ms)
    sj "$TMP/st" --timeout 2000 -d "$RA" -d "$RB" 企业
    dt=$(( $(now_ms) - t ))
    check_eq "a stopped server: exit 2" 2 "$RC"
    check "a stopped server: the search gives up in < 10 s (took ${dt} ms)" test "$dt" -lt 10000
    check "a stopped server: 'polsearch: $RB: reason'" grep -q "^polsearch: $RB: ." "$TMP/st.err"
    [ "$RC" = 2 ] || sed -n '1,2s/^/# /p' "$TMP/st.err"
    kill -CONT "$PID_B"
    kill -9 "$PID_B"
    wait "$PID_B" 2>/dev/null
fi
t=$(now_ms)
sj "$TMP/k" --timeout 2000 -d "$RA" -d "$RB" 企业
dt=$(( $(now_ms) - t ))
check_eq "a killed server: exit 2" 2 "$RC"
check "a killed server: the search ends in < 10 s (took ${dt} ms)" test "$dt" -lt 10000
check "a killed server: one line 'polsearch: $RB: reason'" \
    sh -c "grep -q '^polsearch: $RB: .' '$TMP/k.err' && test \$(wc -l <'$TMP/k.err') -eq 1"
[ "$RC" = 2 ] || sed -n '1,2s/^/# /p' "$TMP/k.err"
check "a killed server: nothing on stdout" test ! -s "$TMP/k"
t=$(now_ms)
sj "$TMP/p" --timeout 2000 --allow-partial --all --json -d "$RA" -d "$RB" 企业
dt=$(( $(now_ms) - t ))
check "--allow-partial with a killed server: exit 0 in < 10 s (exit $RC, ${dt} ms)" \
    test "$RC" = 0 -a "$dt" -lt 10000
[ "$RC" = 0 ] || sed -n '1,2s/^/# /p' "$TMP/p.err"
check "--allow-partial: the other index's results, as from A alone" cmpj same "$TMP/pA" "$TMP/p"
check "--allow-partial: a warning naming the dead server on stderr" \
    grep -qi "^polsearch: .*warning.*$RB\|^polsearch: .*$RB.*warning" "$TMP/p.err"

# --- 6. where serve listens ----------------------------------------------------------
PC=$(pick_port "$PA" "$PB")
PD=$(pick_port "$PA" "$PB" "$PC")
if [ -z "$PC" ] || [ -z "$PD" ]; then
    not_ok "no free TCP ports found: the serve --listen checks cannot run"
    finish
    exit 1
fi
start_server C "$PC" -d "$A" --listen 0.0.0.0
check "serve --listen 0.0.0.0: listening" test $? = 0
check "serve --listen 0.0.0.0 warns: no authentication or encryption" \
    sh -c "grep -qi 'authentication' '$TMP/C.err' && grep -qi 'encryption' '$TMP/C.err'"
check_eq "serve --listen 0.0.0.0 still serves" "$(count -d "$A" 企业)" "$(count -d "tcp://127.0.0.1:$PC" 企业)"
start_server D "$PD" -d "$A"
check "serve without --listen: listening" test $? = 0
check "serve without --listen: no warning" sh -c "! grep -qi 'authentication' '$TMP/D.err'"
if [ "$HAVE_SS" = 1 ]; then
    addrs=$(ss -ltnH 2>/dev/null | awk '{print $4}' | grep ":$PD\$" | sort -u | tr '\n' ' ')
    check_eq "serve without --listen listens on 127.0.0.1 only" "127.0.0.1:$PD " "$addrs"
    addrs=$(ss -ltnH 2>/dev/null | awk '{print $4}' | grep ":$PC\$" | sort -u | tr '\n' ' ')
    check_eq "serve --listen 0.0.0.0 listens on 0.0.0.0" "0.0.0.0:$PC " "$addrs"
else
    TAP_N=$((TAP_N + 1)); echo "ok $TAP_N # SKIP no ss to see where serve listens"
    TAP_N=$((TAP_N + 1)); echo "ok $TAP_N # SKIP no ss to see where serve listens"
fi

echo "# run time: $(( $(now_ms) - T0 )) ms"
finish
