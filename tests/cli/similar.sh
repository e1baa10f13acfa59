#!/bin/bash
# similar.sh — polsearch similar (issue 24 part 5): a seed paragraph
# changed by one character, one clause and one sentence, placed in other
# files (tests/fixtures/similar), is found with falling scores in that
# order; unrelated paragraphs are not listed; exact copies are left out
# unless --with-copies; search --similar-to gives the same paragraphs in
# every output mode, with the filters; similar --pairs lists the same
# pairs, scores and order (earlier date first) as a brute-force all-pairs
# computation in Python (similar_oracle.py); bad input exits 2.
. "$(dirname "$0")/lib.sh"
FIX=$(cd "$(dirname "$0")/../fixtures/similar" && pwd)
ORACLE=$(dirname "$0")/similar_oracle.py
run_ps "$TMP/o" "$TMP/e" index -q -d "$TMP/idx" "$SEEDS" "$FIX"
check_eq "index the seeds and the fixtures" 0 "$RC"
run_ps "$TMP/o" "$TMP/e" index -q -d "$TMP/fx" "$FIX"
check_eq "index the fixtures alone" 0 "$RC"

# --- one paragraph ---------------------------------------------------------
run_ps "$TMP/s" "$TMP/e" similar -d "$TMP/idx" --json "$FIX/origin.txt:3"
check_eq "similar origin.txt:3: exit 0" 0 "$RC"
check_eq "the one-character, one-clause and one-sentence variants, in that order, nothing else" \
    "char.txt:3 clause.txt:3 sentence.txt:3" \
    "$("$PY" -c '
import json, os, sys
print(" ".join(os.path.basename(d["file"]) + ":" + str(d["paragraph"]) for d in map(json.loads, open(sys.argv[1]))))' "$TMP/s")"
check "their similarities fall strictly, in (0, 1), and say their measure" "$PY" -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
s = [r["similarity"] for r in rows]
assert all(0 < x < 1 for x in s) and s == sorted(s, reverse=True) and len(set(s)) == len(s), s
assert all(r["measure"] == "jaccard-3-shingles" for r in rows)
assert [r["rank"] for r in rows] == [1, 2, 3]' "$TMP/s"
# The scores are the brute-force Jaccard of the texts' 3-shingles.
"$PY" "$ORACLE" "$FIX" 0.0 >"$TMP/all-pairs"
check "each similarity is the brute-force Jaccard of origin.txt:3 and it (to 1e-6)" "$PY" -c '
import json, sys
want = {}
for l in open(sys.argv[2]):
    s, f1, p1, f2, p2 = l.rstrip("\n").split("\t")
    want[(f1, int(p1), f2, int(p2))] = want[(f2, int(p2), f1, int(p1))] = float(s)
for r in map(json.loads, open(sys.argv[1])):
    w = want[(sys.argv[3], 3, r["file"], r["paragraph"])]
    assert abs(w - r["similarity"]) < 1e-6, (r["file"], w, r["similarity"])' "$TMP/s" "$TMP/all-pairs" "$FIX/origin.txt"
check "the paragraph numbers and texts are the oracle's (its paragraphs are the fixtures' lines)" "$PY" -c '
import json, sys
paras = {}
for l in open(sys.argv[2], encoding="utf-8"):
    f, n, t = l.rstrip("\n").split("\t", 2)
    paras[(f, int(n))] = t
for r in map(json.loads, open(sys.argv[1])):
    assert paras[(r["file"], r["paragraph"])] == r["text"], r["file"]' "$TMP/s" <("$PY" "$ORACLE" "$FIX" --paras)

run_ps "$TMP/c" "$TMP/e" similar -d "$TMP/idx" --json --with-copies "$FIX/origin.txt:3"
check_eq "--with-copies: the exact copies (seed 000:6, copy.txt with full-width forms) first, similarity 1, collapsed" \
    "000_af7ea0c36382d7b8.txt:6 copy.txt:3 1.0" "$("$PY" -c '
import json, os, sys
d = json.loads(open(sys.argv[1]).readline())
where = [d] + d["duplicates"]
print(" ".join(sorted(os.path.basename(w["file"]) + ":" + str(w["paragraph"]) for w in where)), d["similarity"])' "$TMP/c")"
check_eq "--with-copies: the three variants follow" 4 "$(wc -l <"$TMP/c")"
check "without --with-copies the copy is not listed" bash -c "! grep -q copy.txt '$TMP/s'"

(cd "$FIX/.." && "$POLSEARCH" similar -d "$TMP/idx" --json ./similar/origin.txt:3) >"$TMP/s2" 2>"$TMP/e"
check "another spelling of the file (./similar/origin.txt from its parent) gives the same" cmp -s "$TMP/s" "$TMP/s2"

run_ps "$TMP/u" "$TMP/e" similar -d "$TMP/idx" --json "$FIX/origin.txt:4"
check_eq "an unrelated paragraph of origin.txt (talent policy): only its near-copy, none of the seed's" \
    "unrelated.txt:4" "$("$PY" -c '
import json, os, sys
print(" ".join(os.path.basename(d["file"]) + ":" + str(d["paragraph"]) for d in map(json.loads, open(sys.argv[1]))))' "$TMP/u")"
run_ps "$TMP/n" "$TMP/e" similar -d "$TMP/idx" "$FIX/char.txt:4"
check_eq "a paragraph like no other (rural revitalisation): exit 1, nothing listed" "1:0" "$RC:$(wc -c <"$TMP/n")"
run_ps "$TMP/n" "$TMP/e" similar -d "$TMP/idx" -n 2 --min 0.9 "$FIX/origin.txt:3"
check_eq "--min 0.9 -n 2: the one-character and one-clause variants" 2 "$(grep -c '^/.*\.txt:3 ' "$TMP/n")"
run_ps "$TMP/n" "$TMP/e" similar -d "$TMP/idx" --min 0 -n 5 --json "$SEEDS/000_af7ea0c36382d7b8.txt:6"
check "a seed's own paragraph: the variants are its most similar paragraphs, its own document never" "$PY" -c '
import json, os, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
names = [os.path.basename(r["file"]) for r in rows]
assert names[:3] == ["char.txt", "clause.txt", "sentence.txt"], names
assert not any(n.startswith("000_") for n in names), names' "$TMP/n"

# --- search --similar-to ---------------------------------------------------
run_ps "$TMP/q" "$TMP/e" search -d "$TMP/idx" --json --similar-to "$FIX/origin.txt:3"
check "search --similar-to --json: the same paragraphs, the similarity as score" "$PY" -c '
import json, sys
a = [(d["file"], d["paragraph"], round(d["similarity"], 4)) for d in map(json.loads, open(sys.argv[1]))]
b = [(d["file"], d["paragraph"], round(d["score"], 4)) for d in map(json.loads, open(sys.argv[2]))]
assert a == b, (a, b)' "$TMP/s" "$TMP/q"
check_eq "search --similar-to -c" 3 "$(ps search -d "$TMP/idx" -c --similar-to "$FIX/origin.txt:3")"
check_eq "search --similar-to -l" "char.txt clause.txt sentence.txt" \
    "$(ps search -d "$TMP/idx" -l --similar-to "$FIX/origin.txt:3" | xargs -n1 basename | paste -sd' ')"
check_eq "search --similar-to --since 2024-01-01 (the sentence variant is of 2023)" 2 \
    "$(ps search -d "$TMP/idx" -c --since 2024-01-01 --similar-to "$FIX/origin.txt:3")"
check_eq "search --similar-to --region 海宁" "clause.txt" \
    "$(ps search -d "$TMP/idx" -l --region 海宁 --similar-to "$FIX/origin.txt:3" | xargs -n1 basename)"
check_eq "search --similar-to --type text / --type pdf (plain text has no format term)" "3 0" \
    "$(ps search -d "$TMP/idx" -c --type text --similar-to "$FIX/origin.txt:3") $(ps search -d "$TMP/idx" -c --type pdf --similar-to "$FIX/origin.txt:3")"
check_eq "search --similar-to --similar-min 0.95" 1 \
    "$(ps search -d "$TMP/idx" -c --similar-min 0.95 --similar-to "$FIX/origin.txt:3")"
run_ps "$TMP/o" "$TMP/e" search -d "$TMP/idx" --csv --similar-to "$FIX/origin.txt:3"
check "search --similar-to --csv: a header and three rows" "$PY" -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
assert len(rows) == 3 and rows[0]["paragraph"] == "3", rows' "$TMP/o"
run_ps "$TMP/o" "$TMP/e" search -d "$TMP/idx" "$FIX/origin.txt:3" --similar-to "$FIX/origin.txt:3"
check_eq "search --similar-to with a query too: exit 2" 2 "$RC"

# --- pairs -----------------------------------------------------------------
for copies in "" --with-copies; do
    run_ps "$TMP/p.csv" "$TMP/e" similar -d "$TMP/fx" --pairs --min 0.6 --csv $copies
    check_eq "similar --pairs --min 0.6 --csv $copies: exit 0" 0 "$RC"
    "$PY" "$ORACLE" "$FIX" 0.6 $copies >"$TMP/want"
    check "--pairs $copies: the brute-force pairs, in order, earlier date first, scores to 1e-6" "$PY" -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
assert list(rows[0].keys()) == ["similarity", "first_file", "first_paragraph", "first_date", "first_issuer",
                                "second_file", "second_paragraph", "second_date", "second_issuer"], rows[0].keys()
want = [l.rstrip("\n").split("\t") for l in open(sys.argv[2])]
got = [(r["first_file"], r["first_paragraph"], r["second_file"], r["second_paragraph"]) for r in rows]
assert got == [tuple(w[1:]) for w in want], (got, want)
for r, w in zip(rows, want):
    assert abs(float(r["similarity"]) - float(w[0])) < 1e-6, (r, w)
    assert not (r["first_date"] and r["second_date"]) or r["first_date"] <= r["second_date"], r
assert len(rows) >= 8' "$TMP/p.csv" "$TMP/want"
done
check "--with-copies: origin.txt:3 and its copy, similarity 1, origin (2024-07-16) first" \
    grep -q "^1.000000,$FIX/origin.txt,3,2024-07-16,余姚市科学技术局,$FIX/copy.txt,3,2025-01-06," "$TMP/p.csv"
check "the sentence variant (2023-03-15) comes before the origin (2024-07-16)" \
    grep -q "^0.650138,$FIX/sentence.txt,3,2023-03-15,临沂市科学技术局,$FIX/origin.txt,3," "$TMP/p.csv"
run_ps "$TMP/p.json" "$TMP/e" similar -d "$TMP/fx" --pairs --json
check "--pairs --json (default --min 0.6): first and second with file, paragraph, date, issuer, title" "$PY" -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert rows and all(r["similarity"] >= 0.6 and r["measure"] == "jaccard-3-shingles" for r in rows)
for r in rows:
    for k in ("first", "second"):
        assert set(r[k]) == {"file", "paragraph", "date", "issuer", "title"}, r[k]
    assert r["first"]["file"] != r["second"]["file"]' "$TMP/p.json"
check_eq "--pairs --json: as many pairs as the CSV without copies" \
    "$(wc -l <"$TMP/p.json")" "$("$PY" "$ORACLE" "$FIX" 0.6 | wc -l)"
check "near-copies inside one document (unrelated.txt:3 and :5) are no pair" \
    bash -c "! grep -q 'unrelated.txt,[35],.*unrelated.txt' '$TMP/p.csv'"
run_ps "$TMP/o" "$TMP/e" similar -d "$TMP/fx" --pairs --min 0.99
check_eq "--pairs --min 0.99: exit 1, the header only" "1:1" "$RC:$(wc -l <"$TMP/o")"

# --- bad input -------------------------------------------------------------
run_ps "$TMP/o" "$TMP/e" similar -d "$TMP/idx" nope.txt:3
check_eq "a file not indexed: exit 2 and the message" "2 polsearch: nope.txt:3: not in the index" "$RC $(cat "$TMP/e")"
run_ps "$TMP/o" "$TMP/e" similar -d "$TMP/idx" "$FIX/origin.txt:99"
check_eq "a paragraph past the file's last: exit 2, not in the index" \
    "2 polsearch: $FIX/origin.txt:99: not in the index" "$RC $(cat "$TMP/e")"
for bad in "$FIX/origin.txt" "$FIX/origin.txt:x" "$FIX/origin.txt:0" ":3" "$FIX/origin.txt:3:"; do
    run_ps "$TMP/o" "$TMP/e" similar -d "$TMP/idx" "$bad"
    check_eq "malformed '$bad': exit 2, not FILE:PARAGRAPH" "2 1" "$RC $(grep -c 'not FILE:PARAGRAPH' "$TMP/e")"
done
run_ps "$TMP/o" "$TMP/e" similar -d "$TMP/idx" --min 2 "$FIX/origin.txt:3"
check_eq "--min 2: exit 2 with the option's message" "2 polsearch: --min: '2' is not a similarity from 0 to 1" \
    "$RC $(cat "$TMP/e")"
run_ps "$TMP/o" "$TMP/e" similar -d "$TMP/idx" --pairs --min 0.3
check_eq "--pairs --min 0.3 (below 0.5): exit 2" "2 1" "$RC $(grep -c 'from 0.5 to 1' "$TMP/e")"
run_ps "$TMP/o" "$TMP/e" similar -d "$TMP/idx" --pairs "$FIX/origin.txt:3"
check_eq "--pairs with FILE:PARAGRAPH: exit 2" 2 "$RC"
run_ps "$TMP/o" "$TMP/e" search -d "$TMP/idx" --similar-to nope.txt:1
check_eq "search --similar-to a file not indexed: exit 2" "2 polsearch: nope.txt:1: not in the index" "$RC $(cat "$TMP/e")"
run_ps "$TMP/o" "$TMP/e" search -d "$TMP/idx" --similar-min -1 --similar-to "$FIX/origin.txt:3"
check_eq "search --similar-min -1: exit 2" 2 "$RC"
finish
