#!/bin/bash
# identity.sh — one identity per file: a file is known by its canonical
# path, however a run spells it.  A folder indexed by a relative path, then
# by its absolute path, through "./", "a//b", a symbolic link to it and a
# symbolic link to a folder above it, stays the same files: the update is a
# no-op (the summary says 0 indexed, all unchanged, 0 paragraphs), `stats`
# counts the same files, every result shows once and as first indexed;
# `refs FILE` and `search --file GLOB` take any spelling; a file moved away
# is removed, one moved within the folder is re-indexed under its new path;
# a file reached twice in one walk (a link beside it, --follow) is indexed
# once (under the name the walk met first: results keep showing the path
# a file was first indexed by, even once that path is gone).
. "$(dirname "$0")/lib.sh"
FIXTURES=${TESTS_DIR:-$(cd "$(dirname "$0")/.." && pwd)}/fixtures/refs

S003=003_1f11e292ab1845fd.txt
W=$TMP/work
mkdir -p "$W/docs" && cp -r "$SEEDS" "$W/docs/seeds" && cp -r "$FIXTURES" "$W/docs/refs"
ln -s work "$TMP/up"                 # a link to a folder above docs
ln -s docs "$W/linked"               # a link to docs itself
cd "$W" || exit 1
IDX=$TMP/idx
NFILES=$(find docs -type f | wc -l | tr -d ' ')
summary() { sed -n '$p' "$1"; }
# stats_files: the file count of 'stats --json'.
stats_files() { "$POLSEARCH" stats -d "$IDX" --json | "$PY" -c "import json,sys; print(json.load(sys.stdin)['files'])"; }
# answers: the outputs that must not change, whatever spelling indexed last.
answers() {
    "$POLSEARCH" search -d "$IDX" --json --all 企业
    "$POLSEARCH" search -d "$IDX" -l --all 专精特新
    "$POLSEARCH" search -d "$IDX" -c 科技
    "$POLSEARCH" refs -d "$IDX" "docs/seeds/$S003"
    "$POLSEARCH" refs -d "$IDX" --to "docs/seeds/$S003"
}

run_ps "$TMP/o" "$TMP/e" index -d "$IDX" docs
check_eq "relative: exit 0" 0 "$RC"
check "relative: all $NFILES new" grep -q "$NFILES files indexed ($NFILES new, 0 changed), 0 unchanged, 0 removed" "$TMP/e"
answers >"$TMP/before" 2>&1
check "results show the path as given (docs/...)" grep -q '"file":"docs/seeds/' "$TMP/before"

NOOP="0 files indexed (0 new, 0 changed), $NFILES unchanged, 0 removed, 0 skipped, 0 failed; 0 paragraphs"
for spelling in "$W/docs" ./docs/ docs//seeds docs//refs "docs/./" linked "$TMP/up/docs" "$TMP/up/linked/" \
                "docs $W/docs"; do
    # shellcheck disable=SC2086  # "docs $W/docs": two spellings in one run
    run_ps "$TMP/o" "$TMP/e" index -d "$IDX" $spelling
    case $spelling in
        docs//seeds) want="0 files indexed (0 new, 0 changed), 5 unchanged, 0 removed" ;;
        docs//refs)  want="0 files indexed (0 new, 0 changed), $((NFILES - 5)) unchanged, 0 removed" ;;
        *)           want=$NOOP ;;
    esac
    check "index $spelling: nothing read, nothing removed" grep -q "$want" "$TMP/e"
    grep -q "$want" "$TMP/e" || cat "$TMP/e"
    check_eq "index $spelling: stats counts $NFILES files" "$NFILES" "$(stats_files)"
    answers >"$TMP/after" 2>&1
    check "index $spelling: every answer as before (each result once, as first spelled)" \
        cmp -s "$TMP/before" "$TMP/after"
done

# --- FILE arguments in any spelling ----------------------------------------------------
"$POLSEARCH" refs -d "$IDX" "docs/seeds/$S003" >"$TMP/r0" 2>&1
check "refs FILE: the file cites something" test -s "$TMP/r0"
for f in "$W/docs/seeds/$S003" "./docs//seeds/$S003" "linked/seeds/$S003" "$TMP/up/docs/seeds/../seeds/$S003"; do
    "$POLSEARCH" refs -d "$IDX" "$f" >"$TMP/r1" 2>&1
    check "refs $f: the same answer" cmp -s "$TMP/r0" "$TMP/r1"
done
"$POLSEARCH" refs -d "$IDX" --json --to "docs/seeds/$S003" >"$TMP/t0" 2>&1
"$POLSEARCH" refs -d "$IDX" --json --to "$W/linked/seeds/$S003" >"$TMP/t1" 2>&1
check "refs --to FILE: any spelling, the same citing paragraphs" cmp -s "$TMP/t0" "$TMP/t1"
check "refs --to FILE: someone cites it" test -s "$TMP/t0"

c0=$("$POLSEARCH" search -d "$IDX" -c --file 'docs/seeds/*' 企业)
check "search --file docs/seeds/*: matches" test "$c0" -gt 0
for g in "$W/docs/seeds/*" "./docs/seeds/*" "linked/seeds/*" "$TMP/up/docs//seeds/*"; do
    check_eq "search --file '$g': the same count" "$c0" "$("$POLSEARCH" search -d "$IDX" -c --file "$g" 企业)"
done
run_ps "$TMP/o" "$TMP/x" search -d "$IDX" -c --file "$W/elsewhere/*" 企业
check_eq "search --file on another folder: nothing (exit 1)" "0 1" "$(cat "$TMP/o") $RC"
"$POLSEARCH" search -d "$IDX" -l --file "$W/docs/seeds/$S003" 赵洁委员 >"$TMP/o" 2>&1
check_eq "search --file FILE by its absolute path: the file, as first spelled" "docs/seeds/$S003" "$(cat "$TMP/o")"

# --- an index built from an absolute path answers relative spellings ----------------------
IDX2=$TMP/idx2
"$POLSEARCH" index -q -d "$IDX2" "$W/docs"
"$POLSEARCH" search -d "$IDX2" -l 赵洁委员 >"$TMP/o" 2>&1
check_eq "absolute first: results show the absolute path" "$W/docs/seeds/$S003" "$(cat "$TMP/o")"
check_eq "absolute first: search --file with a relative glob" "$c0" \
    "$("$POLSEARCH" search -d "$IDX2" -c --file 'docs/seeds/*' 企业)"
"$POLSEARCH" refs -d "$IDX2" "docs/seeds/$S003" >"$TMP/r2" 2>&1
check "absolute first: refs with a relative path" cmp -s "$TMP/r0" <(sed "s|$W/||g" "$TMP/r2")

# --- moves --------------------------------------------------------------------------
mkdir -p "$W/away"
mv "docs/seeds/$S003" "$W/away/"
run_ps "$TMP/o" "$TMP/e" index -d "$IDX" "$TMP/up/linked"
check "moved away, indexed by another spelling: 1 removed" \
    grep -q "0 files indexed (0 new, 0 changed), $((NFILES - 1)) unchanged, 1 removed" "$TMP/e"
check_eq "moved away: stats counts one file less" "$((NFILES - 1))" "$(stats_files)"
run_ps "$TMP/o" "$TMP/x" search -d "$IDX" -l 赵洁委员
check_eq "moved away: its text is gone (exit 1)" 1 "$RC"
mv "$W/away/$S003" docs/refs/moved.txt
run_ps "$TMP/o" "$TMP/e" index -d "$IDX" "$W/docs"
check "moved back in under another name: 1 new" \
    grep -q "1 files indexed (1 new, 0 changed), $((NFILES - 1)) unchanged, 0 removed" "$TMP/e"
"$POLSEARCH" search -d "$IDX" -l 赵洁委员 >"$TMP/o" 2>&1
check_eq "moved: found under its new path, as this run spelled it" "$W/docs/refs/moved.txt" "$(cat "$TMP/o")"

# --- one walk meeting a file twice ---------------------------------------------------
ln -s moved.txt docs/refs/alias.txt
IDX3=$TMP/idx3
"$POLSEARCH" index -q -d "$IDX3" --follow docs
"$POLSEARCH" search -d "$IDX3" -l --all 赵洁委员 >"$TMP/o" 2>&1
check_eq "a link beside its file (--follow): indexed once" 1 "$(wc -l <"$TMP/o" | tr -d ' ')"
check_eq "  ... stats counts it once" "$NFILES" \
    "$("$POLSEARCH" stats -d "$IDX3" --json | "$PY" -c "import json,sys; print(json.load(sys.stdin)['files'])")"
finish
