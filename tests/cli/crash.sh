#!/bin/bash
# crash.sh — a SIGKILL at each step of the swap that ends a fresh -j2 build,
# of a fresh build's worker before its last commit, of `polsearch compact`
# and of `index --full` over an index (its build
# aside and its swap; the POLSEARCH_TEST_KILL_AT test hook, store.h):
# search opens the index with exactly the expected counts, the next writer
# exits 0 and leaves the plain layout, nothing duplicated or lost.
. "$(dirname "$0")/lib.sh"

STEPS="merge-compacted swap-begin swap-committed swap-removing swap-linking swap-linked swap-installed"
want=$("$POLSEARCH" index -q -d "$TMP/ref" "$SEEDS" 2>&1 && "$POLSEARCH" search -d "$TMP/ref" -c 企业)
check "reference index: a count" test -n "$want" -a "$want" -gt 0
# after_kill NAME IDX LAYOUT: the checks after a kill, then a completing
# run, which leaves LAYOUT: the two shards of `compact` before the swap's
# commit point (rolled back), one after it (rolled forward); a fresh
# build's two shards always end as one (its merge is owed until it is in,
# and the next run pays it: store.h, STORE_MERGE_OWED_NAME).
after_kill() {
    local name=$1 idx=$2 layout=$3
    run_ps "$TMP/o" "$TMP/e" search -d "$idx" -c 企业
    check_eq "$name: search opens the index, the same count" "$RC $want" "$RC $(cat "$TMP/o")"
    run_ps "$TMP/o" "$TMP/e" search -d "$idx" --json --all 企业
    check "$name: no paragraph twice" "$PY" -c '
import json, sys, collections
c = collections.Counter((o["file"], o["paragraph"]) for o in map(json.loads, open(sys.argv[1])))
assert c and max(c.values()) == 1, c.most_common(2)' "$TMP/o"
    run_ps "$TMP/o" "$TMP/e" index -d "$idx" "$SEEDS"
    check_eq "$name: the next run exits 0" 0 "$RC"
    check "$name: the next run finds all 5 unchanged" grep -q "0 files indexed (0 new, 0 changed), 5 unchanged, 0 removed" "$TMP/e"
    check_eq "$name: the next run leaves the plain layout" "$layout" "$(ls "$idx" | tr '\n' ' ' | sed 's/ $//')"
    check_eq "$name: then the same count" "$want" "$("$POLSEARCH" search -d "$idx" -c 企业)"
}
layout() {
    case $1 in merge-compacted|swap-begin) echo "XAPIANDB polsearch.lock shard0 shard1 text0 text1";;
               *) echo "XAPIANDB polsearch.lock shard0 text0";; esac
}
for step in $STEPS; do
    idx=$TMP/j-$step
    POLSEARCH_TEST_KILL_AT=$step "$POLSEARCH" index -q -j 2 -d "$idx" "$SEEDS" >/dev/null 2>&1; krc=$?
    check_eq "index -j 2 killed at $step: exit 137" 137 "$krc"
    after_kill "index -j 2 killed at $step" "$idx" "XAPIANDB polsearch.lock shard0 text0"
done
# A fresh -j 2 build whose second worker dies before its last commit (as
# one out of memory does: tests/fault/sweep.sh index 6371) fails, leaving
# two shards that were never merged; the next, incremental, run adds what
# is missing and merges them, so that it is laid out as a clean build and
# answers as one does, byte for byte.
for q in 专精特新 企业; do "$POLSEARCH" search -d "$TMP/ref" --color=never --json --all "$q"; done >"$TMP/ref.json"
idx=$TMP/w-shard1
POLSEARCH_TEST_KILL_AT=shard1-ending "$POLSEARCH" index -q -j 2 -d "$idx" "$SEEDS" >/dev/null 2>"$TMP/e"; krc=$?
check_eq "index -j 2, worker 1 killed before its last commit: exit 2" 2 "$krc"
check "index -j 2, worker 1 killed: the worker's death is told" grep -q "polsearch: shard 1: the worker died" "$TMP/e"
run_ps "$TMP/o" "$TMP/e" index -d "$idx" "$SEEDS"
check_eq "index -j 2, worker 1 killed: the next run exits 0" 0 "$RC"
check "index -j 2, worker 1 killed: the next run adds the files the worker lost" \
    grep -q "files indexed ([1-9][0-9]* new, 0 changed), [0-9]* unchanged, 0 removed" "$TMP/e"
check_eq "index -j 2, worker 1 killed: the next run merges the shards" "XAPIANDB polsearch.lock shard0 text0" \
    "$(ls "$idx" | tr '\n' ' ' | sed 's/ $//')"
for q in 专精特新 企业; do "$POLSEARCH" search -d "$idx" --color=never --json --all "$q"; done >"$TMP/o"
check "index -j 2, worker 1 killed: then the same answers as a clean build" cmp "$TMP/ref.json" "$TMP/o"
# A deliberate --no-compact build stays as it is: no merge is owed.
idx=$TMP/w-keep
"$POLSEARCH" index -q -j 2 --no-compact -d "$idx" "$SEEDS" >/dev/null 2>&1
run_ps "$TMP/o" "$TMP/e" index -q -d "$idx" "$SEEDS"
check_eq "index -j 2 --no-compact, then a normal run: still two shards" "0 XAPIANDB polsearch.lock shard0 shard1 text0 text1" \
    "$RC $(ls "$idx" | tr '\n' ' ' | sed 's/ $//')"
for step in $STEPS; do
    idx=$TMP/c-$step
    "$POLSEARCH" index -q -j 2 --no-compact -d "$idx" "$SEEDS" >/dev/null 2>&1
    POLSEARCH_TEST_KILL_AT=$step "$POLSEARCH" compact -d "$idx" >/dev/null 2>&1; krc=$?
    check_eq "compact killed at $step: exit 137" 137 "$krc"
    after_kill "compact killed at $step" "$idx" "$(layout "$step")"
    run_ps "$TMP/o" "$TMP/e" compact -d "$idx"
    check_eq "compact killed at $step: compact again exits 0" 0 "$RC"
done
# index --full over a two-shard index builds aside (one merged shard) and
# swaps it in: killed before its swap's commit point the old index stays
# (two shards), after it the new one (one); never none.
FULL_STEPS="full-begin merge-compacted swap-begin swap-committed full-built full-swap-begin
            full-swap-committed full-swap-removing full-swap-linking full-swap-linked full-swap-installed"
for step in $FULL_STEPS; do
    idx=$TMP/f-$step
    "$POLSEARCH" index -q -j 2 --no-compact -d "$idx" "$SEEDS" >/dev/null 2>&1
    POLSEARCH_TEST_KILL_AT=$step "$POLSEARCH" index -q -j 2 --full -d "$idx" "$SEEDS" >/dev/null 2>&1; krc=$?
    check_eq "index --full killed at $step: exit 137" 137 "$krc"
    case $step in full-swap-begin|full-built|full-begin|merge-compacted|swap-*)
        lay="XAPIANDB polsearch.lock shard0 shard1 text0 text1";;
        *) lay="XAPIANDB polsearch.lock shard0 text0";; esac
    after_kill "index --full killed at $step" "$idx" "$lay"
done
idx=$TMP/f-done
"$POLSEARCH" index -q -j 2 --no-compact -d "$idx" "$SEEDS" >/dev/null 2>&1
run_ps "$TMP/o" "$TMP/e" index -q -j 2 --full -d "$idx" "$SEEDS"
check_eq "index --full over an index: exit 0, one merged shard, nothing aside" "0 XAPIANDB polsearch.lock shard0 text0" \
    "$RC $(ls "$idx" | tr '\n' ' ' | sed 's/ $//')"
check_eq "index --full over an index: the same count" "$want" "$("$POLSEARCH" search -d "$idx" -c 企业)"

# An older polsearch's merge (before the journal) renamed the shards aside
# to old-shardN/old-textN, then the merged pair in: cut off before its stub
# listed the pair, the next run puts the old ones back; after, removes them.
idx=$TMP/old-mid
"$POLSEARCH" index -q -j 2 --no-compact -d "$idx" "$SEEDS" >/dev/null 2>&1
"$POLSEARCH" index -q -j 2 -d "$TMP/merged" "$SEEDS" >/dev/null 2>&1
for p in shard0 text0 shard1; do mv "$idx/$p" "$idx/old-$p"; done
cp -r "$TMP/merged/shard0" "$idx/shard0"
# (search cannot open this one: the stub lists parts that are aside)
run_ps "$TMP/o" "$TMP/e" index -d "$idx" "$SEEDS"
check_eq "an older binary's merge cut off before its stub: the next run exits 0" 0 "$RC"
check "an older binary's merge cut off before its stub: 5 unchanged" grep -q "0 files indexed (0 new, 0 changed), 5 unchanged, 0 removed" "$TMP/e"
check_eq "an older binary's merge cut off before its stub: the old shards are back" \
    "XAPIANDB polsearch.lock shard0 shard1 text0 text1" "$(ls "$idx" | tr '\n' ' ' | sed 's/ $//')"
check_eq "an older binary's merge cut off before its stub: the same count" "$want" "$("$POLSEARCH" search -d "$idx" -c 企业)"
idx=$TMP/old-end
cp -r "$TMP/merged" "$idx"
"$POLSEARCH" index -q -j 2 --no-compact -d "$TMP/two" "$SEEDS" >/dev/null 2>&1
cp -r "$TMP/two/shard1" "$idx/old-shard1"; cp -r "$TMP/two/text0" "$idx/old-text0"
after_kill "an older binary's merge cut off after its stub" "$idx" "XAPIANDB polsearch.lock shard0 text0"
finish
