#!/bin/bash
# live.sh — a paragraph tombstoned by an incremental re-index never comes
# back (issue 22, part 2): every read of paragraphs goes through the store's
# one query entry (store_query_live/store_enquire, store.h), which leaves the
# dead file versions out.  A file that cites another and names 梳理企业名单
# loses that paragraph; the re-index is incremental, so the old paragraph is
# still on disk (stats counts it as superseded), and search (ranked, -c, -l,
# --json), search --cites and refs --to (citations.c) must all miss it.
. "$(dirname "$0")/lib.sh"
FIXTURES=${TESTS_DIR:-$(cd "$(dirname "$0")/.." && pwd)}/fixtures/refs
mkdir -p "$TMP/docs" && cp "$FIXTURES/linyi-notice.txt" "$FIXTURES/linyi-wings.txt" "$TMP/docs/"
cd "$TMP" || exit 1
IDX=$TMP/idx
WINGS=临沂市实施发展翅膀工程
# probe LABEL: what each entry finds of the paragraph, one line each.
probe() {
    ps search -d "$IDX" --color=never -c 梳理企业名单
    ps search -d "$IDX" --color=never -l --all 梳理企业名单
    ps search -d "$IDX" --color=never --json --all 梳理企业名单 | grep -c '"paragraph"'
    ps search -d "$IDX" --color=never -c --cites "$WINGS 赋能经济高质量发展的若干措施" 企业
    ps refs -d "$IDX" --to docs/linyi-wings.txt | cut -f1
}
run_ps "$TMP/o" "$TMP/e" index -q -d "$IDX" docs
check_eq "index: exit 0" 0 "$RC"
probe >"$TMP/before" 2>&1
check_eq "before: every entry finds the citing paragraph" \
"1
docs/linyi-notice.txt
1
1
docs/linyi-notice.txt:4" "$(cat "$TMP/before")"

# The citing paragraph goes; the rest of the file stays.
grep -v 梳理企业名单 "$FIXTURES/linyi-notice.txt" >"$TMP/docs/linyi-notice.txt"
touch -d '2030-01-01' "$TMP/docs/linyi-notice.txt"
run_ps "$TMP/o" "$TMP/e" index -q -d "$IDX" docs
check_eq "incremental re-index: exit 0" 0 "$RC"
sup=$(ps stats -d "$IDX" --json | grep -o '"superseded": *[0-9]*' | grep -o '[0-9]*$')
check "the old version's paragraphs are still on disk (superseded: $sup)" test "${sup:-0}" -gt 0
probe >"$TMP/after" 2>&1
check_eq "after: no entry finds the tombstoned paragraph" \
"0
0
0" "$(cat "$TMP/after")"
check_eq "the file's live paragraphs are still found" 1 "$(ps search -d "$IDX" -c 完善培育机制)"
finish
