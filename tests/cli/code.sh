#!/bin/bash
# code.sh — polsearch code (issue 24 part 4): the shipped codebook codes
# every seed; each code's tally (summed over files, parents the union of
# their children) equals search -c of the OR of its lines; rows name
# the matched words; bad codebook lines are FILE:LINE errors, exit 2.
. "$(dirname "$0")/lib.sh"
CB=$(cd "$(dirname "$0")/../.." && pwd)/data/codebook-rothwell-zegveld.tsv
run_ps "$TMP/o" "$TMP/e" index -q -d "$TMP/idx" "$SEEDS"
check_eq "index the seeds" 0 "$RC"

run_ps "$TMP/rows" "$TMP/e" code -d "$TMP/idx" "$CB"
check_eq "code with the shipped codebook: exit 0" 0 "$RC"
check_eq "rows header" "file	paragraph	page	date	issuer	region	code	words" "$(head -1 "$TMP/rows")"
check_eq "every seed coded at least once" "$(ls "$SEEDS" | wc -l)" "$(tail -n +2 "$TMP/rows" | cut -f1 | sort -u | wc -l)"
check "a row names its matched words (税收优惠 under 环境型/税收优惠)" \
    grep -q "	环境型/税收优惠	税收优惠$" "$TMP/rows"

run_ps "$TMP/t" "$TMP/e" code -d "$TMP/idx" --by file --csv "$CB"
check_eq "--by file --csv: exit 0" 0 "$RC"
# Every code and parent: the sum over files of its paragraphs = search -c of the OR of its lines.
codes=$(grep -v '^#' "$CB" | cut -f1 | sort -u; grep -v '^#' "$CB" | cut -f1 | cut -d/ -f1 | sort -u)
bad=""
for c in $codes; do
    q=$(grep -v '^#' "$CB" | awk -F'\t' -v c="$c" '$1 == c || index($1, c "/") == 1 { print $2 }' | paste -sd'\n' | sed ':a;N;$!ba;s/\n/ OR /g')
    want=$(ps search -d "$TMP/idx" -c "$q")
    got=$("$PY" -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
assert list(rows[0].keys()) == ["file", "code", "paragraphs", "documents"], rows[0].keys()
print(sum(int(r["paragraphs"]) for r in rows if r["code"] == sys.argv[2]))' "$TMP/t" "$c")
    [ "$want" = "$got" ] || bad="$bad $c:$want/$got"
done
check_eq "tally per code = search -c of its lines ORed (parents included)" "" "$bad"
run_ps "$TMP/y" "$TMP/e" code -d "$TMP/idx" --by year --json "$CB"
check "--by year --json: one object per line with year, code, paragraphs, documents" \
    "$PY" -c 'import json,sys; [json.loads(l)["documents"] for l in open(sys.argv[1])]' "$TMP/y"

printf '# a comment\n供给型/人才培养\t人才培养\n\n需求型\tOR\n' >"$TMP/bad.tsv"
run_ps "$TMP/o" "$TMP/e" code -d "$TMP/idx" "$TMP/bad.tsv"
check_eq "a bad query: exit 2" 2 "$RC"
check "a bad query: polsearch: FILE:4: reason" grep -q "^polsearch: $TMP/bad.tsv:4: " "$TMP/e"
printf '供给型/人才培养 人才培养\n' >"$TMP/bad.tsv"
run_ps "$TMP/o" "$TMP/e" code -d "$TMP/idx" "$TMP/bad.tsv"
check "no tab: polsearch: FILE:1: reason, exit 2" grep -q "^polsearch: $TMP/bad.tsv:1: no tab" "$TMP/e"
printf '供给型//人才\t人才培养\n' >"$TMP/bad.tsv"
run_ps "$TMP/o" "$TMP/e" code -d "$TMP/idx" "$TMP/bad.tsv"
check_eq "empty code level: exit 2" 2 "$RC"
printf '供给型/人才培养\t人才培养\t人才政策的说明\n' >"$TMP/bad.tsv"
run_ps "$TMP/o" "$TMP/e" code -d "$TMP/idx" "$TMP/bad.tsv"
check "a third column: FILE:1: more than two columns, exit 2" \
    grep -q "^polsearch: $TMP/bad.tsv:1: more than two columns" "$TMP/e"
run_ps "$TMP/o" "$TMP/e" code -d "$TMP/idx" "$TMP/none.tsv"
check_eq "a missing codebook: exit 2" 2 "$RC"
finish
