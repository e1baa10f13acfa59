#!/bin/bash
# determinism.sh — two builds of the same folder give the same index: the
# same results in the same order, equal scores included (search sorts
# equal scores by the key value, which starts with the file version's id,
# a hash of the file and its bytes), and the same export, byte for byte,
# whether one worker built it or two, and however the folder is spelled.
# A file moved out and back (same bytes, same mtime) comes back searchable:
# its new version does not take the id of its dead one.
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TMP" && mkdir docs && cp "$SEEDS"/*.txt docs/ && cp -r "$root/tests/fixtures/refs" docs/refs || exit 1
# Eight copies of one paragraph in eight files, and a paragraph in each of
# them that scores like its neighbours': ties everywhere.
for i in 1 2 3 4 5 6 7 8; do
    printf '第%s号通知\n\n各区县要加快培育专精特新企业，落实研发费用加计扣除政策。\n\n本通知自印发之日起施行。\n' "$i" >"docs/copy$i.txt"
done
build() {  # NAME ARGS...: a fresh index NAME of docs, built with ARGS
    local name=$1; shift
    ps index -q -d "$name" "$@" >"$name.log" 2>&1
}
# The outputs compared: every ranked and listed result of a few queries
# (copies collapsed and not), and the whole export.
dump() {  # INDEX OUT
    local q
    : >"$2"
    for q in 专精特新 施行 通知 企业 的 '研发 OR 通知'; do
        { echo "## $q"
          ps search -d "$1" -l --all $q
          ps search -d "$1" --json --all $q
          ps search -d "$1" --json --all --no-collapse $q
          ps search -d "$1" -n 5 --color=never $q; } >>"$2" 2>&1
    done
    ps export -d "$1" --jsonl >>"$2" 2>&1
}
check "build 1: -j1" build j1 -j 1 docs
check "build 2: -j2" build j2a -j 2 docs
check "build 3: -j2 again" build j2b -j 2 docs
check "build 4: -j2, the folder spelled ./docs/" build j2c -j 2 ./docs/
check "build 5: -j2 --no-compact (two shards searched as one)" build j2s -j 2 --no-compact docs
for i in j1 j2a j2b j2s; do dump "$i" "$i.out"; done
# The folder spelled otherwise shows its paths so: compare with those of
# a build spelled alike (below), and its order with j2a's.
check "the dumps hold ranked results, lists and export rows" \
    test "$(grep -c '"copy_key"' j1.out)" -gt 100 -a "$(grep -c '^docs/copy' j1.out)" -ge 40
check "-l lists the eight copies in one order in every build" \
    test "$(grep -c '^docs/copy[1-8].txt$' j1.out)" -ge 16
for i in j2a j2b j2s; do
    if cmp -s j1.out "$i.out"; then ok "-j1 and $i give the same bytes"
    else not_ok "-j1 and $i give the same bytes"; diff j1.out "$i.out" | head -10 | sed 's/^/# /'; fi
done
dump j2c j2c.out
check "./docs/ gives the same results in the same order as docs" \
    cmp -s <(sed 's|\./docs/|docs/|g; s|"score":[^,]*||' j2c.out) <(sed 's|"score":[^,]*||' j2a.out)

# A file moved out of the folder and back (its bytes and mtime as they
# were) is searchable again, in an incremental run and after it.
mkdir aside
check "index the folder" ps index -q -d inc docs
check_eq "copy3 found" "docs/copy3.txt" "$(ps search -d inc -l 第3号通知)"
mv docs/copy3.txt aside/
check "re-index without copy3" ps index -q -d inc docs
check_eq "copy3 gone" "" "$(ps search -d inc -l 第3号通知)"
mv aside/copy3.txt docs/
check "re-index with copy3 back, unchanged" ps index -q -d inc docs
check_eq "copy3 found again" "docs/copy3.txt" "$(ps search -d inc -l 第3号通知)"
check_eq "copy3's paragraphs counted again" "3" "$(ps search -d inc -c --file docs/copy3.txt 通知 OR 企业)"
mv docs/copy3.txt aside/ && ps index -q -d inc docs && mv aside/copy3.txt docs/ && ps index -q -d inc docs
check_eq "and after a second round trip" "docs/copy3.txt" "$(ps search -d inc -l 第3号通知)"
check_eq "the incremental index counts as a fresh one" "$(ps search -d j1 -c 通知)" "$(ps search -d inc -c 通知)"
finish
