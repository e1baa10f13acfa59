#!/bin/bash
# ids.sh — a paragraph's id (file + paragraph number) is stable: after an
# incremental re-index that changes one file, adds one and removes one,
# every paragraph of the unchanged files keeps its id and its text, and
# the changed file's paragraphs are renumbered from its new text; the same
# holds for the rows of `polsearch export` (every paragraph, ids and copy keys).
. "$(dirname "$0")/lib.sh"
cd "$TMP" && mkdir docs && cp "$SEEDS"/*.txt docs/ || exit 1
if ! ps index -q -d idx docs; then
    echo "not ok 1 - index"; echo "1..1"; exit 0
fi
# Every paragraph with 的 or 企业 or 科技, as FILE<TAB>PARAGRAPH<TAB>TEXT, sorted.
dump() {
    ps search -d idx --json --all --no-collapse 的 OR 企业 OR 科技 | "$PY" -c '
import json, sys
for l in sys.stdin:
    d = json.loads(l)
    print("%s\t%d\t%s" % (d["file"], d["paragraph"], json.dumps(d["text"], ensure_ascii=False)))' | LC_ALL=C sort
}
# Every row of the export, as FILE<TAB>PARAGRAPH<TAB>ID COPY-KEY TEXT.
export_dump() {
    ps export -d idx --jsonl | "$PY" -c '
import json, sys
for l in sys.stdin:
    d = json.loads(l)
    print("%s\t%d\t%s %s %s" % (d["file"], d["paragraph"], d["id"], d["copy_key"], json.dumps(d["text"], ensure_ascii=False)))'
}
dump >before.txt
export_dump >export-before.txt
changed=docs/001_a364a026ab62a3ac.txt removed=docs/002_0a6a893f069894ce.txt
{ printf '新增的第一段：支持企业科技创新。\n\n'; cat "$changed"; } >tmp && mv tmp "$changed"
rm "$removed"
printf '另一份文件\n\n企业科技创新的新文件。\n' >docs/new.txt
check "re-index after a change, a removal and an addition" ps index -q -d idx docs
dump >after.txt
export_dump >export-after.txt
keep() { grep -v -e "^$changed	" -e "^$removed	" -e "^docs/new.txt	" "$1"; }
check "before: more than 20 paragraphs of unchanged files" test "$(keep before.txt | wc -l)" -gt 20
check_eq "unchanged files keep every paragraph's id and text" "$(keep before.txt)" "$(keep after.txt)"
check "the removed file's paragraphs are gone" sh -c "! grep -q '^$removed	' after.txt"
check "the new file's paragraphs are there" grep -q "^docs/new.txt	" after.txt
check "the changed file's first paragraph is its new one" \
    grep -q "^$changed	1	\"新增的第一段：支持企业科技创新。\"\$" after.txt
check "export: more rows than the search found before" test "$(keep export-before.txt | wc -l)" -gt "$(keep before.txt | wc -l)"
check_eq "export: unchanged files keep every row's id, copy key and text" "$(keep export-before.txt)" "$(keep export-after.txt)"
check "export: the new file's rows are there, the removed file's gone" \
    sh -c "grep -q '^docs/new.txt	1	docs/new.txt:1 ' export-after.txt && ! grep -q '^$removed	' export-after.txt"
finish
