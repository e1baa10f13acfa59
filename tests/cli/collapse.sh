#!/bin/bash
# collapse.sh — copied paragraphs collapse in search results: the seeds plus
# a few files that copy one seed paragraph (P) and one paragraph of their own
# (Q), verbatim and with other white space and full-width digits (the same
# text after normalisation), and near-copies one character off that must not
# collapse.  Human "(also in N other places)", --json "duplicates",
# --no-collapse, -c and -l unchanged, -n distinct, several indexes and a
# remote one (polsearch serve on 127.0.0.1).
. "$(dirname "$0")/lib.sh"
# The server is killed with SIGKILL: on SIGTERM Xapian's TCP server signals
# its whole process group, which is this script's.
SERVER_PID=
cleanup() {
    if [ -n "$SERVER_PID" ]; then
        kill -9 "$SERVER_PID" 2>/dev/null
        wait "$SERVER_PID" 2>/dev/null
    fi
    [ -n "${KEEP_TMP:-}" ] || rm -rf "$TMP"
}
trap cleanup EXIT

# --- the corpus -------------------------------------------------------------------
P=$(grep -h '^1、加快国家创新型县' "$SEEDS"/000_af7ea0c36382d7b8.txt)
if [ -z "$P" ]; then
    echo "not ok 1 - seed 000 has the paragraph the copies copy"; echo "1..1"; exit 0
fi
# P with full-width digits and letters: the same after normalisation.
P_WIDE=$(printf '%s' "$P" | sed 's/R&D/Ｒ＆Ｄ/; s/57亿元/５７亿元/; s/54\.5亿元/５４.５亿元/')
P_NEAR=$(printf '%s' "$P" | sed 's/进入前三/进入前二/')
Q='第三条 本办法自2024年1月1日起施行,信天翁专项资金由市科技局负责解释。'
Q_WS='第三条　　本办法自２０２４年１月１日起施行,信天翁专项资金由市科技局负责解释。'   # U+3000 twice, full-width digits
Q_WS2=$'第三条 \t  本办法自2024年1月1日起施行,信天翁专项资金由市科技局负责解释。'
Q_NEAR='第三条 本办法自2024年1月1日起施行,信天翁专项资金由市财政局负责解释。'
C=$TMP/copies
mkdir -p "$C/a" "$C/b"
printf '关于转发创新型县建设目标的通知\n\n各有关单位:\n\n%s\n\n%s\n' "$P" "$Q" >"$C/a/copy1.txt"
printf '某县科技局工作要点\n\n一、总体目标\n\n%s\n\n二、附则\n\n%s\n' "$P_WIDE" "$Q_WS" >"$C/b/copy2.txt"
printf '专项资金管理办法\n\n%s\n' "$Q_WS2" >"$C/b/copy3.txt"
printf '近似文件\n\n%s\n\n%s\n' "$P_NEAR" "$Q_NEAR" >"$C/b/near.txt"
check "the variants of P really differ in their bytes" test "$P" != "$P_WIDE"
check "the variants of Q really differ in their bytes" test "$Q" != "$Q_WS" -a "$Q" != "$Q_WS2"

IDX=$TMP/idx
run_ps "$TMP/o" "$TMP/e" index -q -d "$IDX" "$SEEDS" "$C"
check_eq "index seeds and copies: exit 0" 0 "$RC"
SEED_IDX=$TMP/seeds
"$POLSEARCH" index -q -d "$SEED_IDX" "$SEEDS" 2>/dev/null

ps_s() { "$POLSEARCH" search "$@" 2>/dev/null; }
# heads FILE: the header lines of human output (FILE:PARAGRAPH ...).
heads() { grep -a '^[^ ].*:[0-9]' "$1"; }

# --- human output -------------------------------------------------------------------
ps_s -d "$IDX" 信天翁专项资金 >"$TMP/h"
check_eq "Q: one result for the three copies plus one for the near-copy" 2 "$(heads "$TMP/h" | wc -l | tr -d ' ')"
check_eq "Q: the copies' result says (also in 2 other places)" 1 \
    "$(heads "$TMP/h" | grep -c '(also in 2 other places)$')"
check "Q: the near-copy (市财政局) is a result of its own, without copies" \
    sh -c "grep -a '^[^ ]*near.txt:' '$TMP/h' | grep -vq 'also in'"
ps_s -d "$IDX" 力争宁波考核进入前三 >"$TMP/h"
check_eq "P: the seed paragraph and its two copies show once" 1 "$(heads "$TMP/h" | wc -l | tr -d ' ')"
check_eq "P: ... with (also in 2 other places)" 1 "$(heads "$TMP/h" | grep -c '(also in 2 other places)$')"
ps_s -d "$IDX" 加快国家创新型县 >"$TMP/h"
check_eq "P and its near-copy: two results" 2 "$(heads "$TMP/h" | wc -l | tr -d ' ')"
check_eq "P and its near-copy: only P's result has copies" 1 "$(heads "$TMP/h" | grep -c 'also in')"
check "the near-copy of P is a result of its own" grep -aq '^[^ ]*near.txt:[0-9]' "$TMP/h"

# --- --json duplicates ----------------------------------------------------------------
# The expected places: FILE:PARAGRAPH of each variant, from --no-collapse.
ps_s -d "$IDX" --no-collapse --all --json 信天翁专项资金 >"$TMP/nc.json"
ps_s -d "$IDX" --json 信天翁专项资金 >"$TMP/c.json"
check "Q --json: the shown copy and its duplicates are exactly the three copies, near-copy apart" \
    "$PY" - "$TMP/nc.json" "$TMP/c.json" <<'PYEOF'
import json, sys
nc = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
c = [json.loads(l) for l in open(sys.argv[2], encoding='utf-8')]
copies = {(o['file'], o['paragraph']) for o in nc if not o['file'].endswith('near.txt')}
near = [(o['file'], o['paragraph']) for o in nc if o['file'].endswith('near.txt')]
assert len(copies) == 3 and len(near) == 1, (copies, near)
group = [o for o in c if (o['file'], o['paragraph']) in copies]
assert len(group) == 1, group
g = group[0]
dups = [(d['file'], d['paragraph']) for d in g['duplicates']]
assert len(dups) == 2 and set(dups) | {(g['file'], g['paragraph'])} == copies, dups
other = [o for o in c if (o['file'], o['paragraph']) == near[0]]
assert len(other) == 1 and other[0]['duplicates'] == [], other
assert len(c) == 2
PYEOF
ps_s -d "$IDX" --no-collapse --all --json 力争宁波考核进入前三 >"$TMP/nc.json"
ps_s -d "$IDX" --json 力争宁波考核进入前三 >"$TMP/c.json"
check "P --json: duplicates name the other two of seed 000, copy1, copy2 in rank order (ties: by file)" \
    "$PY" - "$TMP/nc.json" "$TMP/c.json" <<'PYEOF'
import json, sys
nc = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
c = [json.loads(l) for l in open(sys.argv[2], encoding='utf-8')]
places = [(o['file'], o['paragraph']) for o in nc]
assert sorted(f.rsplit('/', 1)[1] for f, _ in places) == \
    ['000_af7ea0c36382d7b8.txt', 'copy1.txt', 'copy2.txt'], places
assert len(c) == 1, c
shown = (c[0]['file'], c[0]['paragraph'])
dups = [(d['file'], d['paragraph']) for d in c[0]['duplicates']]
want = sorted((o for o in nc if (o['file'], o['paragraph']) != shown),
              key=lambda o: (-o['score'], o['file'], o['paragraph']))
assert dups == [(o['file'], o['paragraph']) for o in want], (dups, want)
best = min(nc, key=lambda o: (-o['score'], o['file'], o['paragraph']))
assert shown == (best['file'], best['paragraph']), (shown, best)
assert c[0]['score'] == nc[0]['score'], (c[0]['score'], nc[0]['score'])
PYEOF
ps_s -d "$IDX" --no-collapse --json 力争宁波考核进入前三 >"$TMP/o"
check "--no-collapse --json: no duplicates field" sh -c "! grep -q duplicates '$TMP/o'"

# --- --no-collapse, -c, -l ----------------------------------------------------------------
# Queries from stdin do not share their copy groups: the same query twice
# gives the same results twice (they once passed over the groups an earlier
# query had shown).
printf '信天翁专项资金\n信天翁专项资金\n力争宁波考核进入前三\n力争宁波考核进入前三\n' | ps_s -d "$IDX" --json - >"$TMP/twice.json"
grep -a '"信天翁专项资金","rank"' "$TMP/twice.json" >"$TMP/twice.q"
check_eq "stdin: two results for each of two equal queries" 4 "$(wc -l <"$TMP/twice.q" | tr -d ' ')"
check "stdin: the second of two equal queries gives what the first gave" \
    cmp -s <(sed -n 1,2p "$TMP/twice.q") <(sed -n 3,4p "$TMP/twice.q")
check_eq "stdin: P's copies collapse into its result both times it is asked" 2 \
    "$(grep -a '"力争宁波考核进入前三"' "$TMP/twice.json" | grep -c '"duplicates":\[{')"

ps_s -d "$IDX" --no-collapse 信天翁专项资金 >"$TMP/h"
check_eq "Q --no-collapse: each of the four paragraphs" 4 "$(heads "$TMP/h" | wc -l | tr -d ' ')"
check "Q --no-collapse: no (also in ...)" sh -c "! grep -q 'also in' '$TMP/h'"
for q in 信天翁专项资金 力争宁波考核进入前三 加快国家创新型县 '信天翁 OR 创新型县' 企业; do
    check_eq "-c '$q' is the same with --no-collapse" \
        "$(ps_s -d "$IDX" --no-collapse -c $q)" "$(ps_s -d "$IDX" -c $q)"
    check_eq "-c '$q' counts every paragraph (--no-collapse --all results)" \
        "$(ps_s -d "$IDX" --no-collapse --all --json $q | wc -l | tr -d ' ')" "$(ps_s -d "$IDX" -c $q)"
    check_eq "-l '$q' is the same with --no-collapse" \
        "$(ps_s -d "$IDX" --no-collapse -l $q)" "$(ps_s -d "$IDX" -l $q)"
done
check_eq "-c 信天翁专项资金 is 4" 4 "$(ps_s -d "$IDX" -c 信天翁专项资金)"
check_eq "-l 力争宁波考核进入前三 lists the three files" 3 "$(ps_s -d "$IDX" -l 力争宁波考核进入前三 | wc -l | tr -d ' ')"
check_eq "-c with --file (a filter Xapian cannot apply) still counts every copy" \
    "$(ps_s -d "$IDX" --no-collapse -c --file '*copy*' 信天翁专项资金)" "$(ps_s -d "$IDX" -c --file '*copy*' 信天翁专项资金)"

# --- filters apply to every copy -----------------------------------------------------------
ps_s -d "$IDX" --json --file '*copy3*' 信天翁专项资金 >"$TMP/o"
check "--file keeps only copy3's copy, with no duplicates (the others are filtered out)" \
    "$PY" - "$TMP/o" <<'PYEOF'
import json, sys
c = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
assert len(c) == 1 and c[0]['file'].endswith('copy3.txt') and c[0]['duplicates'] == [], c
PYEOF
ps_s -d "$IDX" --file '*/b/*' 信天翁专项资金 >"$TMP/h"
check_eq "--file '*/b/*': copy2 and copy3 collapse, near apart (also in 1 other place)" \
    "1 2" "$(grep -c '(also in 1 other place)$' "$TMP/h") $(heads "$TMP/h" | wc -l | tr -d ' ')"

ps_s -d "$IDX" --issuer 市科技局 力争宁波考核进入前三 >"$TMP/h"
check_eq "--issuer 市科技局 (seed 000's issuer; the copies have none): seed 000's copy alone, no copies" \
    "1 000_af7ea0c36382d7b8.txt:12 0" \
    "$(heads "$TMP/h" | wc -l | tr -d ' ') $(heads "$TMP/h" | sed 's/ .*//; s|.*/||') $(grep -c 'also in' "$TMP/h")"

# --- -n counts distinct results -----------------------------------------------------------
ps_s -d "$IDX" --json --all '信天翁专项资金 OR 加快国家创新型县' >"$TMP/all.json"
ps_s -d "$IDX" --json -n 3 '信天翁专项资金 OR 加快国家创新型县' >"$TMP/n3.json"
check_eq "collapsed --all: 4 distinct texts of 8 paragraphs" "4 8" \
    "$(wc -l <"$TMP/all.json" | tr -d ' ') $(ps_s -d "$IDX" -c '信天翁专项资金 OR 加快国家创新型县')"
check "-n 3: three results, pairwise different texts, the first three of --all" \
    "$PY" - "$TMP/n3.json" "$TMP/all.json" <<'PYEOF'
import json, re, sys, unicodedata
n3 = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
al = [json.loads(l) for l in open(sys.argv[2], encoding='utf-8')]
norm = lambda t: re.sub(r'\s+', ' ', unicodedata.normalize('NFKC', t))
assert len(n3) == 3, len(n3)
assert len({norm(o['text']) for o in n3}) == 3
assert [(o['file'], o['paragraph']) for o in n3] == [(o['file'], o['paragraph']) for o in al[:3]]
PYEOF

# --- other keys in the same copy buckets ---------------------------------------------------
# Copies are looked up through two buckets of 4096 (24 bits of the collapse
# key, the FNV-1a hash of the normalised code points); R1 and R2 differ but
# their keys share those bits, so R2 shows alone and R1 with its
# full-width copy R1_WIDE only.
R1='信天翁桶测试第78条款自发布之日起施行。'
R1_WIDE='信天翁桶测试第７８条款自发布之日起施行。'
R2='信天翁桶测试第6852条款自发布之日起施行。'
check "R1 and R2 have different collapse keys in the same two copy buckets" "$PY" - "$R1" "$R2" <<'PYEOF'
import sys
def key(text):
    h = 14695981039346656037
    for ch in text:
        for b in ord(ch).to_bytes(4, 'little'):
            h = ((h ^ b) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return '%016x' % h
k1, k2 = key(sys.argv[1]), key(sys.argv[2])
assert k1 != k2 and k1[:6] == k2[:6], (k1, k2)
PYEOF
mkdir -p "$TMP/buckets"
printf '桶测试甲\n\n%s\n' "$R1" >"$TMP/buckets/r1.txt"
printf '桶测试乙\n\n%s\n' "$R2" >"$TMP/buckets/r2.txt"
printf '桶测试丙\n\n%s\n' "$R1_WIDE" >"$TMP/buckets/r1wide.txt"
"$POLSEARCH" index -q -d "$TMP/bidx" "$TMP/buckets" 2>/dev/null
ps_s -d "$TMP/bidx" --json 信天翁桶测试 >"$TMP/o"
check "same buckets, other key: R2 alone, R1 with R1_WIDE only" "$PY" - "$TMP/o" <<'PYEOF'
import json, sys
c = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
got = {(o['file'].rsplit('/', 1)[1], tuple(d['file'].rsplit('/', 1)[1] for d in o['duplicates'])) for o in c}
assert len(c) == 2 and got in ({('r2.txt', ()), ('r1.txt', ('r1wide.txt',))},
                               {('r2.txt', ()), ('r1wide.txt', ('r1.txt',))}), got
PYEOF

# --- queries without copies: nothing changes ---------------------------------------------
for q in 专精特新 研发投入 '科技型中小企业 -小巨人' 企业; do
    check "'$q' on the seeds: the same output with and without --no-collapse (human, --all)" \
        cmp -s <(ps_s -d "$SEED_IDX" --all $q) <(ps_s -d "$SEED_IDX" --all --no-collapse $q)
    check "'$q' on the seeds: the same --tsv with and without --no-collapse" \
        cmp -s <(ps_s -d "$SEED_IDX" --tsv -n 20 $q) <(ps_s -d "$SEED_IDX" --tsv -n 20 --no-collapse $q)
done
check "专精特新 with the copies indexed too: the same output with and without --no-collapse" \
    cmp -s <(ps_s -d "$IDX" --all 专精特新) <(ps_s -d "$IDX" --all --no-collapse 专精特新)

# --- other output forms collapse too --------------------------------------------------------
check_eq "--tsv: one line for the three copies of P" 1 "$(ps_s -d "$IDX" --tsv 力争宁波考核进入前三 | wc -l | tr -d ' ')"
check_eq "--tsv --no-collapse: three lines" 3 "$(ps_s -d "$IDX" --tsv --no-collapse 力争宁波考核进入前三 | wc -l | tr -d ' ')"
check_eq "--format: one line" 1 "$(ps_s -d "$IDX" --format '{file}:{paragraph}' 力争宁波考核进入前三 | wc -l | tr -d ' ')"
check_eq "--kwic: one line" 1 "$(ps_s -d "$IDX" --kwic 力争宁波考核进入前三 | wc -l | tr -d ' ')"

# --- several indexes, and a remote one ---------------------------------------------------------
# A: the seeds and copy1; B: copy2, copy3, near (B is served too).
"$POLSEARCH" index -q -d "$TMP/A" "$SEEDS" "$C/a" 2>/dev/null
"$POLSEARCH" index -q -d "$TMP/B" "$C/b" 2>/dev/null
# places FILE: score (3 decimals), file, paragraph and duplicates of each
# --json line, best first; results of equal score (which come in document id
# order, and ids depend on the layout) by file and paragraph.
places() {
    "$PY" -c '
import json, sys
rows = []
for l in open(sys.argv[1], encoding="utf-8"):
    o = json.loads(l)
    rows.append((-round(o["score"], 3), o["file"], o["paragraph"],
                 [(d["file"], d["paragraph"]) for d in o["duplicates"]]))
for r in sorted(rows):
    print(*r)
' "$1"
}
for q in 信天翁专项资金 力争宁波考核进入前三 '信天翁专项资金 OR 加快国家创新型县'; do
    ps_s -d "$IDX" --all --json "$q" >"$TMP/one.json"
    ps_s -d "$TMP/A" -d "$TMP/B" --all --json "$q" >"$TMP/two.json"
    check "-d A -d B '$q': copies collapse across indexes as in one index" \
        cmp -s <(places "$TMP/one.json") <(places "$TMP/two.json")
done

PORT=$("$PY" -c '
import random, socket
for p in random.sample(range(20000, 60000), 200):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); print(p); break
    except OSError: pass
    finally: s.close()
')
"$POLSEARCH" serve -d "$TMP/B" --port "$PORT" >"$TMP/serve.out" 2>"$TMP/serve.err" &
SERVER_PID=$!
for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
    sleep 0.1
done
for q in 信天翁专项资金 力争宁波考核进入前三; do
    ps_s -d "$IDX" --all --json "$q" >"$TMP/one.json"
    ps_s -d "$TMP/A" -d "tcp://127.0.0.1:$PORT" --all --json "$q" >"$TMP/remote.json"
    check "-d A -d tcp:// (B served) '$q': copies collapse across the remote index too" \
        cmp -s <(places "$TMP/one.json") <(places "$TMP/remote.json")
done
ps_s -d "$TMP/A" -d "tcp://127.0.0.1:$PORT" 信天翁专项资金 >"$TMP/h"
check_eq "remote: (also in 2 other places)" 1 "$(grep -c '(also in 2 other places)$' "$TMP/h")"
check_eq "remote: -c counts every copy" 4 "$(ps_s -d "$TMP/A" -d "tcp://127.0.0.1:$PORT" -c 信天翁专项资金)"

finish
