#!/bin/bash
# chunks.sh — the text chunks (store.h) stay in step with their shard: an
# incremental run deletes chunks that a run cut off between its two commits
# (text chunks first, then the shard) left past what the shard records, so
# the index answers exactly as one that never had them.
. "$(dirname "$0")/lib.sh"

for tool in xapian-compact xapian-delve; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "1..0 # SKIP $tool is missing (Debian package xapian-tools)"
        exit 0
    fi
done

# docs DB: Xapian's document count of the database DB.
docs() { xapian-delve "$1" 2>/dev/null | sed -n 's/^number of documents = //p'; }

mkdir -p "$TMP/docs" "$TMP/other"
cp "$SEEDS"/00[0-3]_*.txt "$TMP/docs/"
cp "$SEEDS"/004_*.txt "$TMP/other/"
run_ps "$TMP/o" "$TMP/e" index -q -j 1 -d "$TMP/x" "$TMP/docs"
check_eq "index docs/: exit 0" 0 "$RC"
run_ps "$TMP/o" "$TMP/e" index -q -j 1 -d "$TMP/y" "$TMP/other"
check_eq "index other/: exit 0" 0 "$RC"
cp -r "$TMP/x" "$TMP/clean"

# A run cut off between its commits: the other index's chunks appended
# after x's own (Xapian's compaction numbers them after), the shard as it was.
before=$(docs "$TMP/x/text0")
extra=$(docs "$TMP/y/text0")
xapian-compact "$TMP/x/text0" "$TMP/y/text0" "$TMP/merged" >/dev/null 2>&1
rm -rf "$TMP/x/text0" && mv "$TMP/merged" "$TMP/x/text0"
check_eq "the cut-off run's chunks are there: $before + $extra documents" \
    "$((before + extra))" "$(docs "$TMP/x/text0")"
check "the chunks of a file the shard does not know change no result" \
    sh -c "'$POLSEARCH' search -d '$TMP/x' -c 专精特新 >/dev/null"

# The next run (one file changed) deletes them: text chunks and statistics
# are those of the index that never had them.
printf '\n附注:本件已修订,信天翁条款另行通知。\n' >>"$(ls "$TMP/docs/001_"*.txt)"
for d in x clean; do
    run_ps "$TMP/o" "$TMP/e" index -q -d "$TMP/$d" "$TMP/docs"
    check_eq "incremental run on $d: exit 0" 0 "$RC"
done
check_eq "after the next run: as many text chunks as in the index that never had the extra ones" \
    "$(docs "$TMP/clean/text0")" "$(docs "$TMP/x/text0")"
for q in 专精特新 信天翁 企业; do
    "$POLSEARCH" search -d "$TMP/x" --json --all "$q" >"$TMP/r.x" 2>&1
    "$POLSEARCH" search -d "$TMP/clean" --json --all "$q" >"$TMP/r.clean" 2>&1
    check "after the next run: '$q' gives the same results and scores as the clean index" \
        sh -c "test -s '$TMP/r.x' && cmp -s '$TMP/r.x' '$TMP/r.clean'"
done
finish
