#!/bin/bash
# refs.sh — relations between documents: `polsearch refs FILE` (what a file
# cites, resolved to indexed files or '-'), `refs --to` (who cites a file, a
# title or a document number), `refs --graph` (DOT for Graphviz, JSON), and
# `search --cites` agreeing with `refs --to`; then the same answers from the
# index served over loopback (polsearch serve, -d tcp://).
#
# The corpus: the five seeds plus tests/fixtures/refs, documents the seeds
# cite (临沂市实施发展翅膀工程 赋能经济高质量发展的若干措施, 银川市科技体制
# 改革攻坚方案), one with the number 国办发〔2017〕47号, and a notice that
# cites that number as 国办发[2017]47号, seed 003 by its number only
# (临科函字〔2024〕4号), two titles and a title not indexed.
. "$(dirname "$0")/lib.sh"
FIXTURES=${TESTS_DIR:-$(cd "$(dirname "$0")/.." && pwd)}/fixtures/refs

# Index relative paths, so files are named seeds/... and refs/... .
mkdir -p "$TMP/docs" && cp -r "$SEEDS" "$TMP/docs/seeds" && cp -r "$FIXTURES" "$TMP/docs/refs"
cd "$TMP/docs" || exit 1
IDX=$TMP/idx
run_ps "$TMP/o" "$TMP/e" index -q --servable -d "$IDX" seeds refs
check_eq "index --servable seeds + fixtures: exit 0" 0 "$RC"

S003=seeds/003_1f11e292ab1845fd.txt
S004=seeds/004_135bf9ada3a6babd.txt
T=$(printf '\t')

# refs_out FILE ARGS...: polsearch refs -d IDX ARGS, stdout to FILE; sets RC.
refs_out() { local o=$1; shift; "$POLSEARCH" refs -d "$IDX" "$@" >"$o" 2>"$o.err"; RC=$?; }

# --- 1. refs FILE -------------------------------------------------------------------
refs_out "$TMP/r003" "$S003"
check_eq "refs seed 003: exit 0" 0 "$RC"
check_eq "refs seed 003: its four titles in order, the indexed one resolved" \
"2${T}《关于引育“专精特新”,加力提速工业经济高质量发展的建议》${T}-
4${T}《科技型企业“梯次培育”行动方案》${T}-
7${T}《临沂市实施发展翅膀工程 赋能经济高质量发展的若干措施》${T}refs/linyi-wings.txt
12${T}《临沂市实施发展翅膀工程 加快培育新质生产力三年行动方案》${T}-" "$(cat "$TMP/r003")"

refs_out "$TMP/r004" "$S004"
check_eq "refs seed 004: two titles of one paragraph, in order; the indexed one resolved" \
"9${T}《银川市推进创新驱动战略行动计划》${T}-
9${T}《银川市科技体制改革攻坚方案》${T}refs/yinchuan-reform.txt" "$(cat "$TMP/r004")"

refs_out "$TMP/rn" refs/linyi-notice.txt
check_eq "refs of the notice: numbers ([] and 〔〕) and titles resolved, an unindexed title '-'" \
"3${T}国办发[2017]47号${T}refs/guoban-47.txt
3${T}临科函字〔2024〕4号${T}${S003}
4${T}《临沂市实施发展翅膀工程 赋能经济高质量发展的若干措施》${T}refs/linyi-wings.txt
5${T}《银川市科技体制改革攻坚方案》${T}refs/yinchuan-reform.txt
5${T}《济南市科技创新促进条例》${T}-" "$(cat "$TMP/rn")"

refs_out "$TMP/rj" --json refs/linyi-notice.txt
check_eq "refs --json: one object per reference with file, paragraph, kind, ref, target (null: not indexed)" \
"refs/linyi-notice.txt 3 docno 国办发[2017]47号 refs/guoban-47.txt
refs/linyi-notice.txt 3 docno 临科函字〔2024〕4号 $S003
refs/linyi-notice.txt 4 title 《临沂市实施发展翅膀工程 赋能经济高质量发展的若干措施》 refs/linyi-wings.txt
refs/linyi-notice.txt 5 title 《银川市科技体制改革攻坚方案》 refs/yinchuan-reform.txt
refs/linyi-notice.txt 5 title 《济南市科技创新促进条例》 None" \
"$("$PY" -c '
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    o = json.loads(line)
    assert sorted(o) == ["file", "kind", "paragraph", "ref", "target"], sorted(o)
    print(o["file"], o["paragraph"], o["kind"], o["ref"], o["target"])' "$TMP/rj" 2>&1)"

refs_out "$TMP/ry" refs/yinchuan-reform.txt
check_eq "refs of a file that names only itself: exit 1" 1 "$RC"
check "refs of a file that names only itself: nothing listed" test ! -s "$TMP/ry"
refs_out "$TMP/r002" seeds/002_0a6a893f069894ce.txt
check_eq "refs of seed 002 (cites nothing): exit 1" 1 "$RC"

refs_out "$TMP/ru" nosuch.txt
check_eq "refs of an unknown file: exit 2" 2 "$RC"
check_eq "refs of an unknown file: the message" "polsearch: nosuch.txt: not in the index" "$(cat "$TMP/ru.err")"
check "refs of an unknown file: nothing on stdout" test ! -s "$TMP/ru"
refs_out "$TMP/r0"
check_eq "refs with no FILE: exit 2" 2 "$RC"
refs_out "$TMP/r0" --to "$S003" "$S004"
check_eq "refs --to DOC FILE: exit 2" 2 "$RC"
refs_out "$TMP/r0" --dot "$S003"
check_eq "refs --dot without --graph: exit 2" 2 "$RC"

# --- 2. refs --to -------------------------------------------------------------------
# where FILE: the FILE:PARAGRAPH and REFERENCE columns of refs --to output FILE.
where() { cut -f1,2 "$1"; }

refs_out "$TMP/t1" --to refs/linyi-wings.txt
check_eq "refs --to FILE (by title): exit 0" 0 "$RC"
check_eq "refs --to FILE (by title): both citing paragraphs, in path order" \
"refs/linyi-notice.txt:4${T}《临沂市实施发展翅膀工程 赋能经济高质量发展的若干措施》
${S003}:7${T}《临沂市实施发展翅膀工程 赋能经济高质量发展的若干措施》" "$(where "$TMP/t1")"
check "refs --to FILE: the snippet holds the citation" \
    sh -c "cut -f3 '$TMP/t1' | grep -c '临沂市实施发展翅膀工程 赋能经济高质量发展的若干措施' | grep -qx 2"

refs_out "$TMP/t2" --to "$S003"
check_eq "refs --to a file cited only by its number: found" \
"refs/linyi-notice.txt:3${T}临科函字〔2024〕4号" "$(where "$TMP/t2")"

YC="refs/linyi-notice.txt:5${T}《银川市科技体制改革攻坚方案》
seeds/004_135bf9ada3a6babd.txt:9${T}《银川市科技体制改革攻坚方案》"
for title in 银川市科技体制改革攻坚方案 《银川市科技体制改革攻坚方案》 '<<银川市科技体制改革攻坚方案>>' \
             ' 银川市科技体制改革攻坚方案 ' refs/yinchuan-reform.txt; do
    refs_out "$TMP/t3" --to "$title"
    check_eq "refs --to '$title': the two citing paragraphs, not the document itself" "$YC" "$(where "$TMP/t3")"
done

GB="refs/linyi-notice.txt:3${T}国办发[2017]47号"
for no in 国办发〔2017〕47号 '国办发[2017]47号' '国办发(2017)47号' '国办发［2017］47号' 国办发〔2017〕47 \
          refs/guoban-47.txt; do
    refs_out "$TMP/t4" --to "$no"
    check_eq "refs --to '$no': the paragraph citing it as 国办发[2017]47号" "$GB" "$(where "$TMP/t4")"
done

refs_out "$TMP/tj" --json --to 银川市科技体制改革攻坚方案
check_eq "refs --to --json: file, paragraph, kind, ref, snippet (holding the ref)" \
"refs/linyi-notice.txt 5 title 《银川市科技体制改革攻坚方案》 True
seeds/004_135bf9ada3a6babd.txt 9 title 《银川市科技体制改革攻坚方案》 True" \
"$("$PY" -c '
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    o = json.loads(line)
    assert sorted(o) == ["file", "kind", "paragraph", "ref", "snippet"], sorted(o)
    print(o["file"], o["paragraph"], o["kind"], o["ref"], o["ref"] in o["snippet"])' "$TMP/tj" 2>&1)"

refs_out "$TMP/tc" --to refs/linyi-wings.txt --color=always
check "refs --to --color=always: the citation is bold red in the snippet" \
    grep -q "$(printf '\033\\[1;31m')《临沂市实施发展翅膀工程" "$TMP/tc"
refs_out "$TMP/tn" --to refs/linyi-wings.txt --color=never
check "refs --to --color=never: no escape sequences" sh -c "! grep -q '$(printf '\033')' '$TMP/tn'"

refs_out "$TMP/t5" --to 从未被引用的某某实施方案
check_eq "refs --to a title nobody cites: exit 1" 1 "$RC"
check "refs --to a title nobody cites: nothing listed" test ! -s "$TMP/t5"
refs_out "$TMP/t6" --to refs/guoban-47.txt
check_eq "refs --to FILE (by number): exit 0" 0 "$RC"
refs_out "$TMP/t7" --to '《》'
check_eq "refs --to '《》' (no title): exit 2" 2 "$RC"

# --- 3. search --cites agrees with refs --to ------------------------------------------
# Each query word is part of what is cited, so every citing paragraph matches it.
for pair in '银川市科技体制改革攻坚方案|银川' '国办发〔2017〕47号|国办发' \
            '临沂市实施发展翅膀工程 赋能经济高质量发展的若干措施|临沂' '临科函字〔2024〕4号|临科函字'; do
    doc=${pair%|*} word=${pair#*|}
    n_search=$("$POLSEARCH" search -d "$IDX" -c --cites "$doc" "$word" </dev/null 2>/dev/null)
    n_refs=$("$POLSEARCH" refs -d "$IDX" --to "$doc" 2>/dev/null | wc -l)
    check_eq "search -c --cites '$doc' equals the refs --to count ($n_refs)" "$n_refs" "$n_search"
done

# --- 4. refs --graph ------------------------------------------------------------------
refs_out "$TMP/g.json" --graph --json
check_eq "refs --graph --json: exit 0" 0 "$RC"
check_eq "refs --graph --json: nine nodes, the six edges among indexed files" \
"9 nodes
refs/linyi-notice.txt -> refs/guoban-47.txt 1
refs/linyi-notice.txt -> refs/linyi-wings.txt 1
refs/linyi-notice.txt -> refs/yinchuan-reform.txt 1
refs/linyi-notice.txt -> seeds/003_1f11e292ab1845fd.txt 1
seeds/003_1f11e292ab1845fd.txt -> refs/linyi-wings.txt 1
seeds/004_135bf9ada3a6babd.txt -> refs/yinchuan-reform.txt 1" \
"$("$PY" -c '
import json, sys
g = json.load(open(sys.argv[1], encoding="utf-8"))
assert sorted(g) == ["edges", "nodes"]
files = {n["id"]: n["file"] for n in g["nodes"]}
assert all(sorted(n) == ["date", "file", "id", "title"] and n["title"] for n in g["nodes"])
print(len(files), "nodes")
for e in sorted((files[e["from"]], files[e["to"]], e["refs"]) for e in g["edges"]):
    print("%s -> %s %d" % e)' "$TMP/g.json" 2>&1)"

refs_out "$TMP/g.dot" --graph
check_eq "refs --graph: exit 0" 0 "$RC"
refs_out "$TMP/g2.dot" --graph --dot
check "refs --graph --dot is the default" cmp -s "$TMP/g.dot" "$TMP/g2.dot"
check_eq "refs --graph: as many DOT edges as JSON edges" 6 "$(grep -c -- ' -> ' "$TMP/g.dot")"
check "refs --graph: nodes labelled with a short title and the date" \
    grep -q 'label="银川市科技体制改革攻坚方案\\n2022-03-15"' "$TMP/g.dot"
if command -v dot >/dev/null 2>&1; then
    dot -Tsvg "$TMP/g.dot" >"$TMP/g.svg" 2>"$TMP/g.svg.err"
    check_eq "refs --graph: dot -Tsvg renders it" 0 "$?"
    check "refs --graph: the SVG has the nine nodes" sh -c "test \$(grep -c 'class=\"node\"' '$TMP/g.svg') -eq 9"
else
    TAP_N=$((TAP_N + 1)); echo "ok $TAP_N # SKIP graphviz's dot is not installed"
    TAP_N=$((TAP_N + 1)); echo "ok $TAP_N # SKIP graphviz's dot is not installed"
fi

# --- 5. the same answers over tcp:// ----------------------------------------------------
REMOTE_CHECKS=(
    "$S003"
    "--json refs/linyi-notice.txt"
    "--to $S003"
    "--to 银川市科技体制改革攻坚方案"
    "--json --to 国办发〔2017〕47号"
    "--graph"
    "--graph --json"
)
PORT=$(pick_port)
if [ -z "$PORT" ] || ! start_server R "$PORT" -d "$IDX"; then
    for c in "${REMOTE_CHECKS[@]}" cites cites2 unknown; do
        TAP_N=$((TAP_N + 1)); echo "ok $TAP_N # SKIP no loopback port for polsearch serve"
    done
else
    R=tcp://127.0.0.1:$PORT
    for c in "${REMOTE_CHECKS[@]}"; do
        read -r -a args <<<"$c"
        timeout 30 "$POLSEARCH" refs -d "$IDX" "${args[@]}" >"$TMP/loc" 2>&1
        timeout 30 "$POLSEARCH" refs -d "$R" "${args[@]}" >"$TMP/rem" 2>&1
        check "refs $c: the same over tcp:// ($(wc -l <"$TMP/loc") lines)" \
            sh -c "test -s '$TMP/loc' && cmp -s '$TMP/loc' '$TMP/rem'"
    done
    # hits INDEX: the file and paragraph of each search --cites result.
    hits() {
        timeout 30 "$POLSEARCH" search -d "$1" --all --json --cites 临科函字〔2024〕4号 国办发 </dev/null 2>&1 |
            grep -o '"file":"[^"]*","paragraph":[0-9]*'
    }
    loc=$(hits "$IDX")
    check_eq "search --cites: the same results over tcp://" "$loc" "$(hits "$R")"
    check "search --cites: a result (local)" test -n "$loc"
    run_ps "$TMP/o" "$TMP/e" refs -d "$R" nosuch.txt
    check_eq "refs of an unknown file over tcp://: exit 2 and the message" \
        "2 polsearch: nosuch.txt: not in the index" "$RC $(cat "$TMP/e")"
fi

finish
