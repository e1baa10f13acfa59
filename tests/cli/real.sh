#!/bin/bash
# real.sh — real producers' OFD files (tests/fixtures/real/SOURCES) against
# the trusted extractor in real.py: agreement, phrases, cross-line phrases.
# The small files are in git (tests/fixtures/real/ofd/, with their licences
# and NOTICE); each large one ("fetch" in SOURCES) is taken from
# $REAL_OFD_DIR, tests/fixtures/real/files/, or the tests' cache, where
# fetch-large.sh downloads it; one that cannot be had is skipped with that
# reason, and the others are checked all the same.
. "$(dirname "$0")/lib.sh"
: "${TESTS_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"
FIX=$TESTS_DIR/fixtures/real
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/polsearch-tests/real-ofd
mkdir -p "$TMP/docs"
fetched=
while read -r name repo path commit licence kept; do
    case $name in '#'*|'') continue ;; esac
    src=
    if [ "$kept" = git ]; then
        src=$FIX/ofd/$name
    else
        for d in "${REAL_OFD_DIR:-}" "$FIX/files" "$CACHE"; do
            if [ -n "$d" ] && [ -s "$d/$name" ]; then src=$d/$name; break; fi
        done
        if [ -z "$src" ] && [ -z "$fetched" ]; then
            fetched=1
            sh "$FIX/fetch-large.sh" "$CACHE" 2>"$TMP/fetch.err"
        fi
        [ -z "$src" ] && [ -s "$CACHE/$name" ] && src=$CACHE/$name
    fi
    if [ "$kept" = git ] && [ ! -s "$src" ]; then
        not_ok "$name: kept in git, missing from $FIX/ofd"
        continue
    elif [ -z "$src" ] || [ ! -s "$src" ]; then
        ok "$name # SKIP not available (not in git, \$REAL_OFD_DIR or the cache; $(head -n 1 "$TMP/fetch.err" 2>/dev/null | cut -c 1-100))"
        continue
    fi
    cp "$src" "$TMP/docs/$name"
done <"$FIX/SOURCES"
run_ps "$TMP/o" "$TMP/e" index -d "$TMP/idx" "$TMP/docs"
check "index run over the real OFDs ends (status $RC)" test $RC -le 1
"$PY" "$TESTS_DIR/cli/real.py" "$POLSEARCH" "$TMP/idx" "$TMP/docs"/*.ofd >"$TMP/py.out" 2>&1
relay_tap "$TMP/py.out"
finish
