#!/bin/bash
# punct.sh — a query of punctuation only has nothing to search: it is
# refused as a query with no search terms (exit 2, the same message as a
# blank query), never taken for a damaged index (it once matched the file
# records).  A part with nothing to search inside a bigger query is dropped:
# the result is that of the query without it.  A word too long for an index
# term (the one phrase with no terms left) is found by the text check alone
# over the paragraphs, never the file records.
. "$(dirname "$0")/lib.sh"
cd "$TMP" && mkdir docs && cp "$SEEDS"/*.txt docs/ || exit 1
long=$(printf 'w%.0s' $(seq 1 230))
printf '长词\n\n这一段有一个很长的词%s在中间。\n\n另一段没有。\n' "$long" >docs/long.txt
if ! ps index -q -d idx docs; then
    echo "not ok 1 - index"; echo "1..1"; exit 0
fi
run_ps blank.out blank.err search -d idx -c ' '
check_eq "a blank query: exit 2" 2 "$RC"
want=$(cat blank.err)
check_eq "the blank query's message" "polsearch: the query has no search terms" "$want"
for q in '。' '，' '，。' '"。"' '“，”' '...' '!?' '★' '、 ；'; do
    for mode in -c -l --json ''; do
        run_ps o e search -d idx $mode -- "$q"
        if [ "$RC" = 2 ] && [ "$(cat e)" = "$want" ] && [ ! -s o ]; then ok "search $mode [$q]: no search terms, exit 2"
        else not_ok "search $mode [$q]: no search terms, exit 2"; echo "# rc=$RC: $(head -c 300 e)"; fi
    done
done
run_ps o e search -d idx -c -- '。' '，'
check_eq "two words of punctuation: exit 2" "2:$want" "$RC:$(cat e)"
# Queries one per line: each punctuation line is refused alone, the others run.
printf '企业\n。\n' | ps search -d idx -c - >lines.out 2>lines.err
check "a punctuation line among queries read from stdin is refused with the reason" \
    grep -qx "polsearch: the query has no search terms" lines.err
check "and says nothing of a damaged index" sh -c '! grep -q damaged lines.err'

# Inside a bigger query: the same results as without the part.
base_c=$(ps search -d idx -c 企业)
check "企业 matches paragraphs" test "$base_c" -gt 10
# An independent count: export's rows whose text holds 企业 (or 企業, folded).
oracle=$(ps export -d idx --jsonl | "$PY" -c '
import json, sys
print(sum(1 for l in sys.stdin if any(w in json.loads(l)["text"] for w in ("企业", "企業"))))')
check_eq "企业's count is export's count of paragraphs holding it" "$oracle" "$base_c"
for q in '企业 。' '企业 "。"' '企业 -。' '。 企业 ，' '企业 -！' '企业 AND 。'; do
    for mode in -c "-l --all" "--json --all" "-n 5 --color=never"; do
        # shellcheck disable=SC2086
        check_eq "[$q] $mode gives what [企业] gives" "$(ps search -d idx $mode 企业 2>&1; echo "rc=$?")" \
            "$(ps search -d idx $mode "$q" 2>&1; echo "rc=$?")"
    done
done
check_eq "企业 OR 。: OR needs a term on its right (as 企业 OR \"\")" \
    "$(ps search -d idx -c 企业 OR '""' 2>&1; echo "rc=$?")" "$(ps search -d idx -c 企业 OR 。 2>&1; echo "rc=$?")"
run_ps o e search -d idx -c 企业 OR 。
check_eq "企业 OR 。 exits 2" 2 "$RC"
check "… without a word of damage" sh -c '! grep -q damaged e'

# A word longer than an index term: found by the text check, alone too.
run_ps o e search -d idx -c "$long"
check_eq "the long word alone: one paragraph" "0:1:" "$RC:$(cat o):$(cat e)"
run_ps o e search -d idx -l "$long"
check_eq "the long word alone: its file" "docs/long.txt" "$(cat o)"
run_ps o e search -d idx --json "$long"
check_eq "the long word alone: its paragraph, as JSON" "docs/long.txt:2" \
    "$("$PY" -c 'import json,sys; print("\n".join("%s:%d" % (d["file"], d["paragraph"]) for d in map(json.loads, sys.stdin)))' <o)"
run_ps o e search -d idx -c "x$long"
check_eq "a long word that is nowhere: 0, exit 1" "1:0:" "$RC:$(cat o):$(cat e)"
run_ps o e search -d idx -c 长词 OR "$long"
check_eq "the long word OR another phrase: both paragraphs" "0:2:" "$RC:$(cat o):$(cat e)"
run_ps o e search -d idx -c 企业 "$long"
check_eq "the long word AND 企业: none" "1:0:" "$RC:$(cat o):$(cat e)"
finish
