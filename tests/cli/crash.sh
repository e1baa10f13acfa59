#!/bin/bash
# crash.sh — a SIGKILL at each step of the swap that ends a fresh -j2 build
# and `polsearch compact` (the POLSEARCH_TEST_KILL_AT test hook, store.h):
# search opens the index with exactly the expected counts, the next writer
# exits 0 and leaves the plain layout, nothing duplicated or lost.
. "$(dirname "$0")/lib.sh"

STEPS="merge-compacted swap-begin swap-committed swap-removing swap-linking swap-linked swap-installed"
want=$("$POLSEARCH" index -q -d "$TMP/ref" "$SEEDS" 2>&1 && "$POLSEARCH" search -d "$TMP/ref" -c 企业)
check "reference index: a count" test -n "$want" -a "$want" -gt 0
# after_kill NAME IDX LAYOUT: the checks after a kill, then a completing
# run, which leaves LAYOUT: the two shards before the swap's commit point
# (rolled back), one after it (rolled forward).
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
    after_kill "index -j 2 killed at $step" "$idx" "$(layout "$step")"
done
for step in $STEPS; do
    idx=$TMP/c-$step
    "$POLSEARCH" index -q -j 2 --no-compact -d "$idx" "$SEEDS" >/dev/null 2>&1
    POLSEARCH_TEST_KILL_AT=$step "$POLSEARCH" compact -d "$idx" >/dev/null 2>&1; krc=$?
    check_eq "compact killed at $step: exit 137" 137 "$krc"
    after_kill "compact killed at $step" "$idx" "$(layout "$step")"
    run_ps "$TMP/o" "$TMP/e" compact -d "$idx"
    check_eq "compact killed at $step: compact again exits 0" 0 "$RC"
done
finish
