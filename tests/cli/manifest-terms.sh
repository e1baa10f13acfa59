#!/bin/bash
# manifest-terms.sh — stats --manifest hashes the lexicon actually used
# (issue 24 part 6): the shipped one or $POLSEARCH_LEXICON's, and with
# --terms FILE the user's terms on top; each SHA-256 against sha256sum, and
# "as indexed" true only for the lexicon the index was built with.  Bad
# input: a missing or malformed terms file, --terms without --manifest.
. "$(dirname "$0")/lib.sh"
cd "$TMP" && mkdir docs && cp "$SEEDS"/*.txt docs/ || exit 1
LEX=${POLSEARCH_LEXICON:-$LEXICON}
printf '# my terms\n营商环境优化\t2.0\t优化营商环境\n' >my.tsv
if ! ps index -q -d idx --terms my.tsv docs || ! ps index -q -d plain docs; then
    echo "not ok 1 - index"; echo "1..1"; exit 0
fi
sha() { sha256sum "$1" | cut -d' ' -f1; }
# lexfield INDEX KEY [ARGS...]: the manifest's lexicon.KEY (JSON; null as "null").
lexfield() {
    local idx=$1 key=$2; shift 2
    ps stats -d "$idx" --manifest --json "$@" | "$PY" -c '
import json, sys
v = json.load(sys.stdin)["lexicon"][sys.argv[1]]
print("null" if v is None else str(v).lower() if isinstance(v, bool) else v)' "$key"
}
check_eq "--terms: terms_sha256 = sha256sum of the terms file" "$(sha my.tsv)" "$(lexfield idx terms_sha256 --terms my.tsv)"
check_eq "--terms: terms_file names it" "my.tsv" "$(lexfield idx terms_file --terms my.tsv)"
check_eq "--terms: the shipped lexicon's sha256 still = sha256sum" "$(sha "$LEX")" "$(lexfield idx sha256 --terms my.tsv)"
check_eq "--terms: as indexed (index --terms the same file)" "true" "$(lexfield idx as_indexed --terms my.tsv)"
check_eq "no --terms on an index built with them: not as indexed" "false" "$(lexfield idx as_indexed)"
check_eq "no --terms: terms_sha256 null" "null" "$(lexfield idx terms_sha256)"
check_eq "--terms on an index built without them: not as indexed" "false" "$(lexfield plain as_indexed --terms my.tsv)"
check_eq "an index built without terms, no --terms: as indexed" "true" "$(lexfield plain as_indexed)"
check_eq "the fingerprint with --terms is the index's" "$(lexfield idx index_fingerprint)" \
    "$(lexfield idx fingerprint --terms my.tsv)"
# POLSEARCH_LEXICON: the lexicon read is that file, and it is the one hashed.
{ cat "$LEX"; printf '我的新术语\t1.0\t\n'; } >lex2.tsv
check_eq "POLSEARCH_LEXICON: its path" "$TMP/lex2.tsv" "$(POLSEARCH_LEXICON=$TMP/lex2.tsv lexfield plain path)"
check_eq "POLSEARCH_LEXICON: its sha256" "$(sha lex2.tsv)" "$(POLSEARCH_LEXICON=$TMP/lex2.tsv lexfield plain sha256)"
check_eq "POLSEARCH_LEXICON, another lexicon: not as indexed" "false" \
    "$(POLSEARCH_LEXICON=$TMP/lex2.tsv lexfield plain as_indexed)"
POLSEARCH_LEXICON=$TMP/lex2.tsv ps index -q --full -d lex2idx docs
check_eq "POLSEARCH_LEXICON, the index built with it: as indexed" "true" \
    "$(POLSEARCH_LEXICON=$TMP/lex2.tsv lexfield lex2idx as_indexed)"
# CSV and text.
ps stats -d idx --manifest --csv --terms my.tsv >man.csv
check "CSV: terms_sha256, the last column, on every row" "$PY" -c '
import csv, sys
rows = list(csv.DictReader(open("man.csv", newline="", encoding="utf-8-sig")))
assert list(rows[0].keys())[-2:] == ["lexicon_sha256", "terms_sha256"], list(rows[0].keys())
assert len(rows) == 5 and all(r["terms_sha256"] == sys.argv[1] and r["lexicon_sha256"] == sys.argv[2] for r in rows), rows[0]' \
    "$(sha my.tsv)" "$(sha "$LEX")"
ps stats -d plain --manifest --csv >plain.csv
check "CSV without --terms: terms_sha256 empty" "$PY" -c '
import csv
rows = list(csv.DictReader(open("plain.csv", newline="", encoding="utf-8-sig")))
assert rows and all(r["terms_sha256"] == "" for r in rows), rows[0]'
ps stats -d idx --manifest --terms my.tsv >man.txt
check "text: a terms line with the file and its sha256" grep -q "^terms:       my.tsv sha256 $(sha my.tsv) " man.txt
check "text: the lexicon line says it is the one indexed" grep -q "(the one the index was built with)" man.txt
# Bad input.
run_ps out err stats -d idx --manifest --terms nosuch.tsv
check_eq "--terms of a missing file: exit 2" 2 "$RC"
check "--terms of a missing file: polsearch: FILE: reason" grep -q "^polsearch: nosuch.tsv: No such file" err
printf 'bad line without weight\n' >bad.tsv
run_ps out err stats -d idx --manifest --json --terms bad.tsv
check_eq "--terms with a malformed line: exit 2" 2 "$RC"
check "--terms with a malformed line: FILE:LINE: reason, no output" \
    bash -c 'grep -q "bad.tsv:1: " err && ! [ -s out ]'
run_ps out err stats -d idx --terms my.tsv
check_eq "--terms without --manifest: exit 2" 2 "$RC"
check "--terms without --manifest: says so" grep -q -- "--terms goes with --manifest" err
finish
