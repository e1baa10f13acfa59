#!/bin/bash
# basic.sh — the command-line contract: exit statuses, output modes, errors.
. "$(dirname "$0")/lib.sh"
IDX=$TMP/idx

run_ps "$TMP/o" "$TMP/e" index -d "$IDX" "$SEEDS"
check_eq "index seeds: exit 0" 0 "$RC"
check "index summary names 5 new files" grep -q "5 files indexed (5 new" "$TMP/e"

run_ps "$TMP/o" "$TMP/e" search -d "$IDX" 专精特新
check_eq "search 专精特新: exit 0" 0 "$RC"
for f in 000_af7ea0c36382d7b8 001_a364a026ab62a3ac 003_1f11e292ab1845fd; do
    check "search 专精特新 shows $f" grep -q "$f" "$TMP/o"
done
check "search 专精特新: no file without it" sh -c "! grep -q -e 002_0a6a -e 004_135b '$TMP/o'"
check "no colour escapes in a pipe" sh -c "! grep -q \$(printf '\033') '$TMP/o'"

run_ps "$TMP/o" "$TMP/e" query -d "$IDX" 专精特新
check_eq "query is search's alias" 0 "$RC"

run_ps "$TMP/o" "$TMP/e" search -d "$IDX" --color=always 专精特新
check "--color=always highlights the match in bold red" grep -q "$(printf '\033\\[1;31m')专精特新" "$TMP/o"
NO_COLOR=1 "$POLSEARCH" search -d "$IDX" --color=auto 专精特新 >"$TMP/o" 2>/dev/null
check "NO_COLOR: no escapes" sh -c "! grep -q \$(printf '\033') '$TMP/o'"

run_ps "$TMP/o" "$TMP/e" search -d "$IDX" 量子纠缠计算机
check_eq "no match: exit 1" 1 "$RC"
check "no match: no output" test ! -s "$TMP/o"

run_ps "$TMP/o" "$TMP/e" search -d "$IDX" -c 企业
check_eq "-c 企业: exit 0" 0 "$RC"
count=$(cat "$TMP/o")
"$POLSEARCH" search -d "$IDX" --all --no-collapse --json 企业 >"$TMP/all" 2>/dev/null
check_eq "-c equals the number of --all results (企业)" "$count" "$(wc -l <"$TMP/all" | tr -d ' ')"
run_ps "$TMP/o" "$TMP/e" search -d "$IDX" -c --no-expand 科技型中小企业
c2=$(cat "$TMP/o")
"$POLSEARCH" search -d "$IDX" --all --no-collapse --json --no-expand 科技型中小企业 >"$TMP/all2" 2>/dev/null
check_eq "-c equals the number of --all results (科技型中小企业)" "$c2" "$(wc -l <"$TMP/all2" | tr -d ' ')"
run_ps "$TMP/o" "$TMP/e" search -d "$IDX" -c 量子纠缠计算机
check_eq "-c with no match prints 0" 0 "$(cat "$TMP/o")"
check_eq "-c with no match exits 1" 1 "$RC"

check "--json lines parse, with the contract's fields, offsets on the phrase" "$PY" - "$TMP/all2" 科技型中小企业 <<'PYEOF'
import json, sys
n = 0
for line in open(sys.argv[1], encoding='utf-8'):
    o = json.loads(line)
    for k in ('rank', 'score', 'file', 'paragraph', 'title', 'text', 'snippet', 'matches'):
        assert k in o, k
    assert o['rank'] == n + 1
    assert o['matches'], o
    for s, l in o['matches']:
        assert o['text'][s:s + l] == sys.argv[2], (o['text'][s:s + l], o['file'])
    n += 1
assert n > 0
PYEOF

run_ps "$TMP/o" "$TMP/e" search -d "$IDX" -n 3 企业
check_eq "-n 3 gives 3 results" 3 "$(grep -c '^[^ ].*:[0-9]' "$TMP/o")"
run_ps "$TMP/o" "$TMP/e" search -d "$IDX" -l 专精特新
check_eq "-l lists each matching file once" 3 "$(sort -u "$TMP/o" | wc -l | tr -d ' ')"
check_eq "-l lists no duplicates" "$(wc -l <"$TMP/o" | tr -d ' ')" 3

run_ps "$TMP/o" "$TMP/e" search -d "$IDX" 企
check_eq "a one-character query works" 0 "$RC"

run_ps "$TMP/o" "$TMP/e" search -d "$IDX" -c 专精特新 -小巨人
c_not=$(cat "$TMP/o")
c_all=$("$POLSEARCH" search -d "$IDX" -c 专精特新)
c_both=$("$POLSEARCH" search -d "$IDX" -c 专精特新 小巨人)
check_eq "NOT: count(a -b) = count(a) - count(a b)" "$((c_all - c_both))" "$c_not"
c_or=$("$POLSEARCH" search -d "$IDX" -c 瞪羚企业 OR 独角兽)
c_a=$("$POLSEARCH" search -d "$IDX" -c 瞪羚企业)
check "OR: count(a OR b) >= count(a)" test "$c_or" -ge "$c_a"

run_ps "$TMP/o" "$TMP/e" search -d "$TMP/nonexistent" 专精特新
check_eq "missing index: exit 2" 2 "$RC"
check "missing index: message starts with polsearch:" grep -q "^polsearch: .*nonexistent" "$TMP/e"
mkdir -p "$TMP/notindex"; echo hi >"$TMP/notindex/file"
run_ps "$TMP/o" "$TMP/e" search -d "$TMP/notindex" 专精特新
check_eq "a folder that is not an index: exit 2" 2 "$RC"
check "a folder that is not an index: says so" grep -q "not a polsearch index" "$TMP/e"
run_ps "$TMP/o" "$TMP/e" index -d "$TMP/notindex" "$SEEDS"
check_eq "index refuses to write into a foreign folder" 2 "$RC"
check "the foreign folder is left alone" test -f "$TMP/notindex/file"

run_ps "$TMP/o" "$TMP/e" search -d "$IDX" --bogus 专精特新
check_eq "bad option: exit 2" 2 "$RC"
check "bad option: message" grep -q "^polsearch: unknown option '--bogus'" "$TMP/e"
run_ps "$TMP/o" "$TMP/e" search -d "$IDX" </dev/null
check_eq "no query: exit 2" 2 "$RC"
run_ps "$TMP/o" "$TMP/e" search -d "$IDX" -n abc 企业
check_eq "bad -n: exit 2" 2 "$RC"
run_ps "$TMP/o" "$TMP/e" frobnicate
check_eq "unknown command: exit 2" 2 "$RC"

# Option errors: one wording for every command (src/options.h).
for c in index search stats compact serve terms; do
    run_ps "$TMP/o" "$TMP/e" "$c" --bogus </dev/null
    check_eq "$c --bogus: exit 2" 2 "$RC"
    check "$c --bogus: the one wording" grep -qx "polsearch: unknown option '--bogus'; see 'polsearch $c --help'" "$TMP/e"
    run_ps "$TMP/o" "$TMP/e" "$c" -d </dev/null
    check "$c -d: the one wording" grep -qx "polsearch: option '-d' needs a value; see 'polsearch $c --help'" "$TMP/e"
done
# The live rule (options.c): -d wins over $POLSEARCH_INDEX, which wins
# over ./index; an empty $POLSEARCH_INDEX is ./index.
mkdir -p "$TMP/cwd"
(cd "$TMP/cwd" && POLSEARCH_INDEX="$TMP/envidx" "$POLSEARCH" index -q "$SEEDS" 2>"$TMP/e")
check "POLSEARCH_INDEX: index writes there, not ./index" test -f "$TMP/envidx/XAPIANDB" -a ! -e "$TMP/cwd/index"
check_eq "POLSEARCH_INDEX: search reads it" "$("$POLSEARCH" search -d "$IDX" -c 企业)" \
    "$(cd "$TMP/cwd" && POLSEARCH_INDEX="$TMP/envidx" "$POLSEARCH" search -c 企业)"
(cd "$TMP/cwd" && POLSEARCH_INDEX="$TMP/envidx" "$POLSEARCH" stats -d "$TMP/nowhere" >"$TMP/o" 2>"$TMP/e")
check "POLSEARCH_INDEX: -d wins" grep -q "nowhere" "$TMP/e"
(cd "$TMP/cwd" && POLSEARCH_INDEX= "$POLSEARCH" stats >"$TMP/o" 2>"$TMP/e")
check "POLSEARCH_INDEX empty: ./index" grep -q "^polsearch: index: no index here" "$TMP/e"
(cd "$TMP/cwd" && env -u POLSEARCH_INDEX "$POLSEARCH" search -c 企业 >"$TMP/o" 2>"$TMP/e")
check "POLSEARCH_INDEX unset: ./index" grep -q "^polsearch: index: no index here" "$TMP/e"
# $POLSEARCH_INDEX: search takes a list, one-index commands refuse one.
POLSEARCH_INDEX="$IDX:$IDX" "$POLSEARCH" search -c 专精特新 >"$TMP/o" 2>"$TMP/e"
check_eq "POLSEARCH_INDEX=A:A search: exit 0" 0 "$?"
for c in stats compact terms; do
    POLSEARCH_INDEX="$IDX:$TMP/other" "$POLSEARCH" "$c" >"$TMP/o" 2>"$TMP/e"
    check_eq "POLSEARCH_INDEX=A:B $c: exit 2" 2 "$?"
    check "POLSEARCH_INDEX=A:B $c: says it works on one index" grep -q "^polsearch: \$POLSEARCH_INDEX names several indexes .*'polsearch $c' works on one: choose it with -d INDEX" "$TMP/e"
done

run_ps "$TMP/o" "$TMP/e" index -d "$IDX" "$SEEDS"
check "re-index without changes: all 5 unchanged" grep -q "0 files indexed (0 new, 0 changed), 5 unchanged" "$TMP/e"

run_ps "$TMP/o" "$TMP/e" stats -d "$IDX" --json
check_eq "stats: exit 0" 0 "$RC"
check "stats --json: 5 files, paragraphs > 50" "$PY" -c "import json,sys; o=json.load(open('$TMP/o')); assert o['files']==5 and o['paragraphs']>50, o"

# Policy terms: abbreviations expand, boosting only reorders.
c_lit=$("$POLSEARCH" search -d "$IDX" -c --no-expand 高企)
c_exp=$("$POLSEARCH" search -d "$IDX" -c 高企)
c_long=$("$POLSEARCH" search -d "$IDX" -c --no-expand 高新技术企业)
check "高企 expands to 高新技术企业 (count grows by the long form's paragraphs)" test "$c_exp" -gt "$c_lit" -a "$c_exp" -ge "$c_long"
"$POLSEARCH" search -d "$IDX" --all --json 专精特新 | "$PY" -c 'import json,sys; print(sorted((o["file"],o["paragraph"]) for o in map(json.loads,sys.stdin)))' >"$TMP/boost_on"
"$POLSEARCH" search -d "$IDX" --all --json --no-boost 专精特新 | "$PY" -c 'import json,sys; print(sorted((o["file"],o["paragraph"]) for o in map(json.loads,sys.stdin)))' >"$TMP/boost_off"
check "boosting never adds or drops a literal match" cmp -s "$TMP/boost_on" "$TMP/boost_off"
run_ps "$TMP/o" "$TMP/e" search -d "$IDX" --json --explain -n 3 专精特新
check "--explain: parts add up to the score" "$PY" -c '
import json,sys
for l in open(sys.argv[1]):
    o=json.loads(l); e=o["explain"]
    assert abs(e["bm25"]+e["expansion"]+e["policy"]+e["heading"]-o["score"])<0.01, o
    assert e["policy"]>0, e' "$TMP/o"
printf '# my terms\n营商环境优化\t2.0\t优化营商环境\n' >"$TMP/terms.tsv"
printf 'bad line without weight\n' >"$TMP/bad.tsv"
run_ps "$TMP/o" "$TMP/e" search -d "$IDX" --terms "$TMP/bad.tsv" 企业
check_eq "--terms with a malformed line: exit 2" 2 "$RC"
check "--terms with a malformed line: FILE:LINE: reason" grep -q "bad.tsv:1: " "$TMP/e"

# Progress: a live line on a terminal only.  script(1) gives the command a
# pseudo-terminal; where none can be had (no script, no /dev/ptmx, a
# container without devpts) the check is skipped, not failed.
if ! command -v script >/dev/null; then
    ok "progress line on a terminal # SKIP script(1) missing"
elif ! script -qec true /dev/null </dev/null >/dev/null 2>&1; then
    ok "progress line on a terminal # SKIP no pseudo-terminal to be had ('script -qec true' fails)"
else
    TERM=xterm script -qec "'$POLSEARCH' index --full -d '$TMP/pidx' '$SEEDS'" /dev/null >"$TMP/tty" 2>&1
    check "progress line on a terminal" grep -q "indexing: 5/5 files" "$TMP/tty"
fi
"$POLSEARCH" index --full -d "$TMP/pidx" "$SEEDS" 2>"$TMP/e" >/dev/null
check "no progress line in a pipe" sh -c "! grep -q 'indexing:' '$TMP/e'"
# Output formats for scripts.
"$POLSEARCH" search -d "$IDX" --json --all 研发投入 >"$TMP/j"
"$POLSEARCH" search -d "$IDX" --csv --all 研发投入 >"$TMP/c"
"$POLSEARCH" search -d "$IDX" --tsv --all 研发投入 >"$TMP/t"
check "--csv and --tsv parse back to the --json results" "$PY" - "$TMP/j" "$TMP/c" "$TMP/t" <<'PYEOF'
import csv, json, sys
js = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
rows = list(csv.DictReader(open(sys.argv[2], encoding='utf-8', newline='')))
tsv = [l.rstrip('\n').split('\t') for l in open(sys.argv[3], encoding='utf-8')]
assert len(js) == len(rows) == len(tsv) > 0
for j, c, t in zip(js, rows, tsv):
    assert (c['file'], int(c['paragraph']), int(c['rank'])) == (j['file'], j['paragraph'], j['rank'])
    assert abs(float(c['score']) - j['score']) < 1e-3 and c['snippet'] == j['snippet'] and c['title'] == j['title']
    assert (t[2], int(t[3])) == (j['file'], j['paragraph'])
PYEOF
"$POLSEARCH" search -d "$IDX" --csv --excel -n 1 研发投入 >"$TMP/x"
check "--excel starts with a UTF-8 BOM" sh -c "head -c 3 '$TMP/x' | od -An -tx1 | grep -q 'ef bb bf'"
check_eq "--format template" "1|研发投入" "$("$POLSEARCH" search -d "$IDX" --no-expand --format '{rank}|{query}研发投入' -n 1 研发投入 | sed 's/{query}//')"
"$POLSEARCH" search -d "$IDX" --kwic=6 --no-expand 研发投入 >"$TMP/k"
check "--kwic: every line holds the match at the same column" "$PY" - "$TMP/k" <<'PYEOF'
import sys, unicodedata
cols = set()
for line in open(sys.argv[1], encoding='utf-8'):
    i = line.index('研发投入')
    cols.add(sum(2 if unicodedata.east_asian_width(ch) in 'WF' else 1 for ch in line[:i]))
assert len(cols) == 1 and cols != {0}, cols
PYEOF
check_eq "-0 with -l feeds xargs -0" 3 "$("$POLSEARCH" search -d "$IDX" -l -0 专精特新 | xargs -0 -n1 echo | wc -l | tr -d ' ')"
printf '专精特新\n研发投入\n' | "$POLSEARCH" search -d "$IDX" --json -n 2 >"$TMP/q"
check "queries from stdin: grouped, with a query field" "$PY" -c "
import json; rows=[json.loads(l) for l in open('$TMP/q')]
assert [r['query'] for r in rows]==['专精特新']*2+['研发投入']*2, rows"
check_eq "options after the query" 3 "$("$POLSEARCH" search 专精特新 -d "$IDX" -l | wc -l | tr -d ' ')"
timeout 10 sh -c "'$POLSEARCH' search -d '$IDX' --all 企 | head -1 >/dev/null" 2>"$TMP/e"
check "| head -1 ends quietly" test ! -s "$TMP/e"
run_ps "$TMP/o" "$TMP/e" terms -d "$IDX" --by issuer --json 专精特新
check "terms --by issuer: 市科技局 speaks most of 专精特新" "$PY" -c "
import json; rows=[json.loads(l) for l in open('$TMP/o')]
assert rows[0]['group']=='市科技局' and rows[0]['term']=='专精特新' and rows[0]['count']>=14, rows"
run_ps "$TMP/o" "$TMP/e" terms -d "$IDX" 不是术语xyz
check_eq "terms with an unknown term: exit 2" 2 "$RC"

run_ps "$TMP/o" "$TMP/e" --version
check "--version names Xapian" grep -q "Xapian 1\." "$TMP/o"
finish
