#!/bin/bash
# real.sh — real producers' OFD files (tests/fixtures/real/SOURCES) against
# the trusted extractor in real.py: agreement, phrases, cross-line phrases.
# The files are not in git: tests/fixtures/real/fetch-large.sh brings them
# into tests/fixtures/real/files/ (or set REAL_OFD_DIR); without them the
# test skips with that reason.
. "$(dirname "$0")/lib.sh"
: "${TESTS_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"
DIR=${REAL_OFD_DIR:-$TESTS_DIR/fixtures/real/files}
if ! ls "$DIR"/*.ofd >/dev/null 2>&1; then
    echo "1..0 # SKIP no real OFD files in $DIR (run tests/fixtures/real/fetch-large.sh)"
    exit 0
fi
run_ps "$TMP/o" "$TMP/e" index -d "$TMP/idx" "$DIR"
check "index run over the real OFDs ends (status $RC)" test $RC -le 1
"$PY" "$TESTS_DIR/cli/real.py" "$POLSEARCH" "$TMP/idx" "$DIR"/*.ofd >"$TMP/py.out" 2>&1
relay_tap "$TMP/py.out"
finish
