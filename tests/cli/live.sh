#!/bin/bash
# live.sh — a paragraph tombstoned by an incremental re-index never comes
# back (issue 22, part 2).  Every query on the index goes through the store's
# one query entry (store_query_live, store_enquire, store_each_live:
# store.h), which leaves out the dead file versions; tools/check-house.py
# reports an xs_enquire anywhere else.  A notice cites a document and has one
# paragraph (P) that names 梳理企业名单; another file has a near-copy of P
# without those words.  The re-index drops P; it is incremental, so P's old
# document is still on disk (stats counts it as superseded), and every entry
# must miss it: search (ranked, -c, -l, --json, --cites, --similar-to),
# terms, cooc, similar (one paragraph and --pairs), export, refs (FILE,
# --to, --graph), stats, and the web's /api/search and /api/terms on a
# server started before the re-index.  Besides "P is gone", each entry's
# output must equal its output on a fresh index of the same files (an index
# that never held P: the independent answer).
. "$(dirname "$0")/lib.sh"
FIXTURES=${TESTS_DIR:-$(cd "$(dirname "$0")/.." && pwd)}/fixtures/refs
mkdir -p "$TMP/docs"
cd "$TMP" || exit 1
cp "$FIXTURES/linyi-wings.txt" docs/wings.txt
CITE='《临沂市实施发展翅膀工程 赋能经济高质量发展的若干措施》'
BODY='把专精特新中小企业和高新技术企业的研发投入情况逐一核实，按季度报送市科技局，确保培育对象底数清楚、情况明白。'
P="一、对照${CITE}，梳理企业名单，${BODY}"
printf '%s\n' 临沂市科学技术局关于做好企业培育工作的通知 '临科发〔2024〕9号' 发布日期：2024-08-10 \
    各县区科技局： "$P" 二、完善培育机制，做好服务保障。 临沂市科学技术局 >docs/notice.txt
printf '%s\n' 某市科技局关于企业核实工作的通知 发布日期：2024-09-01 "一、对照${CITE}，${BODY}" \
    二、其他事项另行通知。 >docs/other.txt
IDX=$TMP/idx
WINGS='临沂市实施发展翅膀工程 赋能经济高质量发展的若干措施'

# probe IDX: what each entry finds of P, one line each.
probe() {
    local d=$1
    echo "$(ps search -d "$d" --color=never -c 梳理企业名单)"
    echo "$(ps search -d "$d" --color=never -l --all 梳理企业名单)"
    echo "$(ps search -d "$d" --color=never --json --all 梳理企业名单 | grep -c '"paragraph"')"
    echo "$(ps search -d "$d" --color=never 梳理企业名单 | grep -c '^docs/notice.txt:')"
    echo "$(ps search -d "$d" --color=never -l --cites "$WINGS" 企业 | paste -sd ' ')"
    echo "$(ps search -d "$d" --color=never -l --similar-to docs/other.txt:3 | grep -c notice)"
    echo "$(ps similar -d "$d" docs/other.txt:3 | grep -c '^docs/notice.txt:')"
    echo "$(ps similar -d "$d" --pairs --tsv | grep -c notice)"
    local both
    both=$(ps cooc -d "$d" --tsv 梳理企业名单 专精特新 | cut -f5 | tail -n +2)
    echo "${both:-0}"                     # no row: no paragraph has both
    echo "$(ps export -d "$d" --jsonl | grep -c 梳理企业名单)"
    echo "$(ps refs -d "$d" --to docs/wings.txt | cut -f1 | paste -sd ' ')"
    echo "$(ps refs -d "$d" docs/notice.txt | grep -c .)"
}
# same IDX: every entry's output that a fresh index must give alike.
same() {
    local d=$1 q
    for q in 梳理企业名单 专精特新 企业 '高新技术企业 OR 研发投入' 核实; do
        ps search -d "$d" --color=never -c "$q"
        ps search -d "$d" --color=never -l --all "$q" | sort
    done
    ps terms -d "$d" --tsv 专精特新 高新技术企业
    ps terms -d "$d" --json --by file --lexicon -n 0
    ps cooc -d "$d" --tsv 梳理企业名单 专精特新 高新技术企业 研发投入
    ps similar -d "$d" docs/other.txt:3
    ps similar -d "$d" --pairs --tsv --min 0.2
    ps export -d "$d" --jsonl
    ps refs -d "$d" docs/notice.txt
    ps refs -d "$d" --to docs/wings.txt
    ps refs -d "$d" --graph --json
    ps stats -d "$d" --json | grep -o '"\(files\|paragraphs\)": *[0-9]*'
}

run_ps "$TMP/o" "$TMP/e" index -q -d "$IDX" docs
check_eq "index: exit 0" 0 "$RC"
probe "$IDX" >"$TMP/before" 2>&1
check_eq "before: every entry finds P" \
"1
docs/notice.txt
1
1
docs/notice.txt docs/other.txt
1
1
1
1
1
docs/notice.txt:4 docs/other.txt:3
1" "$(cat "$TMP/before")"
paras_before=$(ps stats -d "$IDX" --json | grep -o '"paragraphs": *[0-9]*' | head -1 | grep -o '[0-9]*$')

# The web server reads the index before the re-index and must follow it.
HAVE_WEB=0
if command -v curl >/dev/null 2>&1 && PORT=$(pick_port); then
    "$POLSEARCH" web -d "$IDX" --port "$PORT" >"$TMP/web.out" 2>"$TMP/web.err" &
    SERVER_PIDS="$SERVER_PIDS $!"
    for _ in $(seq 1 100); do port_listening "$PORT" && break; sleep 0.1; done
    port_listening "$PORT" && HAVE_WEB=1
fi
BASE=http://127.0.0.1:${PORT:-0}
QP=%E6%A2%B3%E7%90%86%E4%BC%81%E4%B8%9A%E5%90%8D%E5%8D%95         # 梳理企业名单
QT=%E4%B8%93%E7%B2%BE%E7%89%B9%E6%96%B0                           # 专精特新
if [ "$HAVE_WEB" = 1 ]; then
    check_eq "before: /api/search finds P" 1 "$(curl -s "$BASE/api/search?q=$QP&n=100" | grep -o '"paragraph"' | grep -c .)"
fi

# P goes; the rest of the file stays.
grep -v 梳理企业名单 docs/notice.txt >"$TMP/n" && mv "$TMP/n" docs/notice.txt
touch -d '2030-01-01' docs/notice.txt
run_ps "$TMP/o" "$TMP/e" index -q -d "$IDX" docs
check_eq "incremental re-index: exit 0" 0 "$RC"
sup=$(ps stats -d "$IDX" --json | grep -o '"superseded": *[0-9]*' | grep -o '[0-9]*$')
check "the old version's paragraphs are still on disk (superseded: $sup)" test "${sup:-0}" -gt 0
probe "$IDX" >"$TMP/after" 2>&1
check_eq "after: no entry finds P" \
"0

0
0
docs/other.txt
0
0
0
0
0
docs/other.txt:3
0" "$(cat "$TMP/after")"
paras_after=$(ps stats -d "$IDX" --json | grep -o '"paragraphs": *[0-9]*' | head -1 | grep -o '[0-9]*$')
check_eq "stats: one paragraph fewer ($paras_before before)" $((paras_before - 1)) "$paras_after"
check_eq "the file's live paragraphs are still found" 1 "$(ps search -d "$IDX" -c 完善培育机制)"

# The independent answer: a fresh index of the same files.
run_ps "$TMP/o" "$TMP/e" index -q -d "$TMP/fresh" docs
check_eq "fresh index: exit 0" 0 "$RC"
same "$IDX" >"$TMP/same.inc" 2>&1
same "$TMP/fresh" >"$TMP/same.fresh" 2>&1
check "every entry's output equals a fresh index's ($(wc -l <"$TMP/same.fresh") lines)" \
    diff "$TMP/same.fresh" "$TMP/same.inc"
check "the fresh index's outputs are not empty" grep -q 高新技术企业 "$TMP/same.fresh"

if [ "$HAVE_WEB" = 1 ]; then
    check_eq "after: /api/search on the running server misses P" 0 \
        "$(curl -s "$BASE/api/search?q=$QP&n=100" | grep -o '"paragraph"' | grep -c .)"
    curl -s -o "$TMP/api.terms" "$BASE/api/terms?t=$QT"
    ps terms -d "$IDX" --json 专精特新 >"$TMP/cli.terms"
    check "after: /api/terms is terms --json of the live paragraphs" cmp "$TMP/cli.terms" "$TMP/api.terms"
    ps terms -d "$TMP/fresh" --json 专精特新 >"$TMP/fresh.terms"
    check "after: and that is the fresh index's" cmp "$TMP/fresh.terms" "$TMP/cli.terms"
else
    for w in "/api/search misses P" "/api/terms is terms --json" "and the fresh index's"; do
        ok "$w # SKIP curl (tools/install-deps.sh installs it) or a free port is missing"
    done
fi
finish
