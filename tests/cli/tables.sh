#!/bin/bash
# tables.sh — terms --by DIM[,DIM] --csv|--tsv|--wide: the CSV opens in
# Python's csv module with the expected header, and every cell's
# paragraphs equal search -c for the term with that cell's filters.
. "$(dirname "$0")/lib.sh"
REFS=$(cd "$(dirname "$0")/../fixtures/refs" && pwd)
cd "$TMP" && cp -r "$SEEDS" seeds && cp -r "$REFS" refs || exit 1
if ! ps index -q -d idx seeds refs; then
    echo "not ok 1 - index seeds and refs"; echo "1..1"; exit 0
fi
run_ps long.csv err terms -d idx --by year,region --lexicon --csv
check_eq "terms --by year,region --lexicon --csv: exit 0" 0 "$RC"
# Each cell as a search -c line: COUNT<TAB>ARGS (region: its deepest name, or unknown).
check "the CSV opens in Python's csv module with the expected header and rows" "$PY" - long.csv <<'PYEOF'
import csv, sys
with open(sys.argv[1], newline='', encoding='utf-8') as f:
    rows = list(csv.reader(f))
ok = rows[0] == ['year', 'region', 'term', 'paragraphs', 'documents', 'occurrences'] and len(rows) > 20
ok = ok and all(len(r) == 6 and int(r[3]) >= int(r[4]) >= 1 and int(r[5]) >= int(r[3]) for r in rows[1:])
sys.exit(not ok)
PYEOF
"$PY" - long.csv >cells.txt <<'PYEOF'
import csv, sys
with open(sys.argv[1], newline='', encoding='utf-8') as f:
    rows = list(csv.DictReader(f))
for r in rows:
    print('\t'.join([r['paragraphs'], r['year'], r['region'].split('/')[-1], r['term']]))
PYEOF
bad=0 n=0
while IFS=$'\t' read -r want year region term; do
    yr=(--year "$year"); [ "$year" = unknown ] && yr=()
    got=$(ps search -d idx -c "${yr[@]}" --region "$region" "$term")
    n=$((n + 1))
    [ "$got" = "$want" ] || { bad=$((bad + 1)); echo "# $year $region $term: table $want, search -c $got"; }
done <cells.txt
check "every cell ($n) equals search -c --year Y --region R TERM" test "$bad" -eq 0 -a "$n" -gt 20
# Per term, the cells of --by file add up to search -c TERM (no filter).
for term in 专精特新 高新技术企业 科技型企业 研发投入; do
    sum=$(ps terms -d idx --by file --tsv "$term" | awk -F'\t' 'NR > 1 { s += $3 } END { print s + 0 }')
    check_eq "terms --by file --tsv $term adds up to search -c" "$(ps search -d idx -c "$term")" "$sum"
done
# format,file in TSV against search -c --type --file.
ps terms -d idx --by format,file --tsv 科技型企业 >ff.tsv
check_eq "TSV header" "format	file	term	paragraphs	documents	occurrences" "$(head -1 ff.tsv)"
bad=0
while IFS=$'\t' read -r fmt file term para docs occ; do
    [ "$(ps search -d idx -c --type "$fmt" --file "$file" "$term")" = "$para" ] || bad=$((bad + 1))
done < <(tail -n +2 ff.tsv)
check "every format,file cell equals search -c --type --file" test "$bad" -eq 0
# --wide: one line per region, a column per term, each the long table's paragraphs (0 where none).
ps terms -d idx --by region --wide 专精特新 科技型企业 >wide.csv
ps terms -d idx --by region --csv 专精特新 科技型企业 >narrow.csv
check "--wide is the long table as a matrix" "$PY" - wide.csv narrow.csv <<'PYEOF'
import csv, sys
w = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
n = list(csv.DictReader(open(sys.argv[2], newline='', encoding='utf-8')))
want = {(r['region'], r['term']): r['paragraphs'] for r in n}
ok = w[0] == ['region', '专精特新', '科技型企业'] and len(w) == 1 + len({r['region'] for r in n})
for row in w[1:]:
    for term, v in zip(w[0][1:], row[1:]):
        ok = ok and v == want.get((row[0], term), '0')
sys.exit(not ok)
PYEOF
run_ps out err terms -d idx --by year,colour --csv
check_eq "--by with an unknown dimension: exit 2" 2 "$RC"
check_eq "--by with an unknown dimension: message" \
    "polsearch: --by: 'colour' is not file, issuer, year, region or format" "$(cat err)"
run_ps out err terms -d idx --by year,region,file --csv
check_eq "--by with three dimensions: exit 2" 2 "$RC"
finish
